/** One function per multi-intent form of a nomination's page: intent → domain call → Result. */
import type { z } from 'zod';

import type { nominationActionSchema } from '~/forms/honours-decision';
import type { DB } from '~/lib/db.server';
import { ok, type Result } from '~/lib/result';

import { decideNomination, type NominationError, revokeHonour, submitNomination } from './nominations.server';

export type NominationAction = z.infer<typeof nominationActionSchema>;

export const actionFlash = {
  submit: 'honours.flash.submitted',
  approve: 'honours.flash.approved',
  return: 'honours.flash.returned',
  revoke: 'honours.flash.revoked',
} as const;

export async function nominationAction(
  db: DB,
  userId: string,
  id: string,
  a: NominationAction,
  now = new Date(),
): Promise<Result<undefined, NominationError>> {
  const r =
    a.intent === 'submit'
      ? await submitNomination(db, userId, id, now)
      : a.intent === 'approve'
        ? await decideNomination(db, userId, id, { decision: 'approve' }, now)
        : a.intent === 'return'
          ? await decideNomination(db, userId, id, { decision: 'return', comment: a.comment }, now)
          : await revokeHonour(db, userId, id, a.reason, now);
  return r.ok ? ok() : r;
}
