import { z } from 'zod';

const comment = z
  .string()
  .optional()
  .transform((s) => (s ?? '').slice(0, 2000));

/** The moderation buttons on a resource page: send for review, publish, return or take down (with a reason), approve or turn down an edit. */
export const resourceDecisionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('submit') }),
  z.object({ intent: z.literal('publish'), comment }),
  z.object({ intent: z.literal('return'), comment }),
  z.object({ intent: z.literal('withdraw'), comment }),
  z.object({ intent: z.literal('approve-edit') }),
  z.object({ intent: z.literal('reject-edit'), comment }),
]);
export type ResourceDecision = z.infer<typeof resourceDecisionSchema>;
