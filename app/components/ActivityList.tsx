import { Link } from '@remix-run/react';

import { useT } from '~/i18n/i18n';
import { activityKindLabel, labelText } from '~/i18n/labels-core';
import { formatDateTime, formatTime } from '~/lib/dates-format';
import { pickLocal } from '~/lib/names';

export interface ActivityView {
  id: string;
  title: string;
  kind: string;
  starts_at: string;
  ends_at: string;
  place: string;
  online_url: string | null;
  audience?: string;
  unit_name?: string;
  unit_name_en?: string | null;
  unit_slug?: string;
}

function sameDay(a: string, b: string) {
  return formatDateTime(a).slice(0, 10) === formatDateTime(b).slice(0, 10);
}

export function ActivityList({ activities, showUnit = false, year }: { activities: ActivityView[]; showUnit?: boolean; year?: number }) {
  const { t, locale } = useT();
  return (
    <ol className="activity-list">
      {activities.map((a) => (
        <li key={a.id}>
          <h3>{a.title}</h3>
          <p className="muted">
            <span className="badge">{labelText(t, activityKindLabel, a.kind)}</span>{' '}
            <time dateTime={a.starts_at}>{formatDateTime(a.starts_at)}</time> –{' '}
            <time dateTime={a.ends_at}>{sameDay(a.starts_at, a.ends_at) ? formatTime(a.ends_at) : formatDateTime(a.ends_at)}</time>
          </p>
          <p>
            {t('weeks.where')}: {a.place}
            {a.online_url ? (
              <>
                {' · '}
                <a href={a.online_url} rel="noopener noreferrer" target="_blank">
                  {t('weeks.joinOnline')}
                </a>
              </>
            ) : null}
          </p>
          {a.audience ? (
            <p className="muted">
              {t('weeks.audience')}: {a.audience}
            </p>
          ) : null}
          {showUnit && a.unit_slug ? (
            <p className="muted">
              <Link to={year ? `/weeks/${year}/plans/${a.unit_slug}` : `/units/${a.unit_slug}`}>
                {pickLocal(a.unit_name ?? '', a.unit_name_en, locale)}
              </Link>
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
