/// <reference lib="webworker" />
/**
 * The service worker (built by app/sw/build.ts into public/sw.js at `npm run build`, never committed).
 * - The app's fingerprinted JS/CSS, icons and manifest are precached (Workbox's manifest).
 * - Pages and their data are fetched from the network first and kept, so a page once visited
 *   opens offline (read-only: forms need the network); a page never visited falls back to the
 *   offline page, which lists the books saved on this device.
 * - Book files are never cached here: the reader saves a borrowed book explicitly, and reads the
 *   saved copy only while the loan lasts (app/components/library/offline-store.ts).
 * - Signing out empties the saved pages and books (they belong to the person who signed out) and
 *   turns off web push in this browser (the push service then reports it gone to the server).
 * - Web push (when the site has VAPID keys): a notice is shown with the link it opens.
 */
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { registerRoute, setCatchHandler } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

const PAGES = 'llw-pages';
const BOOKS = 'llw-books';

self.addEventListener('install', (event) => {
  // The offline page, ready before the first time it is needed.
  event.waitUntil(
    caches
      .open(PAGES)
      .then((c) => c.add(new Request('/offline', { credentials: 'same-origin' })))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

const isPage = ({ request, url }: { request: Request; url: URL }) =>
  url.origin === self.location.origin &&
  request.method === 'GET' &&
  (request.mode === 'navigate' || url.searchParams.has('_data')) &&
  !url.pathname.endsWith('/file');

registerRoute(
  isPage,
  // No network timeout: a saved copy is for when the network fails, not when the server is slow —
  // after a form the page reloads the same address, and a timed-out fallback would show the page
  // as it was before the change (and no confirmation).
  new NetworkFirst({
    cacheName: PAGES,
    plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 150, maxAgeSeconds: 30 * 24 * 3600 })],
  }),
);

// Fingerprinted build files not precached (video players): kept once used.
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith('/build/'),
  new CacheFirst({ cacheName: 'llw-build', plugins: [new ExpirationPlugin({ maxEntries: 60 })] }),
);

// Sign-out: forget this person's saved pages and books, then let the request through.
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname === '/logout',
  async ({ request }) => {
    const sub = await self.registration.pushManager?.getSubscription().catch(() => null);
    await Promise.all([caches.delete(PAGES), caches.delete(BOOKS), sub?.unsubscribe().catch(() => false)]);
    return fetch(request);
  },
  'POST',
);

interface PushPayload {
  title?: string;
  body?: string;
  url?: string;
  tag?: string;
  lang?: string;
}

self.addEventListener('push', (event) => {
  let p: PushPayload = {};
  try {
    p = (event.data?.json() as PushPayload | undefined) ?? {};
  } catch {
    p = {};
  }
  // Only a same-site path is ever opened (the server sends one; anything else opens the list).
  const url = typeof p.url === 'string' && p.url.startsWith('/') && !p.url.startsWith('//') ? p.url : '/notifications';
  event.waitUntil(
    self.registration.showNotification(p.title || 'Tuần lễ học tập suốt đời', {
      body: p.body ?? '',
      tag: p.tag,
      // A notice that gathered more replies comes again under its tag: alert again, not a silent swap.
      ...({ renotify: Boolean(p.tag) } as NotificationOptions),
      lang: p.lang,
      icon: '/apple-touch-icon.png',
      badge: '/apple-touch-icon.png',
      data: { url },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const path = (event.notification.data as { url?: string } | null)?.url ?? '/notifications';
  const target = new URL(path, self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((list) => {
      for (const c of list) {
        if (c.url === target && 'focus' in c) return c.focus();
      }
      return self.clients.openWindow(target);
    }),
  );
});

setCatchHandler(async ({ request }) => {
  if (request.mode === 'navigate') {
    const page = await caches.match('/offline', { cacheName: PAGES });
    if (page) return page;
    return new Response(
      '<!doctype html><html lang="vi"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Ngoại tuyến</title><h1>Bạn đang ngoại tuyến</h1><p>Trang này chưa được lưu trên máy. Hãy kết nối mạng rồi thử lại.</p><p lang="en">You are offline and this page has not been saved on this device.</p>',
      { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } },
    );
  }
  return Response.error();
});
