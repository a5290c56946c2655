import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { FormError, TextField } from '~/components/Field';
import { isResetTokenUsable, resetPassword } from '~/domain/accounts.server';
import { resetSchema } from '~/forms/account';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { invalidateAllSessions } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get('token') ?? '';
  return json({
    title: getT(detectLocale(request))('accounts.reset.title'),
    token,
    usable: token ? await isResetTokenUsable(getDb(), token) : false,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const r = parseForm(resetSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, formError: null as string | null });
  const db = getDb();
  const userId = await resetPassword(db, r.data.token, r.data.password);
  if (!userId) return badRequest({ errors: {}, formError: 'accounts.reset.invalidToken' });
  await invalidateAllSessions(userId, db);
  return redirect('/login?reset=1');
}

export default function Reset() {
  const { token, usable } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useT();
  const errors = (data?.errors ?? {}) as Record<string, string>;
  return (
    <section className="card" style={{ maxWidth: '32rem', margin: '1.5rem auto' }}>
      <h1>{t('accounts.reset.title')}</h1>
      {!usable ? (
        <>
          <p className="form-error" role="alert">
            {t('accounts.reset.invalidToken')}
          </p>
          <Link to="/forgot-password">{t('accounts.forgot.title')}</Link>
        </>
      ) : (
        <Form method="post" noValidate>
          <FormError error={data?.formError} />
          <input type="hidden" name="token" value={token} />
          <TextField
            name="password"
            type="password"
            label={t('accounts.fields.newPassword')}
            hint={t('accounts.fields.passwordHint')}
            autoComplete="new-password"
            error={errors.password}
            required
          />
          <TextField
            name="confirmPassword"
            type="password"
            label={t('accounts.fields.confirmPassword')}
            autoComplete="new-password"
            error={errors.confirmPassword}
            required
          />
          <button type="submit" className="primary">
            {t('accounts.reset.submit')}
          </button>
        </Form>
      )}
    </section>
  );
}
