import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';

import { CourseForm } from '~/components/courses/CourseForm';
import { FormError } from '~/components/Field';
import { unitsWithRole } from '~/domain/accounts.server';
import { canPlaceCourseIn } from '~/domain/courses/access.server';
import { createCourse } from '~/domain/courses/courses.server';
import { weekYears } from '~/domain/weeks.server';
import { courseSchema } from '~/forms/courses-course';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

async function teachableUnits(userId: string) {
  const db = getDb();
  const [a, b] = await Promise.all([unitsWithRole(db, userId, 'teacher'), unitsWithRole(db, userId, 'organiser')]);
  const seen = new Map([...a, ...b].map((u) => [u.id, u]));
  return [...seen.values()].sort((x, y) => x.depth - y.depth || x.name.localeCompare(y.name));
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const units = await teachableUnits(user.id);
  if (units.length === 0) throw new Response('Forbidden', { status: 403 });
  const years = await weekYears(getDb());
  return json({
    title: getT(detectLocale(request))('courses.new.title'),
    units: units.map((u) => ({ id: u.id, name: u.name, name_en: u.name_en, depth: u.depth })),
    years,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const r = parseForm(courseSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const d = r.data;
  if (!(await canPlaceCourseIn(db, user.id, d.unit_id)))
    return badRequest({ errors: { unit_id: 'courses.errors.notYourUnit' } as Record<string, string>, values: r.values });
  const c = await createCourse(db, user.id, {
    unitId: d.unit_id,
    weekYear: d.week_year,
    title: d.title,
    summary: d.summary,
    descriptionMd: d.description_md,
    audience: d.audience,
    level: d.level,
    estHours: d.est_hours,
    coverUrl: d.cover_url,
    language: d.language,
    licence: d.licence,
    enrolMode: d.enrol_mode,
    enrolCode: d.enrol_code || null,
  });
  return redirect(`/courses/${c.slug}/edit`);
}

/** The unit where the teacher holds the role (the top of their subtree), when there is only one. */
function defaultUnit(units: Array<{ id: string; depth: number }>): string {
  const top = units.filter((u) => u.depth === units[0]?.depth);
  return top.length === 1 ? top[0]!.id : '';
}

export default function NewCourse() {
  const { units, years } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useT();
  return (
    <>
      <h1>{t('courses.new.title')}</h1>
      <FormError error={data?.errors?._form} />
      <CourseForm
        units={units}
        years={years}
        values={data?.values ?? { unit_id: defaultUnit(units) }}
        errors={data?.errors}
        submitLabel={t('courses.new.submit')}
      />
    </>
  );
}
