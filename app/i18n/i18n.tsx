import { createContext, type ReactNode, useContext, useMemo } from 'react';

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
 * no translation files). A dotted-key lookup and `{{name}}` interpolation, a few lines here (what
 * rosetta did — its browser build brought dlv's UMD wrapper and templite, 0.8 KB more in every
 * page's first load; i18next cost 15 KB gzip). With `count`, an i18next-style plural key
 * (`key_one`, `key_other`) is preferred when present. Keys are typed (`./keys`): a missing one fails
 * the typecheck; at run time (a key from a cookie or an old page) it shows the key itself.
 */
// Built once: constructing Intl.PluralRules per render showed in the CPU profile of every page.
const PLURALS: Record<Locale, Intl.PluralRules> = { vi: new Intl.PluralRules('vi-VN'), en: new Intl.PluralRules('en-GB') };

const PLACEHOLDER = /{{(.*?)}}/g;
const dig = (from: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o == null ? undefined : (o as Record<string, unknown>)[k]), from);
/** The message at a dotted key with its `{{name}}` (or `{{a.b}}`) placeholders filled; a missing value is empty. */
function lookup(messages: Messages, key: string, params: TParams): unknown {
  const v = dig(messages, key);
  return typeof v === 'string' ? v.replace(PLACEHOLDER, (_, name: string) => String(dig(params, name.trim()) ?? '')) : v;
}

export function createT(locale: Locale, messages: Messages): TFunction {
  const plural = PLURALS[locale];
  return (key, params) => {
    if (typeof key !== 'string') return '';
    if (params && typeof params.count === 'number') {
      const v = lookup(messages, `${key}_${plural.select(params.count)}`, params);
      if (typeof v === 'string' && v) return v;
    }
    const v = lookup(messages, key, params ?? {});
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
