/**
 * Public voting of submission rounds (issue #15): the people's choice, kept apart from the jury
 * score unless the organiser sets a weight. One vote per account per entry (or N per round),
 * a voting window, no accounts created after the window opened, per-address and per-account
 * rate limits, and bursts of new accounts voting for one entry held for review. Every limit that
 * must be exact is held by the database: a unique constraint per (entry, account), a guarded
 * upsert for the N-per-round quota, one open flag per entry by a partial unique index.
 */
import { createHash } from 'node:crypto';

import { sql } from 'kysely';

import { isUniqueViolation, lockRows, toNumber, writeTransaction } from '~/db/dialect';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { consumeAll, dbLimiter, LIMITS } from '~/lib/rate-limit.server';
import { err, ok, type Result } from '~/lib/result';

import { requireManager } from './access.server';
import { galleryChanged } from './cache.server';
import { isPublic } from './entries.server';

export type VoteError =
  'not_found' | 'voting_off' | 'vote_closed' | 'account_too_new' | 'own_entry' | 'already_voted' | 'quota_spent' | 'rate_limited';

export interface VoteLimits {
  /** Votes per address per minute in a round. */
  perIpPerMinute: number;
  /** Votes per account per minute in a round. */
  perAccountPerMinute: number;
}
export const DEFAULT_VOTE_LIMITS: VoteLimits = {
  perIpPerMinute: LIMITS.voteIp.points,
  perAccountPerMinute: LIMITS.voteAccount.points,
};

/**
 * Consumes one vote from the address's and the account's budget for this round (the shared
 * database-backed limiter of `~/lib/rate-limit.server`: one atomic upsert each, so parallel votes
 * cannot all slip under a limit). The minute is taken from `now` (fixed windows keyed by minute),
 * so an injected clock moves the window; the counter rows expire on their own.
 */
async function consumeVoteBudget(db: DB, roundId: string, userId: string, ip: string, now: Date, limits: VoteLimits) {
  const minute = Math.floor(now.getTime() / 60_000);
  return consumeAll([
    [dbLimiter({ keyPrefix: LIMITS.voteIp.keyPrefix, points: limits.perIpPerMinute, duration: 120 }, db), `${roundId}|${ip}|${minute}`],
    [
      dbLimiter({ keyPrefix: LIMITS.voteAccount.keyPrefix, points: limits.perAccountPerMinute, duration: 120 }, db),
      `${roundId}|${userId}|${minute}`,
    ],
  ]);
}

export function ipHash(ip: string): string {
  return createHash('sha256').update(`contest-vote|${ip}`).digest('hex').slice(0, 32);
}

class Refused extends Error {
  constructor(readonly code: VoteError) {
    super(code);
  }
}

/** Casts a vote; `status` tells whether it counts now or is held for review (a burst). */
export async function castVote(
  db: DB,
  input: { userId: string; entryId: string; ip: string },
  now = new Date(),
  limits: VoteLimits = DEFAULT_VOTE_LIMITS,
): Promise<Result<{ status: 'counted' | 'held' }, VoteError>> {
  const e = await db
    .selectFrom('contest_entries as e')
    .innerJoin('contest_submission_settings as s', 's.round_id', 'e.round_id')
    .select([
      'e.id',
      'e.round_id',
      'e.user_id',
      'e.moderation',
      'e.minor',
      'e.parental_consent',
      'e.mime',
      's.gallery',
      's.voting',
      's.votes_mode',
      's.votes_per_account',
      's.vote_opens_at',
      's.vote_closes_at',
      's.burst_window_s',
      's.burst_threshold',
      's.new_account_days',
    ])
    .where('e.id', '=', input.entryId)
    .executeTakeFirst();
  if (!e || !isPublic(e, e)) return err('not_found');
  if (!e.voting || !e.vote_opens_at || !e.vote_closes_at) return err('voting_off');
  const t = now.toISOString();
  if (t < e.vote_opens_at || t >= e.vote_closes_at) return err('vote_closed');
  if (e.user_id === input.userId) return err('own_entry');
  const user = await db.selectFrom('users').select(['created_at']).where('id', '=', input.userId).executeTakeFirst();
  if (!user) return err('not_found');
  if (user.created_at >= e.vote_opens_at) return err('account_too_new');

  const ip = ipHash(input.ip);
  const budget = await consumeVoteBudget(db, e.round_id, input.userId, ip, now, limits);
  if (!budget.ok) return err('rate_limited');

  const newAccount = user.created_at > new Date(now.getTime() - e.new_account_days * 86_400_000).toISOString();
  const since = new Date(now.getTime() - e.burst_window_s * 1000).toISOString();
  try {
    const status = await writeTransaction(db, async (trx) => {
      if (e.votes_mode === 'per_contest') {
        const q = await trx
          .insertInto('contest_vote_quota')
          .values({ round_id: e.round_id, user_id: input.userId, used: 1 })
          .onConflict((oc) =>
            oc
              .columns(['round_id', 'user_id'])
              .doUpdateSet({ used: sql`contest_vote_quota.used + 1` })
              .where('contest_vote_quota.used', '<', e.votes_per_account),
          )
          .returning('used')
          .executeTakeFirst();
        if (!q) throw new Refused('quota_spent');
      }
      let status: 'counted' | 'held' = 'counted';
      if (newAccount) {
        // New accounts' votes for one entry are serialised (PostgreSQL row lock; SQLite's write
        // lock already is), so a burst is seen by exactly one of them.
        await lockRows(trx, trx.selectFrom('contest_entries').select('id').where('id', '=', e.id)).execute();
        const open = await trx
          .selectFrom('contest_vote_flags')
          .select('id')
          .where('entry_id', '=', e.id)
          .where('status', '=', 'open')
          .executeTakeFirst();
        if (open) status = 'held';
        else {
          const recent = await trx
            .selectFrom('contest_votes')
            .select(sql<number>`count(*)`.as('n'))
            .where('entry_id', '=', e.id)
            .where('new_account', '=', 1)
            .where('status', '=', 'counted')
            .where('created_at', '>', since)
            .executeTakeFirstOrThrow();
          if (toNumber(recent.n) + 1 >= e.burst_threshold) {
            status = 'held';
            await trx
              .insertInto('contest_vote_flags')
              .values({
                id: newId(),
                round_id: e.round_id,
                entry_id: e.id,
                status: 'open',
                votes_seen: toNumber(recent.n) + 1,
                created_at: t,
                reviewed_by: null,
                reviewed_at: null,
              })
              .execute();
            await trx
              .updateTable('contest_votes')
              .set({ status: 'held' })
              .where('entry_id', '=', e.id)
              .where('new_account', '=', 1)
              .where('status', '=', 'counted')
              .where('created_at', '>', since)
              .execute();
          }
        }
      }
      await trx
        .insertInto('contest_votes')
        .values({
          id: newId(),
          round_id: e.round_id,
          entry_id: e.id,
          user_id: input.userId,
          ip_hash: ip,
          new_account: newAccount ? 1 : 0,
          status,
          created_at: t,
        })
        .execute();
      return status;
    });
    return ok({ status });
  } catch (x) {
    if (x instanceof Refused) return err(x.code);
    if (isUniqueViolation(x)) return err('already_voted');
    throw x;
  }
}

/** Counted votes per entry of a round (held and rejected votes are not shown); only `entryIds` when given (a gallery page). */
export async function voteCounts(db: DB, roundId: string, entryIds?: string[]): Promise<Map<string, number>> {
  if (entryIds && !entryIds.length) return new Map();
  if (entryIds) {
    // A gallery page: the counts the database keeps on each entry (triggers on contest_votes), not
    // a count of the votes themselves (240,000 rows for one page where votes gather on a few).
    const kept = await db
      .selectFrom('contest_entries')
      .select(['id', 'votes_counted'])
      .where('round_id', '=', roundId)
      .where('id', 'in', entryIds)
      .execute();
    return new Map(kept.map((r) => [r.id, toNumber(r.votes_counted)]));
  }
  const rows = await db
    .selectFrom('contest_votes')
    .select(['entry_id', sql<number>`count(*)`.as('n')])
    .where('round_id', '=', roundId)
    .where('status', '=', 'counted')
    .groupBy('entry_id')
    .execute();
  return new Map(rows.map((r) => [r.entry_id, toNumber(r.n)]));
}

/** The entries of a round the account voted for (any status): only among `entryIds` when given (a gallery page). */
export async function myVotes(db: DB, roundId: string, userId: string, entryIds?: string[]): Promise<Set<string>> {
  if (entryIds && !entryIds.length) return new Set();
  let q = db.selectFrom('contest_votes').select('entry_id').where('round_id', '=', roundId).where('user_id', '=', userId);
  if (entryIds) q = q.where('entry_id', 'in', entryIds);
  const rows = await q.execute();
  return new Set(rows.map((r) => r.entry_id));
}

export async function openVoteFlags(db: DB, userId: string, roundId: string) {
  const r = await db.selectFrom('contest_rounds').select('contest_id').where('id', '=', roundId).executeTakeFirst();
  if (!r) return err('not_found');
  const c = await requireManager(db, r.contest_id, userId);
  if (!c.ok) return c;
  const rows = await db
    .selectFrom('contest_vote_flags as f')
    .innerJoin('contest_entries as e', 'e.id', 'f.entry_id')
    .select(['f.id', 'f.entry_id', 'e.code', 'f.votes_seen', 'f.created_at'])
    .select((eb) =>
      eb
        .selectFrom('contest_votes as v')
        .select(sql<number>`count(*)`.as('n'))
        .whereRef('v.entry_id', '=', 'f.entry_id')
        .where('v.status', '=', 'held')
        .as('held'),
    )
    .where('f.round_id', '=', roundId)
    .where('f.status', '=', 'open')
    .orderBy('f.created_at')
    .execute();
  return ok(rows.map((x) => ({ ...x, held: toNumber(x.held) })));
}

/** An organiser reviews a burst: clearing counts the held votes, rejecting discards them. */
export async function reviewVoteFlag(
  db: DB,
  userId: string,
  flagId: string,
  decision: 'cleared' | 'rejected',
  now = new Date(),
): Promise<Result<{ votes: number }, 'not_found' | 'forbidden'>> {
  const f = await db
    .selectFrom('contest_vote_flags as f')
    .innerJoin('contest_rounds as r', 'r.id', 'f.round_id')
    .select(['f.id', 'f.entry_id', 'f.round_id', 'f.status', 'r.contest_id'])
    .where('f.id', '=', flagId)
    .executeTakeFirst();
  if (!f || f.status !== 'open') return err('not_found');
  const c = await requireManager(db, f.contest_id, userId);
  if (!c.ok) return c;
  const n = await writeTransaction(db, async (trx) => {
    await trx
      .updateTable('contest_vote_flags')
      .set({ status: decision, reviewed_by: userId, reviewed_at: now.toISOString() })
      .where('id', '=', flagId)
      .execute();
    const res = await trx
      .updateTable('contest_votes')
      .set({ status: decision === 'cleared' ? 'counted' : 'rejected' })
      .where('entry_id', '=', f.entry_id)
      .where('status', '=', 'held')
      .executeTakeFirst();
    return Number(res.numUpdatedRows ?? 0);
  });
  if (decision === 'cleared' && n) await galleryChanged(db, f.round_id); // the held votes count now
  return ok({ votes: n });
}

/* ---------------- the organiser's settings and the people's choice ---------------- */

export interface VotingSettingsInput {
  voting: boolean;
  voteOpensAt: string | null;
  voteClosesAt: string | null;
  votesMode: 'per_entry' | 'per_contest';
  /** per_contest: how many votes an account has in the round. */
  votesPerAccount: number;
  /** 0 (default): votes never enter the jury score; up to 1. */
  voteWeight: number;
  burstThreshold: number;
  burstWindowS: number;
  newAccountDays: number;
  /** The people's choice prize (empty: none). */
  peoplesChoiceLabel: string | null;
  peoplesChoiceWinners: number;
}

export type VotingSettingsError = 'not_found' | 'forbidden' | 'vote_window' | 'vote_weight' | 'results_published';

/** The organiser sets (or changes) a round's public voting; refused once its results are published. */
export async function setVotingSettings(
  db: DB,
  userId: string,
  roundId: string,
  i: VotingSettingsInput,
): Promise<Result<undefined, VotingSettingsError>> {
  const round = await db
    .selectFrom('contest_rounds as r')
    .innerJoin('contest_submission_settings as s', 's.round_id', 'r.id')
    .select(['r.contest_id', 'r.results_status'])
    .where('r.id', '=', roundId)
    .executeTakeFirst();
  if (!round) return err('not_found');
  const c = await requireManager(db, round.contest_id, userId);
  if (!c.ok) return c;
  if (round.results_status === 'published') return err('results_published');
  if (i.voting && !(i.voteOpensAt && i.voteClosesAt && i.voteClosesAt > i.voteOpensAt)) return err('vote_window');
  if (!(i.voteWeight >= 0 && i.voteWeight <= 1)) return err('vote_weight');
  const label = i.peoplesChoiceLabel?.trim() || null;
  await db
    .updateTable('contest_submission_settings')
    .set({
      voting: i.voting ? 1 : 0,
      vote_opens_at: i.voting ? i.voteOpensAt : null,
      vote_closes_at: i.voting ? i.voteClosesAt : null,
      votes_mode: i.votesMode,
      votes_per_account: Math.max(1, Math.round(i.votesPerAccount)),
      vote_weight: i.voting ? i.voteWeight : 0,
      burst_threshold: Math.max(2, Math.round(i.burstThreshold)),
      burst_window_s: Math.max(60, Math.round(i.burstWindowS)),
      new_account_days: Math.max(0, Math.round(i.newAccountDays)),
      peoples_choice_label: i.voting ? label : null,
      peoples_choice_winners: Math.max(1, Math.round(i.peoplesChoiceWinners)),
    })
    .where('round_id', '=', roundId)
    .execute();
  await galleryChanged(db, roundId); // the window and the vote buttons it shows
  return ok();
}

type VotingRound = {
  id: string;
  voting: number;
  vote_closes_at: string | null;
};

/**
 * Whether a round's votes are final: voting off, or its window closed and every burst reviewed
 * (held votes are never counted, so an unreviewed burst would decide the prize by omission).
 */
export async function votesPending(db: DB, round: VotingRound, now = new Date()): Promise<'votes_open' | 'flags_open' | null> {
  if (!round.voting || !round.vote_closes_at) return null;
  if (now.toISOString() < round.vote_closes_at) return 'votes_open';
  const open = await db
    .selectFrom('contest_vote_flags')
    .select('id')
    .where('round_id', '=', round.id)
    .where('status', '=', 'open')
    .limit(1)
    .executeTakeFirst();
  return open ? 'flags_open' : null;
}

/** Ranks a round's entries by counted votes; the top `winners` places (ties share) win, never with 0 votes. */
export function rankByVotes(counts: Map<string, number>, winners: number) {
  const rows = [...counts].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  let rank = 0;
  return rows.map(([entryId, votes], i) => {
    if (i === 0 || votes !== rows[i - 1][1]) rank = i + 1;
    return { entryId, votes, rank, winner: rank <= winners };
  });
}

/**
 * Decides the people's choice of a round from its counted votes (written in `trx`, replacing an
 * earlier decision): the caller checked that the votes are final. Returns the winning entries.
 */
export async function decidePeoplesChoice(trx: DB, roundId: string, winners: number, now = new Date()): Promise<Set<string>> {
  const ranked = rankByVotes(await voteCounts(trx, roundId), winners);
  await trx.deleteFrom('contest_vote_results').where('round_id', '=', roundId).execute();
  const at = now.toISOString();
  for (let i = 0; i < ranked.length; i += 300)
    await trx
      .insertInto('contest_vote_results')
      .values(
        ranked.slice(i, i + 300).map((r) => ({
          round_id: roundId,
          entry_id: r.entryId,
          votes: r.votes,
          rank: r.rank,
          winner: r.winner ? (1 as const) : (0 as const),
          decided_at: at,
        })),
      )
      .execute();
  return new Set(ranked.filter((r) => r.winner).map((r) => r.entryId));
}

/** The decided people's choice of a round (entry → votes, rank, winner); empty before it is decided. */
export async function peoplesChoiceOf(db: DB, roundId: string) {
  const rows = await db
    .selectFrom('contest_vote_results')
    .select(['entry_id', 'votes', 'rank', 'winner'])
    .where('round_id', '=', roundId)
    .orderBy('rank')
    .execute();
  return rows.map((r) => ({ entryId: r.entry_id, votes: toNumber(r.votes), rank: toNumber(r.rank), winner: !!r.winner }));
}
