import { iconPng } from '~/lib/icons.server';

/** The 180 px home-screen icon iOS asks for (public/favicon.svg rendered). */
export function loader() {
  const png = iconPng(180);
  return new Response(new Uint8Array(png), {
    headers: { 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=86400', 'Content-Length': String(png.length) },
  });
}
