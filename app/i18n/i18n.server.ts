import { createT, DEFAULT_LOCALE, isLocale, type Locale, type Messages, type TFunction } from './i18n';
import { resources } from './resources.server';

export function messagesFor(locale: Locale, namespaces?: string[]): Messages {
  const all = resources[locale];
  if (!namespaces) return all;
  const picked: Messages = {};
  for (const ns of namespaces) if (ns in all) picked[ns] = all[ns];
  return picked;
}

const cache = new Map<Locale, TFunction>();
/** A server-side `t` for loaders, actions and mail. */
export function getT(locale: Locale): TFunction {
  let t = cache.get(locale);
  if (!t) {
    t = createT(locale, messagesFor(locale));
    cache.set(locale, t);
  }
  return t;
}

export function readCookie(request: Request, name: string): string | null {
  return readCookieHeader(request.headers.get('Cookie'), name);
}

/** The same from a Cookie header's text (a request read outside Remix: server.ts's direct paths). */
export function readCookieHeader(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(/;\s*/)) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i) === name) {
      // A malformed %-escape (hand-made or truncated cookie) reads as no value, not a 500.
      try {
        return decodeURIComponent(part.slice(i + 1));
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Language: the `lang` cookie, then the browser's Accept-Language, then Vietnamese. */
export function detectLocale(request: Request): Locale {
  return localeFrom(readCookie(request, 'lang'), request.headers.get('Accept-Language') ?? '');
}

/** detectLocale's rule on raw values (the page cache keys pages by it before Remix runs). */
export function localeFrom(langCookie: string | null | undefined, acceptLanguage: string): Locale {
  if (isLocale(langCookie)) return langCookie;
  const ranked = acceptLanguage
    .split(',')
    .map((p) => {
      const [tag, q] = p.trim().split(';q=');
      return { lang: (tag ?? '').slice(0, 2).toLowerCase(), q: q ? Number(q) : 1 };
    })
    .filter((x) => isLocale(x.lang))
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.lang as Locale) ?? DEFAULT_LOCALE;
}

export function localeCookie(locale: Locale): string {
  return `lang=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`;
}
