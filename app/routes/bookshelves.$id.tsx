import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError } from '~/components/Field';
import { changeShelfTitleAs, shelfForViewer, shelfReadingAs } from '~/domain/library/manage.server';
import { shelfTitles } from '~/domain/library/shelves.server';
import { listTitles } from '~/domain/library/titles.server';
import { shelfTitleSchema } from '~/forms/library-shelf';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, forbidden, notFound } from '~/lib/http.server';
import { pickLocal } from '~/lib/names';
import styles from '~/styles/library.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.shelf.name }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const v = await shelfForViewer(db, params.id ?? '', user.id);
  if (!v) notFound();
  // Only the teacher and the students who joined with the code see the shelf.
  if (!v.role) forbidden();
  const locale = detectLocale(request);
  const titles = await shelfTitles(db, v.shelf.id);
  let students: Array<{ id: string; name: string; reading: string[] }> | null = null;
  let candidates: Array<{ id: string; title: string; author: string }> = [];
  const q = new URL(request.url).searchParams.get('q')?.trim().slice(0, 100) ?? '';
  if (v.role === 'teacher') {
    const r = await shelfReadingAs(db, user.id, v.shelf.id);
    if (r.ok) students = r.value.students.map((s) => ({ id: s.id, name: s.display_name, reading: s.reading }));
    const onShelf = new Set(titles.map((x) => x.id));
    candidates = (await listTitles(db, { q: q || undefined })).titles
      .filter((x) => !onShelf.has(x.id))
      .map((x) => ({ id: x.id, title: x.title, author: x.author }));
  }
  return json({
    shelf: {
      id: v.shelf.id,
      name: v.shelf.name,
      code: v.role === 'teacher' ? v.shelf.join_code : null,
      unit: pickLocal(v.shelf.unit_name, v.shelf.unit_name_en, locale),
      teacher: v.shelf.teacher_name,
    },
    role: v.role,
    titles,
    students,
    candidates,
    q,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const r = parseForm(shelfTitleSchema, await request.formData());
  if (!r.ok) return badRequest({ error: 'errors.invalid' });
  const done = await changeShelfTitleAs(db, user.id, params.id ?? '', r.data.titleId, r.data.intent);
  if (!done.ok) {
    if (done.code === 'forbidden') forbidden();
    return badRequest({ error: 'library.errors.notFound' });
  }
  const back = new URL(request.url);
  const q = back.searchParams.get('q');
  return redirectWithFlash(`/bookshelves/${params.id}${q ? `?${new URLSearchParams({ q })}` : ''}`, {
    message: r.data.intent === 'add' ? 'library.bookshelves.added' : 'library.bookshelves.removed',
  });
}

export default function ShelfPage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<{ error?: string }>();
  const { t } = useT();
  const action = d.q ? `?q=${encodeURIComponent(d.q)}` : undefined;
  return (
    <>
      <Breadcrumb items={[{ to: '/bookshelves', label: t('library.bookshelves.title') }, { label: d.shelf.name }]} />
      <h1>{d.shelf.name}</h1>
      <p className="muted">
        {d.shelf.unit} · {t('library.bookshelves.teacherOf', { name: d.shelf.teacher })}
      </p>
      <FormError error={a?.error} />
      {d.shelf.code ? (
        <p className="card">
          {t('library.bookshelves.joinCode')}:{' '}
          <strong className="lib-code" data-testid="join-code">
            {d.shelf.code}
          </strong>
        </p>
      ) : null}

      <section aria-labelledby="titles-h">
        <h2 id="titles-h">{t('library.bookshelves.titles')}</h2>
        {d.titles.length === 0 ? <p className="muted">{t('library.bookshelves.noTitles')}</p> : null}
        <ul className="grid lib-titles" data-testid="shelf-titles">
          {d.titles.map((x) => (
            <li key={x.id} className="card">
              <h3 className="lib-title-name">
                <Link to={`/library/${x.slug}`}>{x.title}</Link>
              </h3>
              <p>{x.author}</p>
              {d.role === 'teacher' ? (
                <Form method="post" action={action}>
                  <input type="hidden" name="titleId" value={x.id} />
                  <button
                    type="submit"
                    name="intent"
                    value="remove"
                    className="secondary"
                    aria-label={`${t('library.bookshelves.remove')}: ${x.title}`}
                  >
                    {t('library.bookshelves.remove')}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      {d.role === 'teacher' && d.students ? (
        <>
          <section aria-labelledby="students-h">
            <h2 id="students-h">{t('library.bookshelves.students')}</h2>
            <p className="muted">{t('library.bookshelves.teacherOnly')}</p>
            {d.students.length === 0 ? (
              <p className="muted">{t('library.bookshelves.noStudents')}</p>
            ) : (
              <table className="data" data-testid="shelf-reading">
                <thead>
                  <tr>
                    <th scope="col">{t('library.bookshelves.student')}</th>
                    <th scope="col">{t('library.bookshelves.reading')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.students.map((s) => (
                    <tr key={s.id}>
                      <th scope="row">{s.name}</th>
                      <td>{s.reading.length ? s.reading.join(', ') : <span className="muted">{t('library.bookshelves.nothing')}</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section aria-labelledby="add-h">
            <h2 id="add-h">{t('library.bookshelves.addTitle')}</h2>
            <Form method="get" role="search" className="actions" aria-label={t('library.bookshelves.addTitle')}>
              <label htmlFor="shelf-q">{t('library.catalogue.q')}</label>
              <input id="shelf-q" name="q" type="search" defaultValue={d.q} maxLength={100} />
              <button type="submit" className="secondary">
                {t('library.bookshelves.find')}
              </button>
            </Form>
            {d.candidates.length === 0 ? <p className="muted">{t('library.catalogue.empty')}</p> : null}
            <ul className="lib-candidates">
              {d.candidates.map((x) => (
                <li key={x.id}>
                  <Form method="post" action={action} className="actions">
                    <input type="hidden" name="titleId" value={x.id} />
                    <span>
                      {x.title} <span className="muted">— {x.author}</span>
                    </span>
                    <button
                      type="submit"
                      name="intent"
                      value="add"
                      className="secondary"
                      aria-label={`${t('library.bookshelves.add')}: ${x.title}`}
                    >
                      {t('library.bookshelves.add')}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          </section>
        </>
      ) : null}
    </>
  );
}
