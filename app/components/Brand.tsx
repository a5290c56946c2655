import { useT } from '~/i18n/i18n';

import { LayoutLink } from './layout-links';

export interface BrandWeek {
  year: number;
  status: 'current' | 'upcoming';
}

/**
 * The site's identity in the header: the Week's emblem (the same star as the favicon), its name,
 * and the year of the Week under way or coming (none between a past Week and the next one's
 * creation, so an old year never reads as current).
 */
export function Brand({ week }: { week: BrandWeek | null | undefined }) {
  const { t } = useT();
  return (
    <LayoutLink to="/" className="brand">
      <svg className="brand-logo" viewBox="0 0 32 32" width="30" height="30" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="6" fill="#0b5d3b" stroke="#ffd76a" strokeWidth="1.5" />
        <path d="M16 5l3 8h8l-6.5 5 2.5 8-7-5-7 5 2.5-8L5 13h8z" fill="#ffd76a" />
      </svg>
      <span className="brand-name">{t('common.siteName')}</span>
      {week ? (
        <span
          className="brand-week"
          title={t(week.status === 'current' ? 'common.brandCurrent' : 'common.brandUpcoming', { year: week.year })}
        >
          {week.year}
        </span>
      ) : null}
    </LayoutLink>
  );
}
