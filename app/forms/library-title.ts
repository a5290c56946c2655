import { z } from 'zod';

import { LIB_AUDIENCES } from '~/db/schema/library';

const optionalYear = z
  .string()
  .trim()
  .refine((v) => v === '' || /^\d{4}$/.test(v), 'errors.year')
  .transform((v) => (v === '' ? null : Number(v)));

/** The bibliographic record a librarian edits (after an upload, pre-filled from the OPF). */
export const titleSchema = z.object({
  title: z.string().trim().min(1, 'errors.required').max(300),
  author: z.string().trim().min(1, 'errors.required').max(300),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/, 'errors.invalid')
    .default('vi'),
  description: z.string().trim().max(5000).default(''),
  subjects: z.string().trim().max(500).default(''),
  audience: z.enum(LIB_AUDIENCES, { message: 'errors.choose' }),
  theme_year: optionalYear,
  publisher: z.string().trim().max(300).default(''),
  published_year: optionalYear,
});

/** A library's holding: open access, or 0–999 licensed copies. */
export const holdingSchema = z.object({
  library_id: z.string().min(1, 'errors.choose').max(40),
  access: z.enum(['open', 'licensed'], { message: 'errors.choose' }),
  copies: z.coerce
    .number({ message: 'library.errors.copies' })
    .int('library.errors.copies')
    .min(0, 'library.errors.copies')
    .max(999, 'library.errors.copies'),
});

/** The title editor (`/library/<slug>/edit`): the bibliographic record, or one library's holding. */
export const titleEditorSchema = z.discriminatedUnion('intent', [
  titleSchema.extend({ intent: z.literal('record') }),
  holdingSchema.extend({ intent: z.literal('holding') }),
]);
export type TitleEditorInput = z.infer<typeof titleEditorSchema>;
