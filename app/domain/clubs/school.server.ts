/**
 * The school reading-time rule (nội quy giờ đọc) as pages: the school's page shows its rule (set
 * by a teacher or organiser of the school), and for its staff, per class bookshelf, how many
 * students meet the rule this week and this month; a student sees their own figures only. A class
 * page lists each student's figures and records a class reading session in one form.
 *
 * The rule, the class session and the compliance figures are in `./reading.server.ts`.
 */
import { hasRole } from '~/domain/accounts.server';
import { todayInVietnam } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { ok, type Result } from '~/lib/result';

import { completeChallengesFor } from './challenges.server';
import { displayNameFor } from './clubs.server';
import { classCompliance, type Compliance, type LogError, readingRule, recordClassSession, type RuleError } from './reading.server';

async function isSchoolStaff(db: DB, userId: string | null, unitId: string): Promise<boolean> {
  if (!userId) return false;
  return (await hasRole(db, userId, unitId, 'teacher')) || (await hasRole(db, userId, unitId, 'organiser'));
}

/** The rule in force at a unit: its own, or the nearest ancestor's (a ward or province may set one for all its schools). */
export async function ruleInForce(db: DB, unitId: string) {
  const ancestors = await db
    .selectFrom('unit_closure')
    .select('ancestor_id')
    .where('descendant_id', '=', unitId)
    .orderBy('depth')
    .execute();
  for (const a of ancestors) {
    const r = await readingRule(db, a.ancestor_id);
    if (r) return { ...r, inherited: a.ancestor_id !== unitId };
  }
  return null;
}

function meets(c: Compliance['week']): boolean {
  return c.required === 0 || c.read >= c.required;
}

export async function schoolPage(db: DB, unitSlug: string, userId: string | null, now = new Date()) {
  const unit = await db
    .selectFrom('units')
    .select(['id', 'slug', 'name', 'name_en', 'kind'])
    .where('slug', '=', unitSlug)
    .where('valid_to', 'is', null)
    .executeTakeFirst();
  if (!unit) return { status: 'missing' as const };
  const staff = await isSchoolStaff(db, userId, unit.id);
  const rule = await ruleInForce(db, unit.id);
  const shelves = await db
    .selectFrom('lib_shelves as s')
    .innerJoin('unit_closure as uc', 'uc.descendant_id', 's.unit_id')
    .leftJoin('users as t', 't.id', 's.teacher_id')
    .select(['s.id', 's.name', 's.teacher_id', 't.display_name as teacher_name'])
    .where('uc.ancestor_id', '=', unit.id)
    .orderBy('s.name')
    .limit(300)
    .execute();
  const classes = [];
  let mine: { className: string; week: Compliance['week']; month: Compliance['month'] } | null = null;
  for (const s of shelves) {
    const isTeacher = staff || s.teacher_id === userId;
    const inClass = userId
      ? !!(await db
          .selectFrom('lib_shelf_members')
          .select('user_id')
          .where('shelf_id', '=', s.id)
          .where('user_id', '=', userId)
          .executeTakeFirst())
      : false;
    if (!isTeacher && !inClass) continue;
    const c = await classCompliance(db, s.id, now);
    if (inClass && !mine) {
      const me = c.students.find((x) => x.userId === userId);
      if (me) mine = { className: s.name, week: me.week, month: me.month };
    }
    if (isTeacher)
      classes.push({
        id: s.id,
        name: s.name,
        teacher: s.teacher_name ?? '',
        students: c.students.length,
        meetWeek: c.students.filter((x) => meets(x.week)).length,
        meetMonth: c.students.filter((x) => meets(x.month)).length,
        required: c.students[0] ? { week: c.students[0].week.required, month: c.students[0].month.required } : null,
      });
  }
  const challenges = await db
    .selectFrom('reading_challenges')
    .select(['id', 'name', 'starts_on', 'ends_on'])
    .where('unit_id', '=', unit.id)
    .where('ends_on', '>=', todayInVietnam(now))
    .orderBy('starts_on')
    .limit(20)
    .execute();
  return {
    status: 'ok' as const,
    unit: { id: unit.id, slug: unit.slug, name: unit.name, nameEn: unit.name_en, kind: unit.kind },
    canSetRule: staff,
    rule: rule
      ? {
          minutes: rule.minutes,
          period: rule.period,
          weekdays: rule.weekdays.split(',').map(Number),
          inherited: rule.inherited,
          updatedAt: rule.updated_at,
        }
      : null,
    classes,
    mine,
    challenges: challenges.map((c) => ({ id: c.id, name: c.name, startsOn: c.starts_on, endsOn: c.ends_on })),
  };
}

export async function classPage(db: DB, unitSlug: string, shelfId: string, userId: string, now = new Date()) {
  const shelf = await db
    .selectFrom('lib_shelves as s')
    .innerJoin('unit_closure as uc', 'uc.descendant_id', 's.unit_id')
    .innerJoin('units as u', 'u.id', 'uc.ancestor_id')
    .select(['s.id', 's.name', 's.unit_id', 's.teacher_id', 'u.id as school_id', 'u.name as school_name', 'u.slug as school_slug'])
    .where('s.id', '=', shelfId)
    .where('u.slug', '=', unitSlug)
    .executeTakeFirst();
  if (!shelf) return { status: 'missing' as const };
  const teacher = shelf.teacher_id === userId || (await isSchoolStaff(db, userId, shelf.unit_id));
  if (!teacher) return { status: 'forbidden' as const };
  const c = await classCompliance(db, shelf.id, now);
  const births = new Map(
    (
      await db
        .selectFrom('users')
        .select(['id', 'birth_year'])
        .where('id', 'in', c.students.map((s) => s.userId).concat(['-']))
        .execute()
    ).map((u) => [u.id, u.birth_year]),
  );
  const students = c.students.length
    ? c.students
    : (
        await db
          .selectFrom('lib_shelf_members as m')
          .innerJoin('users as u', 'u.id', 'm.user_id')
          .select(['u.id', 'u.display_name', 'u.birth_year'])
          .where('m.shelf_id', '=', shelf.id)
          .orderBy('u.display_name')
          .execute()
      ).map((u) => {
        births.set(u.id, u.birth_year);
        return { userId: u.id, name: u.display_name, week: { read: 0, required: 0 }, month: { read: 0, required: 0 } };
      });
  const sessions = await db
    .selectFrom('class_reading_sessions as s')
    .select([
      's.id',
      's.read_on',
      's.minutes',
      (eb) =>
        eb.selectFrom('reading_logs as l').select(eb.fn.countAll<number>().as('n')).whereRef('l.session_id', '=', 's.id').as('present'),
    ])
    .where('s.shelf_id', '=', shelf.id)
    .orderBy('s.read_on', 'desc')
    .limit(10)
    .execute();
  return {
    status: 'ok' as const,
    school: { slug: shelf.school_slug, name: shelf.school_name },
    shelf: { id: shelf.id, name: shelf.name },
    hasRule: !!c.rule,
    rule: c.rule,
    // The teacher sees their own students by the name the class knows them by; children never leave this page.
    students: students.map((s) => ({
      id: s.userId,
      name: s.name,
      shortName: displayNameFor(s.name, births.get(s.userId) ?? null, now),
      week: s.week,
      month: s.month,
      meetsWeek: meets(s.week),
      meetsMonth: meets(s.month),
    })),
    sessions: sessions.map((s) => ({ id: s.id, readOn: s.read_on, minutes: s.minutes, present: Number(s.present) })),
  };
}

/** Records a class session (every present student's log) and finishes the challenges it completes. */
export async function recordClassSessionAndCheck(
  db: DB,
  teacherId: string,
  input: { shelfId: string; readOn: string; minutes: number; present: string[] },
  now = new Date(),
): Promise<Result<{ logged: number }, RuleError | LogError>> {
  const r = await recordClassSession(db, teacherId, input, now);
  if (!r.ok) return r;
  for (const uid of input.present) await completeChallengesFor(db, uid, now);
  return ok({ logged: r.value.logged });
}
