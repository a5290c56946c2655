/**
 * `/weeks/<year>/reports/<form>/<unit>/submissions/<version>`: one submitted version of a unit's
 * report exactly as submitted — the form version it was filled against (its sections, labels,
 * kinds and ranges), fields removed since marked, fields added since listed as not asked; printed
 * and exported as such (`…/print?version=N`, `…/export?format=xlsx|csv&version=N`).
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { formatFigure } from '~/components/reports/IndicatorField';
import { submissionView } from '~/domain/reports/submissions.server';
import { reportAccessBySlug } from '~/domain/reports/view.server';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { forbidden, notFound } from '~/lib/http.server';
import styles from '~/styles/reports.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.view.form.title} — ${data.view.unit.name} — v${data.view.version}` }] : [];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const year = Number(params.year);
  const version = Number(params.version);
  if (!Number.isInteger(year) || !/^\d{1,9}$/.test(params.version ?? '')) notFound();
  const a = await reportAccessBySlug(db, year, params.form ?? '', params.unit ?? '', user.id);
  if (a.status === 'missing') notFound();
  if (a.status === 'forbidden') forbidden();
  const r = await submissionView(db, a, version, detectLocale(request));
  if (!r.ok) notFound();
  return json({ view: r.value });
}

const KIND = {
  count: 'reports.editor.types.count',
  vnd: 'reports.editor.types.vnd',
  text: 'reports.editor.types.text',
  bool: 'reports.editor.types.bool',
} as const;

export default function SubmissionPage() {
  const { view } = useLoaderData<typeof loader>();
  const { t, locale } = useT();
  const base = `/weeks/${view.form.year}/reports/${view.form.slug}/${view.unit.slug}`;
  const range = (min: number | null, max: number | null) =>
    min != null && max != null
      ? t('reports.submission.between', { min: formatFigure(min, locale), max: formatFigure(max, locale) })
      : min != null
        ? t('reports.submission.atLeast', { min: formatFigure(min, locale) })
        : max != null
          ? t('reports.submission.atMost', { max: formatFigure(max, locale) })
          : '—';
  const value = (type: keyof typeof KIND, v: number | string | null) => {
    if (v == null || v === '') return t('reports.notAnswered');
    if (type === 'bool') return Number(v) ? t('reports.yes') : t('reports.no');
    return formatFigure(v, locale);
  };
  const fv = view.formVersion;
  return (
    <>
      <Breadcrumb
        items={[
          { to: `/weeks/${view.form.year}`, label: t('weeks.weekOfYear', { year: view.form.year }) },
          { to: `/weeks/${view.form.year}/reports`, label: t('reports.title', { year: view.form.year }) },
          { to: base, label: view.unit.name },
          { label: t('reports.submission.heading', { version: view.version }) },
        ]}
      />
      <h1>
        {view.form.title}
        <span className="report-unit">{view.unit.name}</span>
      </h1>
      <h2 data-testid="submission-heading">{t('reports.submission.heading', { version: view.version })}</h2>
      <div className="notice" role="note" data-testid="submission-note">
        <p>
          {view.by
            ? t('reports.submission.submittedBy', { at: formatDateTime(view.at), by: view.by })
            : t('reports.submission.submittedAt', { at: formatDateTime(view.at) })}{' '}
          {view.latest ? t('reports.submission.latest') : t('reports.submission.notLatest')}
        </p>
        <p data-testid="submission-form-version">
          {fv == null
            ? t('reports.submission.formVersionUnknown')
            : fv.version === view.currentFormVersion
              ? t('reports.submission.formVersionCurrent', { version: fv.version, at: formatDateTime(fv.at) })
              : t('reports.submission.formVersion', {
                  version: fv.version,
                  at: formatDateTime(fv.at),
                  current: view.currentFormVersion,
                })}
        </p>
      </div>

      {view.sections.map((s, si) => (
        <div className="table-wrap" key={si} role="region" aria-label={s.title}>
          <table className="data report-table submission-table">
            <caption>
              {si + 1}. {s.title}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('reports.indicator')}</th>
                <th scope="col">{t('reports.submission.kind')}</th>
                <th scope="col">{t('reports.submission.range')}</th>
                <th scope="col">{t('reports.submission.value')}</th>
              </tr>
            </thead>
            <tbody>
              {s.fields.map((f) => (
                <tr key={f.code} data-code={f.code} className={f.removed ? 'removed' : undefined}>
                  <th scope="row">
                    {f.label}
                    {f.removed ? (
                      <>
                        {' '}
                        <em className="badge removed-since" data-testid="removed">
                          {t('reports.submission.removed')}
                        </em>
                      </>
                    ) : null}
                  </th>
                  <td>{t(KIND[f.type])}</td>
                  <td>{f.type === 'count' || f.type === 'vnd' ? range(f.min, f.max) : '—'}</td>
                  <td className={f.type === 'text' ? undefined : 'num'}>{value(f.type, f.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}

      {view.addedSince.length ? (
        <section aria-labelledby="added-since" className="report-panel">
          <h2 id="added-since">{t('reports.submission.addedHeading')}</h2>
          <p className="muted">{t('reports.submission.addedHint')}</p>
          <ul data-testid="added-since">
            {view.addedSince.map((f) => (
              <li key={f.code} data-code={f.code}>
                {f.label} ({f.section}) — <em>{t('reports.submission.notAsked')}</em>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="submission-export" className="report-panel">
        <h2 id="submission-export">{t('reports.submission.exportHeading')}</h2>
        <ul className="export-links">
          <li>
            <Link to={`${base}/print?version=${view.version}`}>{t('reports.export.print')}</Link>
          </li>
          <li>
            <a href={`${base}/export?format=xlsx&version=${view.version}`} download>
              {t('reports.export.xlsx')}
            </a>
          </li>
          <li>
            <a href={`${base}/export?format=csv&version=${view.version}`} download>
              {t('reports.export.csv')}
            </a>
          </li>
        </ul>
      </section>

      <nav aria-labelledby="submissions" className="report-panel">
        <h2 id="submissions">{t('reports.submission.allSubmissions')}</h2>
        <ol className="report-history">
          {view.submissions.map((s) => (
            <li key={s.version}>
              {s.version === view.version ? (
                <span aria-current="page">{t('reports.submission.submissionLine', { version: s.version, at: formatDateTime(s.at) })}</span>
              ) : (
                <Link to={`${base}/submissions/${s.version}`}>
                  {t('reports.submission.submissionLine', { version: s.version, at: formatDateTime(s.at) })}
                </Link>
              )}
            </li>
          ))}
        </ol>
        <p>
          <Link to={base}>{t('reports.submission.backToReport')}</Link>
        </p>
      </nav>
    </>
  );
}
