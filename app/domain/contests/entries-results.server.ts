/**
 * Stage results of submission rounds (issue #15): jury scores (optionally normalised per judge,
 * optionally mixed with the people's choice), ranking, who moves on to the next stage, prizes —
 * proposed, then confirmed by an organiser, who thereby promotes the best entries and issues the
 * certificates (winners and participants) through the contest certificate mechanism.
 */
import { sql } from 'kysely';

import { toNumber, writeTransaction } from '~/db/dialect';
import type { StageLevel } from '~/db/schema/contest-entries';
import { issueContestCertificate } from '~/domain/courses/progress.server';
import { awardBadgesOnPublish } from '~/domain/honours/contest-badges.server';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';

import { requireManager } from './access.server';
import { contestChanged } from './cache.server';
import { roundPhase } from './contests.server';
import { submissionRound } from './entries.server';
import { rubricOf } from './jury.server';
import { round2, scoreEntries, weightedTotal } from './normalise';
import { publicName } from './results.server';
import { decidePeoplesChoice, peoplesChoiceOf, votesPending } from './votes.server';

export type StageError = 'not_found' | 'forbidden' | 'not_closed' | 'not_proposed' | 'no_scores' | 'votes_open' | 'flags_open';

/** Unit kinds that stand for a stage level when grouping who moves on. */
const LEVEL_KINDS: Record<Exclude<StageLevel, 'school' | 'national'>, string[]> = {
  ward: ['ward', 'district'],
  province: ['province'],
};

/** For each entry unit, the unit that is its group at this stage level (null: one national group). */
async function groupsFor(db: DB, level: StageLevel, unitIds: string[]): Promise<Map<string, string | null>> {
  const m = new Map<string, string | null>();
  if (level === 'national') {
    for (const u of unitIds) m.set(u, null);
    return m;
  }
  if (level === 'school') {
    for (const u of unitIds) m.set(u, u);
    return m;
  }
  const kinds = LEVEL_KINDS[level];
  for (let i = 0; i < unitIds.length; i += 300) {
    const part = unitIds.slice(i, i + 300);
    const rows = await db
      .selectFrom('unit_closure as c')
      .innerJoin('units as u', 'u.id', 'c.ancestor_id')
      .select(['c.descendant_id', 'c.ancestor_id', 'c.depth', 'u.kind'])
      .where('c.descendant_id', 'in', part)
      .execute();
    for (const id of part) {
      // the nearest ancestor (or self) of the first kind that exists on the branch
      const mine = rows.filter((r) => r.descendant_id === id);
      let pick: string | null = null;
      for (const k of kinds) {
        const hit = mine.filter((r) => r.kind === k).sort((a, b) => toNumber(a.depth) - toNumber(b.depth))[0];
        if (hit) {
          pick = hit.ancestor_id;
          break;
        }
      }
      m.set(id, pick ?? id);
    }
  }
  return m;
}

export interface StageRow {
  entryId: string;
  judges: number;
  raw: number;
  norm: number;
  votes: number;
  final: number;
  rank: number;
  groupUnitId: string | null;
  advanced: boolean;
  marginFlag: boolean;
  prizeId: string | null;
}

/** Computes the stage's ranking from the saved scores (nothing written). */
export async function computeStage(db: DB, roundId: string): Promise<{ rows: StageRow[]; unscored: number }> {
  const round = await submissionRound(db, roundId);
  if (!round) return { rows: [], unscored: 0 };
  const [criteria, scores, entries, votes, prizes] = await Promise.all([
    rubricOf(db, roundId),
    db
      .selectFrom('contest_scores as s')
      .innerJoin('contest_assignments as a', (j) => j.onRef('a.entry_id', '=', 's.entry_id').onRef('a.judge_id', '=', 's.judge_id'))
      .select(['s.entry_id', 's.judge_id', 's.criterion_id', 's.points'])
      .where('a.round_id', '=', roundId)
      .where('a.status', '=', 'scored')
      .execute(),
    db.selectFrom('contest_entries').select(['id', 'unit_id', 'submitted_at']).where('round_id', '=', roundId).execute(),
    db
      .selectFrom('contest_votes')
      .select(['entry_id', sql<number>`count(*)`.as('n')])
      .where('round_id', '=', roundId)
      .where('status', '=', 'counted')
      .groupBy('entry_id')
      .execute(),
    db.selectFrom('contest_prizes').selectAll().where('round_id', '=', roundId).orderBy('rank_from').execute(),
  ]);
  const perPair = new Map<string, Map<string, number>>();
  for (const s of scores) {
    const k = `${s.entry_id}|${s.judge_id}`;
    if (!perPair.has(k)) perPair.set(k, new Map());
    perPair.get(k)!.set(s.criterion_id, s.points);
  }
  const totals = [...perPair].map(([k, pts]) => {
    const [entryId, judgeId] = k.split('|');
    return { entryId, judgeId, total: weightedTotal(criteria, pts) };
  });
  const scored = scoreEntries(totals, !!round.normalise);
  const voteMap = new Map(votes.map((v) => [v.entry_id, toNumber(v.n)]));
  const maxVotes = Math.max(0, ...voteMap.values());
  const entryById = new Map(entries.map((e) => [e.id, e]));
  const w = round.vote_weight;
  const rows = scored.map((s) => {
    const v = voteMap.get(s.entryId) ?? 0;
    const final = w > 0 ? (1 - w) * s.norm + w * (maxVotes ? (v / maxVotes) * 100 : 0) : s.norm;
    return { ...s, votes: v, final: round2(final), submittedAt: entryById.get(s.entryId)?.submitted_at ?? '' };
  });
  rows.sort((a, b) => b.final - a.final || b.raw - a.raw || a.submittedAt.localeCompare(b.submittedAt));
  const groups = await groupsFor(db, round.stage_level, [...new Set(entries.map((e) => e.unit_id))]);
  const inGroup = new Map<string, number>();
  const out: StageRow[] = [];
  rows.forEach((r, i) => {
    const rank = i > 0 && r.final === rows[i - 1].final ? out[i - 1].rank : i + 1;
    const g = groups.get(entryById.get(r.entryId)!.unit_id) ?? null;
    const gk = g ?? '';
    const n = (inGroup.get(gk) ?? 0) + 1;
    inGroup.set(gk, n);
    out.push({
      entryId: r.entryId,
      judges: r.judges,
      raw: round2(r.raw),
      norm: round2(r.norm),
      votes: r.votes,
      final: r.final,
      rank,
      groupUnitId: g,
      advanced: n <= round.advance_count,
      marginFlag: r.judges >= 2 && r.spread > round.margin_points,
      prizeId: prizes.find((p) => rank >= p.rank_from && rank <= p.rank_to)?.id ?? null,
    });
  });
  return { rows: out, unscored: entries.length - out.length };
}

/** Entries whose judges disagree by more than the margin (for a third judge or a discussion). */
export async function marginFlags(db: DB, userId: string, roundId: string) {
  const round = await submissionRound(db, roundId);
  if (!round) return err('not_found');
  const c = await requireManager(db, round.contest_id, userId);
  if (!c.ok) return c;
  const { rows } = await computeStage(db, roundId);
  return ok(rows.filter((r) => r.marginFlag));
}

/** Step 1 (organiser, after the window closes): writes the proposed ranking. */
export async function proposeStageResults(
  db: DB,
  userId: string,
  roundId: string,
  now = new Date(),
): Promise<Result<{ ranked: number; unscored: number; flagged: number }, StageError>> {
  const round = await submissionRound(db, roundId);
  if (!round) return err('not_found');
  const c = await requireManager(db, round.contest_id, userId);
  if (!c.ok) return c;
  if (roundPhase(round, now) !== 'closed') return err('not_closed');
  // Votes weighted into the score must be final before they rank anyone.
  if (round.vote_weight > 0) {
    const pending = await votesPending(db, round, now);
    if (pending) return err(pending);
  }
  const { rows, unscored } = await computeStage(db, roundId);
  if (!rows.length) return err('no_scores');
  await writeTransaction(db, async (trx) => {
    await trx.deleteFrom('contest_entry_results').where('round_id', '=', roundId).execute();
    for (let i = 0; i < rows.length; i += 300)
      await trx
        .insertInto('contest_entry_results')
        .values(
          rows.slice(i, i + 300).map((r) => ({
            round_id: roundId,
            entry_id: r.entryId,
            judges: r.judges,
            raw_score: r.raw,
            norm_score: r.norm,
            votes: r.votes,
            final_score: r.final,
            rank: r.rank,
            group_unit_id: r.groupUnitId,
            advanced: r.advanced ? (1 as const) : (0 as const),
            margin_flag: r.marginFlag ? (1 as const) : (0 as const),
            prize_id: r.prizeId,
          })),
        )
        .execute();
    await trx
      .updateTable('contest_rounds')
      .set({ results_status: round.results_status === 'published' ? 'published' : 'proposed' })
      .where('id', '=', roundId)
      .execute();
  });
  await contestChanged(db, round.contest_id);
  return ok({ ranked: rows.length, unscored, flagged: rows.filter((r) => r.marginFlag).length });
}

/**
 * Step 2 (organiser): publishes the proposal, decides the people's choice from the counted votes
 * (when the round has public voting: only once the voting window has closed and every held burst
 * was reviewed), copies the entries that move on into the next stage (the round whose
 * `previous_round_id` is this one) and issues certificates: the prize's label for winners (with
 * the people's choice beside a jury prize), `participationLabel` for every other entrant whose
 * entry was not rejected.
 */
export async function confirmStageResults(
  db: DB,
  userId: string,
  roundId: string,
  participationLabel: string,
  now = new Date(),
): Promise<Result<{ certificates: number; promoted: number }, StageError>> {
  const round = await submissionRound(db, roundId);
  if (!round) return err('not_found');
  const c = await requireManager(db, round.contest_id, userId);
  if (!c.ok) return c;
  if (round.results_status === 'none') return err('not_proposed');
  const pending = await votesPending(db, round, now);
  if (pending) return err(pending);
  const choice = await writeTransaction(db, async (trx) => {
    const winners = round.voting ? await decidePeoplesChoice(trx, roundId, round.peoples_choice_winners, now) : new Set<string>();
    await trx
      .updateTable('contest_rounds')
      .set({ results_status: 'published', published_at: now.toISOString(), published_by: userId })
      .where('id', '=', roundId)
      .execute();
    return round.peoples_choice_label ? winners : new Set<string>();
  });
  const pcLabel = round.peoples_choice_label ?? '';
  const ranked = await db
    .selectFrom('contest_entry_results as r')
    .innerJoin('contest_entries as e', 'e.id', 'r.entry_id')
    .leftJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .selectAll('e')
    .select(['r.advanced', 'p.label as prize_label'])
    .where('r.round_id', '=', roundId)
    .orderBy('r.rank')
    .execute();
  let certificates = 0;
  for (const r of ranked) {
    const label = choice.has(r.id) ? (r.prize_label ? `${r.prize_label} · ${pcLabel}` : pcLabel) : (r.prize_label ?? participationLabel);
    const cert = await issueContestCertificate(db, roundId, r.user_id, label);
    if (cert.created) certificates++;
  }
  // Entrants whose entry was not ranked (no complete scores) still took part; a people's choice
  // winner among them gets that prize.
  const rankedIds = new Set(ranked.map((r) => r.id));
  const others = await db
    .selectFrom('contest_entries')
    .select(['id', 'user_id'])
    .where('round_id', '=', roundId)
    .where('moderation', '!=', 'rejected')
    .execute();
  for (const e of others.filter((x) => !rankedIds.has(x.id))) {
    const cert = await issueContestCertificate(db, roundId, e.user_id, choice.has(e.id) ? pcLabel : participationLabel);
    if (cert.created) certificates++;
  }
  let promoted = 0;
  const next = await db
    .selectFrom('contest_submission_settings')
    .select('round_id')
    .where('previous_round_id', '=', roundId)
    .executeTakeFirst();
  if (next) {
    const at = now.toISOString();
    for (const r of ranked.filter((x) => x.advanced)) {
      const { advanced: _a, prize_label: _p, ...entry } = r;
      const res = await db
        .insertInto('contest_entries')
        .values({ ...entry, id: newId(), round_id: next.round_id, promoted_from: r.id, submitted_at: at, updated_at: at })
        .onConflict((oc) => oc.columns(['round_id', 'entrant_id']).doNothing())
        .executeTakeFirst();
      promoted += Number(res.numInsertedOrUpdatedRows ?? 0);
    }
  }
  await awardBadgesOnPublish(db, userId, round.contest_id, now); // issue #16: the winners' Open Badges, unless the contest turned it off
  await contestChanged(db, round.contest_id);
  return ok({ certificates, promoted });
}

/** The published ranking of a stage (public): children under 15 by first name only, like quiz results. */
export async function stageResults(db: DB, roundId: string, now = new Date()) {
  const round = await submissionRound(db, roundId);
  if (!round || round.results_status !== 'published') return null;
  const rows = await db
    .selectFrom('contest_entry_results as r')
    .innerJoin('contest_entries as e', 'e.id', 'r.entry_id')
    .innerJoin('contest_entrants as n', 'n.id', 'e.entrant_id')
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .leftJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .select([
      'r.rank',
      'r.final_score',
      'r.votes',
      'r.advanced',
      'e.id as entry_id',
      'e.code',
      'n.full_name',
      'n.birth_year',
      'u.name as unit_name',
      'p.label as prize',
    ])
    .where('r.round_id', '=', roundId)
    .orderBy('r.rank')
    .orderBy('e.code')
    .execute();
  const choice = await peoplesChoiceOf(db, roundId);
  const winners = new Set(round.peoples_choice_label ? choice.filter((c) => c.winner).map((c) => c.entryId) : []);
  return {
    round,
    peoplesChoice: round.peoples_choice_label
      ? {
          label: round.peoples_choice_label,
          winners: choice.filter((c) => c.winner).map((c) => ({ entryId: c.entryId, votes: c.votes, rank: c.rank })),
        }
      : null,
    rows: rows.map((r) => {
      const n = publicName(r.full_name, r.birth_year, now);
      return {
        rank: r.rank,
        entryId: r.entry_id,
        code: r.code,
        name: n.name,
        unit: r.unit_name,
        score: r.final_score,
        votes: r.votes,
        advanced: !!r.advanced,
        prize: r.prize,
        peoplesChoice: winners.has(r.entry_id),
      };
    }),
  };
}

/** An entrant's own result: nothing before the organiser publishes. */
export async function myStageResult(db: DB, roundId: string, userId: string) {
  const round = await submissionRound(db, roundId);
  if (!round || round.results_status !== 'published') return null;
  const r = await db
    .selectFrom('contest_entry_results as r')
    .innerJoin('contest_entries as e', 'e.id', 'r.entry_id')
    .leftJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .select(['r.rank', 'r.final_score', 'r.advanced', 'p.label as prize'])
    .where('r.round_id', '=', roundId)
    .where('e.user_id', '=', userId)
    .executeTakeFirst();
  return r ?? null;
}

/** Rows for the Week's report (organisers): CSV/XLSX of the stage's proposed or published ranking. */
export async function stageExportRows(db: DB, userId: string, roundId: string) {
  const round = await submissionRound(db, roundId);
  if (!round) return err('not_found');
  const c = await requireManager(db, round.contest_id, userId);
  if (!c.ok) return c;
  const rows = await db
    .selectFrom('contest_entry_results as r')
    .innerJoin('contest_entries as e', 'e.id', 'r.entry_id')
    .innerJoin('contest_entrants as n', 'n.id', 'e.entrant_id')
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .leftJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .select([
      'r.rank',
      'e.code',
      'n.full_name',
      'n.birth_year',
      'u.name as unit_name',
      'r.judges',
      'r.raw_score',
      'r.norm_score',
      'r.votes',
      'r.final_score',
      'r.advanced',
      'r.margin_flag',
      'p.label as prize',
    ])
    .where('r.round_id', '=', roundId)
    .orderBy('r.rank')
    .execute();
  return ok({ round, rows });
}
