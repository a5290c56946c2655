import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, SelectField, TextArea, TextField } from '~/components/Field';
import { createMeeting } from '~/domain/clubs/meetings.server';
import { meetingSchema } from '~/forms/clubs';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireClubModerator } from '~/lib/clubs-http.server';
import { viDateTimeToIso } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { clubFailures } from '~/lib/failures/clubs.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { club } = await requireClubModerator(request, params.slug ?? '');
  return json({ title: getT(detectLocale(request))('clubs.meeting.newTitle'), club: { slug: club.slug, name: club.name } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, club } = await requireClubModerator(request, params.slug ?? '');
  const r = parseForm(meetingSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const startsAt = viDateTimeToIso(r.data.date, r.data.start);
  const endsAt = viDateTimeToIso(r.data.date, r.data.end);
  const errors: FieldErrors = {};
  if (!startsAt) errors.date = 'clubs.errors.date';
  if (startsAt && !endsAt) errors.end = 'clubs.errors.time';
  if (startsAt && Date.parse(startsAt) < Date.now()) errors.date = 'clubs.errors.past';
  if (Object.keys(errors).length || !startsAt || !endsAt) return badRequest({ errors, values: r.values });
  const made = await createMeeting(getDb(), user.id, club.id, {
    title: r.data.title,
    mode: r.data.mode,
    link: r.data.link,
    place: r.data.place,
    startsAt,
    endsAt,
    agendaMd: r.data.agenda_md,
    capacity: r.data.capacity,
  });
  if (!made.ok) {
    const field = made.code === 'ends_before_start' ? 'end' : '_form';
    return badRequest({ errors: { [field]: clubFailures[made.code].message } as FieldErrors, values: r.values });
  }
  return redirectWithFlash(`/clubs/${club.slug}/meetings/${made.value.id}`, { message: 'clubs.flash.meetingSaved' });
}

export default function NewMeeting() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const v: Record<string, string> = a?.values ?? {};
  const e: FieldErrors = a?.errors ?? {};
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/clubs', label: t('clubs.directory.title') },
          { to: `/clubs/${d.club.slug}`, label: d.club.name },
          { label: t('clubs.meeting.newTitle') },
        ]}
      />
      <h1>{t('clubs.meeting.newTitle')}</h1>
      <FormError error={e._form} />
      <Form method="post" noValidate className="card">
        <TextField name="title" label={t('clubs.meeting.name')} defaultValue={v.title} error={e.title} maxLength={160} required />
        <SelectField name="mode" label={t('clubs.meeting.mode')} defaultValue={v.mode ?? 'in_person'} error={e.mode}>
          <option value="in_person">{t('clubs.club.inPerson')}</option>
          <option value="online">{t('clubs.club.online')}</option>
        </SelectField>
        <TextField name="place" label={t('clubs.meeting.place')} defaultValue={v.place} error={e.place} maxLength={300} />
        <TextField
          name="link"
          type="url"
          label={t('clubs.meeting.link')}
          defaultValue={v.link}
          error={e.link}
          maxLength={500}
          inputMode="url"
        />
        <div className="form-grid">
          <TextField
            name="date"
            label={t('clubs.meeting.date')}
            defaultValue={v.date}
            error={e.date}
            placeholder="05/12/2026"
            inputMode="numeric"
            required
          />
          <TextField
            name="start"
            label={t('clubs.meeting.start')}
            defaultValue={v.start}
            error={e.start}
            placeholder="19:30"
            inputMode="numeric"
            required
          />
          <TextField
            name="end"
            label={t('clubs.meeting.end')}
            defaultValue={v.end}
            error={e.end}
            placeholder="21:00"
            inputMode="numeric"
            required
          />
          <TextField name="capacity" label={t('clubs.meeting.capacity')} defaultValue={v.capacity} error={e.capacity} inputMode="numeric" />
        </div>
        <TextArea name="agenda_md" label={t('clubs.meeting.agenda')} defaultValue={v.agenda_md} error={e.agenda_md} rows={5} />
        <button type="submit" className="primary">
          {t('clubs.meeting.save')}
        </button>
      </Form>
    </>
  );
}
