import { z } from 'zod';

import { parseViDate } from '~/lib/dates';

const checked = z
  .string()
  .optional()
  .transform((v) => v === '1');

/** The school's reading-time rule: minutes per day (on the ticked weekdays) or per week. */
export const readingRuleSchema = z
  .object({
    minutes: z
      .string()
      .trim()
      .regex(/^\d{1,3}$/, 'clubs.errors.ruleMinutes')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 600, 'clubs.errors.ruleMinutes'),
    period: z.enum(['day', 'week'], { message: 'errors.choose' }),
    wd1: checked,
    wd2: checked,
    wd3: checked,
    wd4: checked,
    wd5: checked,
    wd6: checked,
    wd7: checked,
  })
  .transform((v, ctx) => {
    const weekdays = [v.wd1, v.wd2, v.wd3, v.wd4, v.wd5, v.wd6, v.wd7].flatMap((on, i) => (on ? [i + 1] : []));
    if (!weekdays.length) {
      ctx.addIssue({ code: 'custom', path: ['weekdays'], message: 'clubs.errors.noWeekdays' });
      return z.NEVER;
    }
    return { minutes: v.minutes, period: v.period, weekdays };
  });

/** A class reading session: the day, the minutes, and (as `present`, checkboxes) who was there. */
export const classSessionSchema = z.object({
  read_on: z
    .string()
    .trim()
    .regex(/^\d{1,2}\/\d{1,2}\/\d{4}$/, 'clubs.errors.date')
    .refine((v) => !!parseViDate(v), 'clubs.errors.date'),
  minutes: z
    .string()
    .trim()
    .regex(/^\d{1,3}$/, 'clubs.errors.minutes')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 600, 'clubs.errors.sessionMinutes'),
});
