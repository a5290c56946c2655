import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { reportsIndex } from '~/domain/reports/view.server';
import { getWeek } from '~/domain/weeks.server';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { unitKindLabel } from '~/i18n/labels';
import { getUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

const STATUS = {
  none: 'reports.status.none',
  draft: 'reports.status.draft',
  submitted: 'reports.status.submitted',
  returned: 'reports.status.returned',
  accepted: 'reports.status.accepted',
} as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const year = Number(params.year);
  if (!Number.isInteger(year) || !(await getWeek(db, year))) notFound();
  const user = await getUser(request);
  const locale = detectLocale(request);
  return json({ year, title: `Báo cáo ${year}`, signedIn: !!user, forms: await reportsIndex(db, year, user?.id ?? null, locale) });
}

export default function ReportsIndex() {
  const { year, forms, signedIn } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <Breadcrumb items={[{ to: `/weeks/${year}`, label: t('weeks.weekOfYear', { year }) }, { label: t('reports.title', { year }) }]} />
      <h1>{t('reports.title', { year })}</h1>
      {!signedIn ? (
        <p className="muted">{t('reports.signInHint')}</p>
      ) : (
        <p>
          <Link to={`/weeks/${year}/reports/new`}>{t('reports.editor.newLink')}</Link>
        </p>
      )}
      <h2>{t('reports.formsHeading')}</h2>
      {forms.length === 0 ? <p className="muted">{t('reports.noForms')}</p> : null}
      {forms.map((f) => (
        <section key={f.slug} aria-labelledby={`form-${f.slug}`} className="card">
          <h3 id={`form-${f.slug}`}>{f.title}</h3>
          <p>
            {t('reports.deadline', { date: formatDate(f.deadline) })} · {t('reports.lockDate', { date: formatDate(f.lockDate) })} ·{' '}
            {t('reports.appliesTo', { levels: f.appliesTo.map((k) => t(unitKindLabel[k])).join(', ') })} ·{' '}
            {t('reports.editor.version', { version: f.version })}
          </p>
          {f.canEdit ? (
            <p>
              <Link to={`/weeks/${year}/reports/${f.slug}/edit`}>{t('reports.editor.link')}</Link>
            </p>
          ) : null}
          {f.mine ? (
            f.mine.fill.length || f.mine.top.length ? (
              <>
                {f.mine.fill.length ? (
                  <>
                    <h4>{t('reports.yourReports')}</h4>
                    <ul>
                      {f.mine.fill.map((u) => (
                        <li key={u.slug}>
                          <Link to={`/weeks/${year}/reports/${f.slug}/${u.slug}`}>{u.name}</Link> —{' '}
                          {t(STATUS[u.status as keyof typeof STATUS])}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
                {f.mine.top.length ? (
                  <>
                    <h4>{t('reports.yourOverview')}</h4>
                    <ul>
                      {f.mine.top.map((u) => (
                        <li key={u.slug}>
                          <Link to={`/weeks/${year}/reports/${f.slug}/${u.slug}`}>{u.name}</Link>
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </>
            ) : (
              <p className="muted">{t('reports.nothingForYou')}</p>
            )
          ) : null}
        </section>
      ))}
    </>
  );
}
