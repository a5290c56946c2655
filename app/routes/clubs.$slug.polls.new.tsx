import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, TextArea, TextField } from '~/components/Field';
import { createPoll } from '~/domain/clubs/polls.server';
import { pollSchema } from '~/forms/clubs';
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
  return json({ title: getT(detectLocale(request))('clubs.poll.newTitle'), club: { slug: club.slug, name: club.name } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, club } = await requireClubModerator(request, params.slug ?? '');
  const r = parseForm(pollSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const closesAt = viDateTimeToIso(r.data.closes_date, r.data.closes_time);
  if (!closesAt) return badRequest({ errors: { closes_date: 'clubs.errors.date' } as FieldErrors, values: r.values });
  const options = r.data.options
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((label) => ({ label: label.slice(0, 200) }));
  const made = await createPoll(getDb(), user.id, club.id, { question: r.data.question, closesAt, options });
  if (!made.ok) {
    const field =
      made.code === 'closes_in_past' ? 'closes_date' : made.code === 'too_few' || made.code === 'too_many' ? 'options' : '_form';
    return badRequest({ errors: { [field]: clubFailures[made.code].message } as FieldErrors, values: r.values });
  }
  return redirectWithFlash(`/clubs/${club.slug}/polls/${made.value.id}`, { message: 'clubs.flash.pollCreated' });
}

export default function NewPoll() {
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
          { label: t('clubs.poll.newTitle') },
        ]}
      />
      <h1>{t('clubs.poll.newTitle')}</h1>
      <FormError error={e._form} />
      <Form method="post" noValidate className="card">
        <TextField
          name="question"
          label={t('clubs.poll.question')}
          defaultValue={v.question ?? t('clubs.poll.questionDefault')}
          error={e.question}
          maxLength={200}
          required
        />
        <TextArea name="options" label={t('clubs.poll.options')} defaultValue={v.options} error={e.options} rows={6} required />
        <div className="form-grid">
          <TextField
            name="closes_date"
            label={t('clubs.poll.closesDate')}
            defaultValue={v.closes_date}
            error={e.closes_date}
            placeholder="15/12/2026"
            inputMode="numeric"
            required
          />
          <TextField
            name="closes_time"
            label={t('clubs.poll.closesTime')}
            defaultValue={v.closes_time ?? '20:00'}
            error={e.closes_time}
            inputMode="numeric"
            required
          />
        </div>
        <button type="submit" className="primary">
          {t('clubs.poll.submit')}
        </button>
      </Form>
    </>
  );
}
