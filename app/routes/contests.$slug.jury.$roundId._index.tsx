import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { juryQueuePage } from '~/domain/contests/entries-pages.server';
import { useT } from '~/i18n/i18n';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import styles from '~/styles/contests.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.round.title} · ${data.contest.title}` }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const page = Number(new URL(request.url).searchParams.get('page')) || 1;
  const q = await juryQueuePage(db, params.slug!, params.roundId!, user.id, page);
  if (q.status === 'missing') notFound();
  return json({
    contest: { slug: q.contest.slug, title: q.contest.title },
    round: { id: q.round.id, title: q.round.title },
    items: q.items.map((i) => ({ id: i.id, code: i.code, scored: i.status === 'scored' })),
    scored: q.scored,
    total: q.total,
    page: q.page,
    pages: q.pages,
    next: q.next,
  });
}

export default function JuryQueue() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  const base = `/contests/${d.contest.slug}`;
  return (
    <>
      <Breadcrumb
        items={[{ to: '/contests', label: t('contests.list.title') }, { to: base, label: d.contest.title }, { label: d.round.title }]}
      />
      <h1>{t('contests.entries.jury.title', { round: d.round.title })}</h1>
      <p>{t('contests.entries.jury.blind')}</p>
      <p>
        <label htmlFor="jury-progress">{t('contests.entries.jury.progress', { scored: d.scored, total: d.total })}</label>{' '}
        <progress id="jury-progress" max={Math.max(1, d.total)} value={d.scored} />
      </p>
      {d.next ? (
        <p>
          <Link to={`${base}/jury/${d.round.id}/${d.next.id}`}>{t('contests.entries.jury.nextTodo', { code: d.next.code })}</Link>
        </p>
      ) : null}
      {d.items.length === 0 ? (
        <p>{t('contests.entries.jury.none')}</p>
      ) : (
        <ul className="stack">
          {d.items.map((i) => (
            <li key={i.id}>
              <Link to={`${base}/jury/${d.round.id}/${i.id}`}>{t('contests.entries.jury.open', { code: i.code })}</Link> ·{' '}
              {i.scored ? t('contests.entries.jury.scored') : t('contests.entries.jury.todo')}
            </li>
          ))}
        </ul>
      )}
      {d.pages > 1 ? (
        <nav aria-label={t('contests.entries.jury.pager')}>
          <p>
            {d.page > 1 ? <Link to={`?page=${d.page - 1}`}>{t('contests.entries.gallery.prev')}</Link> : null}{' '}
            {t('contests.entries.jury.pageOf', { page: d.page, pages: d.pages })}{' '}
            {d.page < d.pages ? <Link to={`?page=${d.page + 1}`}>{t('contests.entries.gallery.next')}</Link> : null}
          </p>
        </nav>
      ) : null}
    </>
  );
}
