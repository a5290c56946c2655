import { createContext, type ReactNode, useContext, useMemo } from 'react';
import rosetta from 'rosetta';

import type { TKey } from './keys';
import type { Locale } from './locale';

export type { TKey } from './keys';
export { DEFAULT_LOCALE, isLocale, type Locale, LOCALES } from './locale';

export type Messages = Record<string, unknown>;
export type TParams = Record<string, unknown>;
/** `t()` accepts only keys that exist in the Vietnamese files (`./keys`). */
export type TFunction = (key: TKey, params?: TParams) => string;

/**
 * A translator over one language's messages (sent by the server, so the client bundle carries
 * no translation files). rosetta (~300 bytes) does the lookup and `{{name}}` interpolation —
 * i18next cost 15 KB gzip of first-load JavaScript. With `count`, an i18next-style plural key
 * (`key_one`, `key_other`) is preferred when present. Keys are typed (`./keys`): a missing one fails
 * the typecheck; at run time (a key from a cookie or an old page) it shows the key itself.
 */
// Built once: constructing Intl.PluralRules per render showed in the CPU profile of every page.
const PLURALS: Record<Locale, Intl.PluralRules> = { vi: new Intl.PluralRules('vi-VN'), en: new Intl.PluralRules('en-GB') };

export function createT(locale: Locale, messages: Messages): TFunction {
  const r = rosetta({ [locale]: messages });
  r.locale(locale);
  const plural = PLURALS[locale];
  return (key, params) => {
    if (typeof key !== 'string') return '';
    if (params && typeof params.count === 'number') {
      const v = r.t(`${key}_${plural.select(params.count)}`, params);
      if (typeof v === 'string' && v) return v;
    }
    const v = r.t(key, params ?? {});
    return typeof v === 'string' && v ? v : key;
  };
}

const Ctx = createContext<{ t: TFunction; locale: Locale } | null>(null);

export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: Messages; children: ReactNode }) {
  const value = useMemo(() => ({ t: createT(locale, messages), locale }), [locale, messages]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useT() {
  const v = useContext(Ctx);
  if (!v) throw new Error('useT outside I18nProvider');
  return v;
}
