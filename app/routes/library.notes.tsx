import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';

import { deleteAnnotation, listAnnotations, updateAnnotationNote } from '~/domain/library/reading.server';
import { readerSchema } from '~/forms/library-reader';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { noteKindLabel } from '~/i18n/labels';
import { requireUser } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const notes = await listAnnotations(getDb(), user.id);
  return json({ title: getT(detectLocale(request))('library.notes.title'), notes });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(readerSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors });
  if (r.data.intent === 'delete') await deleteAnnotation(getDb(), user.id, r.data.id);
  else if (r.data.intent === 'note') await updateAnnotationNote(getDb(), user.id, r.data.id, r.data.note.trim() || null);
  return redirect('/library/notes');
}

export default function Notes() {
  const { notes } = useLoaderData<typeof loader>();
  const { t } = useT();
  const byTitle = new Map<string, typeof notes>();
  for (const n of notes) byTitle.set(n.slug, [...(byTitle.get(n.slug) ?? []), n]);
  return (
    <>
      <h1>{t('library.notes.title')}</h1>
      {notes.length === 0 ? <p className="muted">{t('library.notes.empty')}</p> : null}
      {[...byTitle.entries()].map(([slug, items]) => (
        <section key={slug} aria-labelledby={`n-${slug}`}>
          <h2 id={`n-${slug}`}>
            <Link to={`/library/${slug}/read`}>{items[0]!.title}</Link>
          </h2>
          <ul className="stack" style={{ listStyle: 'none', padding: 0 }}>
            {items.map((n) => (
              <li key={n.id} className="card" data-kind={n.kind}>
                <p>
                  <span className="badge">{t(noteKindLabel[n.kind])}</span> <span className="muted">{formatDateTime(n.created_at)}</span>
                </p>
                {n.excerpt ? <blockquote>{n.excerpt}</blockquote> : null}
                <Form method="post" className="actions">
                  <input type="hidden" name="id" value={n.id} />
                  <label htmlFor={`note-${n.id}`} className="visually-hidden">
                    {t('library.reader.note')}
                  </label>
                  <input
                    id={`note-${n.id}`}
                    name="note"
                    defaultValue={n.note ?? ''}
                    maxLength={2000}
                    placeholder={t('library.reader.note')}
                  />
                  <button type="submit" name="intent" value="note" className="secondary small">
                    {t('common.save')}
                  </button>
                  <button type="submit" name="intent" value="delete" className="danger small">
                    {t('common.delete')}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
