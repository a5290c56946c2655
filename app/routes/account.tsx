import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';

import { FormError, SelectField, TextField } from '~/components/Field';
import { UnitSelect } from '~/components/UnitSelect';
import { changePassword, generationBand, getUserById, grantedUnits, updateProfile } from '~/domain/accounts.server';
import { getUnit, listUnits } from '~/domain/units.server';
import { changePasswordSchema, profileSchema } from '~/forms/account';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT, localeCookie } from '~/i18n/i18n.server';
import { bandLabel, roleLabel } from '~/i18n/labels';
import { createSessionCookie, invalidateAllSessions, requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import { localName } from '~/lib/names';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireUser(request);
  const db = getDb();
  const [user, units, grants] = await Promise.all([
    getUserById(db, session.id),
    listUnits(db),
    grantedUnits(db, session.id, ['teacher', 'librarian', 'organiser', 'admin']),
  ]);
  if (!user) throw redirect('/login');
  return json({
    title: getT(detectLocale(request))('accounts.profile.title'),
    user: {
      email: user.email,
      displayName: user.display_name,
      birthYear: user.birth_year,
      homeUnitId: user.home_unit_id,
      locale: user.locale,
      band: generationBand(user.birth_year),
    },
    units: units.map((u) => ({ id: u.id, name: u.name, name_en: u.name_en, depth: u.depth, parent_id: u.parent_id })),
    grants,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const form = await request.formData();
  const intent = form.get('intent');
  if (intent === 'profile') {
    const r = parseForm(profileSchema, form);
    if (!r.ok) return badRequest({ intent, errors: r.errors, values: r.values, formError: null as string | null });
    if (r.data.homeUnitId && !(await getUnit(db, r.data.homeUnitId)))
      return badRequest({ intent, errors: { homeUnitId: 'errors.choose' }, values: r.values, formError: null });
    await updateProfile(db, user.id, r.data);
    // The preferred language becomes the site language at once.
    return redirectWithFlash('/account', { message: 'common.saved' }, { headers: { 'Set-Cookie': localeCookie(r.data.locale) } });
  }
  if (intent === 'password') {
    const r = parseForm(changePasswordSchema, form);
    if (!r.ok) return badRequest({ intent, errors: r.errors, values: {}, formError: null });
    if (!(await changePassword(db, user.id, r.data.currentPassword, r.data.newPassword))) {
      return badRequest({ intent, errors: { currentPassword: 'accounts.password.wrongCurrent' }, values: {}, formError: null });
    }
    // Other devices are signed out; this one gets a fresh session.
    await invalidateAllSessions(user.id, db);
    return redirectWithFlash(
      '/account',
      { message: 'accounts.password.changed' },
      { headers: { 'Set-Cookie': await createSessionCookie(user.id, db) } },
    );
  }
  return badRequest({ intent, errors: {}, values: {}, formError: 'errors.invalid' });
}

export default function Account() {
  const { user, units, grants } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t, locale } = useT();
  const pe = data?.intent === 'profile' ? (data.errors as Record<string, string>) : {};
  const pv = data?.intent === 'profile' ? (data.values as Record<string, string>) : undefined;
  const we = data?.intent === 'password' ? (data.errors as Record<string, string>) : {};
  return (
    <>
      <h1>{t('accounts.profile.title')}</h1>
      {params.get('welcome') ? (
        <p className="flash" role="status">
          {t('accounts.signUp.welcome', { name: user.displayName })}
        </p>
      ) : null}
      <FormError error={data?.formError} />
      <div className="grid">
        <section className="card" aria-labelledby="profile-h">
          <h2 id="profile-h" style={{ marginTop: 0 }}>
            {t('accounts.profile.details')}
          </h2>
          <p className="muted">
            {t('accounts.fields.email')}: {user.email}
            {user.band ? ` · ${t(bandLabel[user.band])}` : ''}
          </p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="profile" />
            <TextField
              name="displayName"
              label={t('accounts.fields.displayName')}
              defaultValue={pv?.displayName ?? user.displayName}
              error={pe.displayName}
              required
            />
            <TextField
              name="birthYear"
              inputMode="numeric"
              label={t('accounts.fields.birthYear')}
              hint={t('accounts.fields.birthYearHint')}
              defaultValue={pv?.birthYear ?? user.birthYear ?? ''}
              error={pe.birthYear}
              maxLength={4}
            />
            <UnitSelect
              name="homeUnitId"
              label={t('accounts.fields.homeUnit')}
              units={units}
              defaultValue={pv?.homeUnitId ?? user.homeUnitId}
              error={pe.homeUnitId}
            />
            <SelectField
              name="locale"
              label={t('accounts.fields.language')}
              defaultValue={pv?.locale ?? user.locale ?? locale}
              error={pe.locale}
            >
              <option value="vi">Tiếng Việt</option>
              <option value="en">English</option>
            </SelectField>
            <button type="submit" className="primary">
              {t('common.save')}
            </button>
          </Form>
        </section>
        <section className="card" aria-labelledby="password-h">
          <h2 id="password-h" style={{ marginTop: 0 }}>
            {t('accounts.password.title')}
          </h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="password" />
            <TextField
              name="currentPassword"
              type="password"
              label={t('accounts.fields.currentPassword')}
              autoComplete="current-password"
              error={we.currentPassword}
              required
            />
            <TextField
              name="newPassword"
              type="password"
              label={t('accounts.fields.newPassword')}
              hint={t('accounts.fields.passwordHint')}
              autoComplete="new-password"
              error={we.newPassword}
              required
            />
            <TextField
              name="confirmPassword"
              type="password"
              label={t('accounts.fields.confirmPassword')}
              autoComplete="new-password"
              error={we.confirmPassword}
              required
            />
            <button type="submit" className="primary">
              {t('accounts.password.submit')}
            </button>
          </Form>
        </section>
      </div>
      {grants.length ? (
        <section aria-labelledby="roles-h">
          <h2 id="roles-h">{t('accounts.profile.roles')}</h2>
          <ul>
            {grants.map((g) => (
              <li key={`${g.id}-${g.role}`}>
                {t(roleLabel[g.role])} — {localName(g, locale)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
