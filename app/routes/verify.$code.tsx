import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { verifyCertificate } from '~/domain/certificates/verify.server';
import { useT } from '~/i18n/i18n';
import { certificateStatusLabel } from '~/i18n/labels';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import styles from '~/styles/courses.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction = () => [{ title: 'Xác minh chứng nhận · Verify a certificate' }, { name: 'robots', content: 'noindex' }];

export async function loader({ params }: LoaderFunctionArgs) {
  const v = await verifyCertificate(getDb(), (params.code ?? '').slice(0, 40));
  return json({ v, code: params.code ?? '' }, { status: v.status === 'unknown' ? 404 : 200 });
}

export default function Verify() {
  const { v, code } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <h1>{t('courses.verify.title')}</h1>
      <section className={`card verify verify-${v.status}`} aria-labelledby="status-h">
        <h2 id="status-h">{t(certificateStatusLabel[v.status])}</h2>
        {v.status === 'unknown' ? (
          <p>{t('courses.verify.unknownBody', { code })}</p>
        ) : (
          <dl className="facts">
            <dt>{t('courses.verify.code')}</dt>
            <dd>{v.code}</dd>
            <dt>{t('courses.certificate.holder')}</dt>
            <dd>{v.holderName}</dd>
            <dt>{t('courses.certificate.course')}</dt>
            <dd>
              <Link to={v.href}>{v.courseTitle}</Link>
            </dd>
            <dt>{t('courses.certificate.unit')}</dt>
            <dd>{v.unitName}</dd>
            <dt>{t('courses.certificate.date')}</dt>
            <dd>{formatDate(v.issuedAt)}</dd>
            {v.badgeHref ? (
              <>
                <dt>{t('honours.page.certificate')}</dt>
                <dd>
                  <a href={v.badgeHref} download>
                    {t('honours.page.badgeJson')}
                  </a>
                </dd>
              </>
            ) : null}
            {v.status === 'revoked' && v.revokedAt ? (
              <>
                <dt>{t('courses.verify.revokedOn')}</dt>
                <dd>
                  {formatDate(v.revokedAt)}
                  {v.revokedReason ? ` — ${v.revokedReason}` : ''}
                </dd>
              </>
            ) : null}
          </dl>
        )}
      </section>
      <p>
        <Link to="/verify">{t('courses.verify.another')}</Link>
      </p>
    </>
  );
}
