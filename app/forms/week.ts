import { z } from 'zod';

import { fromLocalInput } from '~/lib/dates';

const date = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'errors.date');
const optionalDate = z.union([z.literal(''), date]).transform((v) => v || null);
const dateTime = z
  .string()
  .trim()
  .min(1, 'errors.required')
  .transform((v, ctx) => {
    const iso = fromLocalInput(v);
    if (!iso) ctx.addIssue({ code: 'custom', message: 'errors.dateTime' });
    return iso ?? '';
  });
const optionalDateTime = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (!v) return null;
    const iso = fromLocalInput(v);
    if (!iso) ctx.addIssue({ code: 'custom', message: 'errors.dateTime' });
    return iso;
  });
const text = (max: number) => z.string().trim().min(1, 'errors.required').max(max, 'errors.tooLong');
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'errors.tooLong')
    .transform((v) => v || null);
const optionalUrl = z
  .string()
  .trim()
  .refine((v) => !v || /^https?:\/\/\S+$/.test(v), 'errors.url')
  .transform((v) => v || null);

/** The admin's form for a year's Week (create and edit). */
export const weekSchema = z
  .object({
    year: z.coerce.number({ message: 'errors.year' }).int('errors.year').min(2000, 'errors.year').max(2100, 'errors.year'),
    theme_vi: text(300),
    theme_en: text(300),
    starts_on: date,
    ends_on: date,
    opening_at: dateTime,
    opening_place_vi: text(300),
    opening_place_en: text(300),
    livestream_url: optionalUrl,
    closing_at: optionalDateTime,
    closing_place_vi: optionalText(300),
    closing_place_en: optionalText(300),
    report_deadline: optionalDate,
    source_vi: optionalText(500),
    source_en: optionalText(500),
    body_vi: z.string().trim().max(50_000, 'errors.tooLong'),
    body_en: z.string().trim().max(50_000, 'errors.tooLong'),
  })
  .superRefine((w, ctx) => {
    if (w.ends_on < w.starts_on) ctx.addIssue({ code: 'custom', path: ['ends_on'], message: 'errors.endBeforeStart' });
  });

export { dateTime, optionalUrl, text };
