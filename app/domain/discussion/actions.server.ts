/**
 * The thread page's multi-intent form: intent → one domain call → Result (with where to go next
 * and the flash message). Routes stay thin.
 */
import type { z } from 'zod';

import type { threadSchema } from '~/forms/community';
import type { DB } from '~/lib/db.server';
import { err, ok, type Result } from '~/lib/result';

import { type FlagError, flagPost, moderate, type ModerateError } from './moderation.server';
import { type Actor, markThreadRead, type PostError, type PostOutcome, removePost, reply, setFollow, toggleReaction } from './posts.server';

export type ThreadForm = z.infer<typeof threadSchema>;
export type ThreadActionError = PostError | FlagError | ModerateError | 'invalid';
export interface ThreadActionOk {
  /** Where to go (a path with #post-N), or null to stay. */
  to: string | null;
  message: string;
}

/** A reply's outcome as the thread form answers it: to the new post (or the thread, when held for review). */
export function replyDone(r: PostOutcome): ThreadActionOk {
  const held = r.status === 'held';
  return {
    to: held ? r.threadUrl : `${r.threadUrl}?post=${r.postNo}#post-${r.postNo}`,
    message: held ? 'community.flash.held' : 'community.flash.replied',
  };
}

/**
 * Runs the form's intent on a thread the caller has checked the member may see (`threadAccess`)
 * — except a reply, which checks the thread and its place itself (`reply`), so the caller need not.
 */
export async function runThreadAction(
  db: DB,
  actor: Actor,
  threadId: string,
  f: ThreadForm,
  now = new Date(),
): Promise<Result<ThreadActionOk, ThreadActionError>> {
  switch (f.intent) {
    case 'reply': {
      const r = await reply(db, actor, threadId, { body: f.body, quoteOf: f.quoteOf || null }, now);
      return r.ok ? ok(replyDone(r.value)) : r;
    }
    case 'react': {
      const r = await toggleReaction(db, actor.userId, f.postId, f.reaction, now);
      return r.ok ? ok({ to: null, message: r.value.on ? 'community.flash.reacted' : 'community.flash.unreacted' }) : r;
    }
    case 'follow': {
      const r = await setFollow(db, actor.userId, threadId, f.on === '1', now);
      return r.ok ? ok({ to: null, message: f.on === '1' ? 'community.flash.followed' : 'community.flash.unfollowed' }) : r;
    }
    case 'read': {
      const r = await markThreadRead(db, actor.userId, threadId, f.postNo, now);
      return r.ok ? ok({ to: null, message: 'community.flash.read' }) : r;
    }
    case 'flag': {
      const r = await flagPost(db, actor, f.postId, { reason: f.reason, note: f.note }, now);
      return r.ok ? ok({ to: null, message: r.value.hidden ? 'community.flash.flaggedHidden' : 'community.flash.flagged' }) : r;
    }
    case 'remove': {
      const r = await removePost(db, actor, f.postId, now);
      return r.ok ? ok({ to: null, message: 'community.flash.removed' }) : r;
    }
    case 'moderate': {
      const r = await moderate(
        db,
        actor.userId,
        f.postId,
        { action: f.action, reason: f.reason, amount: f.amount ?? null, targetPlaceId: f.targetPlaceId || null },
        now,
      );
      return r.ok ? ok({ to: null, message: 'community.flash.moderated' }) : r;
    }
  }
  return err('invalid');
}
