import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { FormError, SelectField, TextArea, TextField } from '~/components/Field';
import { UnitSelect } from '~/components/UnitSelect';
import { unitsWithRole } from '~/domain/accounts.server';
import { createContest } from '~/domain/contests/contests.server';
import { weekYears } from '~/domain/weeks.server';
import { contestSchema } from '~/forms/contests';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { contestFailures } from '~/lib/contests-http.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, forbidden } from '~/lib/http.server';
import styles from '~/styles/contests.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const units = await unitsWithRole(db, user.id, 'organiser');
  if (!units.length) forbidden();
  const years = await weekYears(db);
  return json({
    title: getT(detectLocale(request))('contests.new.title'),
    units: units.map((u) => ({ id: u.id, name: u.name, name_en: u.name_en, depth: u.depth })),
    years,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(contestSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const d = r.data;
  const c = await createContest(getDb(), user.id, {
    unitId: d.unit_id,
    weekYear: d.week_year,
    slug: d.slug,
    title: d.title,
    rulesMd: d.rules_md,
    minAge: d.min_age,
    maxAge: d.max_age,
    maxAttempts: d.max_attempts,
    predictionKind: d.prediction_kind,
    minSeconds: d.min_seconds,
  });
  if (!c.ok) {
    const field = c.code === 'slug_taken' ? 'slug' : c.code === 'age_range' ? 'max_age' : 'unit_id';
    return badRequest({ errors: { [field]: contestFailures[c.code].message } as Record<string, string>, values: r.values });
  }
  return redirectWithFlash(`/contests/${c.value.slug}/manage`, { message: 'contests.flash.created' });
}

export default function NewContest() {
  const { units, years } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useT();
  const v = data?.values ?? {};
  const e = (data?.errors ?? {}) as Record<string, string | undefined>;
  return (
    <>
      <h1>{t('contests.new.title')}</h1>
      <FormError error={e._form} />
      <Form method="post" className="stack">
        <UnitSelect
          name="unit_id"
          label={t('contests.fields.unit')}
          units={units}
          defaultValue={v.unit_id ?? (units.filter((u) => u.depth === units[0]?.depth).length === 1 ? units[0]!.id : '')}
          error={e.unit_id}
          optional={false}
        />
        <SelectField name="week_year" label={t('contests.fields.week')} defaultValue={v.week_year ?? ''} error={e.week_year}>
          <option value="">{t('common.none')}</option>
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </SelectField>
        <TextField name="title" label={t('contests.fields.title')} defaultValue={v.title} error={e.title} required maxLength={200} />
        <TextField
          name="slug"
          label={t('contests.fields.slug')}
          hint={t('contests.fields.slugHint')}
          defaultValue={v.slug}
          error={e.slug}
          required
          maxLength={80}
        />
        <TextArea
          name="rules_md"
          label={t('contests.fields.rules')}
          hint={t('contests.fields.rulesHint')}
          defaultValue={v.rules_md}
          error={e.rules_md}
          rows={8}
        />
        <TextField name="min_age" label={t('contests.fields.minAge')} inputMode="numeric" defaultValue={v.min_age} error={e.min_age} />
        <TextField name="max_age" label={t('contests.fields.maxAge')} inputMode="numeric" defaultValue={v.max_age} error={e.max_age} />
        <TextField
          name="max_attempts"
          label={t('contests.fields.maxAttempts')}
          inputMode="numeric"
          defaultValue={v.max_attempts ?? '1'}
          error={e.max_attempts}
          required
        />
        <SelectField
          name="prediction_kind"
          label={t('contests.fields.predictionKind')}
          defaultValue={v.prediction_kind ?? 'perfect'}
          error={e.prediction_kind}
        >
          <option value="perfect">{t('contests.prediction.perfect')}</option>
          <option value="participants">{t('contests.prediction.participants')}</option>
        </SelectField>
        <TextField
          name="min_seconds"
          label={t('contests.fields.minSeconds')}
          hint={t('contests.fields.minSecondsHint')}
          inputMode="numeric"
          defaultValue={v.min_seconds ?? '20'}
          error={e.min_seconds}
          required
        />
        <p className="muted">{t('contests.new.excludedNote')}</p>
        <button type="submit">{t('contests.new.submit')}</button>
      </Form>
    </>
  );
}
