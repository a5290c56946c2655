/**
 * Book polls: 2–10 candidate books (library titles or any book), ranked by each member, one
 * ballot per member (the primary key), changeable until the poll closes; closing tallies by
 * instant runoff (./irv.ts) and keeps every round for the results page.
 */
import { isUniqueViolation } from '~/db/dialect';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';

import { clubAccess } from './access.server';
import { clubChanged } from './cache.server';
import { instantRunoff, type IrvResult } from './irv';
import { notifyPoll } from './notices.server';

export type PollError =
  'not_found' | 'forbidden' | 'not_member' | 'too_few' | 'too_many' | 'closes_in_past' | 'poll_closed' | 'bad_ranking';

export type PollOptionInput = { titleId?: string | null; label: string };

export async function createPoll(
  db: DB,
  userId: string,
  clubId: string,
  input: { question: string; closesAt: string; options: PollOptionInput[] },
  now = new Date(),
): Promise<Result<{ id: string }, PollError>> {
  const a = await clubAccess(db, { id: clubId }, userId);
  if (a.status !== 'ok') return err('not_found');
  if (!a.canModerate) return err('forbidden');
  const options = input.options.filter((o) => o.label.trim() || o.titleId);
  if (options.length < 2) return err('too_few');
  if (options.length > 10) return err('too_many');
  if (Date.parse(input.closesAt) <= now.getTime()) return err('closes_in_past');
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('club_polls')
      .values({
        id,
        club_id: clubId,
        question: input.question.trim(),
        closes_at: input.closesAt,
        status: 'open',
        winner_option_id: null,
        tally_json: null,
        created_by: userId,
        created_at: nowIso(),
      })
      .execute();
    let position = 0;
    for (const o of options) {
      let label = o.label.trim();
      if (o.titleId && !label) {
        const t = await trx.selectFrom('lib_titles').select('title').where('id', '=', o.titleId).executeTakeFirst();
        label = t?.title ?? '';
      }
      await trx
        .insertInto('club_poll_options')
        .values({ id: newId(), poll_id: id, position: position++, title_id: o.titleId ?? null, label })
        .execute();
    }
  });
  await notifyPoll(db, id, 'opened', userId, now);
  return clubChanged(db, clubId, ok({ id }));
}

async function loadPoll(db: DB, pollId: string) {
  return db.selectFrom('club_polls').selectAll().where('id', '=', pollId).executeTakeFirst();
}

export async function pollOptions(db: DB, pollId: string) {
  return db.selectFrom('club_poll_options').selectAll().where('poll_id', '=', pollId).orderBy('position').execute();
}

/** Casts or replaces the member's ballot: option ids in order of preference (at least one). */
export async function castBallot(
  db: DB,
  userId: string,
  pollId: string,
  ranking: string[],
  now = new Date(),
): Promise<Result<undefined, PollError>> {
  const poll = await loadPoll(db, pollId);
  if (!poll) return err('not_found');
  const a = await clubAccess(db, { id: poll.club_id }, userId);
  if (a.status !== 'ok') return err('not_found');
  if (!a.isMember) return err('not_member');
  if (poll.status !== 'open' || Date.parse(poll.closes_at) <= now.getTime()) return err('poll_closed');
  const ids = new Set((await pollOptions(db, pollId)).map((o) => o.id));
  const clean = ranking.filter((r, i) => ids.has(r) && ranking.indexOf(r) === i);
  if (!clean.length || clean.length !== ranking.length) return err('bad_ranking');
  const value = clean.join(',');
  const stamp = nowIso();
  try {
    await db
      .insertInto('club_ballots')
      .values({ poll_id: pollId, user_id: userId, ranking: value, updated_at: stamp })
      .onConflict((oc) => oc.columns(['poll_id', 'user_id']).doUpdateSet({ ranking: value, updated_at: stamp }))
      .execute();
  } catch (e) {
    // Two submits of one member at the same instant: the primary key keeps one ballot.
    if (!isUniqueViolation(e)) throw e;
    await db
      .updateTable('club_ballots')
      .set({ ranking: value, updated_at: stamp })
      .where('poll_id', '=', pollId)
      .where('user_id', '=', userId)
      .execute();
  }
  return ok();
}

export async function myBallot(db: DB, userId: string, pollId: string): Promise<string[] | null> {
  const b = await db
    .selectFrom('club_ballots')
    .select('ranking')
    .where('poll_id', '=', pollId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return b ? b.ranking.split(',') : null;
}

/** Closes a poll (a moderator early, or the job at its closing time) and stores the tally. */
export async function closePoll(
  db: DB,
  pollId: string,
  by: { userId: string } | { job: true },
  now = new Date(),
): Promise<Result<IrvResult, PollError>> {
  const poll = await loadPoll(db, pollId);
  if (!poll) return err('not_found');
  if ('userId' in by) {
    const a = await clubAccess(db, { id: poll.club_id }, by.userId);
    if (a.status !== 'ok') return err('not_found');
    if (!a.canModerate) return err('forbidden');
  } else if (Date.parse(poll.closes_at) > now.getTime()) return err('forbidden');
  if (poll.status === 'closed') return ok(JSON.parse(poll.tally_json ?? '{"winner":null,"rounds":[]}') as IrvResult);
  const options = (await pollOptions(db, pollId)).map((o) => o.id);
  const ballots = (await db.selectFrom('club_ballots').select('ranking').where('poll_id', '=', pollId).execute()).map((b) =>
    b.ranking.split(','),
  );
  const result = instantRunoff(options, ballots);
  const closed = await db
    .updateTable('club_polls')
    .set({ status: 'closed', winner_option_id: result.winner, tally_json: JSON.stringify(result) })
    .where('id', '=', pollId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  // Only the call that actually closed it announces the result (a moderator and the job may race).
  if (Number(closed.numUpdatedRows)) await notifyPoll(db, pollId, 'closed', undefined, now);
  return clubChanged(db, poll.club_id, ok(result));
}

/** The job: closes every poll whose time has come. */
export async function closeDuePolls(db: DB, now = new Date()): Promise<number> {
  const due = await db
    .selectFrom('club_polls')
    .select('id')
    .where('status', '=', 'open')
    .where('closes_at', '<=', now.toISOString())
    .execute();
  for (const p of due) await closePoll(db, p.id, { job: true }, now);
  return due.length;
}
