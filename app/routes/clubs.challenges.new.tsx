import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { CHALLENGE_KIND_KEYS } from '~/components/clubs/challenge-labels';
import { FormError, SelectField, TextField } from '~/components/Field';
import { challengeOwners, createChallengeFor } from '~/domain/clubs/challenges.server';
import { challengeCreateSchema } from '~/forms/clubs-challenges';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { parseViDate } from '~/lib/dates';
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
  const owners = await challengeOwners(getDb(), user.id);
  return json({ title: getT(detectLocale(request))('clubs.challenges.create'), ...owners });
}

/** Which field each refusal belongs next to. */
const FIELD = { forbidden: 'owner', not_found: 'owner', ended: 'ends', ends_before_start: 'ends' } as const;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(challengeCreateSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const created = await createChallengeFor(getDb(), user.id, {
    owner: r.data.owner,
    name: r.data.name,
    kind: r.data.kind,
    target: r.data.target,
    startsOn: parseViDate(r.data.starts)!,
    endsOn: parseViDate(r.data.ends)!,
  });
  if (!created.ok)
    return badRequest({ errors: { [FIELD[created.code]]: clubFailures[created.code].message } as FieldErrors, values: r.values });
  return redirectWithFlash(`/clubs/challenges/${created.value.id}`, { message: 'clubs.flash.challengeCreated' });
}

export default function NewChallenge() {
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
          { to: '/clubs/challenges', label: t('clubs.challenges.title') },
          { label: t('clubs.challenges.create') },
        ]}
      />
      <h1>{t('clubs.challenges.create')}</h1>
      {d.units.length + d.clubs.length === 0 ? (
        <p>{t('clubs.challenges.cannotCreate')}</p>
      ) : (
        <Form method="post" noValidate className="card">
          <FormError error={e._form} />
          <SelectField name="owner" label={t('clubs.challenges.owner')} defaultValue={v.owner ?? ''} error={e.owner} required>
            <option value="">{t('clubs.challenges.ownerChoose')}</option>
            {d.units.length ? (
              <optgroup label={t('clubs.challenges.ownerUnits')}>
                {d.units.map((u) => (
                  <option key={u.id} value={`unit:${u.id}`}>
                    {u.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {d.clubs.length ? (
              <optgroup label={t('clubs.challenges.ownerClubs')}>
                {d.clubs.map((c) => (
                  <option key={c.id} value={`club:${c.id}`}>
                    {c.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </SelectField>
          <TextField
            name="name"
            label={t('clubs.challenges.name')}
            hint={t('clubs.challenges.nameHint')}
            defaultValue={v.name}
            error={e.name}
            maxLength={160}
            required
          />
          <div className="form-grid">
            <SelectField name="kind" label={t('clubs.challenges.kind')} defaultValue={v.kind ?? 'minutes_per_day'} error={e.kind}>
              {(['minutes_per_day', 'minutes_total', 'books'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(CHALLENGE_KIND_KEYS[k])}
                </option>
              ))}
            </SelectField>
            <TextField
              name="target"
              label={t('clubs.challenges.target')}
              hint={t('clubs.challenges.targetHint')}
              defaultValue={v.target}
              error={e.target}
              inputMode="numeric"
              required
            />
            <TextField
              name="starts"
              label={t('clubs.challenges.starts')}
              defaultValue={v.starts}
              error={e.starts}
              inputMode="numeric"
              required
            />
            <TextField name="ends" label={t('clubs.challenges.ends')} defaultValue={v.ends} error={e.ends} inputMode="numeric" required />
          </div>
          <button type="submit" className="primary">
            {t('clubs.challenges.createButton')}
          </button>
        </Form>
      )}
    </>
  );
}
