import { sql } from 'kysely';

import { isPostgres, toNumber, writeTransaction } from '~/db/dialect';
import type { StatMetric } from '~/db/schema';
import { todayInVietnam } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { bumpCache } from '~/lib/page-cache.server';

import { countEvents, DATED_METRICS } from './events.server';
import { unitResolver } from './resolve.server';

/**
 * The statistics job: turns the raw rows of a Week (loans, reading logs, enrolments, contest
 * registrations, club memberships, published resources, accounts) into daily counts per unit in
 * `stat_daily`, once per Week and day. Pages read only those counts.
 *
 * - Idempotent: a Week is recomputed whole inside one transaction (its rows deleted, then written),
 *   so running it twice leaves the same rows.
 * - Incremental: the periodic job recomputes only Weeks that have begun and are not final; a Week
 *   becomes final once SETTLE_DAYS have passed after its last day (late reading logs and
 *   corrections are in by then) and is not read again by the job. `backfillStats` recomputes any
 *   Week on demand (the CLI, the demo seed, after an import of old data).
 * - Every figure is recorded against the unit that stood for it in the tree in force on the Week's
 *   first day (`unitResolver`), so the roll-up follows that Week's tree.
 */
export const SETTLE_DAYS = 14;

type Row = { week_year: number; unit_id: string; day: string; metric: StatMetric; value: number };

/** `YYYY-MM-DD` + n days. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < 366; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The UTC instants bounding a day in Vietnam (UTC+7, no daylight saving): [lo, hi). */
export function dayBounds(day: string): [string, string] {
  return [`${addDays(day, -1)}T17:00:00.000Z`, `${day}T17:00:00.000Z`];
}

/** The day in Vietnam of an ISO instant. */
export function vietnamDay(iso: string): string {
  return new Date(new Date(iso).getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

export function generationOf(birthYear: number | null, year: number): StatMetric {
  if (birthYear == null || birthYear <= 1900) return 'club_unknown';
  const age = year - birthYear;
  if (age < 16) return 'club_child';
  if (age <= 30) return 'club_youth';
  if (age < 60) return 'club_adult';
  return 'club_senior';
}

const coalesce = (a: string, b: string) => sql<string | null>`coalesce(${sql.ref(a)}, ${sql.ref(b)})`;

/** Computes the rows of one Week (nothing written). */
export async function computeWeekRows(db: DB, year: number): Promise<Row[]> {
  const week = await db.selectFrom('weeks').select(['year', 'starts_on', 'ends_on']).where('year', '=', year).executeTakeFirst();
  if (!week) return [];
  const resolve = await unitResolver(db, week.starts_on);
  const acc = new Map<string, Row>();
  const add = (unitId: string | null | undefined, day: string, metric: StatMetric, value: number) => {
    if (!value) return;
    const unit = resolve(unitId);
    const key = `${unit}|${day}|${metric}`;
    const r = acc.get(key);
    if (r) r.value += value;
    else acc.set(key, { week_year: year, unit_id: unit, day, metric, value });
  };

  const days = daysBetween(week.starts_on, week.ends_on);
  for (const day of days) {
    const [lo, hi] = dayBounds(day);
    const [events, joins] = await Promise.all([
      countEvents(db, { year, from: lo, to: hi, fromDay: day, toDay: day }, undefined, DATED_METRICS),
      db
        .selectFrom('club_members as m')
        .innerJoin('club_clubs as c', 'c.id', 'm.club_id')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select([coalesce('u.home_unit_id', 'c.unit_id').as('unit'), 'u.birth_year', (e) => e.fn.countAll().as('n')])
        .where('m.status', 'in', ['active', 'left'])
        .where('m.joined_at', '>=', lo)
        .where('m.joined_at', '<', hi)
        .groupBy([coalesce('u.home_unit_id', 'c.unit_id'), 'u.birth_year'])
        .execute(),
    ]);
    for (const r of events) add(r.unit, day, r.metric, r.value);
    for (const r of joins) add(r.unit, day, generationOf(r.birth_year, year), toNumber(r.n));
  }

  // Commendations belong to the Week, not to a day: recorded on its last day.
  const [weekLo] = dayBounds(week.starts_on);
  const [, weekHi] = dayBounds(week.ends_on);
  const window = { year, from: weekLo, to: weekHi, fromDay: week.starts_on, toDay: week.ends_on };
  for (const r of await countEvents(db, window, undefined, ['commended'])) add(r.unit, week.ends_on, r.metric, r.value);

  // People, each once per Week, on their first active day, at their home unit.
  const [lo] = dayBounds(week.starts_on);
  const [, hi] = dayBounds(week.ends_on);
  const firstIso = (rows: Array<{ user_id: string; first: string | null }>) =>
    rows.filter((r) => r.first).map((r) => ({ user: r.user_id, day: vietnamDay(r.first!) }));
  const [loanUsers, logUsers, enrolUsers, entrantUsers, clubUsers] = await Promise.all([
    db
      .selectFrom('lib_loans')
      .select(['user_id', (e) => e.fn.min<string>('borrowed_at').as('first')])
      .where('borrowed_at', '>=', lo)
      .where('borrowed_at', '<', hi)
      .groupBy('user_id')
      .execute()
      .then(firstIso),
    db
      .selectFrom('reading_logs')
      .select(['user_id', (e) => e.fn.min<string>('read_on').as('first')])
      .where('read_on', '>=', week.starts_on)
      .where('read_on', '<=', week.ends_on)
      .groupBy('user_id')
      .execute()
      .then((rows) => rows.map((r) => ({ user: r.user_id, day: r.first }))),
    db
      .selectFrom('course_enrolments')
      .select(['user_id', (e) => e.fn.min<string>('enrolled_at').as('first')])
      .where('enrolled_at', '>=', lo)
      .where('enrolled_at', '<', hi)
      .groupBy('user_id')
      .execute()
      .then(firstIso),
    db
      .selectFrom('contest_entrants')
      .select(['user_id', (e) => e.fn.min<string>('registered_at').as('first')])
      .where('registered_at', '>=', lo)
      .where('registered_at', '<', hi)
      .groupBy('user_id')
      .execute()
      .then(firstIso),
    db
      .selectFrom('club_members')
      .select(['user_id', (e) => e.fn.min<string>('joined_at').as('first')])
      .where('status', 'in', ['active', 'left'])
      .where('joined_at', '>=', lo)
      .where('joined_at', '<', hi)
      .groupBy('user_id')
      .execute()
      .then(firstIso),
  ]);
  const first = (lists: Array<Array<{ user: string; day: string }>>) => {
    const m = new Map<string, string>();
    for (const list of lists) for (const r of list) if (!m.has(r.user) || r.day < m.get(r.user)!) m.set(r.user, r.day);
    return m;
  };
  const readers = first([loanUsers, logUsers]);
  const participants = first([loanUsers, logUsers, enrolUsers, entrantUsers, clubUsers]);
  const people = await homesOf(db, [...participants.keys()]);
  for (const [user, day] of readers) add(people.get(user)?.home ?? null, day, 'readers', 1);
  for (const [user, day] of participants) add(people.get(user)?.home ?? null, day, 'participants', 1);

  // Accounts (the rate's denominator): registered before the Week ended, plus anyone who took
  // part in it (an account made later for an earlier participant), at their home unit.
  const accounts = await db
    .selectFrom('users')
    .select(['home_unit_id as unit', (e) => e.fn.countAll().as('n')])
    .where('created_at', '<', hi)
    .groupBy('home_unit_id')
    .execute();
  for (const r of accounts) add(r.unit, week.ends_on, 'accounts', toNumber(r.n));
  for (const p of people.values()) if (p.createdAt >= hi) add(p.home, week.ends_on, 'accounts', 1);

  return [...acc.values()];
}

async function homesOf(db: DB, ids: string[]) {
  const out = new Map<string, { home: string | null; createdAt: string }>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'home_unit_id', 'created_at'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.id, { home: r.home_unit_id, createdAt: r.created_at });
  }
  return out;
}

/** Recomputes one Week's figures and records the run; returns the number of rows written. */
export async function computeWeek(db: DB, year: number, now: Date): Promise<number> {
  const week = await db.selectFrom('weeks').select(['ends_on']).where('year', '=', year).executeTakeFirst();
  if (!week) return 0;
  const rows = await computeWeekRows(db, year);
  const final = todayInVietnam(now) > addDays(week.ends_on, SETTLE_DAYS) ? 1 : 0;
  await writeTransaction(db, async (trx) => {
    await trx.deleteFrom('stat_daily').where('week_year', '=', year).execute();
    const chunk = isPostgres(db) ? 1000 : 150; // SQLite: at most 999 bound values per statement
    for (let i = 0; i < rows.length; i += chunk)
      await trx
        .insertInto('stat_daily')
        .values(rows.slice(i, i + chunk))
        .execute();
    await trx
      .insertInto('stat_week_runs')
      .values({ week_year: year, computed_at: now.toISOString(), final, rows: rows.length })
      .onConflict((oc) => oc.column('week_year').doUpdateSet({ computed_at: now.toISOString(), final, rows: rows.length }))
      .execute();
  });
  await bumpCache(db, 'stats', year);
  return rows.length;
}

/**
 * The periodic job: every Week that has begun and is not final yet (never computed, under way,
 * or within SETTLE_DAYS of its end). Returns the years recomputed.
 */
export async function runStatsJob(db: DB, now: Date): Promise<number[]> {
  const today = todayInVietnam(now);
  const [weeks, runs] = await Promise.all([
    db.selectFrom('weeks').select(['year', 'starts_on']).orderBy('year').execute(),
    db.selectFrom('stat_week_runs').select(['week_year', 'final']).execute(),
  ]);
  const final = new Set(runs.filter((r) => r.final).map((r) => r.week_year));
  const done: number[] = [];
  for (const w of weeks) {
    if (w.starts_on > today || final.has(w.year)) continue;
    await computeWeek(db, w.year, now);
    done.push(w.year);
  }
  return done;
}

/** Recomputes the given Weeks (every Week when none given), final or not. */
export async function backfillStats(db: DB, now: Date, years?: number[]): Promise<number[]> {
  const all = (await db.selectFrom('weeks').select(['year', 'starts_on']).orderBy('year').execute()).filter(
    (w) => w.starts_on <= todayInVietnam(now),
  );
  const chosen = years?.length ? all.filter((w) => years.includes(w.year)) : all;
  for (const w of chosen) await computeWeek(db, w.year, now);
  return chosen.map((w) => w.year);
}
