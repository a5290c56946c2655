import { faviconIco } from '~/lib/icons.server';

/** /favicon.ico, asked for by browsers and crawlers whatever the page links (public/favicon.svg rendered). */
export function loader() {
  const ico = faviconIco();
  return new Response(new Uint8Array(ico), {
    headers: { 'Content-Type': 'image/x-icon', 'Cache-Control': 'public, max-age=86400', 'Content-Length': String(ico.length) },
  });
}
