import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { unitsWithRole } from '~/domain/accounts.server';
import { planStatuses } from '~/domain/plans.server';
import { unitName } from '~/domain/units.server';
import { listWeeks } from '~/domain/weeks.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { planStatusLabel, unitKindLabel } from '~/i18n/labels';
import { requireAnyRole } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAnyRole(request, ['organiser']);
  const db = getDb();
  const locale = detectLocale(request);
  const weeks = await listWeeks(db);
  const year = Number(new URL(request.url).searchParams.get('year')) || weeks[0]?.year || new Date().getFullYear();
  const units = await unitsWithRole(db, user.id, 'organiser');
  const status = await planStatuses(
    db,
    units.map((u) => u.id),
    year,
  );
  return json({
    title: getT(locale)('common.nav.organise'),
    year,
    weeks: weeks.map((w) => w.year),
    units: units
      .slice(0, 500)
      .map((u) => ({ slug: u.slug, name: unitName(u, locale), kind: u.kind, depth: u.depth, status: status.get(u.id) ?? null })),
  });
}

export default function Organise() {
  const { year, weeks, units } = useLoaderData<typeof loader>();
  const { t } = useT();
  const minDepth = Math.min(...units.map((u) => u.depth));
  return (
    <>
      <h1>{t('common.nav.organise')}</h1>
      <form method="get" className="actions">
        <label htmlFor="year">{t('weeks.chooseYear')}</label>
        <select id="year" name="year" defaultValue={year}>
          {weeks.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary">
          {t('common.show')}
        </button>
      </form>
      <nav aria-label={t('common.nav.organise')}>
        <ul>
          <li>
            <Link to={`/weeks/${year}/reports`}>{t('weeks.reportsLink', { year })}</Link>
          </li>
          <li>
            <Link to="/honours">{t('weeks.honoursDeskLink')}</Link>
          </li>
        </ul>
      </nav>
      <h2>{t('weeks.plansFor', { year })}</h2>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('weeks.unit')}</th>
              <th scope="col">{t('weeks.planStatusLabel')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {units.map((u) => (
              <tr key={u.slug}>
                <td style={{ paddingLeft: `${0.5 + (u.depth - minDepth) * 1.1}rem` }}>
                  {u.name} <span className="muted">· {t(unitKindLabel[u.kind])}</span>
                </td>
                <td>{t(planStatusLabel[u.status ?? 'none'])}</td>
                <td>
                  <Link to={`/weeks/${year}/plans/${u.slug}/edit`}>{u.status ? t('weeks.editPlan') : t('weeks.startPlan')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
