/**
 * Figures the platform already knows, for a set of units (a unit's own part of the Week's tree)
 * and the Week's dates (its first to last day, Vietnam time): an indicator whose `source` is one of
 * these arrives pre-filled, and the report shows what the platform counted next to what was typed.
 */
import { sql } from 'kysely';

import { toNumber } from '~/db/dialect';
import { ACTIVITY_KINDS, type ActivityKind } from '~/db/schema';
import { countEvents, totalsOf } from '~/domain/stats/events.server';
import type { DB } from '~/lib/db.server';

export const PREFILL_SOURCES = [
  'opening.held',
  'activities.all',
  'activities.ceremony',
  'activities.talk',
  'activities.exhibition',
  'activities.training',
  'activities.contest',
  'activities.club_meeting',
  'activities.outreach',
  'loans',
  'online.learners',
  'course.enrolments',
  'course.completions',
  'contest.entrants',
  'contest.winners',
  'club.meetings',
  'club.attendance',
  'resources.published',
  'reading.minutes',
  'honours.commended',
] as const;
export type PrefillSource = (typeof PREFILL_SOURCES)[number];

export function isPrefillSource(s: string): s is PrefillSource {
  return (PREFILL_SOURCES as readonly string[]).includes(s);
}

export interface WeekRange {
  year: number;
  /** Inclusive, ISO UTC: the first day at 00:00 in Vietnam. */
  from: string;
  /** Exclusive, ISO UTC: the day after the last at 00:00 in Vietnam. */
  to: string;
  /** The first and last days (Vietnam, `YYYY-MM-DD`). */
  fromDay: string;
  toDay: string;
}

export function weekRange(year: number, startsOn: string, endsOn: string): WeekRange {
  const from = new Date(`${startsOn}T00:00:00+07:00`);
  const to = new Date(new Date(`${endsOn}T00:00:00+07:00`).getTime() + 24 * 3600 * 1000);
  return { year, from: from.toISOString(), to: to.toISOString(), fromDay: startsOn, toDay: endsOn };
}

const n = sql<number>`count(*)`;

/**
 * Every source's figure for the units (one query per kind of record; a few units per call —
 * a ward's own part — so `in (…)` lists stay short).
 */
export async function platformFigures(db: DB, unitIds: string[], range: WeekRange): Promise<Record<PrefillSource, number>> {
  const out = Object.fromEntries(PREFILL_SOURCES.map((s) => [s, 0])) as Record<PrefillSource, number>;
  if (!unitIds.length) return out;
  const { from, to } = range;
  const [acts, events, learners, winners, meetings, attended] = await Promise.all([
    db
      .selectFrom('plan_activities as a')
      .innerJoin('plans as p', 'p.id', 'a.plan_id')
      .select(['a.kind', n.as('n')])
      .where('p.week_year', '=', range.year)
      .where('p.status', '=', 'published')
      .where('p.unit_id', 'in', unitIds)
      .groupBy('a.kind')
      .execute(),
    countEvents(db, range, unitIds).then(totalsOf),
    db
      .selectFrom('course_enrolments as e')
      .innerJoin('courses as c', 'c.id', 'e.course_id')
      .select(sql<number>`count(distinct e.user_id)`.as('n'))
      .where('c.unit_id', 'in', unitIds)
      .where((eb) =>
        eb.or([
          eb.and([eb('e.enrolled_at', '>=', from), eb('e.enrolled_at', '<', to)]),
          eb.and([eb('e.last_seen_at', '>=', from), eb('e.last_seen_at', '<', to)]),
        ]),
      )
      .executeTakeFirst(),
    db
      .selectFrom('contest_results')
      .select(sql<number>`count(distinct user_id)`.as('n'))
      .where('unit_id', 'in', unitIds)
      .where('prize_id', 'is not', null)
      .where('submitted_at', '>=', from)
      .where('submitted_at', '<', to)
      .executeTakeFirst(),
    db
      .selectFrom('club_meetings as m')
      .innerJoin('club_clubs as c', 'c.id', 'm.club_id')
      .select(n.as('n'))
      .where('c.unit_id', 'in', unitIds)
      .where('m.status', '=', 'scheduled')
      .where('m.starts_at', '>=', from)
      .where('m.starts_at', '<', to)
      .executeTakeFirst(),
    db
      .selectFrom('club_rsvps as r')
      .innerJoin('club_meetings as m', 'm.id', 'r.meeting_id')
      .innerJoin('club_clubs as c', 'c.id', 'm.club_id')
      .select(n.as('n'))
      .where('c.unit_id', 'in', unitIds)
      .where('m.status', '=', 'scheduled')
      .where('r.attended', '=', 1)
      .where('m.starts_at', '>=', from)
      .where('m.starts_at', '<', to)
      .executeTakeFirst(),
  ]);
  let all = 0;
  for (const a of acts) {
    const k = a.kind as ActivityKind;
    const v = toNumber(a.n);
    all += v;
    if (ACTIVITY_KINDS.includes(k)) out[`activities.${k}`] = v;
  }
  out['activities.all'] = all;
  out['opening.held'] = out['activities.ceremony'] > 0 ? 1 : 0;
  // Counted by the same function as the statistics job (app/domain/stats/events.server.ts).
  out.loans = events.loans;
  out['course.enrolments'] = events.enrolments;
  out['course.completions'] = events.completions;
  out['contest.entrants'] = events.contest_entries;
  out['resources.published'] = events.resources;
  out['reading.minutes'] = events.reading_minutes;
  out['honours.commended'] = events.commended;
  out['online.learners'] = toNumber(learners?.n);
  out['contest.winners'] = toNumber(winners?.n);
  out['club.meetings'] = toNumber(meetings?.n);
  out['club.attendance'] = toNumber(attended?.n);
  return out;
}
