import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData } from '@remix-run/react';

import { TextField } from '~/components/Field';
import { createPasswordResetToken, normaliseEmail } from '~/domain/accounts.server';
import { forgotSchema } from '~/forms/account';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { clientIp } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import { sendMail } from '~/lib/mailer.server';
import { absoluteUrl } from '~/lib/origin.server';
import { consumeAll, limiter } from '~/lib/rate-limit.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  return json({ title: getT(detectLocale(request))('accounts.forgot.title') });
}

export async function action({ request }: ActionFunctionArgs) {
  const r = parseForm(forgotSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values, sent: false });
  const db = getDb();
  // Throttled per address and per client; over the limit nothing is sent, but the answer is
  // the same as always, so the limit reveals nothing about which addresses have accounts.
  const allowed = await consumeAll([
    [limiter('forgotEmail'), normaliseEmail(r.data.email)],
    [limiter('forgotIp'), clientIp(request)],
  ]);
  const created = allowed.ok ? await createPasswordResetToken(db, r.data.email) : null;
  if (created) {
    const t = getT(created.locale);
    const link = absoluteUrl(`/reset-password?token=${encodeURIComponent(created.token)}`);
    await sendMail(db, { to: r.data.email, subject: t('accounts.forgot.mailSubject'), text: t('accounts.forgot.mailBody', { link }) });
  }
  // The same answer whether or not the address has an account: nobody can probe for accounts.
  return json({ errors: {}, values: r.values, sent: true });
}

export default function Forgot() {
  const data = useActionData<typeof action>();
  const { t } = useT();
  const errors = (data?.errors ?? {}) as Record<string, string>;
  return (
    <section className="card" style={{ maxWidth: '32rem', margin: '1.5rem auto' }}>
      <h1>{t('accounts.forgot.title')}</h1>
      {data?.sent ? (
        <p className="flash" role="status">
          {t('accounts.forgot.sent')}
        </p>
      ) : (
        <>
          <p className="muted">{t('accounts.forgot.intro')}</p>
          <Form method="post" noValidate>
            <TextField
              name="email"
              type="email"
              label={t('accounts.fields.email')}
              autoComplete="email"
              defaultValue={data?.values?.email}
              error={errors.email}
              required
            />
            <button type="submit" className="primary">
              {t('accounts.forgot.submit')}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
