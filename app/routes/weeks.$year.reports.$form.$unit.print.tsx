import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useEffect, useState } from 'react';

import { PrintEnclosures } from '~/components/reports/Attachments';
import { formatFigure } from '~/components/reports/IndicatorField';
import { reportAccessBySlug, reportView } from '~/domain/reports/view.server';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { todayInVietnam } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { forbidden, notFound } from '~/lib/http.server';
import styles from '~/styles/reports.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.view.form.title} — ${data.view.unit.name}` }] : [];

/** "Phường Biên Giang" → "Biên Giang": the place line of the document. */
const PLACE_PREFIX = /^(Phường|Xã|Thị trấn|Quận|Huyện|Thị xã|Thành phố|Tỉnh|Bộ)\s+/;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const a = await reportAccessBySlug(db, Number(params.year), params.form ?? '', params.unit ?? '', user.id);
  if (a.status === 'missing') notFound();
  if (a.status === 'forbidden') forbidden();
  const view = await reportView(db, a, detectLocale(request));
  const submittedAt = view.events.find((e) => e.action === 'submitted')?.at;
  const day = todayInVietnam(submittedAt ? new Date(submittedAt) : new Date());
  const place = a.tree.units.get(a.unitId)!.name.replace(PLACE_PREFIX, '');
  return json({ view, day, place });
}

export default function ReportPrint() {
  const { view, day, place } = useLoaderData<typeof loader>();
  const { t, locale } = useT();
  const [y, m, d] = day.split('-');
  const useTotal = view.hasChildren;
  const value = (i: (typeof view.sections)[number]['indicators'][number]) => {
    const v = i.type === 'text' ? i.saved : useTotal ? i.total : i.saved;
    if (v == null || v === '') return '—';
    if (i.type === 'bool' && !useTotal) return Number(v) ? t('reports.yes') : t('reports.no');
    return formatFigure(v, locale);
  };
  return (
    <>
      <p className="no-print actions">
        <Link to={`/weeks/${view.form.year}/reports/${view.form.slug}/${view.unit.slug}`}>{t('reports.print.back')}</Link>{' '}
        <PrintButton label={t('reports.print.printButton')} />
      </p>
      <article className="admin-doc" aria-labelledby="doc-title">
        <header className="doc-head">
          <div>
            {view.parent?.name ? <p className="doc-parent">{view.parent.name.toUpperCase()}</p> : null}
            <p className="doc-unit">{view.unit.name}</p>
            <p className="doc-number">{t('reports.print.number', { code: view.form.docCode })}</p>
          </div>
          <div>
            <p className="doc-nation">{t('reports.print.nation')}</p>
            <p className="doc-motto">{t('reports.print.motto')}</p>
            <p className="doc-date">{t('reports.print.placeDate', { place, day: d ?? '', month: m ?? '', year: y ?? '' })}</p>
          </div>
        </header>
        <h1 id="doc-title">{t('reports.print.kind')}</h1>
        <p className="doc-about">{t('reports.print.about', { year: view.form.year })}</p>
        <p>{t('reports.print.intro', { unit: view.unit.name, year: view.form.year })}</p>
        {view.sections.map((s, si) => (
          <section key={si}>
            <h2>
              {toRoman(si + 1)}. {s.title}
            </h2>
            <table>
              <tbody>
                {s.indicators.map((i) =>
                  i.type === 'text' ? (
                    <tr key={i.code}>
                      <th scope="row">{i.label}</th>
                      <td>{value(i)}</td>
                    </tr>
                  ) : (
                    <tr key={i.code}>
                      <th scope="row">{i.label}</th>
                      <td className="num">{value(i)}</td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          </section>
        ))}
        <PrintEnclosures files={view.attachments} />
        <footer className="doc-foot">
          <div className="doc-recipients">
            <p>
              <strong>
                <em>{t('reports.print.recipients')}</em>
              </strong>
            </p>
            {view.parent?.name ? <p>{t('reports.print.recipientParent', { unit: view.parent.name })}</p> : null}
            <p>{t('reports.print.recipientFile')}</p>
          </div>
          <div className="doc-sign">
            <p>
              <strong>{t('reports.print.signTitle', { unit: view.unit.name.toUpperCase() })}</strong>
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
