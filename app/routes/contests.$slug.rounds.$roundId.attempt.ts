/**
 * The round page's autosave (issue #14: ≥ 1,000 answer saves/s): a resource route the page's
 * script posts the answer form to, answering 204 No Content when saved — no page data, no JSON,
 * nothing to compress, no loaders run again. The same rules as the page's own form (which still
 * saves and submits without JavaScript through the page's action): signed in, the entrant's own
 * attempt of this round of a published contest (else 404), the account's save limit (429), the
 * attempt not submitted and the deadline + grace not passed (409; past it the attempt is submitted
 * as it stands) — `saveAttemptAnswers` decides. Refusals answer `{ ok: false, message }` with the
 * translation key; a malformed body 400 with a message. Cross-site posts never get here
 * (app/lib/http-guard.server.ts).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';

import { saveAttemptAnswers } from '~/domain/contests/attempts.server';
import { responsesFromForm } from '~/domain/quiz/quiz.server';
import { answerSaveSchema } from '~/forms/contests';
import { asKey } from '~/i18n/keys';
import { requireUser } from '~/lib/auth.server';
import { contestFailures } from '~/lib/contests-http.server';
import { getDb } from '~/lib/db.server';
import { parseForm } from '~/lib/forms.server';
import { allowContestSave } from '~/lib/rate-limit.server';
import { failure, type FailureData } from '~/lib/result-http.server';

/** Nothing to show here: a GET (a typed address, a crawler) goes to the round page. */
export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/contests/${params.slug}/rounds/${params.roundId}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const parsed = parseForm(answerSaveSchema, form);
  if (!parsed.ok)
    return json<FailureData>(
      { ok: false, message: asKey(parsed.errors.attemptId ?? parsed.errors._form ?? 'errors.invalid') },
      { status: 400 },
    );
  if (!(await allowContestSave(user.id))) return failure(contestFailures, { ok: false, code: 'rate_limited' });
  const at = { slug: params.slug!, roundId: params.roundId!, attemptId: parsed.data.attemptId, userId: user.id };
  const r = await saveAttemptAnswers(getDb(), at, (questions) => responsesFromForm(questions, form));
  if (!r.ok) return failure(contestFailures, r);
  return new Response(null, { status: 204 });
}
