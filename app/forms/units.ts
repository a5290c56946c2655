import { z } from 'zod';

import { UNIT_KINDS } from '~/db/schema';

/** dd/MM/yyyy (as officials write it) or yyyy-MM-dd → yyyy-MM-dd; null when not a real date. */
export function parseDay(v: string): string | null {
  const t = v.trim();
  let y: number, m: number, d: number;
  let mm = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (mm) [d, m, y] = [Number(mm[1]), Number(mm[2]), Number(mm[3])];
  else if ((mm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t))) [y, m, d] = [Number(mm[1]), Number(mm[2]), Number(mm[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

const day = z
  .string()
  .trim()
  .min(1, 'errors.required')
  .transform((v, ctx) => {
    const d = parseDay(v);
    if (!d) ctx.addIssue({ code: 'custom', message: 'errors.date' });
    return d ?? '';
  });
const id = z.string().trim().min(1, 'errors.choose');
const name = z.string().trim().min(1, 'errors.required').max(200, 'errors.tooLong');
const nameEn = z
  .string()
  .trim()
  .max(200, 'errors.tooLong')
  .transform((v) => v || null);
const slug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'units.errors.slug')
  .max(80, 'errors.tooLong');
const intent = z.enum(['preview', 'apply']);

/** The reorganisation form: one of three operations, first previewed, then applied. */
export const reorganiseSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('merge'),
    intent,
    /** Ids joined by commas (the route joins the multiple select's values). */
    sources: z
      .string()
      .trim()
      .min(1, 'units.errors.sources')
      .transform((v) => v.split(',').filter(Boolean)),
    target_mode: z.enum(['new', 'existing'], { message: 'errors.choose' }),
    target: z.string().trim().optional().default(''),
    new_name: z.string().trim().max(200, 'errors.tooLong').optional().default(''),
    new_name_en: nameEn.optional().default(''),
    new_slug: z.string().trim().toLowerCase().max(80, 'errors.tooLong').optional().default(''),
    new_kind: z.enum(UNIT_KINDS, { message: 'errors.choose' }).optional(),
    new_parent: z.string().trim().optional().default(''),
    effective_on: day,
  }),
  z.object({ op: z.literal('move'), intent, unit: id, parent: id, effective_on: day }),
  z.object({ op: z.literal('rename'), intent, unit: id, new_name: name, new_name_en: nameEn, new_slug: slug, effective_on: day }),
]);

export type ReorganiseForm = z.infer<typeof reorganiseSchema>;
