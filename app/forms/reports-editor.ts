import { z } from 'zod';

import { UNIT_KINDS, type UnitKind } from '~/db/schema';
import { INDICATOR_TYPES } from '~/db/schema/reports';
import { parseDay } from '~/forms/units';

/**
 * The report form editor (`/weeks/<year>/reports/<form>/edit`): one small form per change, each
 * quoting the form version it was shown (an edit made meanwhile by another organiser is refused,
 * not overwritten), and the page that starts a form (blank, or a copy of an earlier one).
 */
const version = z.coerce.number().int().min(0).max(1_000_000);
const id = z.string().trim().min(1, 'errors.choose').max(40);
const label = z.string().trim().min(1, 'errors.required').max(300, 'errors.tooLong');
const day = z
  .string()
  .trim()
  .min(1, 'errors.required')
  .transform((v, ctx) => {
    const d = parseDay(v);
    if (!d) ctx.addIssue({ code: 'custom', message: 'errors.date' });
    return d ?? '';
  });
const checkbox = z
  .string()
  .optional()
  .transform((v) => v === 'on' || v === '1');
/** An optional whole number as typed (empty: no bound). */
const bound = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    const s = (v ?? '').replace(/[\s.,]/g, '');
    if (!s) return null;
    if (!/^-?\d{1,15}$/.test(s)) {
      ctx.addIssue({ code: 'custom', message: 'reports.errors.notNumber' });
      return null;
    }
    return Number(s);
  });
const code = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,40}$/, 'reports.editor.errors.code');
const indicatorFields = {
  labelVi: label,
  labelEn: label,
  type: z.enum(INDICATOR_TYPES, { message: 'errors.choose' }),
  min: bound,
  max: bound,
  required: checkbox,
  source: z
    .string()
    .trim()
    .max(60)
    .optional()
    .transform((v) => v || null),
};
const levels = Object.fromEntries(UNIT_KINDS.map((k) => [`level_${k}`, checkbox])) as Record<`level_${UnitKind}`, typeof checkbox>;

export const formEditorSchema = z.discriminatedUnion('intent', [
  z
    .object({
      intent: z.literal('settings'),
      version,
      titleVi: label,
      titleEn: label,
      deadline: day,
      lockDate: day,
      docCode: z.string().trim().min(1, 'errors.required').max(40, 'errors.tooLong'),
      ...levels,
    })
    .transform((v) => ({ ...v, appliesTo: UNIT_KINDS.filter((k) => v[`level_${k}`]) })),
  z.object({ intent: z.literal('addSection'), version, titleVi: label, titleEn: label }),
  z.object({ intent: z.literal('renameSection'), version, sectionId: id, titleVi: label, titleEn: label }),
  z.object({ intent: z.literal('removeSection'), version, sectionId: id }),
  z.object({ intent: z.literal('addIndicator'), version, sectionId: id, code, ...indicatorFields }),
  z.object({ intent: z.literal('updateIndicator'), version, indicatorId: id, ...indicatorFields }),
  z.object({ intent: z.literal('removeIndicator'), version, indicatorId: id }),
  z.object({ intent: z.literal('moveIndicator'), version, indicatorId: id, dir: z.enum(['up', 'down']) }),
  z.object({ intent: z.literal('addRule'), version, left: id, op: z.enum(['>=', '<=', '=']), right: id }),
  z.object({ intent: z.literal('removeRule'), version, index: z.coerce.number().int().min(0).max(200) }),
]);
export type FormEditorInput = z.infer<typeof formEditorSchema>;

/** Starting a form: blank, or a copy of an earlier form (its dates moved to this Week's year). */
export const newFormSchema = z.object({
  ownerUnitId: id,
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'reports.editor.errors.slug')
    .max(60, 'errors.tooLong'),
  titleVi: label,
  titleEn: label,
  copyFrom: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((v) => v || null),
});
export type NewFormInput = z.infer<typeof newFormSchema>;
