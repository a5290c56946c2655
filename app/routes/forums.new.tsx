import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { FormError, SelectField, TextArea, TextField } from '~/components/Field';
import { UnitSelect } from '~/components/UnitSelect';
import { createCategory, organiserUnits } from '~/domain/forums/forums.server';
import { categorySchema } from '~/forms/community';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, forbidden } from '~/lib/http.server';
import styles from '~/styles/community.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const units = await organiserUnits(getDb(), user.id);
  if (!units.length) forbidden();
  return json({ title: getT(detectLocale(request))('community.forums.newCategory'), units });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(categorySchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values, formError: null as string | null });
  const c = await createCategory(getDb(), user.id, r.data);
  if (!c.ok) {
    if (c.code === 'slug_taken') return badRequest({ errors: { slug: 'community.errors.slug_taken' }, values: r.values, formError: null });
    return badRequest({
      errors: {},
      values: r.values,
      formError: c.code === 'forbidden' ? 'community.errors.forbidden' : 'errors.invalid',
    });
  }
  return redirectWithFlash(`/forums/c/${c.value.slug}`, { message: 'community.flash.categoryCreated' });
}

export default function NewCategory() {
  const { units } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const e: Record<string, string> = a?.errors ?? {};
  const v: Record<string, string> = a?.values ?? {};
  return (
    <>
      <h1>{t('community.forums.newCategory')}</h1>
      <Form method="post" className="card form-grid" noValidate>
        <FormError error={a?.formError} />
        <UnitSelect
          name="unitId"
          label={t('community.category.unit')}
          units={units}
          defaultValue={v.unitId}
          error={e.unitId}
          optional={false}
        />
        <TextField name="name" label={t('community.category.name')} defaultValue={v.name} error={e.name} required maxLength={120} />
        <TextField
          name="slug"
          label={t('community.category.slug')}
          hint={t('community.category.slugHint')}
          defaultValue={v.slug}
          error={e.slug}
          required
        />
        <TextArea
          name="description"
          label={t('community.category.description')}
          defaultValue={v.description}
          error={e.description}
          rows={3}
        />
        <SelectField
          name="visibility"
          label={t('community.category.visibility')}
          defaultValue={v.visibility ?? 'public'}
          error={e.visibility}
        >
          <option value="public">{t('community.category.public')}</option>
          <option value="members">{t('community.category.members')}</option>
        </SelectField>
        <TextField
          name="weekYear"
          label={t('community.category.weekYear')}
          hint={t('community.category.weekYearHint')}
          defaultValue={v.weekYear}
          error={e.weekYear}
          inputMode="numeric"
        />
        <p className="actions">
          <button type="submit" className="primary">
            {t('community.category.create')}
          </button>
        </p>
      </Form>
    </>
  );
}
