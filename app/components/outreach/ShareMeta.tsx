/**
 * Open Graph and Twitter card tags for every page, rendered once in the document head by the root
 * layout. A page says what to share by returning `share` in its loader data (`ShareData`: an
 * image path, a title, a description); otherwise the title and description come from the page's
 * own `meta` and the image is the featured Week's share card. Tags a page's `meta` already sets
 * (og:title on a resource page…) are not repeated. Every URL is absolute, from the configured origin.
 */
import { UNSAFE_RemixContext, useLocation, useMatches } from '@remix-run/react';
import { useContext } from 'react';

export interface ShareData {
  title?: string;
  description?: string;
  /** A site path of a 1200×630 PNG (a share card). */
  image?: string;
  imageAlt?: string;
}

export interface ShareDefaults {
  origin: string;
  siteName: string;
  locale: string;
  /** The featured Week's card (a site path), or null when there is no Week. */
  image: string | null;
  imageAlt: string | null;
}

type MetaEntry = Record<string, unknown>;

/** The meta entries of the deepest route that declares `meta` (what Remix's <Meta/> renders). */
function useLeafMeta(): MetaEntry[] {
  const matches = useMatches();
  const remix = useContext(UNSAFE_RemixContext);
  const location = useLocation();
  for (let i = matches.length - 1; i >= 0; i--) {
    const m = matches[i]!;
    const mod = remix?.routeModules[m.id] as { meta?: unknown } | undefined;
    if (!mod?.meta) continue;
    try {
      const metaMatches = matches.slice(0, i + 1).map((x) => ({ ...x, meta: [] }));
      const out =
        typeof mod.meta === 'function'
          ? (mod.meta as (a: unknown) => unknown)({ data: m.data, params: m.params, location, matches: metaMatches, error: undefined })
          : mod.meta;
      return Array.isArray(out) ? (out as MetaEntry[]).filter(Boolean) : [];
    } catch {
      return [];
    }
  }
  return [];
}

export function ShareMeta({ defaults }: { defaults: ShareDefaults | undefined }) {
  const matches = useMatches();
  const location = useLocation();
  const leafMeta = useLeafMeta();
  if (!defaults) return null;
  const share = [...matches]
    .filter((m) => m.id !== 'root')
    .reverse()
    .map((m) => (m.data as { share?: ShareData } | undefined)?.share)
    .find(Boolean);
  const has = new Set(leafMeta.map((e) => String(e.property ?? e.name ?? '')));
  const title = share?.title ?? (leafMeta.find((e) => 'title' in e)?.title as string | undefined) ?? defaults.siteName;
  const description =
    share?.description ?? (leafMeta.find((e) => e.name === 'description')?.content as string | undefined) ?? defaults.siteName;
  const image = share?.image ?? defaults.image;
  const imageAlt = share?.imageAlt ?? defaults.imageAlt ?? title;
  const abs = (p: string) => `${defaults.origin}${p}`;
  type Tag = readonly [kind: 'property' | 'name', key: string, value: string];
  const tags: Tag[] = [
    ['property', 'og:site_name', defaults.siteName],
    ['property', 'og:type', 'website'],
    ['property', 'og:url', abs(location.pathname)],
    ['property', 'og:title', title],
    ['property', 'og:description', description],
    ['property', 'og:locale', defaults.locale === 'en' ? 'en_GB' : 'vi_VN'],
    ...(image
      ? ([
          ['property', 'og:image', abs(image)],
          ['property', 'og:image:type', 'image/png'],
          ['property', 'og:image:width', '1200'],
          ['property', 'og:image:height', '630'],
          ['property', 'og:image:alt', imageAlt],
          ['name', 'twitter:card', 'summary_large_image'],
          ['name', 'twitter:image', abs(image)],
          ['name', 'twitter:image:alt', imageAlt],
        ] satisfies Tag[])
      : ([['name', 'twitter:card', 'summary']] satisfies Tag[])),
    ['name', 'twitter:title', title],
    ['name', 'twitter:description', description],
  ];
  return (
    <>
      {tags
        .filter(([, key]) => !has.has(key))
        .map(([kind, key, value]) =>
          kind === 'property' ? <meta key={key} property={key} content={value} /> : <meta key={key} name={key} content={value} />,
        )}
    </>
  );
}
