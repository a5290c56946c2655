/** One place that runs a resource page's moderation intent for a user (each mutator checks who may). */
import type { ResourceDecision } from '~/forms/oer-review';
import type { DB } from '~/lib/db.server';
import type { Result } from '~/lib/result';

import {
  approvePendingEdit,
  rejectPendingEdit,
  type ResourceError,
  reviewResource,
  submitResource,
  withdrawResource,
} from './resources.server';

export function runResourceDecision(
  db: DB,
  userId: string,
  id: string,
  input: ResourceDecision,
): Promise<Result<undefined, ResourceError>> {
  switch (input.intent) {
    case 'submit':
      return submitResource(db, userId, id);
    case 'publish':
    case 'return':
      return reviewResource(db, userId, id, input.intent, input.comment);
    case 'withdraw':
      return withdrawResource(db, userId, id, input.comment);
    case 'approve-edit':
      return approvePendingEdit(db, userId, id);
    case 'reject-edit':
      return rejectPendingEdit(db, userId, id, input.comment);
  }
}
