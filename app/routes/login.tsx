import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';

import { FormError, TextField } from '~/components/Field';
import { signInSchema } from '~/forms/account';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getUser, signIn } from '~/lib/auth.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, safeRedirect } from '~/lib/http.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (await getUser(request)) throw redirect(safeRedirect(url.searchParams.get('redirectTo')));
  return json({ title: getT(detectLocale(request))('accounts.signIn.title') });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const r = parseForm(signInSchema, form);
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values, formError: null as string | null });
  const result = await signIn(request, r.data.email, r.data.password);
  if (!result.ok) {
    const formError = result.error === 'rate_limited' ? 'accounts.signIn.rateLimited' : 'accounts.signIn.invalid';
    return json({ errors: {}, values: r.values, formError }, { status: result.error === 'rate_limited' ? 429 : 401 });
  }
  return redirect(safeRedirect(r.data.redirectTo), { headers: { 'Set-Cookie': result.setCookie } });
}

export default function Login() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useT();
  const nav = useNavigation();
  const errors = (data?.errors ?? {}) as Record<string, string>;
  const reset = params.get('reset') === '1';
  return (
    <section className="card" style={{ maxWidth: '32rem', margin: '1.5rem auto' }}>
      <h1>{t('accounts.signIn.title')}</h1>
      {reset ? (
        <p className="flash" role="status">
          {t('accounts.reset.done')}
        </p>
      ) : null}
      <FormError error={data?.formError} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? '/'} />
        <TextField
          name="email"
          type="email"
          label={t('accounts.fields.email')}
          autoComplete="email"
          defaultValue={data?.values?.email}
          error={errors.email}
          required
        />
        <TextField
          name="password"
          type="password"
          label={t('accounts.fields.password')}
          autoComplete="current-password"
          error={errors.password}
          required
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={nav.state === 'submitting'}>
            {t('accounts.signIn.submit')}
          </button>
          <Link to="/forgot-password">{t('accounts.signIn.forgot')}</Link>
        </div>
      </Form>
      <p>
        {t('accounts.signIn.noAccount')} <Link to="/signup">{t('common.signUp')}</Link>
      </p>
    </section>
  );
}
