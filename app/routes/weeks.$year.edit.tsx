import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';

import { WeekForm } from '~/components/WeekForm';
import { getWeek, updateWeek } from '~/domain/weeks.server';
import { weekSchema } from '~/forms/week';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireNationalAdmin } from '~/lib/admin.server';
import { toLocalInput } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireNationalAdmin(request);
  const w = await getWeek(getDb(), Number(params.year));
  if (!w) notFound();
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(w)) values[k] = v == null ? '' : String(v);
  values.opening_at = toLocalInput(w.opening_at);
  values.closing_at = toLocalInput(w.closing_at);
  return json({ title: getT(detectLocale(request))('weeks.editWeek'), year: w.year, values });
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireNationalAdmin(request);
  const year = Number(params.year);
  if (!(await getWeek(getDb(), year))) notFound();
  const form = await request.formData();
  form.set('year', String(year));
  const r = parseForm(weekSchema, form);
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const { year: _y, ...rest } = r.data;
  await updateWeek(getDb(), year, rest);
  return redirect(`/weeks/${year}`);
}

export default function EditWeek() {
  const { year, values } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useT();
  return (
    <>
      <h1>
        {t('weeks.editWeek')} {year}
      </h1>
      <WeekForm
        values={data?.values ?? values}
        errors={(data?.errors ?? {}) as Record<string, string>}
        yearLocked
        submitLabel={t('common.save')}
      />
    </>
  );
}
