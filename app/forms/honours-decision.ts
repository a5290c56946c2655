import { z } from 'zod';

/** The buttons of a nomination's page: submit (its unit), approve / return / revoke (the approver). */
export const nominationActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('submit') }),
  z.object({ intent: z.literal('approve') }),
  z.object({
    intent: z.literal('return'),
    comment: z.string().trim().min(1, 'honours.errors.commentRequired').max(2000, 'errors.tooLong'),
  }),
  z.object({ intent: z.literal('revoke'), reason: z.string().trim().min(1, 'honours.errors.reasonRequired').max(2000, 'errors.tooLong') }),
]);

/** The public roll's filters (a GET form). */
export const rollFilterSchema = z.object({
  category: z.enum(['self_learner', 'learning_family', 'learning_unit', 'collective']).nullable().catch(null),
  q: z.string().max(100).catch(''),
  year: z
    .string()
    .regex(/^\d{4}$/)
    .transform(Number)
    .nullable()
    .catch(null),
});
