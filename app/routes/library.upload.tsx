import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, SelectField, TextField } from '~/components/Field';
import { MAX_EPUB_BYTES } from '~/domain/library/epub.server';
import { librarianLibraries } from '~/domain/library/titles.server';
import { checkUploadedFile, discardUpload, storeUploadedTitle } from '~/domain/library/upload.server';
import { holdingSchema } from '~/forms/library-title';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, type FormValues, parseForm } from '~/lib/forms.server';
import { badRequest, forbidden } from '~/lib/http.server';
import { localName } from '~/lib/names';
import { receiveUpload } from '~/lib/uploads/epub-form.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const libraries = await librarianLibraries(getDb(), user.id);
  if (libraries.length === 0) forbidden();
  const locale = detectLocale(request);
  return json({
    title: getT(locale)('library.upload.title'),
    libraries: libraries.map((l) => ({ id: l.id, name: localName(l, locale) })),
    maxMb: Math.round(MAX_EPUB_BYTES / 1024 / 1024),
  });
}

type ActionData = { errors: FieldErrors; values: FormValues };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const libraries = await librarianLibraries(db, user.id);
  if (libraries.length === 0) forbidden();
  const { form, tmp, tooBig } = await receiveUpload(request);
  const values: FormValues = {};
  for (const [k, v] of form.entries()) if (typeof v === 'string') values[k] = v;
  const fail = async (errors: FieldErrors) => {
    await discardUpload(tmp);
    return badRequest<ActionData>({ errors, values });
  };
  const r = parseForm(holdingSchema, form);
  if (!r.ok) return fail(r.errors);
  if (!libraries.some((l) => l.id === r.data.library_id)) return fail({ library_id: 'errors.choose' });
  if (tooBig) return fail({ file: 'library.errors.epub.too_big' });
  if (!tmp) return fail({ file: 'library.errors.epub.missing' });
  const checked = await checkUploadedFile(tmp);
  if (!checked.ok) return fail({ file: `library.errors.epub.${checked.error}` });
  const slug = await storeUploadedTitle(db, {
    tmp,
    size: checked.size,
    meta: checked.meta,
    libraryId: r.data.library_id,
    openAccess: r.data.access === 'open',
    copies: r.data.copies,
    userId: user.id,
    overrides: { title: values.title?.trim(), author: values.author?.trim() },
  });
  return redirectWithFlash(`/library/${slug}/edit`, { message: 'library.upload.done' });
}

export default function Upload() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<ActionData>();
  const { t } = useT();
  const nav = useNavigation();
  const v = a?.values ?? {};
  return (
    <>
      <Breadcrumb items={[{ to: '/library', label: t('library.catalogue.title') }, { label: t('library.upload.title') }]} />
      <h1>{t('library.upload.title')}</h1>
      <p className="muted">{t('library.upload.intro', { max: d.maxMb })}</p>
      <FormError error={a?.errors?._form} />
      <Form method="post" encType="multipart/form-data" noValidate>
        <TextField
          name="file"
          type="file"
          accept=".epub,application/epub+zip"
          label={t('library.upload.file')}
          hint={t('library.upload.fileHint', { max: d.maxMb })}
          error={a?.errors?.file}
          required
        />
        <SelectField
          name="library_id"
          label={t('library.catalogue.library')}
          defaultValue={v.library_id ?? (d.libraries.length === 1 ? d.libraries[0]!.id : '')}
          error={a?.errors?.library_id}
          required
        >
          <option value="">{t('common.choose')}</option>
          {d.libraries.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </SelectField>
        <SelectField name="access" label={t('library.edit.access')} defaultValue={v.access ?? 'licensed'} error={a?.errors?.access}>
          <option value="licensed">{t('library.edit.licensed')}</option>
          <option value="open">{t('library.title.openAccess')}</option>
        </SelectField>
        <TextField
          name="copies"
          type="number"
          min={0}
          max={999}
          label={t('library.edit.copies')}
          defaultValue={v.copies ?? '1'}
          error={a?.errors?.copies}
        />
        <TextField
          name="title"
          label={t('library.upload.titleOverride')}
          hint={t('library.upload.fromOpf')}
          defaultValue={v.title}
          maxLength={300}
        />
        <TextField
          name="author"
          label={t('library.upload.authorOverride')}
          hint={t('library.upload.fromOpf')}
          defaultValue={v.author}
          maxLength={300}
        />
        <button type="submit" className="primary" disabled={nav.state === 'submitting'}>
          {t('library.upload.submit')}
        </button>
      </Form>
    </>
  );
}
