import { z } from 'zod';

import { parseViDate } from '~/lib/dates';

import { readingLogSchema } from './clubs';

/** The reading log page (`/reading`): log minutes read, or delete one of one's own entries. */
export const readingPageSchema = z.discriminatedUnion('intent', [
  readingLogSchema.extend({ intent: z.literal('log') }).transform((v, ctx) => {
    const readOn = parseViDate(v.read_on);
    if (!readOn) ctx.addIssue({ code: 'custom', path: ['read_on'], message: 'clubs.errors.date' });
    return { intent: v.intent, readOn: readOn ?? '', minutes: v.minutes, what: v.what, partner: v.partner };
  }),
  z.object({ intent: z.literal('delete'), log: z.string().trim().min(1, 'errors.invalid').max(40, 'errors.invalid') }),
]);
export type ReadingPageInput = z.infer<typeof readingPageSchema>;
