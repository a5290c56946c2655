/**
 * Raster versions of the site icon (public/favicon.svg) for what does not take SVG: /favicon.ico
 * (browsers and crawlers ask for it whatever the page links) and the 180 px apple-touch-icon.
 * Rendered once per process by resvg and kept in memory (a few KB).
 */
import fs from 'node:fs';
import path from 'node:path';

import { renderPng } from '~/domain/library/covers.server';

const cache = new Map<string, Buffer>();

function iconSvg(): string {
  return fs.readFileSync(path.resolve(process.cwd(), 'public/favicon.svg'), 'utf8');
}

export function iconPng(size: number): Buffer {
  const key = `png${size}`;
  let b = cache.get(key);
  if (!b) {
    b = renderPng(iconSvg(), size);
    cache.set(key, b);
  }
  return b;
}

/** An ICO file holding PNG images (read by every current browser), 16, 32 and 48 px. */
export function faviconIco(): Buffer {
  let b = cache.get('ico');
  if (b) return b;
  const pngs = [16, 32, 48].map((s) => ({ s, png: iconPng(s) }));
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = 6 + 16 * pngs.length;
  const entries = pngs.map(({ s, png }) => {
    const e = Buffer.alloc(16);
    e.writeUInt8(s % 256, 0);
    e.writeUInt8(s % 256, 1);
    e.writeUInt8(0, 2); // no palette
    e.writeUInt8(0, 3);
    e.writeUInt16LE(1, 4); // colour planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    return e;
  });
  b = Buffer.concat([header, ...entries, ...pngs.map((p) => p.png)]);
  cache.set('ico', b);
  return b;
}
