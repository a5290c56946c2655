/**
 * The round page's submit answered on Node's request handler, before Express and Remix (issue #14:
 * ≥ 300 submits/s with p99 < 300 ms at 200 concurrent entrants). server.ts asks this after the
 * autosave's direct path. A submit is a plain form POST to the round page itself
 * (`/contests/<slug>/rounds/<id>`, the page's form with or without JavaScript's enhancement turned
 * off, and the contests bench) — the same path as the page's other intents (start, save), so the
 * body must be read before knowing whether it is a submit:
 *
 * - Considered only when Express's guard would pass the request, decided on its headers as for the
 *   autosave (`plainContestPost`: exactly that path, no query string — the JavaScript page posts
 *   with `?index&_data=…` and goes to Remix —, a plain Host, a urlencoded body of a declared length
 *   within the limit, this site's Origin / Referer, a session cookie). Anything else is left,
 *   untouched, to Express.
 * - The body is read whole from the paused stream (`read(length)`, which does not end it). When it
 *   is not a submit this path answers exactly as the route would — not `intent=submit`, an invalid
 *   attempt id or prediction (the page re-rendered with the message next to the field, the answers
 *   saved), signed out (the sign-in redirect), another entrant's attempt or round (the 404 page) —
 *   the bytes are put back (`unshift`) and the request goes to Express and the Remix route, which
 *   answer it as they always have (observed once: one request id and log line).
 * - A submit: the route's own steps — the same session lookup, the same schemas, the same domain
 *   call (`submitAttemptAnswers`: idempotent, deadline + grace, answers kept, the prediction) —
 *   answered with the route's redirect to the round page and its flash cookie (`submitted` or
 *   `submittedLate`), the same security headers, request id, request log line (route
 *   `routes/contests.$slug.rounds.$roundId._index`) and metrics.
 *
 * What it saves per submit: Express's per-request set-up and middleware chain, Remix's web Request,
 * FormData, route matching and data strategy, and the Response piped back — more CPU than the
 * submit's own statements. `CONTEST_SUBMIT_DIRECT=0` turns it off.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { submitAttemptAnswers } from '~/domain/contests/attempts.server';
import { responsesFromForm } from '~/domain/quiz/quiz.server';
import { predictionSchema, roundTakeSchema } from '~/forms/contests';

import { getAuthFromCookieHeader } from './auth.server';
import { plainContestPost } from './contests-autosave.server';
import { getDb } from './db.server';
import { answerDirectly, formOf, handOn, labelRoute, readWhole, sendRedirect } from './direct-post.server';
import { flashCookie } from './flash.server';
import { parseForm } from './forms.server';

/** The Remix route these requests would reach: their label in the request log and the metrics. */
export const ROUND_ROUTE = 'routes/contests.$slug.rounds.$roundId._index';
const ROUND_PATH = /^\/contests\/([A-Za-z0-9_-]{1,200})\/rounds\/([A-Za-z0-9_-]{1,100})$/;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Answers a plain submit of a quiz round (see above) and returns true, handing the request to
 * `express` itself when it turns out to be anything else; returns false, having read nothing,
 * for a request that is not a plain form POST to a round page (server.ts then hands it to Express).
 */
export function answerSubmitDirectly(req: IncomingMessage, res: ServerResponse, express: Handler): boolean {
  if (process.env.CONTEST_SUBMIT_DIRECT === '0') return false;
  const at = plainContestPost(req, ROUND_PATH);
  if (!at) return false;
  answerDirectly(req, res, () => handle(req, res, at, express));
  return true;
}

async function handle(req: IncomingMessage, res: ServerResponse, at: { slug: string; roundId: string }, express: Handler): Promise<void> {
  const bytes = await readWhole(req, Number(req.headers['content-length']));
  if (bytes === null) return; // the client went away (logged as such by observeRequests)
  const toExpress = () => handOn(req, res, bytes, express);
  const form = formOf(bytes);
  if (form.getAll('intent').length !== 1 || form.get('intent') !== 'submit') return toExpress();
  const parsed = parseForm(roundTakeSchema, form);
  const prediction = parseForm(predictionSchema, form);
  if (!parsed.ok || parsed.data.intent !== 'submit' || !prediction.ok) return toExpress();
  const { user } = await getAuthFromCookieHeader(req.headers.cookie);
  if (!user) return toExpress();
  labelRoute(ROUND_ROUTE);
  const r = await submitAttemptAnswers(
    getDb(),
    { slug: at.slug, roundId: at.roundId, attemptId: parsed.data.attemptId, userId: user.id },
    (questions) => responsesFromForm(questions, form),
    prediction.data.prediction,
  );
  // Not the entrant's attempt of that round (nothing was written): the route answers its 404 page.
  if (!r.ok) return toExpress();
  const message = r.value.late ? 'contests.flash.submittedLate' : 'contests.flash.submitted';
  sendRedirect(req, res, `/contests/${at.slug}/rounds/${at.roundId}`, flashCookie({ kind: 'success', message }));
}
