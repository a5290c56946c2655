import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, SelectField, TextArea, TextField } from '~/components/Field';
import { UnitSelect } from '~/components/UnitSelect';
import { CLUB_AUDIENCES, CLUB_VISIBILITIES } from '~/db/schema/clubs';
import { createClub } from '~/domain/clubs/clubs.server';
import { clubUnitChoices } from '~/domain/clubs/pages.server';
import { clubCreateSchema } from '~/forms/clubs';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

const AUDIENCE_KEYS = {
  children: 'clubs.audiences.children',
  youth: 'clubs.audiences.youth',
  adult: 'clubs.audiences.adult',
  all: 'clubs.audiences.all',
} as const;
const VISIBILITY_KEYS = {
  public: 'clubs.visibilities.public',
  request: 'clubs.visibilities.request',
  code: 'clubs.visibilities.code',
} as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const units = await clubUnitChoices(getDb(), user.id);
  return json({ title: getT(detectLocale(request))('clubs.create.title'), units });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(clubCreateSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const created = await createClub(getDb(), user.id, {
    unitId: r.data.unit_id,
    name: r.data.name,
    descriptionMd: r.data.description_md,
    language: r.data.language,
    audience: r.data.audience,
    visibility: r.data.visibility,
    intergenerational: r.data.intergenerational,
  });
  if (!created.ok) return badRequest({ errors: { unit_id: 'clubs.errors.unitForbidden' } as FieldErrors, values: r.values });
  return redirectWithFlash(`/clubs/${created.value.slug}`, {
    message: created.value.status === 'pending' ? 'clubs.flash.proposed' : 'clubs.flash.created',
  });
}

export default function NewClub() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const v: Record<string, string> = a?.values ?? {};
  const e: FieldErrors = a?.errors ?? {};
  return (
    <>
      <Breadcrumb items={[{ to: '/clubs', label: t('clubs.directory.title') }, { label: t('clubs.create.title') }]} />
      <h1>{t('clubs.create.title')}</h1>
      <p className="muted">{t('clubs.create.intro')}</p>
      <FormError error={e._form} />
      <Form method="post" noValidate className="card">
        <UnitSelect
          name="unit_id"
          label={t('clubs.create.unit')}
          units={d.units}
          defaultValue={v.unit_id}
          error={e.unit_id}
          optional={false}
        />
        <TextField name="name" label={t('clubs.create.name')} defaultValue={v.name} error={e.name} maxLength={120} required />
        <TextArea
          name="description_md"
          label={t('clubs.create.description')}
          defaultValue={v.description_md}
          error={e.description_md}
          rows={6}
        />
        <div className="form-grid">
          <SelectField name="language" label={t('clubs.create.language')} defaultValue={v.language ?? 'vi'} error={e.language}>
            <option value="vi">{t('clubs.languages.vi')}</option>
            <option value="en">{t('clubs.languages.en')}</option>
          </SelectField>
          <SelectField name="audience" label={t('clubs.create.audience')} defaultValue={v.audience ?? 'all'} error={e.audience}>
            {CLUB_AUDIENCES.map((a) => (
              <option key={a} value={a}>
                {t(AUDIENCE_KEYS[a])}
              </option>
            ))}
          </SelectField>
        </div>
        <fieldset>
          <legend>{t('clubs.create.visibility')}</legend>
          {CLUB_VISIBILITIES.map((vis) => (
            <div className="field checkbox" key={vis}>
              <input type="radio" id={`vis-${vis}`} name="visibility" value={vis} defaultChecked={(v.visibility ?? 'public') === vis} />
              <label htmlFor={`vis-${vis}`}>{t(VISIBILITY_KEYS[vis])}</label>
            </div>
          ))}
        </fieldset>
        <div className="field checkbox">
          <input type="checkbox" id="f-ig" name="intergenerational" value="1" defaultChecked={v.intergenerational === '1'} />
          <label htmlFor="f-ig">{t('clubs.create.intergenerational')}</label>
        </div>
        <button type="submit" className="primary">
          {t('clubs.create.submit')}
        </button>{' '}
        <Link to="/clubs">{t('common.cancel')}</Link>
      </Form>
    </>
  );
}
