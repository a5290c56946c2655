import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useEffect, useState } from 'react';

import { PrintEnclosures } from '~/components/reports/Attachments';
import { formatFigure } from '~/components/reports/IndicatorField';
import { printDoc, type PrintRow, reportAccessBySlug } from '~/domain/reports/view.server';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { forbidden, notFound } from '~/lib/http.server';
import styles from '~/styles/reports.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [{ title: `${data.doc.form.title} — ${data.doc.unit.name}${data.doc.submission ? ` — v${data.doc.submission.version}` : ''}` }]
    : [];

/**
 * The report as a printable administrative document; `?version=N` prints submitted version N as
 * it was submitted (the same access as its page: `…/submissions/N`).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const version = new URL(request.url).searchParams.get('version');
  if (version != null && !/^\d{1,9}$/.test(version)) notFound();
  const a = await reportAccessBySlug(db, Number(params.year), params.form ?? '', params.unit ?? '', user.id);
  if (a.status === 'missing') notFound();
  if (a.status === 'forbidden') forbidden();
  const r = await printDoc(db, a, detectLocale(request), version == null ? undefined : Number(version));
  if (!r.ok) notFound();
  return json({ doc: r.value });
}

export default function ReportPrint() {
  const { doc } = useLoaderData<typeof loader>();
  const { t, locale } = useT();
  const [y, m, d] = doc.day.split('-');
  const value = (i: PrintRow) => {
    if (i.value == null || i.value === '') return '—';
    if (i.yesNo) return Number(i.value) ? t('reports.yes') : t('reports.no');
    return formatFigure(i.value, locale);
  };
  const base = `/weeks/${doc.form.year}/reports/${doc.form.slug}/${doc.unit.slug}`;
  const sub = doc.submission;
  return (
    <>
      <p className="no-print actions">
        <Link to={sub ? `${base}/submissions/${sub.version}` : base}>{t('reports.print.back')}</Link>{' '}
        <PrintButton label={t('reports.print.printButton')} />
      </p>
      <article className="admin-doc" aria-labelledby="doc-title">
        <header className="doc-head">
          <div>
            {doc.parent?.name ? <p className="doc-parent">{doc.parent.name.toUpperCase()}</p> : null}
            <p className="doc-unit">{doc.unit.name}</p>
            <p className="doc-number">{t('reports.print.number', { code: doc.form.docCode })}</p>
          </div>
          <div>
            <p className="doc-nation">{t('reports.print.nation')}</p>
            <p className="doc-motto">{t('reports.print.motto')}</p>
            <p className="doc-date">{t('reports.print.placeDate', { place: doc.place, day: d ?? '', month: m ?? '', year: y ?? '' })}</p>
          </div>
        </header>
        <h1 id="doc-title">{t('reports.print.kind')}</h1>
        <p className="doc-about">{t('reports.print.about', { year: doc.form.year })}</p>
        {sub ? (
          <p className="doc-version" data-testid="print-version">
            {t('reports.print.submittedVersion', { version: sub.version, at: formatDateTime(sub.at) })}{' '}
            {sub.formVersion == null
              ? t('reports.submission.formVersionUnknown')
              : t('reports.print.formVersion', { version: sub.formVersion, current: sub.currentFormVersion })}
          </p>
        ) : null}
        <p>{t('reports.print.intro', { unit: doc.unit.name, year: doc.form.year })}</p>
        {doc.sections.map((s, si) => (
          <section key={si}>
            <h2>
              {toRoman(si + 1)}. {s.title}
            </h2>
            <table>
              <tbody>
                {s.rows.map((i) => (
                  <tr key={i.code} data-code={i.code}>
                    <th scope="row">
                      {i.label}
                      {i.removed ? <em className="doc-removed"> ({t('reports.submission.removed')})</em> : null}
                    </th>
                    <td className={i.type === 'text' ? undefined : 'num'}>{value(i)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
        {sub?.addedSince.length ? (
          <section data-testid="print-added-since">
            <h2>{t('reports.submission.addedHeading')}</h2>
            <ul>
              {sub.addedSince.map((f) => (
                <li key={f.code}>
                  {f.label} ({f.section}) — <em>{t('reports.submission.notAsked')}</em>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <PrintEnclosures files={doc.attachments} />
        <footer className="doc-foot">
          <div className="doc-recipients">
            <p>
              <strong>
                <em>{t('reports.print.recipients')}</em>
              </strong>
            </p>
            {doc.parent?.name ? <p>{t('reports.print.recipientParent', { unit: doc.parent.name })}</p> : null}
            <p>{t('reports.print.recipientFile')}</p>
          </div>
          <div className="doc-sign">
            <p>
              <strong>{t('reports.print.signTitle', { unit: doc.unit.name.toUpperCase() })}</strong>
            </p>
            <p>
              <em>{t('reports.print.signRole')}</em>
            </p>
            <div className="sign-space" />
          </div>
        </footer>
      </article>
    </>
  );
}

function toRoman(n: number): string {
  return ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'][n - 1] ?? String(n);
}

/** window.print() needs JavaScript: the button appears once it can work. */
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
