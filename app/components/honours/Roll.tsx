import { Form, Link } from '@remix-run/react';

import { HONOUR_CATEGORIES, type HonourCategory } from '~/db/schema/honours';
import { useT } from '~/i18n/i18n';
import { formatDate } from '~/lib/dates';

import { honourCategoryLabel } from './labels';

export interface RollRow {
  id: string;
  week_year: number;
  category: HonourCategory;
  nominee_name: string;
  headline: string;
  unit: string;
  unit_slug: string;
  issued_at: string;
}

/** The roll's filters: a GET form (works without JavaScript; the URL is the shareable view). */
export function RollFilters({ category, q, years, year }: { category: string | null; q: string; years?: number[]; year?: number | null }) {
  const { t } = useT();
  return (
    <Form method="get" className="roll-filters" role="search">
      <div className="field">
        <label htmlFor="roll-category">{t('honours.fields.category')}</label>
        <select id="roll-category" name="category" defaultValue={category ?? ''}>
          <option value="">{t('honours.fields.anyCategory')}</option>
          {HONOUR_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(honourCategoryLabel[c])}
            </option>
          ))}
        </select>
      </div>
      {years ? (
        <div className="field">
          <label htmlFor="roll-year">{t('honours.fields.year')}</label>
          <select id="roll-year" name="year" defaultValue={year ?? ''}>
            <option value="">{t('honours.fields.anyYear')}</option>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="roll-q">{t('honours.fields.q')}</label>
        <input id="roll-q" name="q" type="search" defaultValue={q} maxLength={100} />
      </div>
      <button type="submit" className="secondary">
        {t('honours.fields.filter')}
      </button>
    </Form>
  );
}

export function RollList({ rows, showYear }: { rows: RollRow[]; showYear?: boolean }) {
  const { t } = useT();
  if (!rows.length) return <p>{t('honours.empty')}</p>;
  return (
    <ul className="roll">
      {rows.map((r) => (
        <li key={r.id}>
          <p className="honour-kind">
            {t(honourCategoryLabel[r.category])}
            {showYear ? ` · ${r.week_year}` : ''}
          </p>
          <h3>
            <Link to={`/honours/${r.id}`}>{r.nominee_name}</Link>
          </h3>
          <p>{r.headline}</p>
          <p className="muted">
            <Link to={`/units/${r.unit_slug}/honours`}>{r.unit}</Link> · {formatDate(r.issued_at)}
          </p>
        </li>
      ))}
    </ul>
  );
}
