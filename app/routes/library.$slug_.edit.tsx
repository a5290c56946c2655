import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, SelectField, TextArea, TextField } from '~/components/Field';
import { LIB_AUDIENCES } from '~/db/schema/library';
import { indexTitle } from '~/domain/library/search.server';
import { getTitleBySlug, librarianLibraries, updateTitle, upsertHolding } from '~/domain/library/titles.server';
import { titleHoldings } from '~/domain/library/titles.server';
import { holdingSchema, titleSchema } from '~/forms/library-title';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { libraryAudienceLabel } from '~/i18n/labels';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { type FieldErrors, type FormValues, parseForm } from '~/lib/forms.server';
import { badRequest, forbidden, notFound } from '~/lib/http.server';
import { localName } from '~/lib/names';

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.book.title }] : []);

async function load(request: Request, slug: string | undefined) {
  const user = await requireUser(request);
  const db = getDb();
  const title = await getTitleBySlug(db, slug ?? '');
  if (!title) notFound();
  const managed = await librarianLibraries(db, user.id);
  const holdings = await titleHoldings(db, title.id);
  // Librarians of a library holding the title (or its uploader) may edit the record.
  if (!managed.some((m) => holdings.some((h) => h.library_id === m.id)) && title.created_by !== user.id) forbidden();
  return { db, user, title, managed, holdings };
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

type ActionData = { intent: string; errors?: FieldErrors; values?: FormValues; libraryId?: string; saved?: boolean };

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, title, managed } = await load(request, params.slug);
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  if (intent === 'record') {
    const r = parseForm(titleSchema, form);
    if (!r.ok) return badRequest<ActionData>({ intent, errors: r.errors, values: r.values });
    await updateTitle(db, title.id, {
      title: r.data.title,
      author: r.data.author,
      language: r.data.language,
      description: r.data.description,
      subjects: r.data.subjects.split(','),
      audience: r.data.audience,
      themeYear: r.data.theme_year,
      publisher: r.data.publisher || null,
      publishedYear: r.data.published_year,
    });
    await indexTitle(db, title.id);
    return redirect(`/library/${title.slug}`);
  }
  if (intent === 'holding') {
    const r = parseForm(holdingSchema, form);
    const libraryId = String(form.get('library_id') ?? '');
    if (!r.ok) return badRequest<ActionData>({ intent, errors: r.errors, values: r.values, libraryId });
    if (!managed.some((m) => m.id === r.data.library_id)) forbidden();
    await upsertHolding(db, title.id, r.data.library_id, {
      openAccess: r.data.access === 'open',
      copies: r.data.access === 'open' ? 0 : r.data.copies,
    });
    await indexTitle(db, title.id);
    return json<ActionData>({ intent, saved: true, libraryId });
  }
  return badRequest<ActionData>({ intent, errors: { _form: 'errors.invalid' } });
}

export default function EditTitle() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<ActionData>();
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
            {mine?.saved ? (
              <p className="flash" role="status">
                {t('common.saved')}
              </p>
            ) : null}
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
