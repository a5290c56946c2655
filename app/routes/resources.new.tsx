import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';

import { ResourceForm } from '~/components/oer/ResourceForm';
import { authorUnits, createResource } from '~/domain/oer/resources.server';
import { unitName } from '~/domain/units.server';
import { resourceFormSchema, toResourceInput } from '~/forms/oer-resource';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { oerFailures } from '~/lib/failures/oer.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import { renderMarkdown } from '~/lib/markdown.server';
import { parseResourceForm } from '~/lib/uploads/resource-form.server';
import oerStyles from '~/styles/oer.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: oerStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = detectLocale(request);
  const units = await authorUnits(getDb(), user.id);
  return json({ title: getT(locale)('oer.form.createTitle'), units: units.map((u) => ({ id: u.id, name: unitName(u, locale) })) });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const { form, files, fileErrors, discard } = await parseResourceForm(request);
  const r = parseForm(resourceFormSchema, form);
  const previewHtml = renderMarkdown(r.values.body_md ?? '');
  if (!r.ok || r.data.intent === 'preview' || Object.keys(fileErrors).length) {
    await discard();
    return badRequest({ errors: { ...(r.ok ? {} : r.errors), ...fileErrors } as FieldErrors, values: r.values, previewHtml });
  }
  const created = await createResource(db, user.id, toResourceInput(r.data), files).catch(async (e: unknown) => {
    await discard();
    throw e;
  });
  if (!created.ok) {
    await discard();
    return badRequest({ errors: { unit_id: oerFailures[created.code].message }, values: r.values, previewHtml });
  }
  return redirectWithFlash(`/resources/${created.value}`, { message: 'oer.flash.saved' });
}

export default function NewResource() {
  const { units } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  return (
    <>
      <h1>{t('oer.form.createTitle')}</h1>
      {units.length === 0 ? (
        <p className="flash" role="status">
          {t('oer.errors.noUnit')}
        </p>
      ) : (
        <ResourceForm
          units={units}
          values={a?.values ?? {}}
          errors={a?.errors}
          previewHtml={a?.previewHtml}
          submitLabel={t('oer.form.saveDraft')}
        />
      )}
    </>
  );
}
