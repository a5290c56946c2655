/**
 * Names with an English variant (units, libraries, shelves): the English one when the page is in
 * English and it exists, else the Vietnamese one. Pure, so loaders, the domain and components share it
 * instead of re-writing `locale === 'en' && x.name_en ? …`.
 */
import type { Locale } from '~/i18n/locale';

/** `x.name_en` in English when set, else `x.name`. */
export function localName(x: { name: string; name_en?: string | null }, locale: Locale | string): string {
  return pickLocal(x.name, x.name_en, locale);
}

/** The same rule for any pair of columns (`unit_name` / `unit_name_en`, `library_name` / `library_name_en`). */
export function pickLocal(vi: string, en: string | null | undefined, locale: Locale | string): string {
  return locale === 'en' && en ? en : vi;
}
