import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';

import { canReadTitle } from '~/domain/library/circulation.server';
import { addAnnotation, deleteAnnotation, savePosition, updateAnnotationNote } from '~/domain/library/reading.server';
import { getTitleBySlug } from '~/domain/library/titles.server';
import { readerSchema } from '~/forms/library-reader';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { parseForm } from '~/lib/forms.server';
import { forbidden, notFound } from '~/lib/http.server';

/** The reader's saves (position, bookmarks, highlights), posted with fetch: JSON in, JSON out. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const title = await getTitleBySlug(db, params.slug ?? '');
  if (!title) notFound();
  const r = parseForm(readerSchema, await request.formData());
  if (!r.ok) return json({ ok: false, errors: r.errors }, { status: 400 });
  const d = r.data;
  if (d.intent === 'delete') {
    await deleteAnnotation(db, user.id, d.id);
    return json({ ok: true });
  }
  if (d.intent === 'note') {
    await updateAnnotationNote(db, user.id, d.id, d.note.trim() || null);
    return json({ ok: true });
  }
  if (!(await canReadTitle(db, user.id, title.id))) forbidden();
  if (d.intent === 'position') {
    const saved = await savePosition(db, user.id, title.id, d.cfi, d.label?.trim() || null, d.at);
    return json({ ok: true, saved });
  }
  const id = await addAnnotation(db, user.id, title.id, {
    kind: d.intent,
    cfi: d.cfi,
    excerpt: d.excerpt?.trim() || null,
    note: d.intent === 'highlight' ? d.note?.trim() || null : null,
    clientRef: d.ref,
    at: d.at,
  });
  return json({ ok: true, id });
}

export function loader() {
  notFound();
}
