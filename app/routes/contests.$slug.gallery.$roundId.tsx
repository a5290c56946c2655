import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { EntryPlayer } from '~/components/contests/EntryPlayer';
import { ScrollRegion } from '~/components/ScrollRegion';
import { galleryPage } from '~/domain/contests/entries-pages.server';
import { asGalleryView } from '~/domain/contests/gallery-shell.server';
import { castVote } from '~/domain/contests/votes.server';
import { voteSchema } from '~/forms/contest-entries';
import { useT } from '~/i18n/i18n';
import { asKey } from '~/i18n/keys';
import { clientIp, getUser, requireUser } from '~/lib/auth.server';
import { galleryPageHeaders } from '~/lib/contests-http.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { entryFailures } from '~/lib/failures/contest-entries.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import { shellView } from '~/lib/shell-identity.server';
import styles from '~/styles/contests.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.round.title} · ${data.contest.title}` }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const page = Number(new URL(request.url).searchParams.get('page')) || 1;
  // A shared signed-in render (app/domain/contests/gallery-shell.server.ts) sees the captured votes.
  const view = asGalleryView(shellView(request));
  const p = await galleryPage(getDb(), params.slug!, params.roundId!, user?.id ?? null, new Date(), page, view);
  if (p.status !== 'ok') notFound();
  return json(
    {
      contest: { slug: p.contest.slug, title: p.contest.title },
      round: {
        id: p.round.id,
        title: p.round.title,
        voting: !!p.round.voting,
        voteOpensAt: p.round.vote_opens_at,
        voteClosesAt: p.round.vote_closes_at,
      },
      votingOpen: p.votingOpen,
      page: p.page,
      pages: p.pages,
      total: p.total,
      entries: p.entries,
      results: p.results,
      peoplesChoice: p.peoplesChoice,
      signedIn: !!user,
      asOf: new Date().toISOString(),
    },
    { headers: galleryPageHeaders(p.round) },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const p = await galleryPage(db, params.slug!, params.roundId!, user.id);
  if (p.status !== 'ok') notFound();
  const parsed = parseForm(voteSchema, await request.formData());
  if (!parsed.ok) return badRequest({ entryId: '', message: 'errors.invalid', params: {} as Record<string, string | number> });
  const r = await castVote(db, { userId: user.id, entryId: parsed.data.entry_id, ip: clientIp(request) });
  if (!r.ok)
    return json(
      {
        entryId: parsed.data.entry_id,
        message: entryFailures[r.code].message as string,
        params: (r.detail ?? {}) as Record<string, string | number>,
      },
      { status: entryFailures[r.code].status },
    );
  const page = Number(new URL(request.url).searchParams.get('page')) || 1;
  return redirectWithFlash(`/contests/${p.contest.slug}/gallery/${p.round.id}${page > 1 ? `?page=${page}` : ''}`, {
    message: r.value.status === 'held' ? 'contests.entries.flash.voteHeld' : 'contests.entries.flash.voted',
  });
}

export default function Gallery() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const base = `/contests/${d.contest.slug}`;
  return (
    <>
      <Breadcrumb
        items={[{ to: '/contests', label: t('contests.list.title') }, { to: base, label: d.contest.title }, { label: d.round.title }]}
      />
      <h1>{t('contests.entries.gallery.title', { round: d.round.title })}</h1>
      {d.round.voting && d.round.voteOpensAt && d.round.voteClosesAt ? (
        <p>
          {t('contests.entries.gallery.voteWindow', {
            from: formatDateTime(d.round.voteOpensAt),
            to: formatDateTime(d.round.voteClosesAt),
          })}
        </p>
      ) : null}
      {d.votingOpen ? <p>{t('contests.entries.gallery.votesAsOf', { time: formatDateTime(d.asOf) })}</p> : null}
      {d.entries.length === 0 ? (
        <p>{t('contests.entries.gallery.none')}</p>
      ) : (
        <ul className="entry-gallery">
          {d.entries.map((e) => (
            <li key={e.id} className="card">
              <h2>{e.title}</h2>
              <p>
                {e.unit}
                {e.prize ? ` · ${e.prize}` : null}
              </p>
              {e.peoplesChoice && d.peoplesChoice ? (
                <p>
                  <strong>{t('contests.entries.gallery.peoplesChoice', { label: d.peoplesChoice.label })}</strong>
                </p>
              ) : null}
              <EntryPlayer src={`${base}/entries/${e.id}/media`} mime={e.mime} label={e.title} />
              {e.bodyText ? <p>{e.bodyText}</p> : null}
              {d.round.voting ? <p>{t('contests.entries.gallery.votes', { count: e.votes })}</p> : null}
              {a && a.entryId === e.id ? (
                <p className="field-error" role="alert">
                  {t(asKey(a.message), a.params)}
                </p>
              ) : null}
              {d.votingOpen ? (
                e.voted ? (
                  <p>{t('contests.entries.gallery.voted')}</p>
                ) : d.signedIn ? (
                  <Form method="post" action={d.page > 1 ? `?page=${d.page}` : undefined}>
                    <input type="hidden" name="entry_id" value={e.id} />
                    <button type="submit" className="button" aria-label={`${t('contests.entries.gallery.vote')}: ${e.title}`}>
                      {t('contests.entries.gallery.vote')}
                    </button>
                  </Form>
                ) : (
                  <Link to={`/login?redirectTo=${encodeURIComponent(`${base}/gallery/${d.round.id}`)}`}>
                    {t('contests.entries.gallery.signIn')}
                  </Link>
                )
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {d.pages > 1 ? (
        <nav aria-label={t('contests.entries.gallery.pager')}>
          <p>
            {d.page > 1 ? <Link to={`?page=${d.page - 1}`}>{t('contests.entries.gallery.prev')}</Link> : null}{' '}
            {t('contests.entries.gallery.pageOf', { page: d.page, pages: d.pages, total: d.total })}{' '}
            {d.page < d.pages ? <Link to={`?page=${d.page + 1}`}>{t('contests.entries.gallery.next')}</Link> : null}
          </p>
        </nav>
      ) : null}
      <section aria-labelledby="results-h">
        <h2 id="results-h">{t('contests.entries.gallery.results', { round: d.round.title })}</h2>
        {!d.results ? (
          <p>{t('contests.entries.gallery.noResults')}</p>
        ) : (
          <ScrollRegion label={t('contests.entries.gallery.results', { round: d.round.title })}>
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t('contests.entries.manage.rank')}</th>
                  <th scope="col">{t('contests.entries.manage.entrant')}</th>
                  <th scope="col">{t('contests.entries.manage.unit')}</th>
                  <th scope="col">{t('contests.entries.manage.score')}</th>
                  <th scope="col">{t('contests.entries.manage.prize')}</th>
                  <th scope="col">{t('contests.entries.manage.advanced')}</th>
                </tr>
              </thead>
              <tbody>
                {d.results.map((r) => (
                  <tr key={r.entryId}>
                    <td>{r.rank}</td>
                    <td>{r.name}</td>
                    <td>{r.unit}</td>
                    <td>{r.score}</td>
                    <td>{r.prize ?? '—'}</td>
                    <td>{r.advanced ? '✓' : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>
      {d.results && d.peoplesChoice ? (
        <section aria-labelledby="choice-h">
          <h2 id="choice-h">{t('contests.entries.gallery.peoplesChoice', { label: d.peoplesChoice.label })}</h2>
          {d.peoplesChoice.winners.length === 0 ? (
            <p>{t('contests.entries.gallery.peoplesChoiceNone')}</p>
          ) : (
            <ul>
              {d.peoplesChoice.winners.map((w) => (
                <li key={w.entryId}>
                  {[w.title, w.name].filter(Boolean).join(' · ')} · {t('contests.entries.gallery.votes', { count: w.votes })}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </>
  );
}
