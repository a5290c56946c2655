/**
 * Turning web push on or off in one browser. Called by the settings page's script (a push
 * subscription only exists in a browser running JavaScript); answers JSON.
 */
import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';

import { subscribePush, unsubscribePush } from '~/domain/notifications/push.server';
import { pushSchema } from '~/forms/community';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { pushFailures } from '~/lib/failures/notifications.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import { failure } from '~/lib/result-http.server';

export const loader = () => notFound();

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(pushSchema, await request.formData());
  if (!r.ok) return badRequest({ ok: false as const, errors: r.errors });
  if (r.data.intent === 'unsubscribe') {
    await unsubscribePush(getDb(), user.id, r.data.endpoint);
    return json({ ok: true as const, on: false });
  }
  const s = await subscribePush(getDb(), user.id, { ...r.data, userAgent: request.headers.get('user-agent') ?? '' });
  if (!s.ok) return failure(pushFailures, s);
  return json({ ok: true as const, on: true });
}
