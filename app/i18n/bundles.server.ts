import { createHash } from 'node:crypto';

import type { I18nBundles } from './bundles';
import { isLocale, type Locale } from './i18n';
import { namespacesFor } from './namespaces';
import { resources } from './resources.server';

/** One script per language and namespace, built once: `(…__llwI18n…)["vi/common"] = {…};`. */
const scripts = new Map<string, { body: string; hash: string }>();
for (const [locale, namespaces] of Object.entries(resources)) {
  const store = ((globalThis as unknown as { __llwI18n?: Record<string, unknown> }).__llwI18n ??= {});
  for (const [ns, messages] of Object.entries(namespaces)) {
    store[`${locale}/${ns}`] = messages; // the server renders from the same store
    const body = `(self.__llwI18n=self.__llwI18n||{})[${JSON.stringify(`${locale}/${ns}`)}]=${JSON.stringify(messages)};\n`;
    scripts.set(`${locale}.${ns}`, { body, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) });
  }
}

export function bundlesFor(locale: Locale, namespaces: string[]): I18nBundles {
  const present = namespaces.filter((ns) => scripts.has(`${locale}.${ns}`));
  return { locale, namespaces: present, urls: present.map((ns) => `/i18n/${locale}.${ns}.${scripts.get(`${locale}.${ns}`)!.hash}.js`) };
}

/** The scripts a page at this path needs (app/i18n/namespaces.ts). */
export function bundlesForPath(locale: Locale, pathname: string): I18nBundles {
  return bundlesFor(locale, namespacesFor(pathname));
}

/** The script for `vi.library.<hash>.js`; `immutable` only when the hash is the current one. */
export function bundleScript(file: string): { body: string; immutable: boolean } | null {
  const m = /^([a-z]{2})\.([a-z0-9-]+)\.([0-9a-f]{12})\.js$/.exec(file);
  if (!m || !isLocale(m[1])) return null;
  const s = scripts.get(`${m[1]}.${m[2]}`);
  if (!s) return null;
  return { body: s.body, immutable: s.hash === m[3] };
}
