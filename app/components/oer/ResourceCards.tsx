import { Link } from '@remix-run/react';

import { useT } from '~/i18n/i18n';
import { labelText, resourceKindLabel, resourceLevelLabel } from '~/i18n/labels';
import { pickLocal } from '~/lib/names';

import { LicenceBadge } from './LicenceBadge';

export interface CardData {
  id: string;
  kind: string;
  title: string;
  summary: string;
  level: string;
  licence: string;
  thumbnail_key: string | null;
  unit_name: string;
  unit_name_en: string | null;
}

/** A grid of published resources (lists, unit pages, Week pages). */
export function ResourceCards({ rows, headingLevel = 3 }: { rows: CardData[]; headingLevel?: 2 | 3 }) {
  const { t, locale } = useT();
  const H = `h${headingLevel}` as 'h3';
  if (!rows.length) return <p className="muted">{t('oer.noResources')}</p>;
  return (
    <ul className="grid oer-cards" style={{ listStyle: 'none', padding: 0 }}>
      {rows.map((r) => (
        <li key={r.id} className="card oer-card">
          {r.thumbnail_key ? <img src={`/resources/${r.id}/file/thumbnail`} alt="" loading="lazy" width={320} height={180} /> : null}
          <H>
            <Link to={`/resources/${r.id}`}>{r.title}</Link>
          </H>
          <p className="oer-meta">
            <span className="badge">{labelText(t, resourceKindLabel, r.kind)}</span>
            <span className="badge">{labelText(t, resourceLevelLabel, r.level)}</span>
            <LicenceBadge licence={r.licence} />
          </p>
          <p className="muted">{pickLocal(r.unit_name, r.unit_name_en, locale)}</p>
          <p>{r.summary.length > 180 ? `${r.summary.slice(0, 177)}…` : r.summary}</p>
        </li>
      ))}
    </ul>
  );
}

/** The Week page's block: resources tagged with the year. Data from `weekResourcesData(db, year)`. */
export function WeekResources({ year, rows }: { year: number; rows: CardData[] }) {
  const { t } = useT();
  if (!rows.length) return null;
  return (
    <section aria-labelledby="week-resources">
      <h2 id="week-resources">{t('oer.weekResources', { year })}</h2>
      <ResourceCards rows={rows} />
      <p>
        <Link to={`/resources?year=${year}`}>{t('oer.weekResourcesMore', { year })}</Link>
      </p>
    </section>
  );
}
