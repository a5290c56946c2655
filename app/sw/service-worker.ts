/// <reference lib="webworker" />
/**
 * The service worker (built by app/sw/build.ts into public/sw.js at `npm run build`, never committed).
 * - The app's fingerprinted JS/CSS, icons and manifest are precached (Workbox's manifest).
 * - Pages and their data are fetched from the network first and kept, so a page once visited
 *   opens offline (read-only: forms need the network); a page never visited falls back to the
 *   offline page, which lists the books saved on this device.
 * - Book files are never cached here: the reader saves a borrowed book explicitly, and reads the
 *   saved copy only while the loan lasts (app/components/library/offline-store.ts).
 * - Signing out empties the saved pages and books (they belong to the person who signed out).
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
  new NetworkFirst({
    cacheName: PAGES,
    networkTimeoutSeconds: 6,
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
    await Promise.all([caches.delete(PAGES), caches.delete(BOOKS)]);
    return fetch(request);
  },
  'POST',
);

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
