import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { createForm, newFormChoices } from '~/domain/reports/editor.server';
import { getWeek } from '~/domain/weeks.server';
import { newFormSchema } from '~/forms/reports-editor';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { asKey } from '~/i18n/keys';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { formEditorFailures } from '~/lib/failures/reports.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { notFound } from '~/lib/http.server';
import { localName } from '~/lib/names';

export const meta: MetaFunction = () => [{ title: 'Mẫu báo cáo mới' }];

async function week(request: Request, params: LoaderFunctionArgs['params']) {
  const user = await requireUser(request);
  const db = getDb();
  const year = Number(params.year);
  if (!Number.isInteger(year) || !(await getWeek(db, year))) notFound();
  return { db, user, year };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, year } = await week(request, params);
  const locale = detectLocale(request);
  const c = await newFormChoices(db, year, user.id);
  return json({
    year,
    owners: c.owners.map((o) => ({ id: o.id, name: localName(o, locale) })),
    copies: c.copies.map((f) => ({ id: f.id, year: f.week_year, title: locale === 'en' ? f.title_en : f.title_vi })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, year } = await week(request, params);
  const parsed = parseForm(newFormSchema, await request.formData());
  if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values, message: null }, { status: 400 });
  const r = await createForm(db, user.id, year, parsed.data);
  if (r.ok) return redirectWithFlash(`/weeks/${year}/reports/${r.value.slug}/edit`, { message: 'reports.editor.flash.created' });
  const fail = formEditorFailures[r.code];
  const errors: Record<string, string> = r.code === 'slug_taken' ? { slug: fail.message } : {};
  return json({ errors, values: parsed.values, message: r.code === 'slug_taken' ? null : fail.message }, { status: fail.status });
}

export default function NewReportForm() {
  const { year, owners, copies } = useLoaderData<typeof loader>();
  const ad = useActionData<typeof action>();
  const { t } = useT();
  const v = (k: string) => ad?.values[k] ?? '';
  const e = (k: string) => (ad?.errors[k] ? t(asKey(ad.errors[k]!)) : null);
  const field = (name: string, label: string) => (
    <div className={`field${e(name) ? ' has-error' : ''}`}>
      <label htmlFor={`nf-${name}`}>{label}</label>
      <input
        id={`nf-${name}`}
        name={name}
        defaultValue={v(name)}
        aria-invalid={e(name) ? true : undefined}
        aria-describedby={e(name) ? `nf-${name}-error` : undefined}
      />
      {e(name) ? (
        <p id={`nf-${name}-error`} className="field-error">
          {e(name)}
        </p>
      ) : null}
    </div>
  );
  return (
    <>
      <Breadcrumb
        items={[
          { to: `/weeks/${year}`, label: t('weeks.weekOfYear', { year }) },
          { to: `/weeks/${year}/reports`, label: t('reports.title', { year }) },
          { label: t('reports.editor.newTitle') },
        ]}
      />
      <h1>{t('reports.editor.newTitle')}</h1>
      {!owners.length ? (
        <p className="muted">{t('reports.editor.noOwners')}</p>
      ) : (
        <Form method="post" noValidate className="editor-form">
          {ad?.message || ad?.errors._form ? (
            <p className="form-error" role="alert">
              {t(asKey((ad.message ?? ad.errors._form)!))}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor="nf-owner">{t('reports.editor.owner')}</label>
            <select id="nf-owner" name="ownerUnitId" defaultValue={v('ownerUnitId')}>
              {owners.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          {field('titleVi', t('reports.editor.titleVi'))}
          {field('titleEn', t('reports.editor.titleEn'))}
          {field('slug', t('reports.editor.slug'))}
          <div className="field">
            <label htmlFor="nf-copy">{t('reports.editor.copyFrom')}</label>
            <select id="nf-copy" name="copyFrom" defaultValue={v('copyFrom')}>
              <option value="">{t('reports.editor.blank')}</option>
              {copies.map((c) => (
                <option key={c.id} value={c.id}>
                  {t('reports.editor.copyOption', { title: c.title, year: c.year })}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t('reports.editor.create')}</button>
        </Form>
      )}
    </>
  );
}
