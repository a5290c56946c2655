import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { checkUnsubscribe, unsubscribe } from '~/domain/notifications/mail.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getDb } from '~/lib/db.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }, { name: 'robots', content: 'noindex' }];

function link(request: Request) {
  const q = new URL(request.url).searchParams;
  return { u: (q.get('u') ?? '').slice(0, 40), s: (q.get('s') ?? '').slice(0, 60), t: (q.get('t') ?? '').slice(0, 64) };
}

/** Works signed out: the signed link names the member and the kind of mail. GET only shows the button. */
export async function loader({ request }: LoaderFunctionArgs) {
  const l = link(request);
  return json({
    title: getT(detectLocale(request))('community.unsubscribe.title'),
    valid: checkUnsubscribe(l.u, l.s, l.t),
    all: l.s === 'all',
  });
}

/** One click (also RFC 8058's List-Unsubscribe-Post): the same URL, POSTed. */
export async function action({ request }: ActionFunctionArgs) {
  const l = link(request);
  const r = await unsubscribe(getDb(), l.u, l.s, l.t);
  return json({ done: r.ok }, { status: r.ok ? 200 : 400 });
}

export default function Unsubscribe() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  return (
    <>
      <h1>{t('community.unsubscribe.title')}</h1>
      {a?.done ? (
        <p role="status">{t('community.unsubscribe.done')}</p>
      ) : !d.valid || a ? (
        <p role="alert">{t('community.unsubscribe.invalid')}</p>
      ) : (
        <Form method="post" className="card">
          <p>{d.all ? t('community.unsubscribe.confirmAll') : t('community.unsubscribe.confirmType')}</p>
          <button type="submit" className="primary">
            {t('community.unsubscribe.submit')}
          </button>
        </Form>
      )}
    </>
  );
}
