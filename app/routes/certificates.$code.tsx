import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

import { verifyCertificate } from '~/domain/certificates/verify.server';
import { useT } from '~/i18n/i18n';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { absoluteUrl } from '~/lib/origin.server';
import styles from '~/styles/courses.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.v.courseTitle} — ${data.v.holderName}` : '' },
  { name: 'robots', content: 'noindex' },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const v = await verifyCertificate(getDb(), (params.code ?? '').slice(0, 40));
  if (v.status === 'unknown') notFound();
  const verifyUrl = absoluteUrl(`/verify/${encodeURIComponent(v.code)}`);
  // Server-rendered SVG: no script needed to show or print the QR code.
  const qrSvg = await QRCode.toString(verifyUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 0 });
  return json({ v, verifyUrl, qrSvg });
}

export default function Certificate() {
  const { v, verifyUrl, qrSvg } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <p className="no-print actions">
        <Link to="/certificates">{t('courses.certificate.mine')}</Link>
        <span className="muted">{t('courses.certificate.printHint')}</span>
        <PrintButton label={t('courses.certificate.print')} />
      </p>
      <article className={`certificate ${v.status === 'revoked' ? 'revoked' : ''}`} aria-labelledby="cert-h">
        <p className="cert-eyebrow">{t('common.siteName')}</p>
        <h1 id="cert-h">{v.source === 'honour' ? t('honours.certificate.heading') : t('courses.certificate.heading')}</h1>
        <p className="cert-line">{t('courses.certificate.awardedTo')}</p>
        <p className="cert-holder">{v.holderName}</p>
        <p className="cert-line">
          {v.source === 'honour'
            ? t('honours.certificate.forHonour')
            : v.source === 'contest'
              ? t('contests.certificate.forPrize')
              : v.source === 'challenge'
                ? t('clubs.challenges.certificateFor')
                : t('courses.certificate.forCompleting')}
        </p>
        <p className="cert-course">{v.courseTitle}</p>
        {v.status === 'revoked' ? (
          <p className="cert-revoked" role="status">
            {t('courses.verify.status.revoked')}
          </p>
        ) : null}
        <div className="cert-foot">
          <div className="cert-qr" role="img" aria-label={t('courses.certificate.qr')} dangerouslySetInnerHTML={{ __html: qrSvg }} />
          <dl className="cert-facts">
            <div>
              <dt>{t('courses.certificate.unit')}</dt>
              <dd>{v.unitName}</dd>
            </div>
            <div>
              <dt>{t('courses.certificate.date')}</dt>
              <dd>{formatDate(v.issuedAt)}</dd>
            </div>
            <div>
              <dt>{t('courses.certificate.code')}</dt>
              <dd className="cert-code">{v.code}</dd>
            </div>
            <div className="cert-verify">
              <dt>{t('courses.certificate.verifyAt')}</dt>
              <dd>
                <a href={verifyUrl}>{verifyUrl}</a>
              </dd>
            </div>
          </dl>
        </div>
      </article>
    </>
  );
}

/** window.print() needs JavaScript: the button only appears once it can work (the hint stays). */
function PrintButton({ label }: { label: string }) {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  if (!ready) return null;
  return (
    <button type="button" className="secondary button small" onClick={() => window.print()}>
      {label}
    </button>
  );
}
