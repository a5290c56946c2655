import { z } from 'zod';

import { LICENCES, RESOURCE_KINDS, RESOURCE_LEVELS, SUBJECTS } from '~/db/schema/oer';

const text = (max: number) => z.string().trim().min(1, 'errors.required').max(max, 'errors.tooLong');
const optional = (max: number) => z.string().trim().max(max, 'errors.tooLong').optional().default('');
const optionalUrl = z
  .string()
  .trim()
  .optional()
  .default('')
  .refine((v) => !v || /^https?:\/\/\S+$/.test(v), 'errors.url')
  .transform((v) => v || null);
const optionalInt = (max: number) =>
  z
    .string()
    .trim()
    .optional()
    .default('')
    .refine((v) => !v || (/^\d+$/.test(v) && Number(v) <= max), 'errors.invalid')
    .transform((v) => (v ? Number(v) : null));

/** Create and edit a resource (files are checked separately by the upload handler). */
export const resourceSchema = z.object({
  unit_id: z.string().min(1, 'errors.choose'),
  kind: z.enum(RESOURCE_KINDS, { message: 'errors.choose' }),
  title: text(300),
  summary: text(2000),
  authors: text(1000),
  subject: z.enum(SUBJECTS, { message: 'errors.choose' }),
  level: z.enum(RESOURCE_LEVELS, { message: 'errors.choose' }),
  language: z.enum(['vi', 'en', 'other'], { message: 'errors.choose' }),
  licence: z.enum(LICENCES, { message: 'errors.choose' }),
  rights_holder: optional(300),
  years: z
    .string()
    .optional()
    .default('')
    .refine(
      (v) =>
        v
          .split(/[\s,;]+/)
          .filter(Boolean)
          .every((y) => /^(20\d\d)$/.test(y)),
      'oer.errors.years',
    )
    .transform((v) => [
      ...new Set(
        v
          .split(/[\s,;]+/)
          .filter(Boolean)
          .map(Number),
      ),
    ]),
  duration_minutes: optionalInt(100_000),
  page_count: optionalInt(100_000),
  body_md: z.string().max(200_000, 'errors.tooLong').optional().default(''),
  hls_url: optionalUrl,
  external_url: optionalUrl,
  chapters: z
    .string()
    .max(10_000, 'errors.tooLong')
    .optional()
    .default('')
    .refine((v) => v.split(/\r?\n/).every((l) => !l.trim() || /^\s*(\d{1,2}:)?\d{1,2}:\d{2}\s+\S/.test(l)), 'oer.errors.chapters'),
});

export type ResourceForm = z.infer<typeof resourceSchema>;

export const reviewSchema = z.object({
  comment: z.string().trim().max(2000, 'errors.tooLong').optional().default(''),
});

/** The form's data as the domain's input. */
export function toResourceInput(d: ResourceForm) {
  return {
    unitId: d.unit_id,
    kind: d.kind,
    title: d.title,
    summary: d.summary,
    authors: d.authors,
    subject: d.subject,
    level: d.level,
    language: d.language,
    licence: d.licence,
    rightsHolder: d.rights_holder || null,
    years: d.years,
    durationSeconds: d.duration_minutes === null ? null : d.duration_minutes * 60,
    pageCount: d.page_count,
    bodyMd: d.body_md,
    hlsUrl: d.hls_url,
    externalUrl: d.external_url,
    chapters: d.chapters,
  };
}

/** The resource form's two buttons: save (everything checked), or preview the Markdown only (nothing else checked). */
export const resourceFormSchema = z.discriminatedUnion('intent', [
  resourceSchema.extend({ intent: z.literal('save') }),
  z.object({ intent: z.literal('preview'), body_md: z.string().optional().default('') }),
]);

/** The live preview beside the resource form (`/resources/preview`): the Markdown typed so far, cut at 200,000 characters. */
export const markdownPreviewSchema = z.object({
  body_md: z
    .string()
    .optional()
    .default('')
    .transform((v) => v.slice(0, 200_000)),
});
