import { z } from 'zod';

import { disqualifySchema, populationSchema, prizeSchema, rankingSchema, roundActionSchema, roundSchema } from './contests';

/** The contest-wide ranking rule: the sum of each entrant's best N rounds (empty: every round). */
export const overallRuleSchema = z.object({
  intent: z.literal('overall_rule'),
  best_rounds: z
    .string()
    .trim()
    .refine((v) => !v || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 50), 'contests.errors.bestRounds')
    .transform((v) => (v ? Number(v) : null)),
});

/** Every button of the organisers' page (`/contests/<slug>/manage`) but the bank upload (multipart). */
export const contestManageSchema = z.discriminatedUnion('intent', [
  roundSchema,
  prizeSchema,
  populationSchema,
  rankingSchema,
  roundActionSchema,
  disqualifySchema,
  overallRuleSchema,
  z.object({ intent: z.enum(['propose_overall', 'confirm_overall']) }),
]);
export type ContestManageInput = z.infer<typeof contestManageSchema>;
