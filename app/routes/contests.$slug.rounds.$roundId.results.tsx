import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { MyRank } from '~/components/contests/MyRank';
import { formatDuration } from '~/components/contests/RoundPhase';
import { UnitWinners } from '~/components/contests/UnitWinners';
import { ScrollRegion } from '~/components/ScrollRegion';
import { resultsPage } from '~/domain/contests/pages.server';
import { useT } from '~/i18n/i18n';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import styles from '~/styles/contests.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.round.title} · ${data.contest.title}` }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const p = await resultsPage(getDb(), params.slug!, params.roundId!, user?.id ?? null);
  if (p.status !== 'ok') notFound();
  return json({
    contest: { slug: p.contest.slug, title: p.contest.title },
    round: { id: p.round.id, title: p.round.title, published: p.round.results_status === 'published', realFigure: p.round.real_figure },
    winners: p.winners,
    units: p.units,
    mine: p.mine,
    signedIn: !!user,
  });
}

export default function RoundResults() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  const base = `/contests/${d.contest.slug}`;
  return (
    <>
      <Breadcrumb
        items={[{ to: '/contests', label: t('contests.list.title') }, { to: base, label: d.contest.title }, { label: d.round.title }]}
      />
      <h1>{t('contests.results.title', { round: d.round.title })}</h1>
      {!d.round.published ? (
        <p>{t('contests.page.awaitResults')}</p>
      ) : (
        <>
          <p>{t('contests.results.realFigure', { n: d.round.realFigure ?? 0 })}</p>
          {d.mine ? (
            <MyRank
              title={t('contests.results.mine', { rank: d.mine.rank, of: d.mine.of })}
              first={t('contests.results.why.first')}
              mine={d.mine}
            />
          ) : d.signedIn ? (
            <p>{t('contests.results.notRanked')}</p>
          ) : null}
          <section aria-labelledby="winners-h">
            <h2 id="winners-h">{t('contests.results.winners')}</h2>
            {d.winners.length === 0 ? (
              <p>{t('contests.results.noWinners')}</p>
            ) : (
              <ScrollRegion labelledBy="winners-h">
                <table className="data">
                  <thead>
                    <tr>
                      <th scope="col">{t('contests.results.rank')}</th>
                      <th scope="col">{t('contests.results.prize')}</th>
                      <th scope="col">{t('contests.results.name')}</th>
                      <th scope="col">{t('contests.results.unit')}</th>
                      <th scope="col">{t('contests.results.score')}</th>
                      <th scope="col">{t('contests.results.time')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.winners.map((w, i) => (
                      <tr key={i}>
                        <td>{w.rank}</td>
                        <td>{w.prize}</td>
                        <td>{w.name}</td>
                        <td>{w.unit}</td>
                        <td>{w.score == null ? '—' : `${w.score}/${w.maxScore}`}</td>
                        <td>{formatDuration(w.durationMs)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            )}
            <p className="muted">{t('contests.results.childNote')}</p>
          </section>
          <UnitWinners units={d.units} />
        </>
      )}
      <p>
        <Link to={`${base}/leaderboard`}>{t('contests.page.leaderboard')}</Link>
      </p>
    </>
  );
}
