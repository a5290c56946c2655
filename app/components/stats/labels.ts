import type { StatMetric } from '~/db/schema/stats';
import type { TKey } from '~/i18n/keys';

/** Each metric's label: literal keys, never built from the code. */
export const metricLabel: Record<StatMetric, TKey> = {
  participants: 'stats.metrics.participants',
  readers: 'stats.metrics.readers',
  loans: 'stats.metrics.loans',
  reading_minutes: 'stats.metrics.reading_minutes',
  enrolments: 'stats.metrics.enrolments',
  completions: 'stats.metrics.completions',
  contest_entries: 'stats.metrics.contest_entries',
  resources: 'stats.metrics.resources',
  accounts: 'stats.metrics.accounts',
  club_child: 'stats.metrics.club_child',
  club_youth: 'stats.metrics.club_youth',
  club_adult: 'stats.metrics.club_adult',
  club_senior: 'stats.metrics.club_senior',
  club_unknown: 'stats.metrics.club_unknown',
  commended: 'stats.metrics.commended',
};

/** The figures a visitor can chart by unit and by day (the club generations have their own chart). */
export const CHART_METRICS_LIST = [
  'participants',
  'readers',
  'loans',
  'reading_minutes',
  'enrolments',
  'completions',
  'contest_entries',
  'resources',
] as const;
export type ChartMetric = (typeof CHART_METRICS_LIST)[number];

/** The figures of the overview table, in order. */
export const SUMMARY_METRICS: StatMetric[] = [...CHART_METRICS_LIST, 'commended', 'accounts'];
