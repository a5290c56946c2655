import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import { createContext, useContext, useMemo, type ReactNode } from 'react';

export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'vi';

export type Messages = Record<string, unknown>;

export function isLocale(v: unknown): v is Locale {
  return v === 'vi' || v === 'en';
}

/** A synchronous i18next instance for one language (the messages come from the server). */
export function createI18n(locale: Locale, messages: Messages): I18n {
  const inst = i18next.createInstance();
  void inst.init({
    lng: locale,
    fallbackLng: false,
    resources: { [locale]: { translation: messages } },
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  return inst;
}

const Ctx = createContext<{ t: TFunction; locale: Locale } | null>(null);

export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: Messages; children: ReactNode }) {
  const value = useMemo(() => {
    const inst = createI18n(locale, messages);
    return { t: inst.t.bind(inst) as TFunction, locale };
  }, [locale, messages]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useT() {
  const v = useContext(Ctx);
  if (!v) throw new Error('useT outside I18nProvider');
  return v;
}
