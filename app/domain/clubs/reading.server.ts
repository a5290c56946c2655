/**
 * Reading logs (nhật ký đọc), streaks, challenges and the school reading-time rule.
 *
 * A log is a day (in Vietnam), minutes, and what was read; a family pair logs once for both.
 * No one logs more than 24 hours in a day, partner included: the check runs inside a write
 * transaction so two tabs cannot both squeeze under the limit.
 */
import { sql } from 'kysely';

import { toNumber, writeTransaction } from '~/db/dialect';
import type { ChallengeKind } from '~/db/schema/clubs';
import { hasRole } from '~/domain/accounts.server';
import { todayInVietnam } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';

export const MAX_MINUTES_PER_DAY = 24 * 60;
const DAY_MS = 86_400_000;

export type LogInput = {
  readOn: string;
  minutes: number;
  titleId?: string | null;
  outsideTitle?: string | null;
  partnerUserId?: string | null;
  clubId?: string | null;
  source?: 'manual' | 'reader' | 'class';
  sessionId?: string | null;
};

export type LogError = 'future_date' | 'too_old' | 'day_full' | 'bad_minutes' | 'not_partner';

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Minutes a person read on a day, their own logs and those logged with them: two sums, each on its
 * own index ((user_id, read_on) and (partner_user_id, read_on)) — one `user_id = ? or
 * partner_user_id = ?` let the planner read every log of the day instead. No log has the same
 * person on both sides (a pair is two people), so the sums do not overlap.
 */
async function minutesOn(db: DB, userId: string, day: string): Promise<number> {
  const sum = (column: 'user_id' | 'partner_user_id') =>
    db
      .selectFrom('reading_logs')
      .select(sql<number>`coalesce(sum(minutes), 0)`.as('m'))
      .where(column, '=', userId)
      .where('read_on', '=', day)
      .executeTakeFirstOrThrow();
  const own = await sum('user_id');
  const shared = await sum('partner_user_id');
  return toNumber(own.m) + toNumber(shared.m);
}

/** True when the two people are an accepted reading pair (in either direction, any club). */
export async function arePaired(db: DB, a: string, b: string): Promise<boolean> {
  const row = await db
    .selectFrom('club_pairs')
    .select('id')
    .where('status', '=', 'accepted')
    .where((eb) =>
      eb.or([eb.and([eb('inviter_id', '=', a), eb('invitee_id', '=', b)]), eb.and([eb('inviter_id', '=', b), eb('invitee_id', '=', a)])]),
    )
    .executeTakeFirst();
  return !!row;
}

export async function logReading(db: DB, userId: string, input: LogInput, now = new Date()): Promise<Result<{ id: string }, LogError>> {
  const today = todayInVietnam(now);
  if (!Number.isInteger(input.minutes) || input.minutes <= 0 || input.minutes > MAX_MINUTES_PER_DAY) return err('bad_minutes');
  if (input.readOn > today) return err('future_date');
  if (input.readOn < addDays(today, -60)) return err('too_old');
  if (input.partnerUserId && !(await arePaired(db, userId, input.partnerUserId))) return err('not_partner');
  return writeTransaction(db, async (trx) => {
    for (const who of [userId, input.partnerUserId].filter((x): x is string => !!x)) {
      if ((await minutesOn(trx, who, input.readOn)) + input.minutes > MAX_MINUTES_PER_DAY) return err('day_full');
    }
    const id = newId();
    await trx
      .insertInto('reading_logs')
      .values({
        id,
        user_id: userId,
        read_on: input.readOn,
        minutes: input.minutes,
        title_id: input.titleId ?? null,
        outside_title: input.outsideTitle?.trim() || null,
        partner_user_id: input.partnerUserId ?? null,
        club_id: input.clubId ?? null,
        source: input.source ?? 'manual',
        session_id: input.sessionId ?? null,
        created_at: nowIso(),
      })
      .execute();
    return ok({ id });
  });
}

export async function deleteLog(db: DB, userId: string, logId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('reading_logs')
    .where('id', '=', logId)
    .where('user_id', '=', userId)
    .where('source', '!=', 'class')
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Daily minutes of a person (their own logs and those logged with them) over [from, to]. */
export async function dailyMinutes(db: DB, userId: string, from: string, to: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('reading_logs')
    .select(['read_on', sql<number>`sum(minutes)`.as('m')])
    .where((eb) => eb.or([eb('user_id', '=', userId), eb('partner_user_id', '=', userId)]))
    .where('read_on', '>=', from)
    .where('read_on', '<=', to)
    .groupBy('read_on')
    .execute();
  return new Map(rows.map((r) => [r.read_on, toNumber(r.m)]));
}

/** Days in a row with reading, ending today (or yesterday, so a streak is not lost before today's reading). */
export async function streak(db: DB, userId: string, now = new Date()): Promise<number> {
  const today = todayInVietnam(now);
  const days = await dailyMinutes(db, userId, addDays(today, -366), today);
  let day = days.has(today) ? today : addDays(today, -1);
  let n = 0;
  while (days.has(day)) {
    n++;
    day = addDays(day, -1);
  }
  return n;
}

export async function myLogs(db: DB, userId: string, limit = 50) {
  return db
    .selectFrom('reading_logs as l')
    .leftJoin('lib_titles as t', 't.id', 'l.title_id')
    .leftJoin('users as p', 'p.id', 'l.partner_user_id')
    .leftJoin('users as o', 'o.id', 'l.user_id')
    .select([
      'l.id',
      'l.user_id',
      'l.read_on',
      'l.minutes',
      'l.source',
      'l.outside_title',
      't.title',
      't.slug',
      'p.display_name as partner_name',
      'o.display_name as logged_by',
    ])
    .where((eb) => eb.or([eb('l.user_id', '=', userId), eb('l.partner_user_id', '=', userId)]))
    .orderBy('l.read_on', 'desc')
    .orderBy('l.created_at', 'desc')
    .limit(limit)
    .execute();
}

// ---- challenges ----

export type ChallengeInput = {
  unitId?: string | null;
  clubId?: string | null;
  name: string;
  kind: ChallengeKind;
  target: number;
  startsOn: string;
  endsOn: string;
};
export type ChallengeError = 'forbidden' | 'ends_before_start' | 'not_found' | 'ended';

export async function createChallenge(db: DB, userId: string, input: ChallengeInput): Promise<Result<{ id: string }, ChallengeError>> {
  if (input.endsOn < input.startsOn) return err('ends_before_start');
  if (input.clubId) {
    const m = await db
      .selectFrom('club_members')
      .select('role')
      .where('club_id', '=', input.clubId)
      .where('user_id', '=', userId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (m?.role !== 'moderator') return err('forbidden');
  } else if (!input.unitId) {
    return err('forbidden');
  } else {
    const allowed =
      (await hasRole(db, userId, input.unitId, 'organiser')) ||
      (await hasRole(db, userId, input.unitId, 'teacher')) ||
      (await hasRole(db, userId, input.unitId, 'librarian'));
    if (!allowed) return err('forbidden');
  }
  const id = newId();
  await db
    .insertInto('reading_challenges')
    .values({
      id,
      unit_id: input.unitId ?? null,
      club_id: input.clubId ?? null,
      name: input.name.trim(),
      kind: input.kind,
      target: input.target,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      created_by: userId,
      created_at: nowIso(),
    })
    .execute();
  return ok({ id });
}

export async function joinChallenge(
  db: DB,
  userId: string,
  challengeId: string,
  now = new Date(),
): Promise<Result<undefined, ChallengeError>> {
  const c = await db.selectFrom('reading_challenges').select(['ends_on']).where('id', '=', challengeId).executeTakeFirst();
  if (!c) return err('not_found');
  if (c.ends_on < todayInVietnam(now)) return err('ended');
  await db
    .insertInto('reading_challenge_members')
    .values({ challenge_id: challengeId, user_id: userId, joined_at: nowIso(), completed_at: null })
    .onConflict((oc) => oc.columns(['challenge_id', 'user_id']).doNothing())
    .execute();
  return ok();
}

export type ChallengeProgress = { done: number; target: number; percent: number; complete: boolean };

/**
 * Progress in a challenge over its period: minutes in all; days that reached the daily minutes
 * (target = minutes a day, complete when every day of the period so far… up to its end reached it);
 * or distinct books read (library titles or outside titles).
 */
export async function challengeProgress(db: DB, userId: string, challengeId: string, now = new Date()): Promise<ChallengeProgress | null> {
  const c = await db.selectFrom('reading_challenges').selectAll().where('id', '=', challengeId).executeTakeFirst();
  if (!c) return null;
  const days = await dailyMinutes(db, userId, c.starts_on, c.ends_on);
  let done = 0;
  let target = c.target;
  if (c.kind === 'minutes_total') {
    for (const m of days.values()) done += m;
  } else if (c.kind === 'minutes_per_day') {
    const total = Math.round((Date.parse(c.ends_on) - Date.parse(c.starts_on)) / DAY_MS) + 1;
    target = total;
    for (const m of days.values()) if (m >= c.target) done++;
  } else {
    const rows = await db
      .selectFrom('reading_logs')
      .select(['title_id', 'outside_title'])
      .where((eb) => eb.or([eb('user_id', '=', userId), eb('partner_user_id', '=', userId)]))
      .where('read_on', '>=', c.starts_on)
      .where('read_on', '<=', c.ends_on)
      .execute();
    done = new Set(rows.map((r) => r.title_id ?? (r.outside_title ? `o:${r.outside_title.toLowerCase()}` : null)).filter(Boolean)).size;
  }
  void now;
  const complete = done >= target;
  return { done, target, percent: Math.min(100, Math.round((done / target) * 100)), complete };
}

/* Finishing a challenge (marking finishers and issuing their certificates) is in ./challenges.server.ts. */

// ---- the school reading-time rule ----

export type RuleInput = { minutes: number; period: 'day' | 'week'; weekdays: number[] };
export type RuleError = 'forbidden' | 'no_weekdays' | 'not_found' | 'not_teacher';

async function canRunSchool(db: DB, userId: string, unitId: string) {
  return (await hasRole(db, userId, unitId, 'teacher')) || (await hasRole(db, userId, unitId, 'organiser'));
}

export async function setReadingRule(db: DB, userId: string, schoolId: string, rule: RuleInput): Promise<Result<undefined, RuleError>> {
  if (!(await canRunSchool(db, userId, schoolId))) return err('forbidden');
  const days = [...new Set(rule.weekdays.filter((d) => d >= 1 && d <= 7))].sort();
  if (!days.length) return err('no_weekdays');
  const v = { minutes: rule.minutes, period: rule.period, weekdays: days.join(','), updated_by: userId, updated_at: nowIso() };
  await db
    .insertInto('school_reading_rules')
    .values({ unit_id: schoolId, ...v })
    .onConflict((oc) => oc.column('unit_id').doUpdateSet(v))
    .execute();
  return ok();
}

export async function readingRule(db: DB, schoolId: string) {
  return db.selectFrom('school_reading_rules').selectAll().where('unit_id', '=', schoolId).executeTakeFirst();
}

/**
 * A teacher records a class reading session for a class bookshelf: one log per present student
 * (everyone ticked by default in the form), in one transaction.
 */
export async function recordClassSession(
  db: DB,
  teacherId: string,
  input: { shelfId: string; readOn: string; minutes: number; present: string[] },
  now = new Date(),
): Promise<Result<{ id: string; logged: number }, RuleError | LogError>> {
  const shelf = await db
    .selectFrom('lib_shelves')
    .select(['id', 'unit_id', 'teacher_id'])
    .where('id', '=', input.shelfId)
    .executeTakeFirst();
  if (!shelf) return err('not_found');
  if (shelf.teacher_id !== teacherId && !(await canRunSchool(db, teacherId, shelf.unit_id))) return err('not_teacher');
  if (!Number.isInteger(input.minutes) || input.minutes <= 0 || input.minutes > 600) return err('bad_minutes');
  if (input.readOn > todayInVietnam(now)) return err('future_date');
  const members = new Set(
    (await db.selectFrom('lib_shelf_members').select('user_id').where('shelf_id', '=', input.shelfId).execute()).map((m) => m.user_id),
  );
  const present = input.present.filter((p) => members.has(p));
  const id = newId();
  await db.transaction().execute(async (trx) => {
    const stamp = nowIso();
    await trx
      .insertInto('class_reading_sessions')
      .values({ id, shelf_id: input.shelfId, read_on: input.readOn, minutes: input.minutes, recorded_by: teacherId, created_at: stamp })
      .execute();
    for (const uid of present) {
      await trx
        .insertInto('reading_logs')
        .values({
          id: newId(),
          user_id: uid,
          read_on: input.readOn,
          minutes: input.minutes,
          title_id: null,
          outside_title: null,
          partner_user_id: null,
          club_id: null,
          source: 'class',
          session_id: id,
          created_at: stamp,
        })
        .execute();
    }
  });
  return ok({ id, logged: present.length });
}

function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Monday of the week of `day` (YYYY-MM-DD). */
export function weekStart(day: string): string {
  return addDays(day, 1 - isoWeekday(day));
}

export type Compliance = {
  userId: string;
  name: string;
  week: { read: number; required: number };
  month: { read: number; required: number };
};

/**
 * How far each student of a class bookshelf is from the school's rule this week and this month
 * (so far, up to today): required = minutes × rule days elapsed (per day), or minutes × weeks
 * (per week).
 */
export async function classCompliance(
  db: DB,
  shelfId: string,
  now = new Date(),
): Promise<{ rule: RuleInput | null; students: Compliance[] }> {
  const shelf = await db.selectFrom('lib_shelves').select(['unit_id']).where('id', '=', shelfId).executeTakeFirst();
  if (!shelf) return { rule: null, students: [] };
  const ancestors = await db
    .selectFrom('unit_closure')
    .select('ancestor_id')
    .where('descendant_id', '=', shelf.unit_id)
    .orderBy('depth')
    .execute();
  let ruleRow = null;
  for (const a of ancestors) {
    ruleRow = await readingRule(db, a.ancestor_id);
    if (ruleRow) break;
  }
  const students = await db
    .selectFrom('lib_shelf_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.display_name'])
    .where('m.shelf_id', '=', shelfId)
    .orderBy('u.display_name')
    .execute();
  if (!ruleRow) return { rule: null, students: [] };
  const rule: RuleInput = { minutes: ruleRow.minutes, period: ruleRow.period, weekdays: ruleRow.weekdays.split(',').map(Number) };
  const today = todayInVietnam(now);
  const wStart = weekStart(today);
  const mStart = `${today.slice(0, 8)}01`;
  const required = (from: string) => {
    if (rule.period === 'week') {
      let weeks = 0;
      for (let d = weekStart(from); d <= today; d = addDays(d, 7)) weeks++;
      return weeks * rule.minutes;
    }
    let days = 0;
    for (let d = from; d <= today; d = addDays(d, 1)) if (rule.weekdays.includes(isoWeekday(d))) days++;
    return days * rule.minutes;
  };
  const out: Compliance[] = [];
  for (const s of students) {
    const daily = await dailyMinutes(db, s.id, mStart < wStart ? mStart : wStart, today);
    let week = 0;
    let month = 0;
    for (const [d, m] of daily) {
      if (d >= wStart) week += m;
      if (d >= mStart) month += m;
    }
    out.push({
      userId: s.id,
      name: s.display_name,
      week: { read: week, required: required(wStart) },
      month: { read: month, required: required(mStart) },
    });
  }
  return { rule, students: out };
}
