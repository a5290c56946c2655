/** Table types of participation statistics (issue #16 item 8), gathered into Database in db/schema.ts. */
import type { Bool01, Iso } from './foundation';

/**
 * What the statistics count, per unit and day of a Week (README, "Participation statistics"):
 * - participants / readers: people, each counted once per Week, on their first active day
 *   (readers: a loan or a reading log; participants: any loan, reading log, course enrolment,
 *   contest registration or club membership), at their home unit;
 * - loans (at the lending library), reading_minutes, enrolments and completions (at the learner's
 *   home unit), contest_entries (at the unit the entrant registered with), resources (open
 *   resources published, at their unit);
 * - club_<generation>: club memberships started during the Week, by the member's age that year;
 * - commended: exemplary self-learners approved on the Week's honour roll, at the nominating unit
 *   (stored on the Week's last day);
 * - accounts: registered accounts at their home unit (a stock, stored on the Week's last day),
 *   the denominator of the participation rate.
 */
export const STAT_METRICS = [
  'participants',
  'readers',
  'loans',
  'reading_minutes',
  'enrolments',
  'completions',
  'contest_entries',
  'club_child',
  'club_youth',
  'club_adult',
  'club_senior',
  'club_unknown',
  'resources',
  'accounts',
  'commended',
] as const;
export type StatMetric = (typeof STAT_METRICS)[number];
export const CLUB_GENERATIONS = ['club_child', 'club_youth', 'club_adult', 'club_senior', 'club_unknown'] as const;

/**
 * One pre-aggregated figure: `value` of `metric` for one unit on one day of a Week (the day in
 * Vietnam, `YYYY-MM-DD`). Written only by the statistics job (app/domain/stats/aggregate.server.ts);
 * pages add these rows up the unit tree in force for the Week and never scan the raw tables.
 */
export interface StatDailyTable {
  week_year: number;
  unit_id: string;
  day: string;
  metric: StatMetric;
  value: number;
}

/** When a Week's figures were last computed; `final` once the Week has settled (never recomputed by the job). */
export interface StatWeekRunsTable {
  week_year: number;
  computed_at: Iso;
  final: Bool01;
  rows: number;
}

export interface StatsTables {
  stat_daily: StatDailyTable;
  stat_week_runs: StatWeekRunsTable;
}
