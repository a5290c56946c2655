import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError } from '~/components/Field';
import { cancelMeeting, recordAttendance, rsvp } from '~/domain/clubs/meetings.server';
import { meetingPage } from '~/domain/clubs/pages.server';
import { meetingActionSchema } from '~/forms/clubs-meeting';
import { useT } from '~/i18n/i18n';
import { getUser, requireUser } from '~/lib/auth.server';
import { formatDateTime, formatTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { failure } from '~/lib/failures/clubs.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { badRequest, forbidden, notFound } from '~/lib/http.server';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.meeting.title }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const page = await meetingPage(getDb(), params.slug ?? '', params.id ?? '', user?.id ?? null);
  if (page.status === 'missing' || page.status === 'hidden') notFound();
  if (page.status !== 'ok') forbidden();
  return json(page);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const form = await request.formData();
  const parsed = meetingActionSchema.safeParse({
    intent: form.get('intent'),
    answer: form.get('answer') ?? undefined,
    present: form.getAll('present'),
  });
  if (!parsed.success) return badRequest({ ok: false as const, message: 'errors.invalid' });
  const here = `/clubs/${params.slug}/meetings/${params.id}`;
  const page = await meetingPage(db, params.slug ?? '', params.id ?? '', user.id);
  if (page.status !== 'ok') notFound();
  const input = parsed.data;
  if (input.intent === 'rsvp') {
    const r = await rsvp(db, user.id, page.meeting.id, input.answer);
    return r.ok ? redirectWithFlash(here, { message: 'clubs.flash.rsvp' }) : failure(r);
  }
  if (input.intent === 'cancel') {
    const r = await cancelMeeting(db, user.id, page.meeting.id);
    return r.ok ? redirectWithFlash(here, { message: 'clubs.flash.meetingCancelled' }) : failure(r);
  }
  const r = await recordAttendance(db, user.id, page.meeting.id, input.present);
  return r.ok ? redirectWithFlash(here, { message: 'clubs.flash.attendance' }) : failure(r);
}

export default function MeetingPage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const m = d.meeting;
  const confirmed = d.roster.filter((r) => r.state === 'confirmed');
  const waiting = d.roster.filter((r) => r.state === 'waitlisted');
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/clubs', label: t('clubs.directory.title') },
          { to: `/clubs/${d.club.slug}`, label: d.club.name },
          { label: m.title },
        ]}
      />
      <h1>{m.title}</h1>
      <FormError error={a && !a.ok ? a.message : null} />
      {m.status === 'cancelled' ? <p className="notice">{t('clubs.meeting.cancelled')}</p> : null}
      <dl className="facts">
        <dt>{t('clubs.meeting.when')}</dt>
        <dd>
          {formatDateTime(m.startsAt)}–{formatTime(m.endsAt)}
        </dd>
        <dt>{t('clubs.meeting.where')}</dt>
        <dd>
          {m.mode === 'online' ? (
            m.link ? (
              <a href={m.link} rel="noopener noreferrer">
                {t('clubs.club.online')}
              </a>
            ) : (
              <>
                {t('clubs.club.online')} — <span className="muted">{t('clubs.meeting.linkHidden')}</span>
              </>
            )
          ) : (
            m.place
          )}
        </dd>
        <dt>{t('clubs.club.members')}</dt>
        <dd>
          {m.capacity
            ? t('clubs.club.seats', { confirmed: d.confirmed, capacity: m.capacity })
            : t('clubs.club.seatsOpen', { confirmed: d.confirmed })}
          {d.waiting ? ` · ${t('clubs.meeting.waitlist')}: ${d.waiting}` : ''}
        </dd>
      </dl>
      <div className="prose" dangerouslySetInnerHTML={{ __html: m.agendaHtml }} />

      {d.access.isMember && m.status !== 'cancelled' && !m.started ? (
        <section className="card" aria-labelledby="rsvp-h">
          <h2 id="rsvp-h">
            {d.mine.state === 'waitlisted'
              ? t('clubs.club.state.waitlisted', { position: d.mine.position ?? 0 })
              : d.mine.state === 'confirmed'
                ? t('clubs.club.state.confirmed')
                : t('clubs.club.state.none')}
          </h2>
          <Form method="post" className="button-row">
            <input type="hidden" name="intent" value="rsvp" />
            <button type="submit" name="answer" value="yes" className="primary">
              {t('clubs.club.rsvpYes')}
            </button>
            <button type="submit" name="answer" value="maybe" className="secondary">
              {t('clubs.club.rsvpMaybe')}
            </button>
            <button type="submit" name="answer" value="no" className="secondary">
              {t('clubs.club.rsvpNo')}
            </button>
          </Form>
        </section>
      ) : null}

      {d.access.canModerate ? (
        <section aria-labelledby="roster-h">
          <h2 id="roster-h">{t('clubs.meeting.roster')}</h2>
          {d.roster.length === 0 ? <p className="muted">{t('clubs.meeting.noRsvps')}</p> : null}
          {m.started ? (
            <Form method="post">
              <input type="hidden" name="intent" value="attendance" />
              <fieldset>
                <legend>{t('clubs.meeting.attendance')}</legend>
                {d.roster
                  .filter((r) => r.state === 'confirmed' || r.attended === 1)
                  .map((r) => (
                    <div className="field checkbox" key={r.id}>
                      <input
                        type="checkbox"
                        id={`p-${r.id}`}
                        name="present"
                        value={r.id}
                        defaultChecked={r.attended === 1 || r.attended === null}
                      />
                      <label htmlFor={`p-${r.id}`}>{r.name}</label>
                    </div>
                  ))}
              </fieldset>
              <button type="submit">{t('clubs.meeting.attendanceSave')}</button>
            </Form>
          ) : (
            <>
              <ol>
                {confirmed.map((r) => (
                  <li key={r.id}>{r.name}</li>
                ))}
              </ol>
              {waiting.length ? (
                <>
                  <h3>{t('clubs.meeting.waitlist')}</h3>
                  <ol>
                    {waiting.map((r) => (
                      <li key={r.id}>{r.name}</li>
                    ))}
                  </ol>
                </>
              ) : null}
            </>
          )}
          {m.status !== 'cancelled' && !m.started ? (
            <Form method="post">
              <input type="hidden" name="intent" value="cancel" />
              <button type="submit" className="secondary">
                {t('clubs.meeting.cancel')}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
