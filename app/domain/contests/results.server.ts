/**
 * Results of a round: the real prediction figure, every entrant's best attempt ranked by the
 * contest's rule, prizes proposed by rank, then confirmed (published) by an organiser who may
 * disqualify entries with a logged reason. Also integrity flags, unit leaderboards through the
 * hierarchy, live counters and the public pages' queries.
 */
import { sql } from 'kysely';

import { isPostgres, toNumber, withMemoryMap, writeTransaction } from '~/db/dialect';
import { issueContestCertificate } from '~/domain/courses/progress.server';
import { awardBadgesOnPublish } from '~/domain/honours/contest-badges.server';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { cachedData } from '~/lib/page-cache.server';
import { err, ok, type Result } from '~/lib/result';

import { ageFromBirthYear, requireManager } from './access.server';
import { finaliseExpired } from './attempts.server';
import { contestChanged, contestDeps } from './cache.server';
import { roundPhase } from './contests.server';
import { quizResultColumns, table } from './export-rows';
import { compareEntries, decidingStep, parseRanking, rankEntries, type RankStep } from './ranking';
import { confirmRoundUnitAwards, proposeRoundUnitAwards, refreshUnitTotals, unitFigures } from './unit-prizes.server';

export { type UnitFigures, unitFigures } from './unit-prizes.server';

type RoundRow = { id: string; contest_id: string; closes_at: string; opens_at: string; results_status: string };

async function managedRound(db: DB, userId: string, roundId: string) {
  const r = await db.selectFrom('contest_rounds').selectAll().where('id', '=', roundId).executeTakeFirst();
  if (!r) return err('not_found' as const);
  const c = await requireManager(db, r.contest_id, userId);
  if (!c.ok) return c;
  return ok({ round: r, contest: c.value });
}

export interface Candidate {
  attemptId: string;
  userId: string;
  unitId: string;
  score: number;
  maxScore: number;
  prediction: number | null;
  predictionGap: number | null;
  durationMs: number;
  submittedAt: string;
}

/**
 * The real figure of the prediction question: entrants whose best attempt is all correct
 * ('perfect') or entrants who submitted ('participants'); disqualified attempts don't count.
 */
export function realFigure(kind: 'perfect' | 'participants', attempts: Array<{ userId: string; score: number; maxScore: number }>): number {
  const users = new Set<string>();
  for (const a of attempts) if (kind === 'participants' || (a.maxScore > 0 && a.score === a.maxScore)) users.add(a.userId);
  return users.size;
}

/** Computes the real figure and the ranking of a round (no writes): what publishing would store. */
export async function computeRound(db: DB, roundId: string) {
  const r = await db
    .selectFrom('contest_rounds as r')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .select(['r.id', 'r.contest_id', 'c.ranking_json', 'c.prediction_kind'])
    .where('r.id', '=', roundId)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('contest_attempts as a')
    .innerJoin('contest_entrants as e', 'e.id', 'a.entrant_id')
    .select(['a.id', 'a.user_id', 'e.unit_id', 'a.score', 'a.max_score', 'a.prediction', 'a.duration_ms', 'a.submitted_at'])
    .where('a.round_id', '=', roundId)
    .where('a.status', '=', 'submitted')
    .where('a.disqualified_at', 'is', null)
    .execute();
  const attempts = rows.map((a) => ({
    attemptId: a.id,
    userId: a.user_id,
    unitId: a.unit_id,
    score: a.score ?? 0,
    maxScore: a.max_score ?? 0,
    prediction: a.prediction,
    durationMs: a.duration_ms ?? 0,
    submittedAt: a.submitted_at ?? '',
  }));
  const rule = parseRanking(r.ranking_json);
  // The figure counts each entrant by their best score (any attempt all correct counts them once).
  const figure = realFigure(r.prediction_kind, attempts);
  const withGap: Candidate[] = attempts.map((a) => ({
    ...a,
    predictionGap: a.prediction == null ? null : Math.abs(a.prediction - figure),
  }));
  // Best of N: each entrant's best attempt under the same rule.
  const best = new Map<string, Candidate>();
  for (const a of withGap) {
    const cur = best.get(a.userId);
    if (!cur || compareEntries(rule, a, cur) < 0 || (compareEntries(rule, a, cur) === 0 && a.attemptId < cur.attemptId))
      best.set(a.userId, a);
  }
  const ranked = rankEntries(rule, [...best.values()], (e) => e.userId);
  return { figure, rule, ranked };
}

/** Each ranking step as SQL over the candidate columns (`gap` is null without a prediction). */
function stepSql(step: RankStep, pg: boolean): string {
  switch (step) {
    case 'score':
      return 'score desc';
    case 'prediction':
      return 'case when gap is null then 1 else 0 end, gap';
    case 'time':
      return 'duration_ms';
    case 'submitted':
      return pg ? 'submitted_at collate "C"' : 'submitted_at';
  }
}

/**
 * What `computeRound` computes, done by the database in set-based statements (issue #14: 500,000
 * attempts): the real figure in one aggregate, then one INSERT … SELECT that keeps each entrant's
 * best attempt (ROW_NUMBER under the rule, the smaller attempt id on a full tie), ranks them with
 * RANK() under the same rule (competition ranking: ties share a rank, the next skips) and picks the
 * round's prize by rank. No row travels through JavaScript. Returns the figure and the ranked count.
 */
async function rankRoundInSql(db: DB, roundId: string, keepPublished: boolean): Promise<{ figure: number; ranked: number }> {
  const r = await db
    .selectFrom('contest_rounds as r')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .select(['c.ranking_json', 'c.prediction_kind', 'r.contest_id'])
    .where('r.id', '=', roundId)
    .executeTakeFirstOrThrow();
  const pg = isPostgres(db);
  const rule = parseRanking(r.ranking_json);
  const order = rule.filter((x) => x.on).map((x) => stepSql(x.step, pg));
  const idOrder = pg ? 'id collate "C"' : 'id';
  const fig = await db
    .selectFrom('contest_attempts')
    .select(sql<number>`count(distinct user_id)`.as('n'))
    .where('round_id', '=', roundId)
    .where('status', '=', 'submitted')
    .where('disqualified_at', 'is', null)
    .$if(r.prediction_kind === 'perfect', (qb) =>
      qb.where(sql<boolean>`coalesce(max_score, 0) > 0 and coalesce(score, 0) = coalesce(max_score, 0)`),
    )
    .executeTakeFirstOrThrow();
  const figure = toNumber(fig.n);
  await writeTransaction(db, async (trx) => {
    await trx.deleteFrom('contest_results').where('round_id', '=', roundId).execute();
    // Two parts of the statement only when they can change its result (at 500,000 attempts each
    // costs about a second): the best-of-N pass when someone has a second attempt in the round
    // (else each entrant's one attempt is their best), the prize lookup when the round has prizes by rank.
    const several = await trx
      .selectFrom('contest_attempts')
      .select('id')
      .where('round_id', '=', roundId)
      .where('attempt_no', '>', 1)
      .limit(1)
      .executeTakeFirst();
    const byRank = await trx
      .selectFrom('contest_prizes')
      .select('id')
      .where('round_id', '=', roundId)
      .where('basis', 'is', null)
      .limit(1)
      .executeTakeFirst();
    const candidates = sql`
      select a.id, a.user_id, e.unit_id, coalesce(a.score, 0) as score, coalesce(a.max_score, 0) as max_score,
        case when a.prediction is null then null else abs(a.prediction - ${figure}) end as gap,
        coalesce(a.duration_ms, 0) as duration_ms, coalesce(a.submitted_at, '') as submitted_at
      from contest_attempts a
      join contest_entrants e on e.id = a.entrant_id
      where a.round_id = ${roundId} and a.status = 'submitted' and a.disqualified_at is null`;
    const best = several
      ? sql`
        select b.* from (
          select c.*, row_number() over (partition by user_id order by ${sql.raw([...order, idOrder].join(', '))}) as best
          from (${candidates}) c
        ) b
        where b.best = 1`
      : candidates;
    const prize = byRank
      ? sql`(select p.id from contest_prizes p
          where p.round_id = ${roundId} and p.basis is null and rnk between p.rank_from and p.rank_to
          order by p.rank_from limit 1)`
      : sql`null`;
    await sql`
      insert into contest_results
        (round_id, user_id, attempt_id, unit_id, rank, score, max_score, prediction_gap, duration_ms, submitted_at, prize_id)
      select ${roundId}, user_id, id, unit_id, rnk, score, max_score, gap, duration_ms, submitted_at, ${prize}
      from (
        select k.*, rank() over (${sql.raw(order.length ? `order by ${order.join(', ')}` : '')}) as rnk
        from (${best}) k
      ) ranked`.execute(trx);
    await trx
      .updateTable('contest_rounds')
      .set({ real_figure: figure, results_status: keepPublished ? 'published' : 'proposed' })
      .where('id', '=', roundId)
      .execute();
    // The unit leaderboards' stored totals, in the same transaction as the results they sum.
    await refreshUnitTotals(trx, r.contest_id, roundId);
    if (keepPublished) await refreshUnitTotals(trx, r.contest_id, null);
  });
  const n = await db
    .selectFrom('contest_results')
    .select(sql<number>`count(*)`.as('n'))
    .where('round_id', '=', roundId)
    .executeTakeFirstOrThrow();
  return { figure, ranked: toNumber(n.n) };
}

export type PublishError = 'not_found' | 'forbidden' | 'not_closed' | 'not_proposed';

/**
 * Step 1 (organiser): after the round closes, submits leftover open attempts, computes the real
 * figure, ranks every entrant and proposes the prizes by rank. Re-running recomputes the proposal.
 */
export async function proposeResults(
  db: DB,
  userId: string,
  roundId: string,
  now = new Date(),
): Promise<Result<{ figure: number; ranked: number }, PublishError>> {
  const m = await managedRound(db, userId, roundId);
  if (!m.ok) return m;
  if (roundPhase(m.value.round, now) !== 'closed') return err('not_closed');
  // Finalising, flagging and ranking read the round's every attempt: through a memory map of the file (db/dialect.ts).
  const { figure, ranked } = await withMemoryMap(db, async () => {
    await finaliseExpired(db, roundId, new Date(Math.max(now.getTime(), new Date(m.value.round.closes_at).getTime() + 3600_000)));
    await detectFlags(db, roundId);
    const r = await rankRoundInSql(db, roundId, m.value.round.results_status === 'published');
    await proposeRoundUnitAwards(db, roundId);
    return r;
  });
  await audit(db, m.value.contest.id, roundId, userId, 'propose', null, `figure=${figure}; ranked=${ranked}`);
  await contestChanged(db, m.value.contest.id);
  return ok({ figure, ranked });
}

/** Step 2 (organiser): confirms the proposal: results become public, winners get certificates. */
export async function confirmResults(
  db: DB,
  userId: string,
  roundId: string,
  now = new Date(),
): Promise<Result<{ certificates: number }, PublishError>> {
  const m = await managedRound(db, userId, roundId);
  if (!m.ok) return m;
  if (m.value.round.results_status === 'none') return err('not_proposed');
  await withMemoryMap(db, () =>
    writeTransaction(db, async (trx) => {
      await trx
        .updateTable('contest_rounds')
        .set({ results_status: 'published', published_at: now.toISOString(), published_by: userId })
        .where('id', '=', roundId)
        .execute();
      await refreshUnitTotals(trx, m.value.contest.id, null);
    }),
  );
  const winners = await db
    .selectFrom('contest_results as r')
    .innerJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .select(['r.user_id', 'p.label'])
    .where('r.round_id', '=', roundId)
    .execute();
  for (const w of winners) await issueContestCertificate(db, roundId, w.user_id, w.label);
  await confirmRoundUnitAwards(db, roundId, now);
  await awardBadgesOnPublish(db, userId, m.value.contest.id, now); // issue #16: the winners' Open Badges, unless the contest turned it off
  await audit(db, m.value.contest.id, roundId, userId, 'publish', null, `winners=${winners.length}`);
  await contestChanged(db, m.value.contest.id);
  return ok({ certificates: winners.length });
}

/** Proposes and confirms in one step (the organiser's "publish results" button). */
export async function publishResults(db: DB, userId: string, roundId: string, now = new Date()) {
  const p = await proposeResults(db, userId, roundId, now);
  if (!p.ok) return p;
  const c = await confirmResults(db, userId, roundId, now);
  if (!c.ok) return c;
  return ok({ ...p.value, ...c.value });
}

/** Disqualifies every attempt of an entrant in a round, with a logged reason, and re-ranks if results exist. */
export async function disqualify(
  db: DB,
  userId: string,
  roundId: string,
  entrantUserId: string,
  reason: string,
  now = new Date(),
): Promise<Result<undefined, PublishError | 'reason_required'>> {
  const m = await managedRound(db, userId, roundId);
  if (!m.ok) return m;
  if (!reason.trim()) return err('reason_required');
  await db
    .updateTable('contest_attempts')
    .set({ disqualified_at: now.toISOString(), disqualified_reason: reason.trim() })
    .where('round_id', '=', roundId)
    .where('user_id', '=', entrantUserId)
    .execute();
  await audit(db, m.value.contest.id, roundId, userId, 'disqualify', entrantUserId, reason.trim());
  if (m.value.round.results_status !== 'none') {
    const p = await proposeResults(db, userId, roundId, now);
    if (!p.ok) return p;
    await db
      .updateTable('contest_certificates')
      .set({ revoked_at: now.toISOString(), revoked_reason: reason.trim() })
      .where('round_id', '=', roundId)
      .where('user_id', '=', entrantUserId)
      .execute();
  }
  return ok();
}

export async function audit(
  db: DB,
  contestId: string,
  roundId: string | null,
  actorId: string | null,
  action: string,
  target: string | null,
  reason: string,
) {
  await db
    .insertInto('contest_audit')
    .values({
      id: newId(),
      contest_id: contestId,
      round_id: roundId,
      actor_id: actorId,
      action,
      target_user_id: target,
      reason,
      created_at: new Date().toISOString(),
    })
    .execute();
}

/* ---------------- integrity ---------------- */

export const NEAR_MS = 5_000;

/**
 * Flags for review (never bans): impossible times (under the contest's minimum) and groups of
 * attempts with identical answer sets whose times taken are within NEAR_MS of each other.
 * Recomputed from scratch; also written to the audit list.
 */
export async function detectFlags(db: DB, roundId: string): Promise<number> {
  const r = await db
    .selectFrom('contest_rounds as r')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .select(['c.id as contest_id', 'c.min_seconds'])
    .where('r.id', '=', roundId)
    .executeTakeFirstOrThrow();
  const attempts = await db
    .selectFrom('contest_attempts')
    .select(['id', 'user_id', 'duration_ms', 'answers_sig', 'score'])
    .where('round_id', '=', roundId)
    .where('status', '=', 'submitted')
    .execute();
  const flags: Array<{ kind: 'identical' | 'too_fast'; ids: string[]; detail: string }> = [];
  for (const a of attempts) {
    if ((a.duration_ms ?? 0) < r.min_seconds * 1000)
      flags.push({ kind: 'too_fast', ids: [a.id], detail: `${Math.round((a.duration_ms ?? 0) / 1000)}s < ${r.min_seconds}s` });
  }
  const bySig = new Map<string, typeof attempts>();
  for (const a of attempts) {
    if (!a.answers_sig) continue;
    const g = bySig.get(a.answers_sig) ?? [];
    g.push(a);
    bySig.set(a.answers_sig, g);
  }
  for (const group of bySig.values()) {
    const users = new Set(group.map((g) => g.user_id));
    if (users.size < 2) continue;
    group.sort((x, y) => (x.duration_ms ?? 0) - (y.duration_ms ?? 0));
    let cluster = [group[0]!];
    const flush = () => {
      if (new Set(cluster.map((c) => c.user_id)).size >= 2)
        flags.push({
          kind: 'identical',
          ids: cluster.map((c) => c.id),
          detail: `${cluster.length} × ${Math.round((cluster[0]!.duration_ms ?? 0) / 1000)}–${Math.round((cluster.at(-1)!.duration_ms ?? 0) / 1000)}s`,
        });
    };
    for (const a of group.slice(1)) {
      if ((a.duration_ms ?? 0) - (cluster.at(-1)!.duration_ms ?? 0) <= NEAR_MS) cluster.push(a);
      else {
        flush();
        cluster = [a];
      }
    }
    flush();
  }
  const now = new Date().toISOString();
  await writeTransaction(db, async (trx) => {
    await trx.deleteFrom('contest_flags').where('round_id', '=', roundId).execute();
    // 500 rows a statement (issue #14: a round of 500,000 attempts may flag thousands), not one each.
    for (let i = 0; i < flags.length; i += 500)
      await trx
        .insertInto('contest_flags')
        .values(
          flags.slice(i, i + 500).map((f) => ({
            id: newId(),
            round_id: roundId,
            kind: f.kind,
            attempt_ids_json: JSON.stringify(f.ids),
            detail: f.detail,
            created_at: now,
          })),
        )
        .execute();
  });
  if (flags.length) await audit(db, r.contest_id, roundId, null, 'flags', null, `${flags.length}`);
  return flags.length;
}

/** The organiser's audit list: flags (with the entrants concerned) and every logged decision. */
export async function auditList(db: DB, userId: string, contestId: string) {
  const c = await requireManager(db, contestId, userId);
  if (!c.ok) return c;
  const flags = await db
    .selectFrom('contest_flags as f')
    .innerJoin('contest_rounds as r', 'r.id', 'f.round_id')
    .select(['f.id', 'f.kind', 'f.attempt_ids_json', 'f.detail', 'f.created_at', 'r.title as round_title', 'r.id as round_id'])
    .where('r.contest_id', '=', contestId)
    .orderBy('f.created_at', 'desc')
    .execute();
  const attemptIds = flags.flatMap((f) => JSON.parse(f.attempt_ids_json) as string[]);
  const names = attemptIds.length
    ? await db
        .selectFrom('contest_attempts as a')
        .innerJoin('contest_entrants as e', 'e.id', 'a.entrant_id')
        .select(['a.id', 'a.user_id', 'e.full_name', 'a.disqualified_at'])
        .where('a.id', 'in', attemptIds)
        .execute()
    : [];
  const byId = new Map(names.map((n) => [n.id, n]));
  const log = await db
    .selectFrom('contest_audit as l')
    .leftJoin('users as u', 'u.id', 'l.actor_id')
    .leftJoin('contest_entrants as e', (j) => j.onRef('e.user_id', '=', 'l.target_user_id').on('e.contest_id', '=', contestId))
    .select(['l.id', 'l.action', 'l.reason', 'l.created_at', 'u.display_name as actor', 'e.full_name as target'])
    .where('l.contest_id', '=', contestId)
    .orderBy('l.created_at', 'desc')
    .limit(500)
    .execute();
  return ok({
    flags: flags.map((f) => ({
      ...f,
      entrants: (JSON.parse(f.attempt_ids_json) as string[]).map((id) => byId.get(id)).filter((x): x is NonNullable<typeof x> => !!x),
    })),
    log,
  });
}

/* ---------------- public results ---------------- */

/** Children under 15 appear by first name (the last word of a Vietnamese name) and unit only. */
export function publicName(fullName: string, birthYear: number, now = new Date()): { name: string; child: boolean } {
  if (ageFromBirthYear(birthYear, now) < 15) {
    const parts = fullName.trim().split(/\s+/);
    return { name: parts.at(-1) ?? '', child: true };
  }
  return { name: fullName, child: false };
}

export async function roundWinners(db: DB, round: RoundRow, now = new Date()) {
  if (round.results_status !== 'published') return [];
  const rows = await db
    .selectFrom('contest_results as r')
    .innerJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .innerJoin('contest_entrants as e', (j) => j.onRef('e.user_id', '=', 'r.user_id').on('e.contest_id', '=', round.contest_id))
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .select([
      'r.rank',
      'r.score',
      'r.max_score',
      'r.duration_ms',
      'r.prediction_gap',
      'p.label',
      'e.full_name',
      'e.birth_year',
      'u.name as unit_name',
    ])
    .where('r.round_id', '=', round.id)
    .orderBy('r.rank')
    .orderBy('e.full_name')
    .execute();
  return rows.map((r) => {
    const n = publicName(r.full_name, r.birth_year, now);
    return {
      rank: r.rank,
      prize: r.label,
      name: n.name,
      child: n.child,
      unit: r.unit_name,
      score: n.child ? null : r.score,
      maxScore: r.max_score,
      durationMs: n.child ? null : r.duration_ms,
    };
  });
}

export interface MyRank {
  rank: number;
  of: number;
  score: number;
  maxScore: number;
  predictionGap: number | null;
  durationMs: number;
  submittedAt: string;
  prize: string | null;
  realFigure: number | null;
  /** The step that placed the entrant below the one just above (null when first or tied). */
  decidedBy: RankStep | null;
  above: { score: number; predictionGap: number | null; durationMs: number } | null;
}

/** The entrant's own rank in a published round, and why: their figures against the one above. */
export async function myRank(db: DB, roundId: string, userId: string): Promise<MyRank | null> {
  const round = await db
    .selectFrom('contest_rounds as r')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .select(['r.results_status', 'r.real_figure', 'c.ranking_json'])
    .where('r.id', '=', roundId)
    .executeTakeFirst();
  if (!round || round.results_status !== 'published') return null;
  const me = await db
    .selectFrom('contest_results as r')
    .leftJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .select(['r.rank', 'r.score', 'r.max_score', 'r.prediction_gap', 'r.duration_ms', 'r.submitted_at', 'p.label'])
    .where('r.round_id', '=', roundId)
    .where('r.user_id', '=', userId)
    .executeTakeFirst();
  if (!me) return null;
  const total = await db
    .selectFrom('contest_results')
    .select(sql<number>`count(*)`.as('n'))
    .where('round_id', '=', roundId)
    .executeTakeFirstOrThrow();
  const above =
    me.rank > 1
      ? await db
          .selectFrom('contest_results')
          .select(['score', 'prediction_gap', 'duration_ms', 'submitted_at'])
          .where('round_id', '=', roundId)
          .where('rank', '<', me.rank)
          .orderBy('rank', 'desc')
          .limit(1)
          .executeTakeFirst()
      : undefined;
  const mine = { score: me.score, predictionGap: me.prediction_gap, durationMs: me.duration_ms, submittedAt: me.submitted_at };
  return {
    rank: me.rank,
    of: toNumber(total.n),
    score: me.score,
    maxScore: me.max_score,
    predictionGap: me.prediction_gap,
    durationMs: me.duration_ms,
    submittedAt: me.submitted_at,
    prize: me.label ?? null,
    realFigure: round.real_figure,
    decidedBy: above
      ? decidingStep(
          parseRanking(round.ranking_json),
          { score: above.score, predictionGap: above.prediction_gap, durationMs: above.duration_ms, submittedAt: above.submitted_at },
          mine,
        )
      : null,
    above: above ? { score: above.score, predictionGap: above.prediction_gap, durationMs: above.duration_ms } : null,
  };
}

/** Organiser's view of a round's (proposed or published) ranking. */
export function roundRanking(db: DB, roundId: string, limit = 200) {
  return db
    .selectFrom('contest_results as r')
    .innerJoin('contest_rounds as rd', 'rd.id', 'r.round_id')
    .innerJoin('contest_entrants as e', (j) => j.onRef('e.user_id', '=', 'r.user_id').onRef('e.contest_id', '=', 'rd.contest_id'))
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .leftJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .select([
      'r.user_id',
      'r.rank',
      'r.score',
      'r.max_score',
      'r.prediction_gap',
      'r.duration_ms',
      'r.submitted_at',
      'e.full_name',
      'u.name as unit_name',
      'p.label as prize',
    ])
    .where('r.round_id', '=', roundId)
    .orderBy('r.rank')
    .orderBy('e.full_name')
    .limit(limit)
    .execute();
}

/* ---------------- leaderboards ---------------- */

export interface UnitRow {
  unitId: string;
  name: string;
  nameEn: string | null;
  hasChildren: boolean;
  entrants: number;
  population: number | null;
  /** Percent, one decimal; null without a population figure. */
  rate: number | null;
  averageScore: number | null;
  prizes: number;
  collective: number;
}

/**
 * The leaderboard of the units directly under `parentId` (the eligible unit by default), each
 * counting its whole subtree: entrants (distinct people who submitted in any published round, or in
 * `roundId`), participation rate against the unit's population figure, average score over their
 * ranked entries, prizes won, and the collective score (entrants × perEntrant + rate × perPercent +
 * prize points). Sorted by collective score.
 */
export async function unitLeaderboard(
  db: DB,
  contestId: string,
  parentId?: string | null,
  roundId?: string | null,
): Promise<{ parent: { id: string; name: string; name_en: string | null; parent_id: string | null }; rows: UnitRow[] } | null> {
  const contest = await db
    .selectFrom('contests')
    .select(['eligible_unit_id', 'collective_json'])
    .where('id', '=', contestId)
    .executeTakeFirst();
  if (!contest) return null;
  const pid = parentId || contest.eligible_unit_id;
  const inside = await db
    .selectFrom('unit_closure')
    .select('depth')
    .where('ancestor_id', '=', contest.eligible_unit_id)
    .where('descendant_id', '=', pid)
    .executeTakeFirst();
  if (!inside) return null;
  const parent = await db
    .selectFrom('units')
    .select(['id', 'name', 'name_en', 'parent_id'])
    .where('id', '=', pid)
    .executeTakeFirstOrThrow();
  const children = await db.selectFrom('units').select(['id', 'name', 'name_en']).where('parent_id', '=', pid).execute();
  const withKids = new Set(
    (children.length
      ? await db
          .selectFrom('units')
          .select('parent_id')
          .where(
            'parent_id',
            'in',
            children.map((c) => c.id),
          )
          .distinct()
          .execute()
      : []
    ).map((r) => r.parent_id),
  );
  // The same for every visitor until the contest's results, prizes or figures change (cache.server.ts).
  const figs = await cachedData(db, `contest-board:${contestId}:${pid}:${roundId ?? '*'}`, contestDeps(contestId), () =>
    unitFigures(
      db,
      contestId,
      contest.collective_json,
      children.map((c) => c.id),
      roundId,
    ),
  );
  const collator = new Intl.Collator('vi');
  const rows = children.map((u) => ({
    unitId: u.id,
    name: u.name,
    nameEn: u.name_en,
    hasChildren: withKids.has(u.id),
    ...figs.get(u.id)!,
  }));
  rows.sort((a, b) => b.collective - a.collective || b.entrants - a.entrants || collator.compare(a.name, b.name));
  return { parent, rows };
}

/* ---------------- live counters (cached) ---------------- */

/** How long an open round's live counters are kept per process (the contest page polls at this pace). */
export const LIVE_COUNTERS_TTL_S = 15;
const COUNTER_TTL_MS = LIVE_COUNTERS_TTL_S * 1000;
const counterCache = new Map<string, { at: number; value: LiveCounters }>();
export interface LiveCounters {
  entrants: number;
  submitted: number;
  byUnit: Array<{ name: string; entrants: number }>;
}

/**
 * Entrants so far in an open round, in total and by top-level unit (province) under the eligible
 * unit. Kept 15 s in memory: a thousand views cost one query.
 */
export async function liveCounters(db: DB, roundId: string, now = Date.now()): Promise<LiveCounters> {
  const hit = counterCache.get(roundId);
  if (hit && now - hit.at < COUNTER_TTL_MS) return hit.value;
  // One count at a time per round (issue #14: at 500,000 attempts, every request arriving after the
  // 15 s expired ran its own count): later callers share the pending one.
  let pending = counterLoads.get(roundId);
  if (!pending) {
    pending = countLive(db, roundId)
      .then((value) => {
        counterCache.set(roundId, { at: now, value });
        return value;
      })
      .finally(() => counterLoads.delete(roundId));
    counterLoads.set(roundId, pending);
  }
  return pending;
}

const counterLoads = new Map<string, Promise<LiveCounters>>();

async function countLive(db: DB, roundId: string): Promise<LiveCounters> {
  const r = await db
    .selectFrom('contest_rounds as r')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .select(['c.eligible_unit_id'])
    .where('r.id', '=', roundId)
    .executeTakeFirstOrThrow();
  const totals = await db
    .selectFrom('contest_attempts')
    .select([
      sql<number>`count(distinct user_id)`.as('entrants'),
      sql<number>`count(distinct case when status = 'submitted' then user_id end)`.as('submitted'),
    ])
    .where('round_id', '=', roundId)
    .executeTakeFirstOrThrow();
  const byUnit = await db
    .selectFrom('contest_attempts as a')
    .innerJoin('contest_entrants as e', 'e.id', 'a.entrant_id')
    .innerJoin('unit_closure as c', 'c.descendant_id', 'e.unit_id')
    .innerJoin('units as u', 'u.id', 'c.ancestor_id')
    .select(['u.name', sql<number>`count(distinct a.user_id)`.as('n')])
    .where('a.round_id', '=', roundId)
    .where('u.parent_id', '=', r.eligible_unit_id)
    .groupBy(['u.id', 'u.name'])
    .orderBy(sql`count(distinct a.user_id)`, 'desc')
    .limit(20)
    .execute();
  const value = {
    entrants: toNumber(totals.entrants),
    submitted: toNumber(totals.submitted),
    byUnit: byUnit.map((b) => ({ name: b.name, entrants: toNumber(b.n) })),
  };
  return value;
}

/* ---------------- exports ---------------- */

/** Results of every published round (or one) as rows for CSV/XLSX: the header first. */
export async function resultsRows(db: DB, userId: string, contestId: string) {
  const c = await requireManager(db, contestId, userId);
  if (!c.ok) return c;
  const rows = await db
    .selectFrom('contest_results as r')
    .innerJoin('contest_rounds as rd', 'rd.id', 'r.round_id')
    .innerJoin('contest_entrants as e', (j) => j.onRef('e.user_id', '=', 'r.user_id').onRef('e.contest_id', '=', 'rd.contest_id'))
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .leftJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .select([
      'rd.position',
      'rd.title',
      'r.rank',
      'e.full_name',
      'e.birth_year',
      'u.name as unit_name',
      'r.score',
      'r.max_score',
      'r.prediction_gap',
      'r.duration_ms',
      'r.submitted_at',
      'p.label',
    ])
    .where('rd.contest_id', '=', contestId)
    .orderBy('rd.position')
    .orderBy('r.rank')
    .execute();
  const columns = quizResultColumns<(typeof rows)[number]>(
    [
      ['round', (r) => r.position],
      ['round_title', (r) => r.title],
    ],
    [],
    'submitted_at',
  );
  return ok(table(columns, rows));
}

/** Participation per unit (every unit of the eligible subtree that has entrants or a figure). */
export async function participationRows(db: DB, userId: string, contestId: string) {
  const c = await requireManager(db, contestId, userId);
  if (!c.ok) return c;
  const rows = await db
    .selectFrom('unit_closure as t')
    .innerJoin('units as u', 'u.id', 't.descendant_id')
    .innerJoin('unit_closure as c', 'c.ancestor_id', 'u.id')
    .innerJoin('contest_entrants as e', (j) => j.onRef('e.unit_id', '=', 'c.descendant_id').on('e.contest_id', '=', contestId))
    .leftJoin('contest_unit_figures as f', (j) => j.onRef('f.unit_id', '=', 'u.id').on('f.contest_id', '=', contestId))
    .select(['u.id', 'u.name', 'u.depth', 'f.population', sql<number>`count(distinct e.user_id)`.as('registered')])
    .where('t.ancestor_id', '=', c.value.eligible_unit_id)
    .groupBy(['u.id', 'u.name', 'u.depth', 'f.population'])
    .orderBy('u.depth')
    .orderBy('u.name')
    .execute();
  const submitted = await db
    .selectFrom('contest_attempts as a')
    .innerJoin('contest_rounds as rd', 'rd.id', 'a.round_id')
    .innerJoin('contest_entrants as e', 'e.id', 'a.entrant_id')
    .innerJoin('unit_closure as c', 'c.descendant_id', 'e.unit_id')
    .select(['c.ancestor_id', sql<number>`count(distinct a.user_id)`.as('n')])
    .where('rd.contest_id', '=', contestId)
    .where('a.status', '=', 'submitted')
    .groupBy('c.ancestor_id')
    .execute();
  const sub = new Map(submitted.map((s) => [s.ancestor_id, toNumber(s.n)]));
  const out: Array<Array<string | number | null>> = [['unit', 'level', 'registered', 'entrants', 'population', 'rate_percent']];
  for (const r of rows) {
    const n = sub.get(r.id) ?? 0;
    out.push([
      r.name,
      r.depth,
      toNumber(r.registered),
      n,
      r.population ?? '',
      r.population ? Math.round((n * 1000) / r.population) / 10 : '',
    ]);
  }
  return ok(out);
}
