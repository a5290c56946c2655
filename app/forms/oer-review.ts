import { z } from 'zod';

const comment = z
  .string()
  .optional()
  .transform((s) => (s ?? '').slice(0, 2000));

/** The moderation buttons on a resource page: send for review, publish, return or take down (with a reason). */
export const resourceDecisionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('submit') }),
  z.object({ intent: z.literal('publish'), comment }),
  z.object({ intent: z.literal('return'), comment }),
  z.object({ intent: z.literal('withdraw'), comment }),
]);
export type ResourceDecision = z.infer<typeof resourceDecisionSchema>;
