import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { MyRank } from '~/components/contests/MyRank';
import { formatDuration } from '~/components/contests/RoundPhase';
import { UnitWinners } from '~/components/contests/UnitWinners';
import { ScrollRegion } from '~/components/ScrollRegion';
import { overallPage } from '~/domain/contests/pages.server';
import { useT } from '~/i18n/i18n';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import styles from '~/styles/contests.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.contest.title }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const p = await overallPage(getDb(), params.slug!, user?.id ?? null);
  if (p.status !== 'ok') notFound();
  return json({ contest: { slug: p.contest.slug, title: p.contest.title }, results: p.results, signedIn: !!user });
}

/** The contest-wide results: overall winners, unit prizes, and the viewer's own overall rank and why. */
export default function ContestResults() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  const base = `/contests/${d.contest.slug}`;
  const r = d.results;
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/contests', label: t('contests.list.title') },
          { to: base, label: d.contest.title },
          { label: t('contests.overall.results') },
        ]}
      />
      <h1>{t('contests.overall.pageTitle', { title: d.contest.title })}</h1>
      {!r ? (
        <p>{t('contests.overall.notPublished')}</p>
      ) : (
        <>
          <p>{r.bestRounds ? t('contests.overall.ruleBest', { n: r.bestRounds }) : t('contests.overall.ruleAll')}</p>
          {r.mine ? (
            <MyRank
              title={t('contests.overall.mine', { rank: r.mine.rank, of: r.mine.of })}
              first={t('contests.overall.first')}
              extra={
                <>
                  <dt>{t('contests.overall.roundsCounted')}</dt>
                  <dd>{r.mine.rounds}</dd>
                </>
              }
              mine={r.mine}
            />
          ) : d.signedIn ? (
            <p>{t('contests.overall.notRanked')}</p>
          ) : null}
          <section aria-labelledby="winners-h">
            <h2 id="winners-h">{t('contests.results.winners')}</h2>
            {r.winners.length === 0 ? (
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
                      <th scope="col">{t('contests.overall.rounds')}</th>
                      <th scope="col">{t('contests.results.score')}</th>
                      <th scope="col">{t('contests.results.time')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.winners.map((w, i) => (
                      <tr key={i}>
                        <td>{w.rank}</td>
                        <td>{w.prize}</td>
                        <td>{w.name}</td>
                        <td>{w.unit}</td>
                        <td>{w.rounds}</td>
                        <td>{w.score == null ? '—' : `${w.score}/${w.maxScore}`}</td>
                        <td>{w.durationMs == null ? '—' : formatDuration(w.durationMs)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            )}
            <p className="muted">{t('contests.results.childNote')}</p>
          </section>
          <UnitWinners units={r.units} />
        </>
      )}
      <p>
        <Link to={`${base}/leaderboard`}>{t('contests.page.leaderboard')}</Link>
      </p>
    </>
  );
}
