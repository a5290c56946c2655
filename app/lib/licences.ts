import { LICENCES, type Licence } from '~/db/schema/oer';

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

/** Translation keys of each licence: the short badge ("CC BY-SA") and the full name (literal keys). */
export const LICENCE_KEYS: Record<Licence, string> = {
  'cc-by': 'oer.licences.cc-by',
  'cc-by-sa': 'oer.licences.cc-by-sa',
  'cc-by-nc': 'oer.licences.cc-by-nc',
  cc0: 'oer.licences.cc0',
  'public-domain': 'oer.licences.public-domain',
};
export const LICENCE_NAME_KEYS: Record<Licence, string> = {
  'cc-by': 'oer.licenceNames.cc-by',
  'cc-by-sa': 'oer.licenceNames.cc-by-sa',
  'cc-by-nc': 'oer.licenceNames.cc-by-nc',
  cc0: 'oer.licenceNames.cc0',
  'public-domain': 'oer.licenceNames.public-domain',
};

/** The licence key of a stored value, or null when it is not one of the codes. */
export function licenceKey(value: string | null | undefined): string | null {
  return value && value in LICENCE_KEYS ? LICENCE_KEYS[value as Licence] : null;
}
export function licenceNameKey(value: string | null | undefined): string | null {
  return value && value in LICENCE_NAME_KEYS ? LICENCE_NAME_KEYS[value as Licence] : null;
}
