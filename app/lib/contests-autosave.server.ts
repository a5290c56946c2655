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

import { getAuthFromCookieHeader } from './auth.server';
import { answerAutosave, type AutosaveAnswer } from './contests-http.server';
import { getDb } from './db.server';
import { answerDirectly, directHeaders, labelRoute, plainFormPost, send } from './direct-post.server';

/** The Remix route these requests would reach: their label in the request log and the metrics. */
export const AUTOSAVE_ROUTE = 'routes/contests.$slug.rounds.$roundId.attempt';
const SAVE_PATH = /^\/contests\/([A-Za-z0-9_-]{1,200})\/rounds\/([A-Za-z0-9_-]{1,100})\/attempt$/;

/**
 * Whether this request is a plain form POST to a contest round's path matching `path` that
 * Express's guard would pass (./direct-post.server.ts `plainFormPost`): the path's slug and round
 * id, else null (and nothing read). Also used for the round page's submit (./contests-submit.server.ts).
 */
export function plainContestPost(req: IncomingMessage, path: RegExp): { slug: string; roundId: string } | null {
  const m = plainFormPost(req, path);
  return m ? { slug: m[1]!, roundId: m[2]! } : null;
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
  answerDirectly(req, res, () => {
    labelRoute(AUTOSAVE_ROUTE);
    return handle(req, res, at);
  });
  return true;
}

async function handle(req: IncomingMessage, res: ServerResponse, at: { slug: string; roundId: string }): Promise<void> {
  const body = readBody(req);
  const { user } = await getAuthFromCookieHeader(req.headers.cookie);
  if (!user) {
    // As the route's `requireUser`: to the sign-in page, coming back here. The body is left unread.
    body.catch(() => undefined);
    for (const [k, v] of directHeaders()) res.setHeader(k, v);
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
