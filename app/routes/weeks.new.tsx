import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';

import { WeekForm } from '~/components/WeekForm';
import { createWeek, proposedNextYear } from '~/domain/weeks.server';
import { weekSchema } from '~/forms/week';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireNationalAdmin } from '~/lib/admin.server';
import { getDb } from '~/lib/db.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireNationalAdmin(request);
  // The first year without a Week whose October has not passed; the usual early-October dates.
  const next = await proposedNextYear(getDb());
  return json({
    title: getT(detectLocale(request))('weeks.form.newTitle'),
    defaults: {
      year: String(next),
      starts_on: `${next}-10-01`,
      ends_on: `${next}-10-07`,
      opening_at: `${next}-10-01T08:00`,
      report_deadline: `${next}-10-30`,
    },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  await requireNationalAdmin(request);
  const r = parseForm(weekSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  if (!(await createWeek(getDb(), r.data)))
    return badRequest({ errors: { year: 'weeks.form.yearExists' } as Record<string, string>, values: r.values });
  return redirect(`/weeks/${r.data.year}`);
}

export default function NewWeek() {
  const { defaults } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useT();
  return (
    <>
      <h1>{t('weeks.form.newTitle')}</h1>
      <p className="muted">{t('weeks.form.newIntro')}</p>
      <WeekForm
        values={data?.values ?? defaults}
        errors={(data?.errors ?? {}) as Record<string, string>}
        submitLabel={t('weeks.form.create')}
      />
    </>
  );
}
