import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, SelectField, TextArea, TextField } from '~/components/Field';
import { LIB_AUDIENCES } from '~/db/schema/library';
import { titleEditAccess } from '~/domain/library/access.server';
import { runTitleEdit } from '~/domain/library/actions.server';
import { getTitleBySlug } from '~/domain/library/titles.server';
import { titleEditorSchema } from '~/forms/library-title';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { libraryAudienceLabel } from '~/i18n/labels';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FormValues, parseForm } from '~/lib/forms.server';
import { badRequest, forbidden, notFound } from '~/lib/http.server';
import { localName } from '~/lib/names';

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.book.title }] : []);

async function load(request: Request, slug: string | undefined) {
  const user = await requireUser(request);
  const db = getDb();
  const title = await getTitleBySlug(db, slug ?? '');
  if (!title) notFound();
  // Librarians of a library holding the title (or its uploader) may edit the record.
  const access = await titleEditAccess(db, user.id, title);
  if (access.status !== 'ok') forbidden();
  return { db, user, title, managed: access.managed, holdings: access.holdings };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { title, managed, holdings } = await load(request, params.slug);
  const locale = detectLocale(request);
  return json({
    book: {
      slug: title.slug,
      title: title.title,
      values: {
        title: title.title,
        author: title.author,
        language: title.language,
        description: title.description,
        subjects: title.subjects.split(',').join(', '),
        audience: title.audience,
        theme_year: title.theme_year ? String(title.theme_year) : '',
        publisher: title.publisher ?? '',
        published_year: title.published_year ? String(title.published_year) : '',
      } as FormValues,
    },
    libraries: managed.map((m) => {
      const h = holdings.find((x) => x.library_id === m.id);
      return {
        id: m.id,
        name: localName(m, locale),
        access: h ? (h.open_access ? 'open' : 'licensed') : '',
        copies: h ? String(h.copies) : '0',
      };
    }),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, title } = await load(request, params.slug);
  const r = parseForm(titleEditorSchema, await request.formData());
  const intent = r.values.intent ?? '';
  const libraryId = r.values.library_id ?? '';
  if (!r.ok) return badRequest({ intent, errors: r.errors, values: r.values, libraryId });
  const done = await runTitleEdit(db, user.id, title.id, r.data);
  if (!done.ok) return done.code === 'not_found' ? notFound() : forbidden();
  if (done.value === 'record') return redirect(`/library/${title.slug}`);
  return redirectWithFlash(`/library/${title.slug}/edit`, { message: 'common.saved' });
}

export default function EditTitle() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const rec = a?.intent === 'record' ? a : undefined;
  const v = rec?.values ?? d.book.values;
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/library', label: t('library.catalogue.title') },
          { to: `/library/${d.book.slug}`, label: d.book.title },
          { label: t('library.edit.title') },
        ]}
      />
      <h1>{t('library.edit.title')}</h1>
      <FormError error={a?.errors?._form} />
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="record" />
        <div className="form-grid">
          <TextField
            name="title"
            label={t('library.edit.fields.title')}
            defaultValue={v.title}
            error={rec?.errors?.title}
            required
            maxLength={300}
          />
          <TextField
            name="author"
            label={t('library.edit.fields.author')}
            defaultValue={v.author}
            error={rec?.errors?.author}
            required
            maxLength={300}
          />
          <TextField
            name="language"
            label={t('library.edit.fields.language')}
            defaultValue={v.language}
            error={rec?.errors?.language}
            maxLength={20}
          />
          <SelectField name="audience" label={t('library.catalogue.audience')} defaultValue={v.audience} error={rec?.errors?.audience}>
            {LIB_AUDIENCES.map((x) => (
              <option key={x} value={x}>
                {t(libraryAudienceLabel[x])}
              </option>
            ))}
          </SelectField>
          <TextField
            name="subjects"
            label={t('library.edit.fields.subjects')}
            hint={t('library.edit.fields.subjectsHint')}
            defaultValue={v.subjects}
            error={rec?.errors?.subjects}
            maxLength={500}
          />
          <TextField
            name="theme_year"
            inputMode="numeric"
            label={t('library.catalogue.themeYear')}
            defaultValue={v.theme_year}
            error={rec?.errors?.theme_year}
            maxLength={4}
          />
          <TextField
            name="publisher"
            label={t('library.title.publisher')}
            defaultValue={v.publisher}
            error={rec?.errors?.publisher}
            maxLength={300}
          />
          <TextField
            name="published_year"
            inputMode="numeric"
            label={t('library.edit.fields.publishedYear')}
            defaultValue={v.published_year}
            error={rec?.errors?.published_year}
            maxLength={4}
          />
        </div>
        <TextArea
          name="description"
          label={t('library.edit.fields.description')}
          defaultValue={v.description}
          error={rec?.errors?.description}
          rows={5}
        />
        <button type="submit" className="primary">
          {t('common.save')}
        </button>
      </Form>
      <h2>{t('library.edit.holdings')}</h2>
      {d.libraries.map((l) => {
        const mine = a?.intent === 'holding' && a.libraryId === l.id ? a : undefined;
        return (
          <Form method="post" key={l.id} className="card" noValidate>
            <h3 style={{ marginTop: 0 }}>{l.name}</h3>
            <input type="hidden" name="intent" value="holding" />
            <input type="hidden" name="library_id" value={l.id} />
            <div className="form-grid">
              <SelectField
                id={`acc-${l.id}`}
                name="access"
                label={t('library.edit.access')}
                defaultValue={mine?.values?.access ?? (l.access || 'licensed')}
                error={mine?.errors?.access}
              >
                <option value="licensed">{t('library.edit.licensed')}</option>
                <option value="open">{t('library.title.openAccess')}</option>
              </SelectField>
              <TextField
                id={`cop-${l.id}`}
                name="copies"
                type="number"
                min={0}
                max={999}
                label={t('library.edit.copies')}
                defaultValue={mine?.values?.copies ?? l.copies}
                error={mine?.errors?.copies}
              />
            </div>
            <button type="submit" className="secondary">
              {l.access ? t('common.save') : t('library.edit.addHolding')}
            </button>
          </Form>
        );
      })}
    </>
  );
}
