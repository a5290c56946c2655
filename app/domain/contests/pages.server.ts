/** Page queries of the contests area: one call per loader. */
import type { DB } from '~/lib/db.server';

import { type Contest, contestAccess } from './access.server';
import { myAttempts } from './attempts.server';
import { bankSummary } from './bank.server';
import { eligibleUnits, entrantOf, prizesOf, roundPhase, roundsOf } from './contests.server';
import { isJudge } from './jury.server';
import { overallPreview, overallResults } from './overall.server';
import { type LiveCounters, liveCounters, myRank, roundRanking, roundWinners } from './results.server';
import { unitWinners } from './unit-prizes.server';

export type PageAccess<T> = { status: 'missing' | 'hidden' | 'forbidden' } | ({ status: 'ok' } & T);

export async function contestPage(
  db: DB,
  slug: string,
  userId: string | null,
  now = new Date(),
): Promise<PageAccess<Awaited<ReturnType<typeof pageBody>>>> {
  const a = await contestAccess(db, { slug }, userId);
  if (a.status !== 'ok') return a;
  return { status: 'ok', ...(await pageBody(db, a.contest, a.canManage, userId, now)) };
}

async function pageBody(db: DB, contest: Contest, canManage: boolean, userId: string | null, now: Date) {
  const [unit, rounds, prizes, entrant, units] = await Promise.all([
    db.selectFrom('units').select(['id', 'name', 'name_en']).where('id', '=', contest.unit_id).executeTakeFirstOrThrow(),
    roundsOf(db, contest.id),
    prizesOf(db, contest.id),
    userId ? entrantOf(db, contest.id, userId) : Promise.resolve(undefined),
    userId ? eligibleUnits(db, contest) : Promise.resolve([]),
  ]);
  const roundViews = await Promise.all(
    rounds.map(async (r) => {
      const phase = roundPhase(r, now);
      const counters: LiveCounters | null = phase === 'open' ? await liveCounters(db, r.id, now.getTime()) : null;
      const mine = userId ? await myAttempts(db, r.id, userId) : [];
      return {
        id: r.id,
        title: r.title,
        kind: r.kind,
        opensAt: r.opens_at,
        closesAt: r.closes_at,
        timeLimitS: r.time_limit_s,
        phase,
        published: r.results_status === 'published',
        counters,
        myAttempts: mine.length,
        inProgress: mine.some((m) => m.status === 'in_progress'),
        // A submission round's judges get a way to their queue from the contest page.
        judge: r.kind === 'submission' && userId ? await isJudge(db, r.id, userId) : false,
      };
    }),
  );
  return {
    contest,
    canManage,
    unit,
    rounds: roundViews,
    prizes,
    entrant: entrant ?? null,
    units,
  };
}

/**
 * The live counters of a contest's open rounds, for the contest page's script to refresh what the
 * page showed when rendered (the page itself may come from the page cache): the figures of
 * `liveCounters`, kept LIVE_COUNTERS_TTL_S per process, behind the page's own access rule.
 */
export async function contestCounters(db: DB, slug: string, userId: string | null, now = new Date()) {
  const a = await contestAccess(db, { slug }, userId);
  if (a.status !== 'ok') return a;
  const open = (await roundsOf(db, a.contest.id)).filter((r) => roundPhase(r, now) === 'open');
  const rounds = await Promise.all(open.map(async (r) => ({ id: r.id, counters: await liveCounters(db, r.id, now.getTime()) })));
  return { status: 'ok' as const, rounds };
}

/** The round page: the entrant's attempts and the one shown (the open one, or the latest). */
export async function roundPage(db: DB, slug: string, roundId: string, userId: string) {
  const a = await contestAccess(db, { slug }, userId);
  if (a.status !== 'ok') return a;
  const round = await db
    .selectFrom('contest_rounds')
    .selectAll()
    .where('id', '=', roundId)
    .where('contest_id', '=', a.contest.id)
    .executeTakeFirst();
  if (!round) return { status: 'missing' as const };
  const entrant = await entrantOf(db, a.contest.id, userId);
  const attempts = await myAttempts(db, roundId, userId);
  return { status: 'ok' as const, contest: a.contest, round, entrant: entrant ?? null, attempts };
}

export async function resultsPage(db: DB, slug: string, roundId: string, userId: string | null, now = new Date()) {
  const a = await contestAccess(db, { slug }, userId);
  if (a.status !== 'ok') return a;
  const round = await db
    .selectFrom('contest_rounds')
    .selectAll()
    .where('id', '=', roundId)
    .where('contest_id', '=', a.contest.id)
    .executeTakeFirst();
  if (!round) return { status: 'missing' as const };
  const [winners, mine, units] = await Promise.all([
    roundWinners(db, round, now),
    userId ? myRank(db, roundId, userId) : Promise.resolve(null),
    round.results_status === 'published' ? unitWinners(db, a.contest.id, round.id) : Promise.resolve([]),
  ]);
  return { status: 'ok' as const, contest: a.contest, round, winners, mine, units };
}

export async function managePage(db: DB, slug: string, userId: string) {
  const a = await contestAccess(db, { slug }, userId);
  if (a.status !== 'ok') return a;
  if (!a.canManage) return { status: 'forbidden' as const };
  const [rounds, prizes, bank, units, figures] = await Promise.all([
    roundsOf(db, a.contest.id),
    prizesOf(db, a.contest.id),
    bankSummary(db, a.contest.id),
    eligibleUnits(db, a.contest),
    db
      .selectFrom('contest_unit_figures as f')
      .innerJoin('units as u', 'u.id', 'f.unit_id')
      .select(['u.name', 'f.population'])
      .where('f.contest_id', '=', a.contest.id)
      .orderBy('u.name')
      .execute(),
  ]);
  const rankings = await Promise.all(
    rounds.map(async (r) => ({ roundId: r.id, rows: r.results_status === 'none' ? [] : await roundRanking(db, r.id, 50) })),
  );
  const overall = a.contest.overall_status === 'none' ? null : await overallPreview(db, a.contest.id, 50);
  // The levels of the eligible subtree, for unit prizes: 1 = right under the eligible unit.
  const top = units.find((u) => u.id === a.contest.eligible_unit_id)?.depth ?? 0;
  const levels: Array<{ level: number; example: string }> = [];
  for (const u of units)
    if (u.depth > top && !levels.some((l) => l.level === u.depth - top)) levels.push({ level: u.depth - top, example: u.name });
  return { status: 'ok' as const, contest: a.contest, rounds, prizes, bank, units, figures, rankings, overall, levels };
}

/** The contest-wide results page: overall and unit prize winners, and the viewer's own overall rank. */
export async function overallPage(db: DB, slug: string, userId: string | null, now = new Date()) {
  const a = await contestAccess(db, { slug }, userId);
  if (a.status !== 'ok') return a;
  return { status: 'ok' as const, contest: a.contest, results: await overallResults(db, a.contest, userId, now) };
}
