/**
 * Who may see, manage and enter a contest. Used by the routes AND by every mutator of the area.
 * Organisers of the owner unit (or an ancestor: roles apply to the subtree) manage it; entrants
 * must be eligible (age, unit subtree, not an excluded role, not the contest's staff).
 */
import type { Selectable } from 'kysely';

import type { Role } from '~/db/schema';
import type { ContestsTable } from '~/db/schema/contests';
import { hasRole } from '~/domain/accounts.server';
import { todayInVietnam } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { err, ok, type Result } from '~/lib/result';

export type Contest = Selectable<ContestsTable>;

export type ContestAccess = { status: 'missing' } | { status: 'hidden' } | { status: 'ok'; contest: Contest; canManage: boolean };

export function canManageUnit(db: DB, userId: string, unitId: string): Promise<boolean> {
  return hasRole(db, userId, unitId, 'organiser');
}

export async function contestAccess(db: DB, slugOrId: { slug: string } | { id: string }, userId: string | null): Promise<ContestAccess> {
  const q = db.selectFrom('contests').selectAll();
  const contest = await ('slug' in slugOrId ? q.where('slug', '=', slugOrId.slug) : q.where('id', '=', slugOrId.id)).executeTakeFirst();
  if (!contest) return { status: 'missing' };
  const canManage = !!userId && (await canManageUnit(db, userId, contest.unit_id));
  if (contest.status !== 'published' && !canManage) return { status: 'hidden' };
  return { status: 'ok', contest, canManage };
}

/** The access object of an organiser, or a refusal: mutators that manage a contest take this. */
export async function requireManager(db: DB, contestId: string, userId: string): Promise<Result<Contest, 'not_found' | 'forbidden'>> {
  const a = await contestAccess(db, { id: contestId }, userId);
  if (a.status !== 'ok') return err('not_found');
  if (!a.canManage) return err('forbidden');
  return ok(a.contest);
}

export function excludedRoles(contest: Pick<Contest, 'excluded_roles_json'>): Role[] {
  try {
    const v = JSON.parse(contest.excluded_roles_json) as unknown;
    return Array.isArray(v) ? (v.filter((x) => typeof x === 'string') as Role[]) : [];
  } catch {
    return [];
  }
}

/** Age in the current Vietnamese calendar year (what the contest rules mean by "age"). */
export function ageFromBirthYear(birthYear: number, now = new Date()): number {
  return Number(todayInVietnam(now).slice(0, 4)) - birthYear;
}

export type EligibilityError = 'too_young' | 'too_old' | 'outside_units' | 'excluded_role' | 'staff';

/**
 * Whether this person may enter: the age range from the birth year, the unit inside the eligible
 * subtree, no excluded role anywhere on the contest's branch (above or below its unit), and not
 * the contest's own organisers or judges.
 */
export async function checkEligibility(
  db: DB,
  contest: Contest,
  userId: string,
  entry: { birthYear: number; unitId: string },
  now = new Date(),
): Promise<Result<undefined, EligibilityError>> {
  const age = ageFromBirthYear(entry.birthYear, now);
  if (contest.min_age != null && age < contest.min_age) return err('too_young', { min: contest.min_age });
  if (contest.max_age != null && age > contest.max_age) return err('too_old', { max: contest.max_age });
  const inside = await db
    .selectFrom('unit_closure')
    .select('depth')
    .where('ancestor_id', '=', contest.eligible_unit_id)
    .where('descendant_id', '=', entry.unitId)
    .executeTakeFirst();
  if (!inside) return err('outside_units');
  const staff = await db
    .selectFrom('contest_staff')
    .select('role')
    .where('contest_id', '=', contest.id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (staff) return err('staff');
  const roles = excludedRoles(contest);
  if (roles.length) {
    const grant = await db
      .selectFrom('role_grants as g')
      .select('g.id')
      .where('g.user_id', '=', userId)
      .where('g.role', 'in', roles)
      .where((eb) =>
        eb.or([
          // a grant above the contest's unit (its subtree includes the contest) …
          eb.exists(
            eb
              .selectFrom('unit_closure as c')
              .select('c.depth')
              .whereRef('c.ancestor_id', '=', 'g.unit_id')
              .where('c.descendant_id', '=', contest.unit_id),
          ),
          // … or inside it
          eb.exists(
            eb
              .selectFrom('unit_closure as c')
              .select('c.depth')
              .where('c.ancestor_id', '=', contest.unit_id)
              .whereRef('c.descendant_id', '=', 'g.unit_id'),
          ),
        ]),
      )
      .limit(1)
      .executeTakeFirst();
    if (grant) return err('excluded_role');
  }
  return ok();
}
