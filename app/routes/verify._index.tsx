import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form } from '@remix-run/react';

import { normaliseCode } from '~/domain/courses/progress.server';
import { useT } from '~/i18n/i18n';

export const meta: MetaFunction = () => [{ title: 'Xác minh chứng nhận · Verify a certificate' }];

export async function action({ request }: ActionFunctionArgs) {
  const code = String((await request.formData()).get('code') ?? '').slice(0, 40);
  return redirect(`/verify/${encodeURIComponent(normaliseCode(code) || 'x')}`);
}

export default function VerifyForm() {
  const { t } = useT();
  return (
    <>
      <h1>{t('courses.verify.title')}</h1>
      <p>{t('courses.verify.intro')}</p>
      <Form method="post">
        <div className="field">
          <label htmlFor="code">{t('courses.verify.code')}</label>
          <input id="code" name="code" required autoComplete="off" placeholder="ABCD-EFGH-JKLM" />
        </div>
        <button type="submit" className="primary">
          {t('courses.verify.submit')}
        </button>
      </Form>
    </>
  );
}
