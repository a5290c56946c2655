import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, SelectField, TextField } from '~/components/Field';
import { ScrollRegion } from '~/components/ScrollRegion';
import { setReadingRule } from '~/domain/clubs/reading.server';
import { schoolPage } from '~/domain/clubs/school.server';
import { readingRuleSchema } from '~/forms/clubs-school';
import { useT } from '~/i18n/i18n';
import { requireUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { clubFailures } from '~/lib/failures/clubs.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest, forbidden, notFound } from '~/lib/http.server';
import { localName } from '~/lib/names';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.unit.name ?? '' }];

const WEEKDAY_KEYS = {
  1: 'clubs.school.weekdays.1',
  2: 'clubs.school.weekdays.2',
  3: 'clubs.school.weekdays.3',
  4: 'clubs.school.weekdays.4',
  5: 'clubs.school.weekdays.5',
  6: 'clubs.school.weekdays.6',
  7: 'clubs.school.weekdays.7',
} as const;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = await schoolPage(getDb(), params.unit ?? '', user.id);
  if (page.status !== 'ok') notFound();
  return json(page);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const page = await schoolPage(db, params.unit ?? '', user.id);
  if (page.status !== 'ok') notFound();
  if (!page.canSetRule) forbidden();
  const r = parseForm(readingRuleSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const set = await setReadingRule(db, user.id, page.unit.id, r.data);
  if (!set.ok) return badRequest({ errors: { weekdays: clubFailures[set.code].message } as FieldErrors, values: r.values });
  return redirectWithFlash(`/clubs/schools/${page.unit.slug}`, { message: 'clubs.flash.ruleSaved' });
}

export default function SchoolReading() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t, locale } = useT();
  const v: Record<string, string> | null = a?.values ?? null;
  const e: FieldErrors = a?.errors ?? {};
  const name = localName({ name: d.unit.name, name_en: d.unit.nameEn }, locale);
  const ticked = (day: number) => (v ? v[`wd${day}`] === '1' : d.rule ? d.rule.weekdays.includes(day) : day <= 5);
  return (
    <>
      <Breadcrumb items={[{ to: '/reading', label: t('clubs.reading.title') }, { label: name }]} />
      <h1>{t('clubs.school.title', { name })}</h1>
      <section className="card" aria-labelledby="rule-h">
        <h2 id="rule-h">{t('clubs.school.rule')}</h2>
        {d.rule ? (
          <p className="lead">
            {d.rule.period === 'day'
              ? t('clubs.school.ruleDay', { minutes: d.rule.minutes, days: d.rule.weekdays.map((w) => t(WEEKDAY_KEYS[w as 1])).join(', ') })
              : t('clubs.school.ruleWeek', { minutes: d.rule.minutes })}
            {d.rule.inherited ? ` ${t('clubs.school.inherited')}` : ''}
          </p>
        ) : (
          <p>{t('clubs.school.noRule')}</p>
        )}
        {d.rule && !d.rule.inherited ? <p className="muted">{t('clubs.school.updated', { date: formatDate(d.rule.updatedAt) })}</p> : null}
      </section>

      {d.mine ? (
        <section className="card" aria-labelledby="mine-h">
          <h2 id="mine-h">{t('clubs.school.mine', { name: d.mine.className })}</h2>
          <p>{t('clubs.school.weekFigure', { read: d.mine.week.read, required: d.mine.week.required })}</p>
          <p>{t('clubs.school.monthFigure', { read: d.mine.month.read, required: d.mine.month.required })}</p>
          <p>
            <Link to="/reading">{t('clubs.challenges.logHere')}</Link>
          </p>
        </section>
      ) : null}

      {d.canSetRule ? (
        <section className="card" aria-labelledby="set-h">
          <h2 id="set-h">{t('clubs.school.setRule')}</h2>
          <Form method="post" noValidate>
            <FormError error={e._form} />
            <div className="form-grid">
              <TextField
                name="minutes"
                label={t('clubs.school.minutes')}
                defaultValue={v?.minutes ?? (d.rule && !d.rule.inherited ? String(d.rule.minutes) : '15')}
                error={e.minutes}
                inputMode="numeric"
                required
              />
              <SelectField
                name="period"
                label={t('clubs.school.period')}
                defaultValue={v?.period ?? d.rule?.period ?? 'day'}
                error={e.period}
              >
                <option value="day">{t('clubs.school.perDay')}</option>
                <option value="week">{t('clubs.school.perWeek')}</option>
              </SelectField>
            </div>
            <fieldset aria-describedby={e.weekdays ? 'weekdays-error' : undefined}>
              <legend>{t('clubs.school.weekdaysLabel')}</legend>
              {WEEKDAYS.map((day) => (
                <span key={day} className="field checkbox inline">
                  <input id={`wd${day}`} type="checkbox" name={`wd${day}`} value="1" defaultChecked={ticked(day)} />
                  <label htmlFor={`wd${day}`}>{t(WEEKDAY_KEYS[day])}</label>
                </span>
              ))}
              {e.weekdays ? (
                <p id="weekdays-error" className="field-error" role="alert">
                  {t('clubs.errors.noWeekdays')}
                </p>
              ) : null}
            </fieldset>
            <button type="submit" className="primary">
              {t('clubs.school.saveRule')}
            </button>
          </Form>
        </section>
      ) : null}

      {d.classes.length ? (
        <section aria-labelledby="classes-h">
          <h2 id="classes-h">{t('clubs.school.classes')}</h2>
          <ScrollRegion labelledBy="classes-h">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t('clubs.school.class')}</th>
                  <th scope="col">{t('clubs.school.students')}</th>
                  <th scope="col">{t('clubs.school.meetWeek')}</th>
                  <th scope="col">{t('clubs.school.meetMonth')}</th>
                </tr>
              </thead>
              <tbody>
                {d.classes.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <Link to={`/clubs/schools/${d.unit.slug}/classes/${c.id}`}>{c.name}</Link>
                    </th>
                    <td>{c.students}</td>
                    <td>{d.rule ? `${c.meetWeek}/${c.students}` : '—'}</td>
                    <td>{d.rule ? `${c.meetMonth}/${c.students}` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </section>
      ) : null}

      {d.challenges.length ? (
        <section aria-labelledby="ch-h">
          <h2 id="ch-h">{t('clubs.challenges.title')}</h2>
          <ul>
            {d.challenges.map((c) => (
              <li key={c.id}>
                <Link to={`/clubs/challenges/${c.id}`}>{c.name}</Link> ({formatDate(c.startsOn)}–{formatDate(c.endsOn)})
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
