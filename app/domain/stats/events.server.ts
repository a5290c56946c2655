/**
 * How the platform counts the events of a Week, once, for both readers of them: the statistics
 * job (per day, every unit, into `stat_daily`) and a report's pre-filled figures (the whole Week,
 * a unit's own part of the tree). Each figure is attributed to one unit:
 * - loans: the lending library;
 * - reading minutes (manual logs, the library reader's recorded reading time, class sessions) and
 *   course enrolments / completions: the person's home unit, else the club's / course's unit;
 * - contest entries: the unit the entrant registered with; resources: their unit;
 * - commended: approved honour-roll nominations of exemplary self-learners for the Week, at the
 *   nominating unit (not bound to the Week's days: approvals come after the Week).
 */
import { sql } from 'kysely';

import { toNumber } from '~/db/dialect';
import type { DB } from '~/lib/db.server';

export const EVENT_METRICS = [
  'loans',
  'reading_minutes',
  'enrolments',
  'completions',
  'contest_entries',
  'resources',
  'commended',
] as const;
export type EventMetric = (typeof EVENT_METRICS)[number];
/** The metrics bound to the days of the window (all but `commended`). */
export const DATED_METRICS = EVENT_METRICS.filter((m) => m !== 'commended');

export interface EventWindow {
  /** The Week (for `commended`). */
  year: number;
  /** Inclusive instant (ISO UTC) and exclusive end. */
  from: string;
  to: string;
  /** The same window as Vietnam days, both included (reading logs are kept by day). */
  fromDay: string;
  toDay: string;
}

export interface EventCount {
  unit: string | null;
  metric: EventMetric;
  value: number;
}

const coalesce = (a: string, b: string) => sql<string | null>`coalesce(${sql.ref(a)}, ${sql.ref(b)})`;

/**
 * Counts of `metrics` in the window, per attributed unit; only for `unitIds` when given (a few
 * units per call: a report's own part of the tree).
 */
export async function countEvents(
  db: DB,
  w: EventWindow,
  unitIds?: string[],
  metrics: readonly EventMetric[] = EVENT_METRICS,
): Promise<EventCount[]> {
  if (unitIds && !unitIds.length) return [];
  const want = new Set(metrics);
  const jobs: Array<Promise<EventCount[]>> = [];
  const rows = (metric: EventMetric) => (rs: Array<{ unit: string | null; n: unknown }>) =>
    rs.map((r) => ({ unit: r.unit, metric, value: toNumber(r.n as number | string | null) })).filter((r) => r.value > 0);

  if (want.has('loans')) {
    let q = db
      .selectFrom('lib_loans')
      .select(['library_id as unit', (e) => e.fn.countAll().as('n')])
      .where('borrowed_at', '>=', w.from)
      .where('borrowed_at', '<', w.to)
      .groupBy('library_id');
    if (unitIds) q = q.where('library_id', 'in', unitIds);
    jobs.push(q.execute().then(rows('loans')));
  }
  for (const [metric, column] of [
    ['enrolments', 'e.enrolled_at'],
    ['completions', 'e.completed_at'],
  ] as const) {
    if (!want.has(metric)) continue;
    const unit = coalesce('u.home_unit_id', 'c.unit_id');
    let q = db
      .selectFrom('course_enrolments as e')
      .innerJoin('users as u', 'u.id', 'e.user_id')
      .innerJoin('courses as c', 'c.id', 'e.course_id')
      .select([unit.as('unit'), (e) => e.fn.countAll().as('n')])
      .where(column, '>=', w.from)
      .where(column, '<', w.to)
      .groupBy(unit);
    if (unitIds) q = q.where(unit, 'in', unitIds);
    jobs.push(q.execute().then(rows(metric)));
  }
  if (want.has('reading_minutes')) {
    const unit = coalesce('u.home_unit_id', 'c.unit_id');
    let q = db
      .selectFrom('reading_logs as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .leftJoin('club_clubs as c', 'c.id', 'r.club_id')
      .select([unit.as('unit'), (e) => e.fn.sum<number | string>('r.minutes').as('n')])
      .where('r.read_on', '>=', w.fromDay)
      .where('r.read_on', '<=', w.toDay)
      .groupBy(unit);
    if (unitIds) q = q.where(unit, 'in', unitIds);
    jobs.push(q.execute().then(rows('reading_minutes')));
  }
  if (want.has('contest_entries')) {
    let q = db
      .selectFrom('contest_entrants')
      .select(['unit_id as unit', (e) => e.fn.countAll().as('n')])
      .where('registered_at', '>=', w.from)
      .where('registered_at', '<', w.to)
      .groupBy('unit_id');
    if (unitIds) q = q.where('unit_id', 'in', unitIds);
    jobs.push(q.execute().then(rows('contest_entries')));
  }
  if (want.has('resources')) {
    let q = db
      .selectFrom('resources')
      .select(['unit_id as unit', (e) => e.fn.countAll().as('n')])
      .where('status', '=', 'published')
      .where('published_at', '>=', w.from)
      .where('published_at', '<', w.to)
      .groupBy('unit_id');
    if (unitIds) q = q.where('unit_id', 'in', unitIds);
    jobs.push(q.execute().then(rows('resources')));
  }
  if (want.has('commended')) {
    let q = db
      .selectFrom('honour_nominations')
      .select(['unit_id as unit', (e) => e.fn.countAll().as('n')])
      .where('week_year', '=', w.year)
      .where('status', '=', 'approved')
      .where('category', '=', 'self_learner')
      .groupBy('unit_id');
    if (unitIds) q = q.where('unit_id', 'in', unitIds);
    jobs.push(q.execute().then(rows('commended')));
  }
  return (await Promise.all(jobs)).flat();
}

/** Totals per metric over every unit of the counts (a report's figure for its own part). */
export function totalsOf(counts: EventCount[]): Record<EventMetric, number> {
  const out = Object.fromEntries(EVENT_METRICS.map((m) => [m, 0])) as Record<EventMetric, number>;
  for (const c of counts) out[c.metric] += c.value;
  return out;
}
