import { z } from 'zod';

import { parseViDate } from '~/lib/dates';

const day = z
  .string()
  .trim()
  .regex(/^\d{1,2}\/\d{1,2}\/\d{4}$/, 'clubs.errors.date')
  .refine((v) => !!parseViDate(v), 'clubs.errors.date');

/** Highest sensible target per kind: minutes a day, minutes in all, books. */
export const CHALLENGE_TARGET_MAX = { minutes_per_day: 600, minutes_total: 100_000, books: 500 } as const;

/** A new reading challenge, for a unit ("unit:<id>") or a club ("club:<id>"). */
export const challengeCreateSchema = z
  .object({
    owner: z.string().regex(/^(unit|club):[A-Za-z0-9_-]{1,40}$/, 'errors.choose'),
    name: z.string().trim().min(1, 'errors.required').max(160, 'errors.tooLong'),
    kind: z.enum(['minutes_per_day', 'minutes_total', 'books'], { message: 'errors.choose' }),
    target: z
      .string()
      .trim()
      .regex(/^\d{1,6}$/, 'clubs.errors.target')
      .transform(Number),
    starts: day,
    ends: day,
  })
  .superRefine((v, ctx) => {
    if (v.target < 1 || v.target > CHALLENGE_TARGET_MAX[v.kind])
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'clubs.errors.target' });
    const s = parseViDate(v.starts);
    const e = parseViDate(v.ends);
    if (s && e && e < s) ctx.addIssue({ code: 'custom', path: ['ends'], message: 'clubs.errors.endsBeforeStart' });
  });

/** The buttons on a challenge page. */
export const challengeActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('join') }),
  z.object({ intent: z.literal('leave') }),
  z.object({ intent: z.literal('board'), show: z.enum(['0', '1']) }),
]);
