import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';

import { getResource, saveProgress } from '~/domain/oer/resources.server';
import { watchProgressSchema } from '~/forms/oer-review';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { parseForm } from '~/lib/forms.server';

/** Watch progress from the player (signed-in viewers of a published resource). */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await getUser(request);
  if (!user) return json({ saved: false }, { status: 401 });
  const db = getDb();
  const r = await getResource(db, params.id ?? '');
  if (!r || r.status !== 'published') return json({ saved: false }, { status: 404 });
  const form = parseForm(watchProgressSchema, await request.formData());
  if (!form.ok) return json({ saved: false }, { status: 400 });
  // The media's duration as the player measures it (the stored one never shrinks: saveProgress).
  const duration = form.data.duration || r.duration_seconds || null;
  const { completed } = await saveProgress(db, user.id, r.id, form.data.position, duration);
  return json({ saved: true, completed });
}
