/**
 * The one origin every absolute URL the server writes is built from (password-reset mail,
 * certificate QR codes, OPDS feeds, canonical links, and later share cards and iCalendar).
 * It comes from configuration, never from the request: a forged `Host` or `X-Forwarded-Host`
 * header cannot put another site into a mailed link. PUBLIC_URL is required in production
 * (env.server.ts refuses to start without it); in development and tests the configured
 * HOST:PORT is the only origin used.
 */
import { getEnv } from './env.server';

/** `https://hoctap.example.vn` — scheme, host and port, no trailing slash. */
export function publicOrigin(): string {
  const env = getEnv();
  if (env.PUBLIC_URL) return new URL(env.PUBLIC_URL).origin;
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${env.PORT}`;
}

/** An absolute URL for a site path such as `/verify/ABC` (a path, never a full URL). */
export function absoluteUrl(path: string): string {
  if (!path.startsWith('/') || path.startsWith('//')) throw new Error(`absoluteUrl takes a site path, got ${path}`);
  return `${publicOrigin()}${path}`;
}
