import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { FormError, SelectField } from '~/components/Field';
import { NominationFields } from '~/components/honours/NominationFields';
import { UnitSelect } from '~/components/UnitSelect';
import { unitsWithRole } from '~/domain/accounts.server';
import { createNomination } from '~/domain/honours/nominations.server';
import { weekYears } from '~/domain/weeks.server';
import { nominationSchema } from '~/forms/honours-nomination';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { honourFailures } from '~/lib/failures/honours.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, forbidden } from '~/lib/http.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const units = await unitsWithRole(db, user.id, 'organiser');
  if (!units.length) forbidden();
  const years = await weekYears(db);
  const url = new URL(request.url);
  return json({
    title: getT(detectLocale(request))('honours.new.title'),
    units: units.map((u) => ({ id: u.id, name: u.name, name_en: u.name_en, depth: u.depth, parent_id: u.parent_id })),
    years,
    preset: { unit_id: url.searchParams.get('unit') ?? '', week_year: url.searchParams.get('year') ?? '' },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(nominationSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const d = r.data;
  const c = await createNomination(getDb(), user.id, {
    weekYear: d.week_year,
    unitId: d.unit_id,
    category: d.category,
    nomineeName: d.nominee_name,
    nomineeEmail: d.nominee_email,
    nomineeBirthYear: d.nominee_birth_year,
    consent: d.consent,
    consentBy: d.consent_by,
    headline: d.headline,
    citationMd: d.citation_md,
    evidence: d.evidence,
  });
  if (!c.ok) {
    const field = c.code === 'consent_by_required' ? 'consent_by' : c.code === 'no_week' ? 'week_year' : 'unit_id';
    return badRequest({ errors: { [field]: honourFailures[c.code].message } as Record<string, string>, values: r.values });
  }
  return redirectWithFlash(`/honours/${c.value.id}`, { message: 'honours.flash.created' });
}

export default function NewNomination() {
  const { units, years, preset } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useT();
  const v: Record<string, string | undefined> = data?.values ?? {};
  const e = (data?.errors ?? {}) as Record<string, string | undefined>;
  return (
    <>
      <h1>{t('honours.new.title')}</h1>
      <FormError error={e._form} />
      <Form method="post" className="stack">
        <UnitSelect
          name="unit_id"
          label={t('honours.fields.unit')}
          units={units}
          defaultValue={v.unit_id ?? (preset.unit_id || (units.length === 1 ? units[0]!.id : ''))}
          error={e.unit_id}
          optional={false}
        />
        <SelectField
          name="week_year"
          label={t('honours.fields.week')}
          defaultValue={v.week_year ?? (preset.week_year || String(years[0] ?? ''))}
          error={e.week_year}
        >
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </SelectField>
        <NominationFields v={v} e={e} />
        <button type="submit">{t('honours.new.save')}</button>
      </Form>
    </>
  );
}
