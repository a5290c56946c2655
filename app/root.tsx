import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import {
  type ClientLoaderFunctionArgs,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  type ShouldRevalidateFunction,
  useRouteLoaderData,
} from '@remix-run/react';
import type { ReactNode } from 'react';

import { GeneralErrorBoundary } from '~/components/ErrorBoundary';
import { ShareMeta } from '~/components/outreach/ShareMeta';
import { SiteLayout } from '~/components/SiteLayout';
import { unreadCount } from '~/domain/notifications/notify.server';
import { getFeaturedWeek } from '~/domain/weeks.server';
import { loadBundles, messagesFromStore } from '~/i18n/bundles';
import { bundlesForPath } from '~/i18n/bundles.server';
import { I18nProvider } from '~/i18n/i18n';
import { detectLocale, getT, readCookie } from '~/i18n/i18n.server';
import { getAuth } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { readFlash } from '~/lib/flash.server';
import { useNonce } from '~/lib/nonce';
import { publicOrigin } from '~/lib/origin.server';
import { shellIdentity } from '~/lib/shell-identity.server';
import styles from '~/styles/app.css';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'icon', href: '/favicon.ico', sizes: '32x32' },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
  { rel: 'apple-touch-icon', href: '/apple-touch-icon.png' },
  { rel: 'manifest', href: '/manifest.webmanifest' },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = detectLocale(request);
  const { user, setCookie } = await getAuth(request);
  const roles = user?.roles ?? [];
  const featured = await getFeaturedWeek(getDb());
  // A shared signed-in render (app/lib/page-shell.server.ts) shows its stand-in's placeholder count.
  const shell = shellIdentity(request);
  const unread = shell ? shell.unread : user ? await unreadCount(getDb(), user.id) : 0;
  const largeText = readCookie(request, 'textsize') === 'large';
  // The service worker fetches /offline in the background when it installs — often just as the
  // person submits their first form — so that fetch must not consume (and clear) their flash.
  const { flash, clear } = new URL(request.url).pathname === '/offline' ? { flash: null, clear: null } : readFlash(request);
  const headers = new Headers();
  if (setCookie) headers.append('Set-Cookie', setCookie);
  if (clear) headers.append('Set-Cookie', clear);
  return json(
    {
      locale,
      // The page's translation files as cached scripts (app/i18n/bundles.ts), not inlined strings.
      i18n: bundlesForPath(locale, new URL(request.url).pathname),
      user: user ? { id: user.id, displayName: user.displayName } : null,
      roles,
      unread,
      largeText,
      flash,
      // The Week shown in the header's brand: under way or coming only (components/Brand.tsx).
      brandWeek: featured && featured.status !== 'past' ? { year: featured.week.year, status: featured.status } : null,
      // Open Graph / Twitter defaults for every page (components/outreach/ShareMeta.tsx): the featured Week's share card.
      share: {
        origin: publicOrigin(),
        siteName: getT(locale)('common.siteName'),
        locale,
        image: featured ? `/weeks/${featured.week.year}/outreach/share-card.png${locale === 'en' ? '?lang=en' : ''}` : null,
        imageAlt: featured ? (locale === 'en' ? featured.week.theme_en : featured.week.theme_vi) : null,
      },
    },
    { headers },
  );
}

// The root data (user, translations) changes after a form post (sign-in, language…) or when a
// navigation reaches a page that needs other translation files. Which files a page needs is a table
// of paths (app/i18n/namespaces.ts) that only a navigation consults, so the browser loads it then
// (a small cached file; the service worker precaches it) rather than with every first page: a
// navigation to another path asks this clientLoader, which keeps the data shown unless the next
// page's files differ, exactly as comparing the two paths' files in shouldRevalidate did.
let loaded: RootData; // the root data this clientLoader last loaded; before that, the page's own
let afterPost = false;
const shownData = (): RootData =>
  loaded ??
  (window as unknown as { __remixContext?: { state?: { loaderData?: { root?: RootData } } } }).__remixContext?.state?.loaderData?.root;

export async function clientLoader({ request, serverLoader }: ClientLoaderFunctionArgs) {
  const shown = shownData();
  const mustReload = afterPost || !shown;
  afterPost = false;
  if (!mustReload && shown) {
    const next = await import('~/i18n/namespaces').then(
      (m) => m.namespacesFor(new URL(request.url).pathname).join(),
      () => null,
    );
    // The data shown, for another page: without its one-time flash (it was for the page shown).
    if (next === shown.i18n.namespaces.join()) return shown.flash ? { ...shown, flash: null } : shown;
  }
  const data = await serverLoader<typeof loader>();
  await loadBundles(data.i18n);
  loaded = data;
  return data;
}

export type RootData = ReturnType<typeof useRootData>;
export function useRootData() {
  return useRouteLoaderData<typeof loader>('root');
}

// A Markdown preview (a fetcher's post that changes nothing) must not re-run the root loader: run
// just as a form is saved, it read — and cleared — that save's flash before the next page could.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, formAction, formData, currentUrl, nextUrl }) => {
  if (formData?.get('autosave') === '1') return false; // an autosave (contest answers) changes nothing the layout shows
  if (formMethod != null && formMethod !== 'GET' && !formAction?.endsWith('/preview')) return (afterPost = true);
  return currentUrl.pathname !== nextUrl.pathname;
};

export function Layout({ children }: { children: ReactNode }) {
  const data = useRootData();
  const locale = data?.locale ?? 'vi';
  const nonce = useNonce();
  return (
    <html lang={locale} className={data?.largeText ? 'large-text' : undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0b5d3b" />
        <Meta />
        <ShareMeta defaults={data?.share} />
        <Links />
        {data?.i18n.urls.map((src) => (
          // suppressHydrationWarning: browsers hide the nonce attribute from the DOM after parsing.
          // defer: not render-blocking; entry.client.tsx hydrates once they have run (issue 10).
          <script key={src} src={src} defer nonce={nonce || undefined} suppressHydrationWarning />
        ))}
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useRootData()!;
  return (
    <I18nProvider locale={data.locale} messages={messagesFromStore(data.i18n.locale, data.i18n.namespaces)}>
      <SiteLayout>
        <Outlet />
      </SiteLayout>
    </I18nProvider>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary withLayout />;
}
