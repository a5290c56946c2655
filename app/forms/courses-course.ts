import { z } from 'zod';

import { COURSE_AUDIENCES, COURSE_LEVELS } from '~/db/schema/courses';
import { LICENCES } from '~/db/schema/oer';

import { isMediaUrl } from './media-url';

const text = (max: number) => z.string().trim().min(1, 'errors.required').max(max, 'errors.tooLong');

/** A course's details (create and edit). */
export const courseSchema = z
  .object({
    unit_id: z.string().trim().min(1, 'errors.choose'),
    week_year: z
      .string()
      .trim()
      .refine((v) => !v || /^\d{4}$/.test(v), 'errors.year')
      .transform((v) => (v ? Number(v) : null)),
    title: text(200),
    summary: text(500),
    description_md: z.string().max(50_000, 'errors.tooLong'),
    audience: z.enum(COURSE_AUDIENCES, { message: 'errors.choose' }),
    level: z.enum(COURSE_LEVELS, { message: 'errors.choose' }),
    est_hours: z.coerce.number({ message: 'courses.errors.hours' }).min(0, 'courses.errors.hours').max(1000, 'courses.errors.hours'),
    cover_url: z
      .string()
      .trim()
      .refine((v) => !v || isMediaUrl(v), 'errors.mediaUrl')
      .transform((v) => v || null),
    language: z.enum(['vi', 'en'], { message: 'errors.choose' }),
    licence: z.enum(LICENCES, { message: 'errors.choose' }),
    enrol_mode: z.enum(['open', 'code'], { message: 'errors.choose' }),
    enrol_code: z.string().trim().max(40, 'errors.tooLong'),
  })
  .superRefine((v, ctx) => {
    if (v.enrol_mode === 'code' && v.enrol_code.length < 4)
      ctx.addIssue({ code: 'custom', path: ['enrol_code'], message: 'courses.errors.codeTooShort' });
  });

/** Joining a course (the code only when the course asks for one). */
export const enrolSchema = z.object({ code: z.string().max(200, 'courses.errors.wrongCode').default('') });

export const coTeacherSchema = z.object({ email: z.string().trim().email('errors.email') });
export const moduleSchema = z.object({ title: text(200) });
export const revokeSchema = z.object({ code: text(20), reason: z.string().trim().max(300, 'errors.tooLong') });

/**
 * Drag-and-drop / keyboard reordering (sent by a fetcher): the ids of a list in their new order,
 * comma-separated; `module_id` names the module whose lessons are reordered.
 */
export const reorderSchema = z.object({
  order: z
    .string()
    .max(20_000, 'errors.tooLong')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((ids) => ids.length > 0 && ids.length <= 500, 'errors.invalid'),
  module_id: z.string().trim().max(40, 'errors.invalid').optional(),
});
