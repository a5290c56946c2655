/**
 * Contest-wide prizes: the overall ranking across the published quiz rounds (the sum of every
 * round, or of each entrant's best N rounds, as the organiser sets), ranked by the contest's own
 * rule (score → prediction gap → time → submitted earlier, each step switchable), and the unit
 * (collective) prizes — the units of one level of the tree with the most entrants, the highest
 * participation rate or the highest collective score. Proposed, previewed, then confirmed by an
 * organiser; winners (people and units) get certificates in `contest_certificates`, verified at
 * /verify/<code> like every other certificate.
 */
import { sql } from 'kysely';

import { isPostgres, toNumber, writeTransaction } from '~/db/dialect';
import { awardBadgesOnPublish } from '~/domain/honours/contest-badges.server';
import type { DB } from '~/lib/db.server';
import { nowIso } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';

import { type Contest, requireManager } from './access.server';
import { contestChanged } from './cache.server';
import { quizResultColumns, table } from './export-rows';
import { compareEntries, decidingStep, parseRanking, type Rankable, rankEntries, type RankingRule, type RankStep } from './ranking';
import { audit, disqualify, publicName } from './results.server';
import {
  computeUnitAwards,
  issuePrizeCertificate,
  issueUnitCertificates,
  replaceUnitAwards,
  unitAwards,
  unitWinners,
} from './unit-prizes.server';

export { rankUnits, type UnitStanding, unitStandings } from './unit-prizes.server';

/* ---------------- the overall ranking (pure) ---------------- */

export interface RoundResult extends Rankable {
  userId: string;
  roundId: string;
  maxScore: number;
}

export interface OverallEntry extends Rankable {
  userId: string;
  rounds: number;
  maxScore: number;
}

/**
 * One entrant's overall figures from their round results: the rounds that count are every round
 * (`bestRounds` null) or their best N under the contest's rule; score, prediction gap and time are
 * summed over those rounds (a round without a prediction leaves the gap unknown: it ranks after
 * every known gap), and "submitted" is when the last counted round was submitted.
 */
export function combineRounds(rule: readonly RankingRule[], results: readonly RoundResult[], bestRounds: number | null): OverallEntry[] {
  const byUser = new Map<string, RoundResult[]>();
  for (const r of results) {
    const list = byUser.get(r.userId) ?? [];
    list.push(r);
    byUser.set(r.userId, list);
  }
  const out: OverallEntry[] = [];
  for (const [userId, list] of byUser) {
    const sorted = list.slice().sort((a, b) => compareEntries(rule, a, b) || (a.roundId < b.roundId ? -1 : 1));
    const counted = bestRounds ? sorted.slice(0, bestRounds) : sorted;
    out.push({
      userId,
      rounds: counted.length,
      score: counted.reduce((s, r) => s + r.score, 0),
      maxScore: counted.reduce((s, r) => s + r.maxScore, 0),
      predictionGap: counted.some((r) => r.predictionGap == null) ? null : counted.reduce((s, r) => s + r.predictionGap!, 0),
      durationMs: counted.reduce((s, r) => s + r.durationMs, 0),
      submittedAt: counted.reduce((m, r) => (r.submittedAt > m ? r.submittedAt : m), ''),
    });
  }
  return out;
}

/** Ranks the overall entries by the contest's rule (ties share a rank). */
export function rankOverall(rule: readonly RankingRule[], entries: readonly OverallEntry[]) {
  return rankEntries(rule, entries, (e) => e.userId);
}

/* ---------------- settings ---------------- */

export interface OverallRule {
  /** null: every round counts. */
  bestRounds: number | null;
}

export async function setOverallRule(
  db: DB,
  userId: string,
  contestId: string,
  rule: OverallRule,
): Promise<Result<undefined, 'not_found' | 'forbidden'>> {
  const c = await requireManager(db, contestId, userId);
  if (!c.ok) return c;
  await db
    .updateTable('contests')
    .set({ overall_best_rounds: rule.bestRounds && rule.bestRounds > 0 ? rule.bestRounds : null, updated_at: nowIso() })
    .where('id', '=', contestId)
    .execute();
  await contestChanged(db, contestId);
  return ok();
}

/* ---------------- computing, proposing, confirming ---------------- */

/** The overall ranking of a contest from its published quiz rounds (no writes). */
export async function computeOverall(db: DB, contest: Pick<Contest, 'id' | 'ranking_json' | 'overall_best_rounds'>) {
  const rows = await db
    .selectFrom('contest_results as r')
    .innerJoin('contest_rounds as rd', 'rd.id', 'r.round_id')
    .select(['r.round_id', 'r.user_id', 'r.score', 'r.max_score', 'r.prediction_gap', 'r.duration_ms', 'r.submitted_at'])
    .where('rd.contest_id', '=', contest.id)
    .where('rd.results_status', '=', 'published')
    .execute();
  const rule = parseRanking(contest.ranking_json);
  const combined = combineRounds(
    rule,
    rows.map((r) => ({
      userId: r.user_id,
      roundId: r.round_id,
      score: r.score,
      maxScore: r.max_score,
      predictionGap: r.prediction_gap,
      durationMs: r.duration_ms,
      submittedAt: r.submitted_at,
    })),
    contest.overall_best_rounds,
  );
  return { rule, ranked: rankOverall(rule, combined) };
}

/** A ranking step as SQL over columns named like the results' (`gap` null without a prediction). */
function stepSql(step: RankStep, pg: boolean, gap: string): string {
  switch (step) {
    case 'score':
      return 'score desc';
    case 'prediction':
      return `case when ${gap} is null then 1 else 0 end, ${gap}`;
    case 'time':
      return 'duration_ms';
    case 'submitted':
      return pg ? 'submitted_at collate "C"' : 'submitted_at';
  }
}

/**
 * What `computeOverall` computes, written by the database in one INSERT … SELECT (issue #14: a
 * million round results): each entrant's rounds ordered by the contest's rule (the earlier round id
 * on a full tie) with ROW_NUMBER, the best N kept (or every round), summed (the gap unknown when any
 * counted round has none; "submitted" the last counted), ranked with RANK() under the same rule
 * (ties share a rank, the next skips), the overall prize picked by rank (the first by position).
 * Replaces the contest's overall results; returns how many were ranked.
 */
async function rankOverallInSql(trx: DB, contest: Pick<Contest, 'id' | 'ranking_json' | 'overall_best_rounds' | 'eligible_unit_id'>) {
  const pg = isPostgres(trx);
  const rule = parseRanking(contest.ranking_json).filter((x) => x.on);
  const perRound = [...rule.map((x) => stepSql(x.step, pg, 'prediction_gap')), pg ? 'round_id collate "C"' : 'round_id'];
  const overall = rule.map((x) => stepSql(x.step, pg, 'gap'));
  const best = contest.overall_best_rounds && contest.overall_best_rounds > 0 ? contest.overall_best_rounds : null;
  const lastSubmitted = pg ? 'max(submitted_at collate "C")' : 'max(submitted_at)';
  await trx.deleteFrom('contest_overall_results').where('contest_id', '=', contest.id).execute();
  await sql`
    insert into contest_overall_results
      (contest_id, user_id, unit_id, rank, rounds, score, max_score, prediction_gap, duration_ms, submitted_at, prize_id)
    select ${contest.id}, s.user_id, coalesce(e.unit_id, ${contest.eligible_unit_id}), s.rnk, s.rounds, s.score, s.max_score, s.gap,
      s.duration_ms, s.submitted_at,
      (select p.id from contest_prizes p
        where p.contest_id = ${contest.id} and p.round_id is null and p.basis is null and s.rnk between p.rank_from and p.rank_to
        order by p.position limit 1)
    from (
      select t.*, rank() over (${sql.raw(overall.length ? `order by ${overall.join(', ')}` : '')}) as rnk
      from (
        select user_id, count(*) as rounds, sum(score) as score, sum(max_score) as max_score,
          case when count(prediction_gap) = count(*) then sum(prediction_gap) end as gap,
          sum(duration_ms) as duration_ms, ${sql.raw(lastSubmitted)} as submitted_at
        from (
          select r.user_id, r.round_id, r.score, r.max_score, r.prediction_gap, r.duration_ms, r.submitted_at,
            row_number() over (partition by r.user_id order by ${sql.raw(perRound.join(', '))}) as k
          from contest_results r
          join contest_rounds rd on rd.id = r.round_id
          where rd.contest_id = ${contest.id} and rd.results_status = 'published'
        ) c
        ${best ? sql`where c.k <= ${best}` : sql``}
        group by user_id
      ) t
    ) s
    left join contest_entrants e on e.contest_id = ${contest.id} and e.user_id = s.user_id`.execute(trx);
  const n = await trx
    .selectFrom('contest_overall_results')
    .select(sql<number>`count(*)`.as('n'))
    .where('contest_id', '=', contest.id)
    .executeTakeFirstOrThrow();
  return toNumber(n.n);
}

export type OverallError = 'not_found' | 'forbidden' | 'rounds_pending' | 'no_results' | 'not_proposed';

/**
 * Step 1 (organiser): once every quiz round's results are published, ranks every entrant across the
 * rounds, proposes the overall prizes by rank and the unit prizes by their basis. Re-running
 * recomputes the proposal (published results stay public, recomputed).
 */
export async function proposeOverall(
  db: DB,
  userId: string,
  contestId: string,
): Promise<Result<{ ranked: number; units: number }, OverallError>> {
  const c = await requireManager(db, contestId, userId);
  if (!c.ok) return c;
  const contest = c.value;
  const rounds = await db
    .selectFrom('contest_rounds')
    .select(['results_status'])
    .where('contest_id', '=', contestId)
    .where('kind', '=', 'quiz')
    .execute();
  if (!rounds.some((r) => r.results_status === 'published')) return err('no_results');
  if (rounds.some((r) => r.results_status !== 'published')) return err('rounds_pending');
  const awards = await computeUnitAwards(db, contest, null);
  const ranked = await writeTransaction(db, async (trx) => {
    const n = await rankOverallInSql(trx, contest);
    await replaceUnitAwards(trx, contestId, null, awards);
    await trx
      .updateTable('contests')
      .set({ overall_status: contest.overall_status === 'published' ? 'published' : 'proposed' })
      .where('id', '=', contestId)
      .execute();
    return n;
  });
  await audit(db, contestId, null, userId, 'propose_overall', null, `ranked=${ranked}; unit_awards=${awards.length}`);
  await contestChanged(db, contestId);
  return ok({ ranked, units: awards.length });
}

/**
 * Step 2 (organiser): the proposal becomes public and every winner (person or unit) holds one
 * certificate per prize; certificates of holders no longer winning after a recomputation are
 * revoked.
 */
export async function confirmOverall(
  db: DB,
  userId: string,
  contestId: string,
  now = new Date(),
): Promise<Result<{ certificates: number }, OverallError>> {
  const c = await requireManager(db, contestId, userId);
  if (!c.ok) return c;
  if (c.value.overall_status === 'none') return err('not_proposed');
  await db
    .updateTable('contests')
    .set({ overall_status: 'published', overall_published_at: now.toISOString(), overall_published_by: userId })
    .where('id', '=', contestId)
    .execute();
  const people = await db
    .selectFrom('contest_overall_results as r')
    .innerJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .innerJoin('contest_entrants as e', (j) => j.onRef('e.user_id', '=', 'r.user_id').on('e.contest_id', '=', contestId))
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .select(['r.user_id', 'p.id as prize_id', 'p.label', 'e.full_name', 'u.name as unit_name'])
    .where('r.contest_id', '=', contestId)
    .execute();
  const scope = { contestId, roundId: null, title: c.value.title };
  const keep = new Set<string>();
  for (const w of people) {
    keep.add(await issuePrizeCertificate(db, scope, w.prize_id, w.label, { userId: w.user_id, name: w.full_name, unitName: w.unit_name }));
  }
  const units = await issueUnitCertificates(db, scope);
  for (const id of units) keep.add(id);
  const stale = await db
    .selectFrom('contest_certificates')
    .select('id')
    .where('contest_id', '=', contestId)
    .where('round_id', 'is', null)
    .where('prize_id', 'is not', null)
    .where('revoked_at', 'is', null)
    .execute();
  const revoke = stale.map((s) => s.id).filter((id) => !keep.has(id));
  if (revoke.length)
    await db
      .updateTable('contest_certificates')
      .set({ revoked_at: now.toISOString(), revoked_reason: 'recomputed' })
      .where('id', 'in', revoke)
      .execute();
  await awardBadgesOnPublish(db, userId, contestId, now); // issue #16: the winners' Open Badges, unless the contest turned it off
  await audit(db, contestId, null, userId, 'publish_overall', null, `winners=${people.length}; units=${units.length}`);
  await contestChanged(db, contestId);
  return ok({ certificates: people.length + units.length });
}

/**
 * Disqualifies an entrant in a round (results.server's `disqualify`: logged, the round re-ranked,
 * its certificate revoked) and, when contest-wide prizes exist, recomputes them and revokes the
 * entrant's contest-wide certificates.
 */
export async function disqualifyEntrant(db: DB, userId: string, roundId: string, entrantUserId: string, reason: string, now = new Date()) {
  const r = await disqualify(db, userId, roundId, entrantUserId, reason, now);
  if (!r.ok) return r;
  const round = await db
    .selectFrom('contest_rounds as r')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .select(['c.id', 'c.overall_status'])
    .where('r.id', '=', roundId)
    .executeTakeFirstOrThrow();
  if (round.overall_status !== 'none') {
    await proposeOverall(db, userId, round.id);
    await db
      .updateTable('contest_certificates')
      .set({ revoked_at: now.toISOString(), revoked_reason: reason.trim() })
      .where('contest_id', '=', round.id)
      .where('prize_id', 'is not', null)
      .where('user_id', '=', entrantUserId)
      .execute();
  }
  return r;
}

/* ---------------- pages ---------------- */

/** The organiser's preview: the overall ranking (top `limit`) and every unit award. */
export async function overallPreview(db: DB, contestId: string, limit = 50) {
  const [ranking, units] = await Promise.all([
    db
      .selectFrom('contest_overall_results as r')
      .innerJoin('contest_entrants as e', (j) => j.onRef('e.user_id', '=', 'r.user_id').on('e.contest_id', '=', contestId))
      .innerJoin('units as u', 'u.id', 'r.unit_id')
      .leftJoin('contest_prizes as p', 'p.id', 'r.prize_id')
      .select([
        'r.user_id',
        'r.rank',
        'r.rounds',
        'r.score',
        'r.max_score',
        'r.prediction_gap',
        'r.duration_ms',
        'e.full_name',
        'u.name as unit_name',
        'p.label as prize',
      ])
      .where('r.contest_id', '=', contestId)
      .orderBy('r.rank')
      .orderBy('e.full_name')
      .limit(limit)
      .execute(),
    unitAwards(db, contestId, null),
  ]);
  return { ranking, units };
}

export interface MyOverall {
  rank: number;
  of: number;
  rounds: number;
  score: number;
  maxScore: number;
  predictionGap: number | null;
  durationMs: number;
  prize: string | null;
  decidedBy: RankStep | null;
  above: { score: number; predictionGap: number | null; durationMs: number } | null;
}

/** The public contest-wide results: overall winners (children by first name and unit only), unit winners, and the viewer's own rank and why. */
export async function overallResults(db: DB, contest: Contest, userId: string | null, now = new Date()) {
  if (contest.overall_status !== 'published') return null;
  const winners = await db
    .selectFrom('contest_overall_results as r')
    .innerJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .innerJoin('contest_entrants as e', (j) => j.onRef('e.user_id', '=', 'r.user_id').on('e.contest_id', '=', contest.id))
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .select([
      'r.rank',
      'r.rounds',
      'r.score',
      'r.max_score',
      'r.duration_ms',
      'p.label',
      'e.full_name',
      'e.birth_year',
      'u.name as unit_name',
    ])
    .where('r.contest_id', '=', contest.id)
    .orderBy('r.rank')
    .orderBy('e.full_name')
    .execute();
  const units = await unitWinners(db, contest.id, null);
  let mine: MyOverall | null = null;
  if (userId) {
    const me = await db
      .selectFrom('contest_overall_results as r')
      .leftJoin('contest_prizes as p', 'p.id', 'r.prize_id')
      .select(['r.rank', 'r.rounds', 'r.score', 'r.max_score', 'r.prediction_gap', 'r.duration_ms', 'r.submitted_at', 'p.label'])
      .where('r.contest_id', '=', contest.id)
      .where('r.user_id', '=', userId)
      .executeTakeFirst();
    if (me) {
      const total = await db
        .selectFrom('contest_overall_results')
        .select(sql<number>`count(*)`.as('n'))
        .where('contest_id', '=', contest.id)
        .executeTakeFirstOrThrow();
      const above =
        me.rank > 1
          ? await db
              .selectFrom('contest_overall_results')
              .select(['score', 'prediction_gap', 'duration_ms', 'submitted_at'])
              .where('contest_id', '=', contest.id)
              .where('rank', '<', me.rank)
              .orderBy('rank', 'desc')
              .limit(1)
              .executeTakeFirst()
          : undefined;
      mine = {
        rank: me.rank,
        of: toNumber(total.n),
        rounds: me.rounds,
        score: me.score,
        maxScore: me.max_score,
        predictionGap: me.prediction_gap,
        durationMs: me.duration_ms,
        prize: me.label ?? null,
        decidedBy: above
          ? decidingStep(
              parseRanking(contest.ranking_json),
              { score: above.score, predictionGap: above.prediction_gap, durationMs: above.duration_ms, submittedAt: above.submitted_at },
              { score: me.score, predictionGap: me.prediction_gap, durationMs: me.duration_ms, submittedAt: me.submitted_at },
            )
          : null,
        above: above ? { score: above.score, predictionGap: above.prediction_gap, durationMs: above.duration_ms } : null,
      };
    }
  }
  return {
    bestRounds: contest.overall_best_rounds,
    winners: winners.map((r) => {
      const n = publicName(r.full_name, r.birth_year, now);
      return {
        rank: r.rank,
        prize: r.label,
        name: n.name,
        child: n.child,
        unit: r.unit_name,
        rounds: r.rounds,
        score: n.child ? null : r.score,
        maxScore: r.max_score,
        durationMs: n.child ? null : r.duration_ms,
      };
    }),
    units,
    mine,
  };
}

/* ---------------- exports ---------------- */

/** The overall ranking as rows for CSV/XLSX (header first), organisers only. */
export async function overallRows(db: DB, userId: string, contestId: string) {
  const c = await requireManager(db, contestId, userId);
  if (!c.ok) return c;
  const rows = await db
    .selectFrom('contest_overall_results as r')
    .innerJoin('contest_entrants as e', (j) => j.onRef('e.user_id', '=', 'r.user_id').on('e.contest_id', '=', contestId))
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .leftJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .select([
      'r.rank',
      'e.full_name',
      'e.birth_year',
      'u.name as unit_name',
      'r.rounds',
      'r.score',
      'r.max_score',
      'r.prediction_gap',
      'r.duration_ms',
      'r.submitted_at',
      'p.label',
    ])
    .where('r.contest_id', '=', contestId)
    .orderBy('r.rank')
    .orderBy('e.full_name')
    .execute();
  return ok(table(quizResultColumns<(typeof rows)[number]>([], [['rounds', (r) => r.rounds]], 'last_submitted_at'), rows));
}

/** The unit prizes as rows for CSV/XLSX (header first), organisers only. */
export async function unitAwardRows(db: DB, userId: string, contestId: string) {
  const c = await requireManager(db, contestId, userId);
  if (!c.ok) return c;
  const rows = await unitAwards(db, contestId, null);
  const out: Array<Array<string | number | null>> = [['prize', 'basis', 'rank', 'unit', 'value', 'entrants']];
  for (const r of rows) out.push([r.label, r.basis, r.rank, r.name, Number(r.value), r.entrants]);
  return ok(out);
}
