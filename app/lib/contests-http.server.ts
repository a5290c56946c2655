/** The contests area's one table from domain failure codes to a translation key and a status. */
import { saveAttemptAnswers } from '~/domain/contests/attempts.server';
import { responsesFromForm } from '~/domain/quiz/quiz.server';
import { answerSaveSchema } from '~/forms/contests';
import { asKey } from '~/i18n/keys';

import type { DB } from './db.server';
import { type FormFields, parseForm } from './forms.server';
import { allowContestSave } from './rate-limit.server';
import { defineFailures, type FailureData, failureOf } from './result-http.server';

export const contestFailures = defineFailures({
  not_found: { message: 'contests.errors.not_found', status: 404 },
  forbidden: { message: 'contests.errors.forbidden', status: 403 },
  slug_taken: { message: 'contests.errors.slug_taken', status: 409 },
  eligible_outside: { message: 'contests.errors.outside_units', status: 400 },
  age_range: { message: 'contests.errors.ageRange', status: 400 },
  too_young: { message: 'contests.errors.too_young', status: 403 },
  too_old: { message: 'contests.errors.too_old', status: 403 },
  outside_units: { message: 'contests.errors.outside_units', status: 403 },
  excluded_role: { message: 'contests.errors.excluded_role', status: 403 },
  staff: { message: 'contests.errors.staff', status: 403 },
  ends_before_start: { message: 'contests.errors.ends_before_start', status: 400 },
  overlap: { message: 'contests.errors.overlap', status: 409 },
  quota_too_large: { message: 'contests.errors.quota_too_large', status: 400 },
  quota_empty: { message: 'contests.errors.quota_empty', status: 400 },
  rank_range: { message: 'contests.errors.rank_range', status: 400 },
  not_registered: { message: 'contests.errors.not_registered', status: 403 },
  not_open: { message: 'contests.errors.not_open', status: 409 },
  attempts_exhausted: { message: 'contests.errors.attempts_exhausted', status: 409 },
  no_questions: { message: 'contests.errors.no_questions', status: 409 },
  already_submitted: { message: 'contests.errors.already_submitted', status: 409 },
  past_deadline: { message: 'contests.errors.past_deadline', status: 409 },
  not_closed: { message: 'contests.errors.not_closed', status: 409 },
  not_proposed: { message: 'contests.errors.not_proposed', status: 409 },
  reason_required: { message: 'errors.required', status: 400 },
  bad_rows: { message: 'contests.errors.bad_rows', status: 422 },
  unreadable: { message: 'contests.errors.unreadable', status: 422 },
  empty: { message: 'contests.errors.empty', status: 422 },
  rate_limited: { message: 'contests.errors.rate_limited', status: 429 },
  rounds_pending: { message: 'contests.errors.rounds_pending', status: 409 },
  no_results: { message: 'contests.errors.no_results', status: 409 },
});
export type ContestFailureCode = keyof typeof contestFailures;

/**
 * Headers of the contest page: `no-store` (kept neither by the page cache nor by a shared cache)
 * when a round opens or closes within the time a kept copy may still be served (PAGE_CACHE_TTL_S +
 * PAGE_CACHE_S_MAXAGE + PAGE_CACHE_SWR), because the page shows each round's phase, which changes
 * with the clock and bumps nothing. While a round is open the page is kept like the others (issue
 * #14): its live counters show the figures of its render (at most PAGE_CACHE_TTL_S +
 * LIVE_COUNTERS_TTL_S old without JavaScript) and the page's script refreshes them from
 * `/contests/<slug>/counters` every LIVE_COUNTERS_TTL_S seconds.
 */
export function contestPageHeaders(rounds: ReadonlyArray<{ opensAt: string; closesAt: string; phase: string }>, now = Date.now()) {
  const env = process.env;
  const horizon = (Number(env.PAGE_CACHE_TTL_S ?? 60) + Number(env.PAGE_CACHE_S_MAXAGE ?? 10) + Number(env.PAGE_CACHE_SWR ?? 30)) * 1000;
  const soon = (iso: string) => {
    const t = new Date(iso).getTime();
    return t >= now && t - now <= horizon;
  };
  const changing = rounds.some((r) => soon(r.opensAt) || soon(r.closesAt));
  return changing ? { 'Cache-Control': 'no-store' } : undefined;
}

/**
 * Headers of a submission round's gallery. Anonymous visitors get it from the page cache
 * (app/lib/page-cache-routes.server.ts): entries, moderation, results and settings bump it at once;
 * votes do not (a bump per vote would render it again all the time while voting is open), so the
 * vote counts it shows are at most PAGE_CACHE_TTL_S old, and the page says as of when. Whether
 * voting is open changes with the clock: near the window's opening or closing the page is not
 * kept (`no-store`), as the contest page does.
 */
export function galleryPageHeaders(
  round: { voting: number; vote_opens_at: string | null; vote_closes_at: string | null },
  now = Date.now(),
) {
  if (!round.voting || !round.vote_opens_at || !round.vote_closes_at) return undefined;
  return contestPageHeaders([{ opensAt: round.vote_opens_at, closesAt: round.vote_closes_at, phase: 'votes' }], now);
}

/** The answer to an autosave: 204 (saved, no body) or a refusal's status with `{ ok: false, message }`. */
export type AutosaveAnswer = { status: 204 } | { status: number; data: FailureData };

/**
 * The round page's autosave for a signed-in entrant, once the form is read (issue #14): the route
 * `contests.$slug.rounds.$roundId.attempt` and the direct path before Express
 * (app/lib/contests-autosave.server.ts) both answer with this, so they refuse alike — a malformed
 * form 400 with its message, the account's save limit 429, then `saveAttemptAnswers`'s refusals
 * through `contestFailures` (not the entrant's attempt of that round: 404; submitted or past the
 * deadline + grace: 409).
 */
export async function answerAutosave(
  db: DB,
  userId: string,
  at: { slug: string; roundId: string },
  form: FormFields,
): Promise<AutosaveAnswer> {
  const parsed = parseForm(answerSaveSchema, form);
  if (!parsed.ok)
    return { status: 400, data: { ok: false, message: asKey(parsed.errors.attemptId ?? parsed.errors._form ?? 'errors.invalid') } };
  if (!(await allowContestSave(userId))) return failureOf(contestFailures, { ok: false, code: 'rate_limited' });
  const r = await saveAttemptAnswers(db, { ...at, attemptId: parsed.data.attemptId, userId }, (questions) =>
    responsesFromForm(questions, form),
  );
  return r.ok ? { status: 204 } : failureOf(contestFailures, r);
}
