/**
 * The round page's autosave (issue #14: ≥ 1,000 answer saves/s): a resource route the page's
 * script posts the answer form to, answering 204 No Content when saved — no page data, no JSON,
 * nothing to compress, no loaders run again. The same rules as the page's own form (which still
 * saves and submits without JavaScript through the page's action): signed in, the entrant's own
 * attempt of this round of a published contest (else 404), the account's save limit (429), the
 * attempt not submitted and the deadline + grace not passed (409; past it the attempt is submitted
 * as it stands) — `saveAttemptAnswers` decides. Refusals answer `{ ok: false, message }` with the
 * translation key; a malformed body 400 with a message. Cross-site posts never get here
 * (app/lib/http-guard.server.ts). The server answers a plain autosave before Express and Remix
 * (app/lib/contests-autosave.server.ts) with this route's own code (`answerAutosave`); what it
 * leaves to Express (a query string, a multipart body, …) reaches this action.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';

import { requireUser } from '~/lib/auth.server';
import { answerAutosave } from '~/lib/contests-http.server';
import { getDb } from '~/lib/db.server';

/** Nothing to show here: a GET (a typed address, a crawler) goes to the round page. */
export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/contests/${params.slug}/rounds/${params.roundId}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const a = await answerAutosave(getDb(), user.id, { slug: params.slug!, roundId: params.roundId! }, await request.formData());
  return 'data' in a ? json(a.data, { status: a.status }) : new Response(null, { status: 204 });
}
