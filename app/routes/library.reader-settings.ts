import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';

import { saveReaderSettings } from '~/domain/library/reading.server';
import { readerSettingsSchema } from '~/forms/library-reader';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { parseForm } from '~/lib/forms.server';
import { notFound } from '~/lib/http.server';

/** The reader's font size, theme and line spacing, posted with fetch: the same on every device. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(readerSettingsSchema, await request.formData());
  if (!r.ok) return json({ ok: false, errors: r.errors }, { status: 400 });
  const { at, ...s } = r.data;
  const settings = await saveReaderSettings(getDb(), user.id, s, at);
  return json({ ok: true, settings });
}

export function loader() {
  notFound();
}
