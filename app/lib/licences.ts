import { type Licence, LICENCES } from '~/db/schema/oer';

/**
 * The open-licence code of a licence written as free text ("CC BY-SA 4.0", "CC0 1.0",
 * "Public domain"), or null when it names none of the platform's licences. Courses used free
 * text before they shared the resources' licence list; the migration and the content loader
 * read old values through this.
 */
export function licenceCode(text: string | null | undefined): Licence | null {
  const v = (text ?? '').trim().toLowerCase();
  if ((LICENCES as readonly string[]).includes(v)) return v as Licence;
  const compact = v.replace(/[\s_]+/g, '-').replace(/-?\d+(\.\d+)?$/, '');
  const table: Record<string, Licence> = {
    'cc-by': 'cc-by',
    'cc-by-sa': 'cc-by-sa',
    'cc-by-nc': 'cc-by-nc',
    cc0: 'cc0',
    'cc-0': 'cc0',
    'public-domain': 'public-domain',
    'phạm-vi-công-cộng': 'public-domain',
  };
  return table[compact] ?? null;
}

/** Translation keys of each licence: the short badge ("CC BY-SA") and the full name (literal keys, typed as such). */
export const LICENCE_KEYS = {
  'cc-by': 'oer.licences.cc-by',
  'cc-by-sa': 'oer.licences.cc-by-sa',
  'cc-by-nc': 'oer.licences.cc-by-nc',
  cc0: 'oer.licences.cc0',
  'public-domain': 'oer.licences.public-domain',
} as const satisfies Record<Licence, string>;
export const LICENCE_NAME_KEYS = {
  'cc-by': 'oer.licenceNames.cc-by',
  'cc-by-sa': 'oer.licenceNames.cc-by-sa',
  'cc-by-nc': 'oer.licenceNames.cc-by-nc',
  cc0: 'oer.licenceNames.cc0',
  'public-domain': 'oer.licenceNames.public-domain',
} as const satisfies Record<Licence, string>;

/** The value a table of literal keys maps `code` to, or undefined for a code it does not know. */
export function keyFor<T extends Record<string, string>>(table: T, code: string | null | undefined): T[keyof T] | undefined {
  return code != null && Object.prototype.hasOwnProperty.call(table, code) ? table[code as keyof T] : undefined;
}
