/**
 * A forum thread's reply answered on Node's request handler, before Express and Remix (issue #12:
 * ≥ 500 posts/s accepted). server.ts asks this after the contests' direct paths. A reply is a
 * plain form POST to the thread page itself (`/forums/t/<id>`: the page's reply form without
 * JavaScript, or with its enhancement turned off) — the same path as the page's other intents
 * (react, follow, flag, moderate, …), so the body is read before knowing whether it is a reply:
 *
 * - Considered only when Express's guard would pass the request, decided on its headers
 *   (./direct-post.server.ts `plainFormPost`: exactly that path, no query string — the JavaScript
 *   page posts with `?index&_data=…` and goes to Remix —, a plain Host, a urlencoded body of a
 *   declared length within the limit, this site's Origin / Referer, a session cookie). Anything
 *   else is left, untouched, to Express.
 * - Not `intent=reply`, a form the route's schema refuses (an empty or too long post: the page
 *   re-rendered with the message next to the field and the text kept), signed out (the sign-in
 *   redirect): the bytes are put back and the request goes to Express and the Remix route, which
 *   answer it as they always have (observed once: one request id and log line).
 * - A reply: the route's own steps — the same session lookup, the same schema, the same domain
 *   call (`runThreadAction` → `reply`: the thread and its place, the lock, silences, rate limits,
 *   new-member limits, slow mode, watched words, the minors rule, one write transaction) —
 *   answered with the route's redirect to the new post and its flash cookie (`replied` or `held`),
 *   the same security headers, request id, request log line (route `routes/forums.t.$id`) and
 *   metrics.
 * - A reply the engine refused (rate limit, blocked word, slow mode, locked, …) is answered by the
 *   route, which renders the page with the message next to the form and the text kept: the request
 *   goes to Express with the refusal attached (`KnownReply`, through Remix's load context), so the
 *   route does not post a second time.
 *
 * `FORUM_REPLY_DIRECT=0` turns it off (every reply through Express and Remix).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { runThreadAction } from '~/domain/discussion/actions.server';
import { threadSchema } from '~/forms/community';

import { getAuthFromCookieHeader } from './auth.server';
import type { KnownReply } from './community-http.server';
import { getDb } from './db.server';
import { answerDirectly, clientIpOf, formOf, handOn, labelRoute, plainFormPost, readWhole, sendRedirect } from './direct-post.server';
import { flashCookie } from './flash.server';
import { parseForm } from './forms.server';

/** The Remix route these requests would reach: their label in the request log and the metrics. */
export const THREAD_ROUTE = 'routes/forums.t.$id';
const THREAD_PATH = /^\/forums\/t\/([A-Za-z0-9_-]{1,100})$/;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const KNOWN = Symbol('llw.knownReply');
type WithKnown = IncomingMessage & { [KNOWN]?: KnownReply };

/** Remix's load context for a request: the refused reply this path already ran for it, if any. */
export function directLoadContext(req: IncomingMessage): { knownReply?: KnownReply } {
  const known = (req as WithKnown)[KNOWN];
  return known ? { knownReply: known } : {};
}

/**
 * Answers a plain reply to a forum thread (see above) and returns true, handing the request to
 * `express` itself when it turns out to be anything else; returns false, having read nothing,
 * for a request that is not a plain form POST to a forum thread (server.ts then hands it to Express).
 */
export function answerReplyDirectly(req: IncomingMessage, res: ServerResponse, express: Handler): boolean {
  if (process.env.FORUM_REPLY_DIRECT === '0') return false;
  const m = plainFormPost(req, THREAD_PATH);
  if (!m) return false;
  answerDirectly(req, res, () => handle(req, res, m[1]!, express));
  return true;
}

async function handle(req: IncomingMessage, res: ServerResponse, threadId: string, express: Handler): Promise<void> {
  const bytes = await readWhole(req, Number(req.headers['content-length']));
  if (bytes === null) return; // the client went away (logged as such by observeRequests)
  const toExpress = () => handOn(req, res, bytes, express);
  const form = formOf(bytes);
  if (form.getAll('intent').length !== 1 || form.get('intent') !== 'reply') return toExpress();
  const parsed = parseForm(threadSchema, form);
  if (!parsed.ok || parsed.data.intent !== 'reply') return toExpress();
  const { user } = await getAuthFromCookieHeader(req.headers.cookie);
  if (!user) return toExpress();
  labelRoute(THREAD_ROUTE);
  const r = await runThreadAction(getDb(), { userId: user.id, ip: clientIpOf(req) }, threadId, parsed.data);
  if (!r.ok) {
    (req as WithKnown)[KNOWN] = { userId: user.id, threadId, result: r };
    return toExpress();
  }
  sendRedirect(req, res, r.value.to ?? `/forums/t/${threadId}`, flashCookie({ kind: 'success', message: r.value.message }));
}
