import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { ResourceForm } from '~/components/oer/ResourceForm';
import { authorUnits, canEdit, getResource, getYears, updateResource } from '~/domain/oer/resources.server';
import { unitName } from '~/domain/units.server';
import { getUnit } from '~/domain/units.server';
import { resourceFormSchema, toResourceInput } from '~/forms/oer-resource';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { oerFailures } from '~/lib/failures/oer.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest, forbidden, notFound } from '~/lib/http.server';
import { renderMarkdown } from '~/lib/markdown.server';
import { parseResourceForm } from '~/lib/uploads/resource-form.server';
import oerStyles from '~/styles/oer.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: oerStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

async function load(request: Request, id: string) {
  const user = await requireUser(request);
  const db = getDb();
  const r = await getResource(db, id);
  if (!r) notFound();
  if (!(await canEdit(db, user.id, r))) forbidden();
  return { db, user, r };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, r } = await load(request, params.id ?? '');
  const locale = detectLocale(request);
  const units = await authorUnits(db, user.id);
  const own = await getUnit(db, r.unit_id);
  if (!own) throw new Error(`resource ${r.id} has no unit`);
  const all = units.some((u) => u.id === own.id) ? units : [own, ...units];
  return json({
    title: r.title,
    id: r.id,
    status: r.status,
    currentFile: r.media_name || (r.media_key ? r.media_type : null),
    units: all.map((u) => ({ id: u.id, name: unitName(u, locale) })),
    values: {
      unit_id: r.unit_id,
      kind: r.kind,
      title: r.title,
      summary: r.summary,
      authors: r.authors,
      subject: r.subject,
      level: r.level,
      language: r.language,
      licence: r.licence,
      rights_holder: r.rights_holder ?? '',
      years: (await getYears(db, r.id)).join(', '),
      duration_minutes: r.duration_seconds ? String(Math.round(r.duration_seconds / 60)) : '',
      page_count: r.page_count ? String(r.page_count) : '',
      body_md: r.body_md,
      hls_url: r.hls_url ?? '',
      external_url: r.external_url ?? '',
      chapters: r.chapters,
    },
    previewHtml: r.body_md.trim() ? renderMarkdown(r.body_md) : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, r: existing } = await load(request, params.id ?? '');
  const { form, files, fileErrors, discard } = await parseResourceForm(request, existing.kind);
  const r = parseForm(resourceFormSchema, form);
  const previewHtml = renderMarkdown(r.values.body_md ?? '');
  if (!r.ok || r.data.intent === 'preview' || Object.keys(fileErrors).length) {
    await discard();
    return badRequest({ errors: { ...(r.ok ? {} : r.errors), ...fileErrors } as FieldErrors, values: r.values, previewHtml });
  }
  const updated = await updateResource(db, user.id, existing.id, toResourceInput(r.data), files).catch(async (e: unknown) => {
    await discard();
    throw e;
  });
  if (!updated.ok) {
    await discard();
    return badRequest({ errors: { _form: oerFailures[updated.code].message }, values: r.values, previewHtml });
  }
  return redirectWithFlash(`/resources/${existing.id}`, { message: updated.value.pending ? 'oer.flash.editPending' : 'oer.flash.saved' });
}

export default function EditResource() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/resources', label: t('oer.title') },
          { to: `/resources/${d.id}`, label: d.title },
          { label: t('oer.form.editTitle') },
        ]}
      />
      <h1>{t('oer.form.editTitle')}</h1>
      {d.status === 'published' ? <p className="flash">{t('oer.form.publishedEditNote')}</p> : null}
      <ResourceForm
        units={d.units}
        values={a?.values ?? d.values}
        errors={a?.errors}
        previewHtml={a ? a.previewHtml : d.previewHtml}
        currentFile={d.currentFile}
        submitLabel={t('oer.form.save')}
      />
    </>
  );
}
