/**
 * HTTP glue shared by the /opds routes: base URL, translations, paging and the response.
 * Translations are taken unescaped (i18next escapes for HTML by default): opds.server.ts
 * escapes everything for XML itself.
 */
import { detectLocale, getT } from '~/i18n/i18n.server';
import type { DB } from '~/lib/db.server';
import { publicOrigin } from '~/lib/origin.server';

import type { FeedText } from './opds.server';

export function feedContext(request: Request): { base: string; text: FeedText; page: number; url: URL } {
  const url = new URL(request.url);
  const locale = detectLocale(request) === 'en' ? 'en' : 'vi';
  const t = getT(locale);
  const p = Number(url.searchParams.get('page') ?? '1');
  const page = Number.isInteger(p) && p >= 1 && p <= 10_000 ? p : 1;
  return { base: publicOrigin(), text: { t: (k, o) => t(k, { ...o, interpolation: { escapeValue: false } }), locale }, page, url };
}

export function xmlResponse(body: string, type: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': type,
      // Public catalogue data: short shared caching keeps e-reader apps fast on slow networks.
      'Cache-Control': 'public, max-age=60',
      Vary: 'Accept-Language',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

export type { DB };
