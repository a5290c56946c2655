/**
 * Moderation, after Discourse: flags with a reason; a post hides itself once flags from
 * established members reach HIDE_THRESHOLD; a review queue per unit (organisers of the unit and
 * the moderators they appoint); items nobody handles within ESCALATE_AFTER_H move up to the
 * parent unit's queue; actions (approve, hide, delete, warn, silence, lock, pin, slow mode, move)
 * are logged with who, when and why, and the author is told.
 */
import { sql } from 'kysely';

import { isUniqueViolation, toNumber, writeTransaction } from '~/db/dialect';
import type { FlagReason } from '~/db/schema';
import { FLAG_REASONS } from '~/db/schema';
import { hasRole } from '~/domain/accounts.server';
import { moveGatheredNotices, notify } from '~/domain/notifications/notify.server';
import { getT } from '~/i18n/i18n.server';
import { asKey } from '~/i18n/keys';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';

import { takeFlagAllowance } from './limits.server';
import { isEstablished, isUnitModerator, publicName } from './members.server';
import { canModeratePlace, canReadPlace, describePlace, placeChanged } from './places.server';
import { afterApproval, canModerateThread, enqueueApprovalFanOut, openQueueItem, softRemove, threadNoticeKey } from './posts.server';
import { reindexThread, unindexPost } from './search.server';

export const HIDE_THRESHOLD = 3;
export const ESCALATE_AFTER_H = 48;

export type FlagError = 'not_found' | 'own_post' | 'already' | 'reason' | 'note_required' | 'rate_limited';

export function isFlagReason(r: string): r is FlagReason {
  return (FLAG_REASONS as readonly string[]).includes(r);
}

/** A member flags a post. Returns whether the post is now hidden pending review. */
export async function flagPost(
  db: DB,
  actor: { userId: string; ip?: string | null },
  postId: string,
  input: { reason: string; note?: string | null },
  now = new Date(),
): Promise<Result<{ hidden: boolean }, FlagError>> {
  if (!isFlagReason(input.reason)) return err('reason');
  const note = (input.note ?? '').trim().slice(0, 500) || null;
  if (input.reason === 'other' && !note) return err('note_required');
  const p = await db
    .selectFrom('disc_posts as p')
    .innerJoin('disc_threads as t', 't.id', 'p.thread_id')
    .select(['p.id', 'p.author_id', 'p.status', 'p.post_no', 'p.thread_id', 't.place_type', 't.place_id', 't.unit_id'])
    .where('p.id', '=', postId)
    .executeTakeFirst();
  if (!p || p.status !== 'visible' || !(await canReadPlace(db, actor.userId, { type: p.place_type, id: p.place_id })))
    return err('not_found');
  if (p.author_id === actor.userId) return err('own_post');
  const wait = await takeFlagAllowance(actor.userId, actor.ip ?? null);
  if (wait) return err('rate_limited', { seconds: wait });
  const established = await isEstablished(db, actor.userId, now);
  const iso = now.toISOString();
  let hidden = false;
  try {
    await writeTransaction(db, async (trx) => {
      await trx
        .insertInto('disc_flags')
        .values({
          id: newId(),
          post_id: postId,
          user_id: actor.userId,
          reason: input.reason as FlagReason,
          note,
          established: established ? 1 : 0,
          created_at: iso,
        })
        .execute();
      if (p.unit_id) await openQueueItem(trx, postId, p.unit_id, 'flags', now);
      const n = await trx
        .selectFrom('disc_flags')
        .select(sql<number>`count(*)`.as('n'))
        .where('post_id', '=', postId)
        .where('established', '=', 1)
        .executeTakeFirst();
      if (toNumber(n?.n) >= HIDE_THRESHOLD) {
        const r = await trx
          .updateTable('disc_posts')
          .set({ status: 'hidden' })
          .where('id', '=', postId)
          .where('status', '=', 'visible')
          .executeTakeFirst();
        hidden = Number(r.numUpdatedRows) > 0;
        if (hidden && p.post_no === 1)
          await trx.updateTable('disc_threads').set({ status: 'hidden' }).where('id', '=', p.thread_id).execute();
      }
    });
  } catch (e) {
    if (isUniqueViolation(e)) return err('already');
    throw e;
  }
  if (hidden) {
    await unindexPost(db, postId);
    await logAction(db, { actorId: null, action: 'auto_hide', postId, reason: `flags>=${HIDE_THRESHOLD}`, now });
    await placeChanged(db, { type: p.place_type, id: p.place_id }, p.thread_id);
  }
  return ok({ hidden });
}

async function logAction(
  db: DB,
  a: {
    actorId: string | null;
    action: string;
    postId?: string | null;
    threadId?: string | null;
    subjectUserId?: string | null;
    unitId?: string | null;
    reason: string;
    now: Date;
  },
) {
  let threadId = a.threadId ?? null;
  let unitId = a.unitId ?? null;
  let subject = a.subjectUserId ?? null;
  if (a.postId && (!threadId || !unitId || !subject)) {
    const p = await db
      .selectFrom('disc_posts as p')
      .innerJoin('disc_threads as t', 't.id', 'p.thread_id')
      .select(['t.id', 't.unit_id', 'p.author_id'])
      .where('p.id', '=', a.postId)
      .executeTakeFirst();
    threadId ??= p?.id ?? null;
    unitId ??= p?.unit_id ?? null;
    subject ??= p?.author_id ?? null;
  }
  await db
    .insertInto('disc_mod_log')
    .values({
      id: newId(),
      actor_id: a.actorId,
      action: a.action,
      thread_id: threadId,
      post_id: a.postId ?? null,
      subject_user_id: subject,
      unit_id: unitId,
      reason: a.reason,
      created_at: a.now.toISOString(),
    })
    .execute();
}

// ---- the review queue ----

/** Open items of one unit's queue (its own and those escalated to it), oldest first. */
export async function reviewQueue(db: DB, userId: string, unitId: string, now = new Date()) {
  if (!(await isUnitModerator(db, userId, unitId))) return null;
  const rows = await db
    .selectFrom('disc_queue as q')
    .innerJoin('disc_posts as p', 'p.id', 'q.post_id')
    .innerJoin('disc_threads as t', 't.id', 'p.thread_id')
    .innerJoin('users as u', 'u.id', 'p.author_id')
    .select([
      'q.id',
      'q.reason',
      'q.escalations',
      'q.created_at',
      'q.queued_at',
      'p.id as post_id',
      'p.post_no',
      'p.status',
      'p.body_html',
      't.id as thread_id',
      't.title',
      't.place_type',
      't.place_id',
      't.locked',
      'u.display_name',
      'u.birth_year',
    ])
    .where('q.unit_id', '=', unitId)
    .where('q.status', '=', 'open')
    .orderBy('q.queued_at')
    .limit(100)
    .execute();
  const ids = rows.map((r) => r.post_id);
  const flags = ids.length
    ? await db.selectFrom('disc_flags').select(['post_id', 'reason', 'note']).where('post_id', 'in', ids).orderBy('created_at').execute()
    : [];
  const out = [];
  for (const r of rows) {
    const info = await describePlace(db, { type: r.place_type, id: r.place_id });
    out.push({
      id: r.id,
      reason: r.reason,
      escalated: r.escalations > 0,
      createdAt: r.created_at,
      postId: r.post_id,
      postNo: r.post_no,
      status: r.status,
      html: r.body_html,
      threadId: r.thread_id,
      threadTitle: r.title,
      threadLocked: r.locked === 1,
      url: info ? `${info.threadUrl(r.thread_id)}?post=${r.post_no}#post-${r.post_no}` : null,
      placeName: info?.name ?? '',
      author: publicName(r.display_name, r.birth_year, now),
      flags: flags.filter((f) => f.post_id === r.post_id).map((f) => ({ reason: f.reason, note: f.note })),
    });
  }
  return out;
}

/** Items unhandled for 48 h move up to the parent unit's queue (the root's stay). Run by a periodic job. */
export async function escalateQueue(db: DB, now = new Date()): Promise<number> {
  const due = new Date(now.getTime() - ESCALATE_AFTER_H * 3600_000).toISOString();
  const rows = await db
    .selectFrom('disc_queue as q')
    .innerJoin('units as u', 'u.id', 'q.unit_id')
    .select(['q.id', 'q.post_id', 'q.unit_id', 'u.parent_id'])
    .where('q.status', '=', 'open')
    .where('q.queued_at', '<=', due)
    .where('u.parent_id', 'is not', null)
    .limit(1000)
    .execute();
  let n = 0;
  for (const r of rows) {
    const up = await db
      .updateTable('disc_queue')
      .set({ unit_id: r.parent_id!, queued_at: now.toISOString(), escalations: sql`escalations + 1` })
      .where('id', '=', r.id)
      .where('status', '=', 'open')
      .where('unit_id', '=', r.unit_id)
      .executeTakeFirst();
    if (Number(up.numUpdatedRows) > 0) {
      n++;
      await logAction(db, {
        actorId: null,
        action: 'escalate',
        postId: r.post_id,
        unitId: r.parent_id,
        reason: `${ESCALATE_AFTER_H}h`,
        now,
      });
    }
  }
  return n;
}

// ---- actions ----

export const MOD_ACTIONS = ['approve', 'hide', 'delete', 'warn', 'silence', 'lock', 'unlock', 'pin', 'unpin', 'slow', 'move'] as const;
export type ModAction = (typeof MOD_ACTIONS)[number];
export type ModerateError = 'not_found' | 'forbidden' | 'reason_required' | 'days' | 'target';

export interface ModerateInput {
  action: ModAction;
  reason: string;
  /** silence: days (1–365); slow: seconds between posts (0 turns slow mode off). */
  amount?: number | null;
  /** move: the place id (same place type) to move the thread to. */
  targetPlaceId?: string | null;
}

const TELL_KEYS: Record<ModAction, string> = {
  approve: 'community.modActions.approve',
  hide: 'community.modActions.hide',
  delete: 'community.modActions.delete',
  warn: 'community.modActions.warn',
  silence: 'community.modActions.silence',
  lock: 'community.modActions.lock',
  unlock: 'community.modActions.unlock',
  pin: 'community.modActions.pin',
  unpin: 'community.modActions.unpin',
  slow: 'community.modActions.slow',
  move: 'community.modActions.move',
};

/**
 * A moderator acts on a post (and its thread). Allowed for moderators of the thread's place and
 * of the unit whose queue holds the post (after escalation).
 */
export async function moderate(
  db: DB,
  actorId: string,
  postId: string,
  input: ModerateInput,
  now = new Date(),
): Promise<Result<{ threadUrl: string }, ModerateError>> {
  const reason = (input.reason ?? '').trim().slice(0, 500);
  if (!reason && input.action !== 'approve' && input.action !== 'unpin' && input.action !== 'unlock') return err('reason_required');
  const p = await db
    .selectFrom('disc_posts as p')
    .innerJoin('disc_threads as t', 't.id', 'p.thread_id')
    .select(['p.id', 'p.post_no', 'p.status', 'p.author_id', 'p.thread_id', 't.title', 't.place_type', 't.place_id', 't.unit_id'])
    .where('p.id', '=', postId)
    .executeTakeFirst();
  if (!p) return err('not_found');
  const item = await db
    .selectFrom('disc_queue')
    .select(['id', 'unit_id'])
    .where('post_id', '=', postId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  const allowed = (await canModerateThread(db, actorId, p)) || (item ? await isUnitModerator(db, actorId, item.unit_id) : false);
  if (!allowed) return (await canReadPlace(db, actorId, { type: p.place_type, id: p.place_id })) ? err('forbidden') : err('not_found');
  const iso = now.toISOString();
  const close = () =>
    db
      .updateTable('disc_queue')
      .set({ status: 'handled', handled_by: actorId, handled_at: iso })
      .where('post_id', '=', postId)
      .where('status', '=', 'open')
      .execute();
  let logReason = reason;
  switch (input.action) {
    case 'approve': {
      // Whether this approval is the one that takes the post out of `held` is decided by the UPDATE
      // itself (under the row's lock), not by the row read above: two moderators approving at once
      // count the reply and write its outbox row (the notices) once.
      const fromHeld = await writeTransaction(db, async (trx) => {
        const held = await trx
          .updateTable('disc_posts')
          .set({ status: 'visible' })
          .where('id', '=', postId)
          .where('status', '=', 'held')
          .executeTakeFirst();
        const wasHeld = Number(held.numUpdatedRows) > 0;
        if (!wasHeld)
          await trx.updateTable('disc_posts').set({ status: 'visible' }).where('id', '=', postId).where('status', '=', 'hidden').execute();
        if (p.post_no === 1)
          await trx
            .updateTable('disc_threads')
            .set({ status: 'visible' })
            .where('id', '=', p.thread_id)
            .where('status', 'in', ['held', 'hidden'])
            .execute();
        else if (wasHeld)
          await trx
            .updateTable('disc_threads')
            .set({ reply_count: sql`reply_count + 1`, last_post_at: iso })
            .where('id', '=', p.thread_id)
            .execute();
        if (wasHeld) await enqueueApprovalFanOut(trx, postId, now);
        return wasHeld;
      });
      await close();
      if (p.status !== 'removed') await afterApproval(db, postId, fromHeld);
      break;
    }
    case 'hide':
      await db.updateTable('disc_posts').set({ status: 'hidden' }).where('id', '=', postId).where('status', '!=', 'removed').execute();
      if (p.post_no === 1) await db.updateTable('disc_threads').set({ status: 'hidden' }).where('id', '=', p.thread_id).execute();
      await close();
      await unindexPost(db, postId);
      break;
    case 'delete':
      await softRemove(db, { ...p, unit_id: p.unit_id }, actorId, null, now);
      break;
    case 'warn':
      await close();
      break;
    case 'silence': {
      const days = Math.trunc(Number(input.amount));
      if (!Number.isFinite(days) || days < 1 || days > 365) return err('days');
      const unitId = p.unit_id ?? item?.unit_id;
      if (!unitId) return err('not_found');
      await db
        .insertInto('disc_silences')
        .values({
          id: newId(),
          user_id: p.author_id,
          unit_id: unitId,
          until: new Date(now.getTime() + days * 86_400_000).toISOString(),
          reason,
          created_by: actorId,
          created_at: iso,
        })
        .execute();
      await close();
      logReason = `${reason} (${days}d)`;
      break;
    }
    case 'lock':
    case 'unlock':
      await db
        .updateTable('disc_threads')
        .set({ locked: input.action === 'lock' ? 1 : 0 })
        .where('id', '=', p.thread_id)
        .execute();
      break;
    case 'pin':
    case 'unpin':
      await db
        .updateTable('disc_threads')
        .set({ pinned: input.action === 'pin' ? 1 : 0 })
        .where('id', '=', p.thread_id)
        .execute();
      break;
    case 'slow': {
      const s = Math.trunc(Number(input.amount));
      if (!Number.isFinite(s) || s < 0 || s > 86_400) return err('days');
      await db.updateTable('disc_threads').set({ slow_mode_s: s }).where('id', '=', p.thread_id).execute();
      logReason = `${reason} (${s}s)`;
      break;
    }
    case 'move': {
      const target = input.targetPlaceId ?? '';
      const to = { type: p.place_type, id: target };
      const info = target ? await describePlace(db, to) : null;
      if (!info || target === p.place_id || !(await canModeratePlace(db, actorId, to))) return err('target');
      await db.updateTable('disc_threads').set({ place_id: target, unit_id: info.unitId }).where('id', '=', p.thread_id).execute();
      await reindexThread(db, p.thread_id);
      await moveGatheredNotices(db, threadNoticeKey(p.thread_id), to);
      logReason = `${reason} (→ ${info.name})`;
      break;
    }
  }
  await logAction(db, {
    actorId,
    action: input.action,
    postId,
    threadId: p.thread_id,
    subjectUserId: p.author_id,
    unitId: p.unit_id,
    reason: logReason,
    now,
  });
  // A move changes both places' pages.
  if (input.action === 'move' && input.targetPlaceId) await placeChanged(db, { type: p.place_type, id: input.targetPlaceId }, p.thread_id);
  await placeChanged(db, { type: p.place_type, id: p.place_id }, p.thread_id);
  if (p.author_id !== actorId) {
    const u = await db.selectFrom('users').select('locale').where('id', '=', p.author_id).executeTakeFirst();
    const t = getT(u?.locale ?? 'vi');
    const info = await describePlace(db, { type: p.place_type, id: p.place_id });
    const place = await db
      .selectFrom('disc_threads')
      .select(['place_type', 'place_id'])
      .where('id', '=', p.thread_id)
      .executeTakeFirstOrThrow();
    await notify(db, {
      userId: p.author_id,
      type: 'community.moderation',
      params: { action: t(asKey(TELL_KEYS[input.action])), title: p.title, reason: logReason || '—' },
      url: info ? `${info.threadUrl(p.thread_id)}?post=${p.post_no}#post-${p.post_no}` : null,
      place: { type: place.place_type, id: place.place_id },
      now,
    });
  }
  const info = await describePlace(db, { type: p.place_type, id: p.place_id });
  return ok({ threadUrl: info ? info.threadUrl(p.thread_id) : '/' });
}

/** The log of a unit's moderation (its subtree), newest first, for its moderators. */
export async function moderationLog(db: DB, userId: string, unitId: string, limit = 50) {
  if (!(await isUnitModerator(db, userId, unitId))) return null;
  return db
    .selectFrom('disc_mod_log as l')
    .innerJoin('unit_closure as c', 'c.descendant_id', 'l.unit_id')
    .leftJoin('users as a', 'a.id', 'l.actor_id')
    .leftJoin('disc_threads as t', 't.id', 'l.thread_id')
    .select(['l.id', 'l.action', 'l.reason', 'l.created_at', 'a.display_name as actor', 't.title'])
    .where('c.ancestor_id', '=', unitId)
    .orderBy('l.created_at', 'desc')
    .limit(limit)
    .execute();
}

// ---- watched words, moderators ----

export type WordError = 'forbidden' | 'word' | 'duplicate';

export async function addWatchedWord(
  db: DB,
  actorId: string,
  unitId: string,
  word: string,
  action: 'block' | 'hold' | 'flag',
  now = new Date(),
): Promise<Result<undefined, WordError>> {
  if (!(await isUnitModerator(db, actorId, unitId))) return err('forbidden');
  const w = word.normalize('NFC').trim().toLowerCase();
  if (!w || w.length > 60) return err('word');
  try {
    await db
      .insertInto('disc_watched_words')
      .values({ id: newId(), unit_id: unitId, word: w, action, created_by: actorId, created_at: now.toISOString() })
      .execute();
  } catch (e) {
    if (isUniqueViolation(e)) return err('duplicate');
    throw e;
  }
  await logAction(db, { actorId, action: 'watched_word', unitId, reason: `${action}: ${w}`, now });
  return ok();
}

export async function removeWatchedWord(
  db: DB,
  actorId: string,
  id: string,
  now = new Date(),
): Promise<Result<undefined, 'forbidden' | 'not_found'>> {
  const w = await db.selectFrom('disc_watched_words').selectAll().where('id', '=', id).executeTakeFirst();
  if (!w) return err('not_found');
  if (!(await isUnitModerator(db, actorId, w.unit_id))) return err('forbidden');
  await db.deleteFrom('disc_watched_words').where('id', '=', id).execute();
  await logAction(db, { actorId, action: 'watched_word_removed', unitId: w.unit_id, reason: w.word, now });
  return ok();
}

export async function listWatchedWords(db: DB, actorId: string, unitId: string) {
  if (!(await isUnitModerator(db, actorId, unitId))) return null;
  return db.selectFrom('disc_watched_words').select(['id', 'word', 'action']).where('unit_id', '=', unitId).orderBy('word').execute();
}

/** An organiser of the unit appoints a moderator for its queue (and its subtree's places). */
export async function appointModerator(
  db: DB,
  actorId: string,
  unitId: string,
  userEmail: string,
  now = new Date(),
): Promise<Result<undefined, 'forbidden' | 'not_found'>> {
  if (!(await hasRole(db, actorId, unitId, 'organiser'))) return err('forbidden');
  const u = await db.selectFrom('users').select('id').where('email', '=', userEmail.trim().toLowerCase()).executeTakeFirst();
  if (!u) return err('not_found');
  await db
    .insertInto('disc_moderators')
    .values({ unit_id: unitId, user_id: u.id, appointed_by: actorId, created_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['unit_id', 'user_id']).doNothing())
    .execute();
  await logAction(db, { actorId, action: 'appoint', unitId, subjectUserId: u.id, reason: 'moderator', now });
  return ok();
}
