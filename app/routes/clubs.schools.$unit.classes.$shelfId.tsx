import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, TextField } from '~/components/Field';
import { ScrollRegion } from '~/components/ScrollRegion';
import { classPage, recordClassSessionAndCheck } from '~/domain/clubs/school.server';
import { classSessionSchema } from '~/forms/clubs-school';
import { useT } from '~/i18n/i18n';
import { requireUser } from '~/lib/auth.server';
import { formatDate, parseViDate, todayInVietnam } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { clubFailures } from '~/lib/failures/clubs.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest, forbidden, notFound } from '~/lib/http.server';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.shelf.name ?? '' }];

async function load(request: Request, params: LoaderFunctionArgs['params']) {
  const user = await requireUser(request);
  const page = await classPage(getDb(), params.unit ?? '', params.shelfId ?? '', user.id);
  if (page.status === 'missing') notFound();
  if (page.status === 'forbidden') forbidden();
  return { user, page };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { page } = await load(request, params);
  return json({ ...page, today: formatDate(todayInVietnam()) });
}

/** Which field each refusal belongs next to. */
const FIELD = {
  future_date: 'read_on',
  too_old: 'read_on',
  day_full: 'minutes',
  bad_minutes: 'minutes',
  not_partner: '_form',
  forbidden: '_form',
  not_teacher: '_form',
  not_found: '_form',
  no_weekdays: '_form',
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, page } = await load(request, params);
  const form = await request.formData();
  const present = form
    .getAll('present')
    .filter((p): p is string => typeof p === 'string')
    .map((p) => p.slice(0, 40));
  const r = parseForm(classSessionSchema, form);
  const kept = { ...(r.values as Record<string, string>), present: present.join(',') };
  if (!r.ok) return badRequest({ errors: r.errors, values: kept });
  if (!present.length) return badRequest({ errors: { present: 'clubs.errors.nobodyPresent' } as FieldErrors, values: kept });
  const done = await recordClassSessionAndCheck(getDb(), user.id, {
    shelfId: page.shelf.id,
    readOn: parseViDate(r.data.read_on)!,
    minutes: r.data.minutes,
    present,
  });
  if (!done.ok) return badRequest({ errors: { [FIELD[done.code]]: clubFailures[done.code].message } as FieldErrors, values: kept });
  return redirectWithFlash(`/clubs/schools/${params.unit}/classes/${page.shelf.id}`, {
    message: 'clubs.flash.sessionRecorded',
    params: { count: done.value.logged },
  });
}

export default function ClassReading() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const v: Record<string, string> | null = a?.values ?? null;
  const e: FieldErrors = a?.errors ?? {};
  const wasPresent = v ? new Set(v.present?.split(',') ?? []) : null;
  return (
    <>
      <Breadcrumb items={[{ to: `/clubs/schools/${d.school.slug}`, label: d.school.name }, { label: d.shelf.name }]} />
      <h1>{t('clubs.school.classTitle', { name: d.shelf.name })}</h1>

      <section className="card" aria-labelledby="session-h">
        <h2 id="session-h">{t('clubs.school.session')}</h2>
        <p className="muted">{t('clubs.school.sessionHint')}</p>
        <Form method="post" noValidate>
          <FormError error={e._form} />
          <div className="form-grid">
            <TextField
              name="read_on"
              label={t('clubs.reading.date')}
              defaultValue={v?.read_on ?? d.today}
              error={e.read_on}
              inputMode="numeric"
              required
            />
            <TextField
              name="minutes"
              label={t('clubs.reading.minutes')}
              defaultValue={v?.minutes ?? (d.rule?.period === 'day' ? String(d.rule.minutes) : '15')}
              error={e.minutes}
              inputMode="numeric"
              required
            />
          </div>
          <fieldset aria-describedby={e.present ? 'present-error' : undefined}>
            <legend>{t('clubs.school.present')}</legend>
            {d.students.map((s) => (
              <span key={s.id} className="field checkbox">
                <input
                  id={`p-${s.id}`}
                  type="checkbox"
                  name="present"
                  value={s.id}
                  defaultChecked={wasPresent ? wasPresent.has(s.id) : true}
                />
                <label htmlFor={`p-${s.id}`}>{s.name}</label>
              </span>
            ))}
            {e.present ? (
              <p id="present-error" className="field-error" role="alert">
                {t('clubs.errors.nobodyPresent')}
              </p>
            ) : null}
          </fieldset>
          <button type="submit" className="primary">
            {t('clubs.school.recordSession')}
          </button>
        </Form>
      </section>

      <section aria-labelledby="students-h">
        <h2 id="students-h">{t('clubs.school.studentsTitle')}</h2>
        {!d.hasRule ? <p>{t('clubs.school.noRule')}</p> : null}
        <ScrollRegion labelledBy="students-h">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('clubs.school.student')}</th>
                <th scope="col">{t('clubs.school.thisWeek')}</th>
                <th scope="col">{t('clubs.school.thisMonth')}</th>
              </tr>
            </thead>
            <tbody>
              {d.students.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.name}</th>
                  <td>
                    {t('clubs.school.readOf', { read: s.week.read, required: s.week.required })}{' '}
                    {d.hasRule ? (s.meetsWeek ? '✓' : t('clubs.school.behind', { count: s.week.required - s.week.read })) : ''}
                  </td>
                  <td>
                    {t('clubs.school.readOf', { read: s.month.read, required: s.month.required })}{' '}
                    {d.hasRule ? (s.meetsMonth ? '✓' : t('clubs.school.behind', { count: s.month.required - s.month.read })) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </section>

      {d.sessions.length ? (
        <section aria-labelledby="sessions-h">
          <h2 id="sessions-h">{t('clubs.school.sessions')}</h2>
          <ul>
            {d.sessions.map((s) => (
              <li key={s.id}>
                {formatDate(s.readOn)} · {s.minutes}′ · {t('clubs.school.presentCount', { count: s.present })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
