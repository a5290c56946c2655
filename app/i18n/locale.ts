/** The one `Locale` type (UI languages; Vietnamese first). Pure: importable from db/schema, domain and components. */
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'vi';

export function isLocale(v: unknown): v is Locale {
  return v === 'vi' || v === 'en';
}
