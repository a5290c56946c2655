import { z } from 'zod';

import { HONOUR_CATEGORIES } from '~/db/schema/honours';

const text = (max: number) => z.string().trim().min(1, 'errors.required').max(max, 'errors.tooLong');

/** Evidence links, one per line: a URL, then optionally a label after a space. */
export function parseEvidence(v: string): Array<{ url: string; label: string }> | null {
  const out: Array<{ url: string; label: string }> = [];
  for (const line of v.split(/\r?\n/)) {
    const l = line.trim();
    if (!l) continue;
    const [url = '', ...rest] = l.split(/\s+/);
    try {
      const u = new URL(url);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    } catch {
      return null;
    }
    out.push({ url, label: rest.join(' ').slice(0, 200) });
  }
  return out.length <= 20 ? out : null;
}

const fields = {
  category: z.enum(HONOUR_CATEGORIES, { message: 'errors.choose' }),
  nominee_name: text(200),
  nominee_email: z
    .string()
    .trim()
    .max(200, 'errors.tooLong')
    .refine((v) => !v || z.string().email().safeParse(v).success, 'honours.errors.email')
    .transform((v) => v || null),
  nominee_birth_year: z
    .string()
    .trim()
    .refine((v) => !v || (/^\d{4}$/.test(v) && Number(v) >= 1900 && Number(v) <= 2100), 'honours.errors.birthYear')
    .transform((v) => (v ? Number(v) : null)),
  consent: z
    .string()
    .optional()
    .transform((v) => v === 'on' || v === '1'),
  consent_by: z
    .string()
    .trim()
    .max(200, 'errors.tooLong')
    .optional()
    .transform((v) => v || null),
  headline: text(200),
  citation_md: z.string().max(20_000, 'errors.tooLong'),
  evidence: z
    .string()
    .max(10_000, 'errors.tooLong')
    .refine((v) => parseEvidence(v) != null, 'honours.errors.evidence')
    .transform((v) => parseEvidence(v)!),
};

/** Editing a nomination (the unit and the Week stay). */
export const nominationEditSchema = z.object(fields);

/** A new nomination: also the unit that nominates and the Week. */
export const nominationSchema = z.object({
  ...fields,
  unit_id: z.string().trim().min(1, 'errors.choose'),
  week_year: z
    .string()
    .trim()
    .refine((v) => /^\d{4}$/.test(v), 'errors.choose')
    .transform(Number),
});
