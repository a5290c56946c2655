import type { Locale, Messages } from './i18n';

/**
 * Translation files travel as immutable, fingerprinted scripts, one per language and area
 * (`/i18n/vi.library.<hash>.js`, served by app/routes/i18n.$file.ts), that the browser caches for a
 * year instead of receiving every area's strings inlined in each page's data. Each script puts its
 * strings into `globalThis.__llwI18n`; on the server the same store is filled at start
 * (i18n.server.ts). The root route lists the scripts a page needs; the layout loads them before
 * hydration, and the root's clientLoader loads the ones a client-side navigation adds.
 */
export interface I18nBundles {
  locale: Locale;
  namespaces: string[];
  urls: string[];
}

type Store = Record<string, Messages>;
const store = (): Store => ((globalThis as unknown as { __llwI18n?: Store }).__llwI18n ??= {});

const picked = new Map<string, Messages>();
/** The messages of these namespaces from the store (the same object for the same request: stable for memo). */
export function messagesFromStore(locale: Locale, namespaces: string[]): Messages {
  const key = `${locale}|${namespaces.join(',')}`;
  const s = store();
  let m = picked.get(key);
  if (!m || namespaces.some((ns) => !(ns in m!))) {
    m = {};
    for (const ns of namespaces) {
      const v = s[`${locale}/${ns}`];
      if (v) m[ns] = v;
    }
    if (namespaces.every((ns) => ns in m!)) picked.set(key, m);
  }
  return m;
}

/**
 * In the browser: waits for the scripts not run yet — the page's own (deferred, so they don't hold up
 * the first paint) or new ones it adds — so that hydration and client-side navigations have their words.
 */
export function loadBundles(b: I18nBundles): Promise<void> {
  if (typeof document === 'undefined') return Promise.resolve();
  const s = store();
  const missing = b.urls.filter((_, i) => !s[`${b.locale}/${b.namespaces[i]}`]);
  return Promise.all(
    missing.map(
      (src) =>
        new Promise<void>((resolve, reject) => {
          const listed = [...document.scripts].find((el) => el.getAttribute('src') === src);
          const el = listed ?? document.createElement('script');
          el.addEventListener('load', () => resolve(), { once: true });
          el.addEventListener('error', () => reject(new Error(`translations failed to load: ${src}`)), { once: true });
          if (!listed) {
            el.src = src;
            document.head.appendChild(el);
          }
        }),
    ),
  ).then(() => undefined);
}
