/** The review queue page's forms: intent → one domain call → Result. */
import type { z } from 'zod';

import { setCategorySlowMode } from '~/domain/forums/forums.server';
import type { queueSchema } from '~/forms/community';
import type { DB } from '~/lib/db.server';
import { ok, type Result } from '~/lib/result';

import { addWatchedWord, appointModerator, moderate, type ModerateError, removeWatchedWord, type WordError } from './moderation.server';

export type QueueForm = z.infer<typeof queueSchema>;

export async function runQueueAction(
  db: DB,
  actorId: string,
  unitId: string,
  f: QueueForm,
  now = new Date(),
): Promise<Result<string, ModerateError | WordError>> {
  switch (f.intent) {
    case 'moderate': {
      const r = await moderate(db, actorId, f.postId, { action: f.action, reason: f.reason, amount: f.amount ?? null }, now);
      return r.ok ? ok('community.flash.moderated') : r;
    }
    case 'word': {
      const r = await addWatchedWord(db, actorId, unitId, f.word, f.action, now);
      return r.ok ? ok('community.flash.wordAdded') : r;
    }
    case 'unword': {
      const r = await removeWatchedWord(db, actorId, f.wordId, now);
      return r.ok ? ok('community.flash.wordRemoved') : r;
    }
    case 'appoint': {
      const r = await appointModerator(db, actorId, unitId, f.email, now);
      return r.ok ? ok('community.flash.appointed') : r;
    }
    case 'slow-category': {
      const r = await setCategorySlowMode(db, actorId, f.categoryId, f.seconds, f.reason, now);
      return r.ok ? ok('community.flash.moderated') : r;
    }
  }
}
