import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';

import { TextField } from '~/components/Field';
import { UnitSelect } from '~/components/UnitSelect';
import { findUserByEmail, normaliseEmail, signUp } from '~/domain/accounts.server';
import { getUnit, listUnits } from '~/domain/units.server';
import { signUpSchema } from '~/forms/account';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { clientIp, getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, safeRedirect } from '~/lib/http.server';
import { sendMail } from '~/lib/mailer.server';
import { absoluteUrl } from '~/lib/origin.server';
import { consumeAll, limiter } from '~/lib/rate-limit.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect('/');
  const locale = detectLocale(request);
  const units = await listUnits(getDb());
  return json({
    title: getT(locale)('accounts.signUp.title'),
    locale,
    units: units.map((u) => ({ id: u.id, name: u.name, name_en: u.name_en, depth: u.depth, parent_id: u.parent_id })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const db = getDb();
  const form = await request.formData();
  const r = parseForm(signUpSchema, form);
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  if (r.data.homeUnitId && !(await getUnit(db, r.data.homeUnitId)))
    return badRequest({ errors: { homeUnitId: 'errors.choose' }, values: r.values });
  // The same answer whether or not the address already has an account ("check your mail"), so
  // sign-up cannot be used to find out who is registered; the owner of a taken address is told
  // by mail instead. Throttled per client and per address (over the limit nothing is sent).
  const email = normaliseEmail(r.data.email);
  const allowed = await consumeAll([
    [limiter('signUpIp'), clientIp(request)],
    [limiter('signUpEmail'), email],
  ]);
  if (allowed.ok) {
    const result = await signUp(db, r.data);
    if (result.ok) {
      const t = getT(r.data.locale);
      const link = absoluteUrl('/login');
      await sendMail(db, {
        to: email,
        subject: t('accounts.signUp.mailNewSubject'),
        text: t('accounts.signUp.mailNewBody', { name: r.data.displayName, link }),
      });
    } else {
      const owner = await findUserByEmail(db, email);
      const t = getT(owner?.locale ?? r.data.locale);
      await sendMail(db, {
        to: email,
        subject: t('accounts.signUp.mailExistsSubject'),
        text: t('accounts.signUp.mailExistsBody', { login: absoluteUrl('/login'), reset: absoluteUrl('/forgot-password') }),
      });
    }
  }
  const login = `/login?redirectTo=${encodeURIComponent(safeRedirect(form.get('redirectTo'), '/account?welcome=1'))}`;
  return redirectWithFlash(login, { message: 'accounts.signUp.checkMail', kind: 'info', params: { email } });
}

export default function SignUp() {
  const { units, locale } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useT();
  const nav = useNavigation();
  const errors = (data?.errors ?? {}) as Record<string, string>;
  const v = (data?.values ?? {}) as Record<string, string>;
  return (
    <section className="card" style={{ maxWidth: '36rem', margin: '1.5rem auto' }}>
      <h1>{t('accounts.signUp.title')}</h1>
      <p className="muted">{t('accounts.signUp.intro')}</p>
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
        <input type="hidden" name="locale" value={locale} />
        <TextField
          name="displayName"
          label={t('accounts.fields.displayName')}
          autoComplete="name"
          defaultValue={v.displayName}
          error={errors.displayName}
          required
          maxLength={100}
        />
        <TextField
          name="email"
          type="email"
          label={t('accounts.fields.email')}
          autoComplete="email"
          defaultValue={v.email}
          error={errors.email}
          required
        />
        <TextField
          name="password"
          type="password"
          label={t('accounts.fields.password')}
          hint={t('accounts.fields.passwordHint')}
          autoComplete="new-password"
          error={errors.password}
          required
          minLength={8}
        />
        <TextField
          name="confirmPassword"
          type="password"
          label={t('accounts.fields.confirmPassword')}
          autoComplete="new-password"
          error={errors.confirmPassword}
          required
        />
        <TextField
          name="birthYear"
          inputMode="numeric"
          label={t('accounts.fields.birthYear')}
          hint={t('accounts.fields.birthYearHint')}
          defaultValue={v.birthYear}
          error={errors.birthYear}
          maxLength={4}
        />
        <UnitSelect
          name="homeUnitId"
          label={t('accounts.fields.homeUnit')}
          units={units}
          defaultValue={v.homeUnitId}
          error={errors.homeUnitId}
        />
        <button type="submit" className="primary" disabled={nav.state === 'submitting'}>
          {t('accounts.signUp.submit')}
        </button>
      </Form>
      <p>
        {t('accounts.signUp.haveAccount')} <Link to="/login">{t('common.signIn')}</Link>
      </p>
    </section>
  );
}
