/**
 * The round page's autosave answered on Node's request handler itself, before Express and Remix
 * (issue #14: ≥ 1,000 answer saves/s on 2 cores). server.ts asks this after the page cache's fast
 * hit: a plain autosave POST to `/contests/<slug>/rounds/<id>/attempt` is answered here; anything
 * else is left, untouched, to Express, its guard and the Remix route
 * (`routes/contests.$slug.rounds.$roundId.attempt`), which answer exactly as before.
 *
 * Per save, Express's set-up and middleware chain and Remix's request handling (a web Request and
 * its body stream, FormData, route matching, the data strategy, the Response piped back) cost more
 * CPU than the save's own queries. Here the same work is done with what a save needs:
 *
 * - Taken only when Express's guard (app/lib/http-guard.server.ts `requestGuard`) would let the
 *   request through, decided before anything is read: a POST to exactly that path (no query, plain
 *   segments), a plain Host, a urlencoded body whose declared length is within the route's limit
 *   (no chunked body), from this site (the guard's Origin / Referer / Sec-Fetch-Site rule, the same
 *   `isSameSiteOrigin`, TRUST_PROXY's forwarded host and scheme included), with a session cookie.
 *   Anything else (a cross-site post, JSON, multipart, too large, a query string, no session
 *   cookie) goes to Express, which refuses or answers it as it always has.
 * - The same session lookup as the route's `requireUser` (signed out or an expired session: the
 *   same redirect to the sign-in page), the same body parsing as Remix's `request.formData()` for
 *   a urlencoded body (UTF-8, URLSearchParams), then `answerAutosave` — the route's own code: the
 *   form's zod schema (400 with its message), the account's save limit (429), `saveAttemptAnswers`
 *   and the contests' failure table (404 for another entrant's attempt or round, 409 when submitted
 *   or past the deadline + grace). 204 when saved.
 * - The same security headers (`baseSecurityHeaders` + the default CSP), request id, request log
 *   line, route label and metrics (`observeRequests`, run here as it runs in Express). A refusal's
 *   JSON is sent with its length, uncompressed (Express compressed these ~50 bytes); an error
 *   answers the translated 500 page and is logged.
 * `CONTEST_AUTOSAVE_DIRECT=0` turns this off (every autosave through Express and Remix).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';

import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';

import { getAuthFromCookieHeader } from './auth.server';
import { answerAutosave, type AutosaveAnswer } from './contests-http.server';
import { getDb } from './db.server';
import { getEnv } from './env.server';
import { baseSecurityHeaders, bodyLimitFor, DEFAULT_CSP, errorPageHtml, hostOf, isSameSiteOrigin } from './http-guard.server';
import { observeRequests } from './observability/http.server';
import { requestContext } from './observability/log.server';
import { PLAIN_HOST } from './page-cache.server';

/** The Remix route these requests would reach: their label in the request log and the metrics. */
export const AUTOSAVE_ROUTE = 'routes/contests.$slug.rounds.$roundId.attempt';
const SAVE_PATH = /^\/contests\/([A-Za-z0-9_-]{1,200})\/rounds\/([A-Za-z0-9_-]{1,100})\/attempt$/;
const URLENCODED = 'application/x-www-form-urlencoded';

let headers: Array<[string, string]> | null = null;
/** The security headers every direct answer carries (as Express's `securityHeaders` sets them). */
export function directHeaders(): Array<[string, string]> {
  return (headers ??= [...Object.entries(baseSecurityHeaders()), ['Content-Security-Policy', DEFAULT_CSP]]);
}

/** The scheme as Express's `req.protocol` gives it (the first X-Forwarded-Proto behind a trusted proxy). */
function protocolOf(req: IncomingMessage): string {
  const own = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  if (getEnv().TRUST_PROXY !== '1') return own;
  const forwarded = req.headers['x-forwarded-proto'];
  const v = typeof forwarded === 'string' && forwarded ? forwarded : own;
  const comma = v.indexOf(',');
  return (comma < 0 ? v : v.slice(0, comma)).trim();
}

/**
 * Whether this request is a plain form POST to a path matching `path` that Express's guard would
 * pass (see above): the path's slug and round id, else null (and nothing read). Also used for the
 * round page's submit (app/lib/contests-submit.server.ts).
 */
export function plainContestPost(req: IncomingMessage, path: RegExp): { slug: string; roundId: string } | null {
  if (req.method !== 'POST') return null;
  const m = path.exec(req.url ?? '');
  if (!m) return null;
  const h = req.headers;
  const host = hostOf(req);
  if (!host || !PLAIN_HOST.test(host)) return null;
  // A body of a declared length within the route's limit (a chunked one: the guard decides).
  const declared = h['content-length'];
  if (declared === undefined || !/^\d{1,9}$/.test(declared) || Number(declared) > bodyLimitFor(req.url!)) return null;
  if (h['transfer-encoding'] !== undefined) return null;
  const type = h['content-type'];
  if (!type || type.split(';')[0]!.trim().toLowerCase() !== URLENCODED) return null;
  // The guard's cross-site rule: Origin (or Referer) of this site; without either, not a browser's cross-site post.
  const origin = h.origin ?? h.referer;
  const sameSite = origin ? origin !== 'null' && isSameSiteOrigin(origin, host, protocolOf(req)) : h['sec-fetch-site'] !== 'cross-site';
  if (!sameSite) return null;
  if (!h.cookie?.includes('llw_session=')) return null;
  return { slug: m[1]!, roundId: m[2]! };
}

/** Whether this request is a plain autosave (see above). */
function plainAutosave(req: IncomingMessage): { slug: string; roundId: string } | null {
  if (process.env.CONTEST_AUTOSAVE_DIRECT === '0') return null;
  return plainContestPost(req, SAVE_PATH);
}

/**
 * Answers a plain autosave (see above) and returns true; returns false, having read and written
 * nothing, for any other request (server.ts then hands it to Express).
 */
export function answerAutosaveDirectly(req: IncomingMessage, res: ServerResponse): boolean {
  const at = plainAutosave(req);
  if (!at) return false;
  directHeaders();
  // Request id, request context, and the log line and metrics once answered (or the client gone).
  observeRequests(req as ExpressRequest, res as ExpressResponse, () => {
    const ctx = requestContext();
    if (ctx) ctx.route = AUTOSAVE_ROUTE;
    handle(req, res, at).catch((e: unknown) => {
      console.error(e);
      send(res, 500, 'text/html; charset=utf-8', errorPageHtml(req, 500, 'server'));
    });
  });
  return true;
}

async function handle(req: IncomingMessage, res: ServerResponse, at: { slug: string; roundId: string }): Promise<void> {
  const body = readBody(req);
  const { user } = await getAuthFromCookieHeader(req.headers.cookie);
  if (!user) {
    // As the route's `requireUser`: to the sign-in page, coming back here. The body is left unread.
    body.catch(() => undefined);
    for (const [k, v] of headers!) res.setHeader(k, v);
    res.writeHead(302, { Location: `/login?redirectTo=${encodeURIComponent(req.url!)}` });
    res.end();
    return;
  }
  const text = await body;
  if (text === null) return; // the client went away (logged as such by observeRequests)
  // As Remix's `request.formData()` reads a urlencoded body (the WHATWG decoder drops a leading BOM).
  const form = new URLSearchParams(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const answer: AutosaveAnswer = await answerAutosave(getDb(), user.id, at, form);
  if ('data' in answer) send(res, answer.status, 'application/json; charset=utf-8', JSON.stringify(answer.data));
  else send(res, 204, null, null);
}

/** The request's body as text (UTF-8), or null when the client aborted it. */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.once('aborted', () => resolve(null));
    req.once('error', () => resolve(null));
  });
}

export function send(res: ServerResponse, status: number, type: string | null, body: string | null): void {
  if (res.headersSent || res.destroyed) {
    res.end();
    return;
  }
  for (const [k, v] of headers!) res.setHeader(k, v);
  if (type && body !== null) {
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.writeHead(status);
    res.end(body);
  } else {
    res.writeHead(status);
    res.end();
  }
}
