import { z } from 'zod';

import { activitySchema, purposeSchema } from './plan';

const id = z.string().trim().min(1, 'errors.invalid').max(40, 'errors.invalid');

/** Every button of a unit's plan editor (`/weeks/<year>/plans/<unit>/edit`): one intent and what it acts on. */
export const planEditorSchema = z.discriminatedUnion('intent', [
  purposeSchema.extend({ intent: z.enum(['save-purpose', 'publish']) }),
  z.object({ intent: z.literal('unpublish') }),
  activitySchema.safeExtend({ intent: z.literal('add-activity') }),
  activitySchema.safeExtend({ intent: z.literal('update-activity'), activityId: id }),
  z.object({ intent: z.enum(['delete-activity', 'move-up', 'move-down']), activityId: id }),
]);
export type PlanEditorInput = z.infer<typeof planEditorSchema>;
