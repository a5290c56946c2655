/**
 * The Content-Security-Policy of rendered pages: scripts only from this site or inline with the
 * request's nonce (Remix's hydration scripts get it through `<Scripts nonce>`), and only what
 * each page needs beyond that — media players may load HTTPS video and HLS segments, Mux Data
 * beacons are allowed only when MUX_DATA_ENV_KEY is configured, the Week page may frame the
 * YouTube (no-cookie) livestream.
 */
import { randomBytes } from 'node:crypto';

import { getEnv } from './env.server';

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Route ids whose pages play media from other HTTPS hosts (video URLs, HLS manifests). */
const MEDIA_ROUTES = new Set([
  'routes/resources.$id._index',
  'routes/resources.preview',
  'routes/courses.$slug.lessons.$lessonId._index',
  'routes/units.$slug.resources',
]);

export function documentCsp(nonce: string, routeIds: string[]): string {
  const env = getEnv();
  const media = routeIds.some((id) => MEDIA_ROUTES.has(id));
  const connect = ["'self'"];
  if (media) connect.push('https:');
  if (media && env.MUX_DATA_ENV_KEY) connect.push('https://*.litix.io');
  if (process.env.NODE_ENV === 'development') connect.push('ws:'); // remix dev's live reload
  const d = [
    "default-src 'self'",
    "base-uri 'self'",
    "object-src 'none'",
    "frame-ancestors 'self'",
    "form-action 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline' blob:",
    "img-src 'self' data: blob: https:",
    "font-src 'self' data: blob:",
    `media-src 'self' blob:${media ? ' https:' : ''}`,
    `connect-src ${connect.join(' ')}`,
    "frame-src 'self' blob: https://www.youtube-nocookie.com",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
  ];
  if (env.isProduction) d.push('upgrade-insecure-requests');
  return d.join('; ');
}
