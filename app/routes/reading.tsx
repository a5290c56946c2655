import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { FormError, SelectField, TextField } from '~/components/Field';
import { readingPage } from '~/domain/clubs/pages.server';
import { runReadingPage } from '~/domain/clubs/reading-actions.server';
import { readingPageSchema } from '~/forms/reading-log';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { formatDate, todayInVietnam } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { clubFailures } from '~/lib/failures/clubs.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = await readingPage(getDb(), user.id);
  return json({ title: getT(detectLocale(request))('clubs.reading.title'), today: formatDate(todayInVietnam()), ...page });
}

/** Which field each refusal belongs next to. */
const FIELD = { future_date: 'read_on', too_old: 'read_on', day_full: 'minutes', bad_minutes: 'minutes', not_partner: 'partner' } as const;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(readingPageSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const done = await runReadingPage(getDb(), user.id, r.data);
  if (!done.ok) {
    const f = clubFailures[done.code];
    return json({ errors: { [FIELD[done.code]]: f.message } as FieldErrors, values: r.values }, { status: f.status });
  }
  return redirectWithFlash('/reading', { message: done.value === 'logged' ? 'clubs.flash.logged' : 'clubs.flash.logDeleted' });
}

export default function ReadingLog() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const v: Record<string, string> = a?.values ?? {};
  const e: FieldErrors = a?.errors ?? {};
  return (
    <>
      <h1>{t('clubs.reading.title')}</h1>
      <p className="lead">{t('clubs.reading.intro')}</p>
      <p className="streak" aria-live="polite">
        {d.streak > 0 ? t('clubs.reading.streak', { count: d.streak }) : t('clubs.reading.noStreak')}
      </p>

      <section className="card" aria-labelledby="log-h">
        <h2 id="log-h">{t('clubs.reading.save')}</h2>
        <FormError error={e._form} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="log" />
          <div className="form-grid">
            <TextField
              name="read_on"
              label={t('clubs.reading.date')}
              defaultValue={v.read_on ?? d.today}
              error={e.read_on}
              inputMode="numeric"
              required
            />
            <TextField
              name="minutes"
              label={t('clubs.reading.minutes')}
              defaultValue={v.minutes}
              error={e.minutes}
              inputMode="numeric"
              required
            />
          </div>
          <TextField name="what" label={t('clubs.reading.what')} defaultValue={v.what} error={e.what} maxLength={200} />
          {d.partners.length ? (
            <SelectField name="partner" label={t('clubs.reading.partner')} defaultValue={v.partner ?? ''} error={e.partner}>
              <option value="">{t('clubs.reading.partnerNone')}</option>
              {d.partners.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </SelectField>
          ) : null}
          <button type="submit" className="primary">
            {t('clubs.reading.save')}
          </button>
        </Form>
      </section>

      <section aria-labelledby="ch-h">
        <h2 id="ch-h">{t('clubs.reading.challenges')}</h2>
        {d.challenges.length === 0 ? <p className="muted">{t('clubs.reading.noChallenges')}</p> : null}
        <ul className="card-list">
          {d.challenges.map((c) => (
            <li key={c.id} className="card">
              <h3>{c.name}</h3>
              <p className="muted">
                {formatDate(c.startsOn)}–{formatDate(c.endsOn)}
              </p>
              {c.progress ? (
                <>
                  <progress max={c.progress.target} value={Math.min(c.progress.done, c.progress.target)} aria-label={c.name}>
                    {c.progress.percent}%
                  </progress>{' '}
                  {t('clubs.reading.progress', { done: c.progress.done, target: c.progress.target })}
                </>
              ) : null}
              {c.completed ? <p className="badge">{t('clubs.reading.completed')}</p> : null}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="recent-h">
        <h2 id="recent-h">{t('clubs.reading.recent')}</h2>
        {d.logs.length === 0 ? (
          <p className="muted">{t('clubs.reading.none')}</p>
        ) : (
          <ul className="log-list">
            {d.logs.map((l) => (
              <li key={l.id}>
                <strong>{formatDate(l.readOn)}</strong> · {l.minutes}′ ·{' '}
                {l.slug ? <Link to={`/library/${l.slug}`}>{l.what}</Link> : (l.what ?? t('clubs.reading.free'))}
                {l.with ? ` · ${t('clubs.reading.with', { name: l.with })}` : ''}
                {l.source === 'class' ? ` · ${t('clubs.reading.fromClass')}` : ''}
                {l.mine && l.source !== 'class' ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="delete" />
                    <input type="hidden" name="log" value={l.id} />{' '}
                    <button type="submit" className="link-button">
                      {t('clubs.reading.delete')}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
