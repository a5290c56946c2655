import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { ScrollRegion } from '~/components/ScrollRegion';
import { contestAccess } from '~/domain/contests/access.server';
import { unitLeaderboard } from '~/domain/contests/results.server';
import { unitName } from '~/domain/units.server';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import styles from '~/styles/contests.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.parent.name} · ${data.contest.title}` }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const db = getDb();
  const locale = detectLocale(request);
  const a = await contestAccess(db, { slug: params.slug! }, user?.id ?? null);
  if (a.status !== 'ok') notFound();
  const unit = new URL(request.url).searchParams.get('unit');
  const board = await unitLeaderboard(db, a.contest.id, unit);
  if (!board) notFound();
  return json({
    contest: { slug: a.contest.slug, title: a.contest.title, rootId: a.contest.eligible_unit_id },
    parent: {
      id: board.parent.id,
      name: unitName(board.parent, locale),
      parentId: board.parent.id === a.contest.eligible_unit_id ? null : board.parent.parent_id,
    },
    rows: board.rows.map((r) => ({ ...r, name: unitName({ name: r.name, name_en: r.nameEn }, locale) })),
  });
}

export default function Leaderboard() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  const base = `/contests/${d.contest.slug}`;
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/contests', label: t('contests.list.title') },
          { to: base, label: d.contest.title },
          { label: t('contests.page.leaderboard') },
        ]}
      />
      <h1>{t('contests.board.title', { unit: d.parent.name })}</h1>
      {d.parent.parentId ? (
        <p>
          <Link to={`${base}/leaderboard?unit=${d.parent.parentId}`}>{t('contests.board.up')}</Link>
        </p>
      ) : null}
      <p className="muted">{t('contests.board.intro')}</p>
      {d.rows.length === 0 ? (
        <p>{t('contests.board.empty')}</p>
      ) : (
        <ScrollRegion labelledBy="board-caption">
          <table className="data">
            <caption id="board-caption">{t('contests.board.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('contests.board.unit')}</th>
                <th scope="col">{t('contests.board.entrants')}</th>
                <th scope="col">{t('contests.board.rate')}</th>
                <th scope="col">{t('contests.board.average')}</th>
                <th scope="col">{t('contests.board.prizes')}</th>
                <th scope="col">{t('contests.board.collective')}</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr key={r.unitId}>
                  <th scope="row">{r.hasChildren ? <Link to={`${base}/leaderboard?unit=${r.unitId}`}>{r.name}</Link> : r.name}</th>
                  <td>{r.entrants}</td>
                  <td>{r.rate == null ? '—' : `${r.rate}%`}</td>
                  <td>{r.averageScore ?? '—'}</td>
                  <td>{r.prizes}</td>
                  <td>{r.collective}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </>
  );
}
