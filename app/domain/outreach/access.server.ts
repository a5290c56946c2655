/**
 * Who may see and do what in the outreach kit. Reading is public: news, and the kit of a unit's
 * plan (share card, banner, poster, announcement) once that plan is published. Writing —
 * posting news, editing slogans and the announcement — belongs to the organisers of the unit
 * (a role held on the unit or any unit above it: `hasAnyRole` applies down the subtree).
 * Routes and mutators both ask here.
 */
import type { PlansTable, UnitsTable, WeeksTable } from '~/db/schema';
import { hasAnyRole } from '~/domain/accounts.server';
import { getPlan } from '~/domain/plans.server';
import { getRootUnit, getUnitBySlug } from '~/domain/units.server';
import { getWeek } from '~/domain/weeks.server';
import type { DB } from '~/lib/db.server';

export type OutreachAccess = 'missing' | 'hidden' | 'forbidden' | 'ok';

/** True when the user organises the unit (or a unit above it), or is an admin there. */
export async function canManageOutreach(db: DB, userId: string | null | undefined, unitId: string): Promise<boolean> {
  if (!userId) return false;
  return hasAnyRole(db, userId, ['organiser'], unitId);
}

export interface KitContext {
  week: WeeksTable;
  unit: UnitsTable;
  plan: PlansTable | null;
  canManage: boolean;
}

/**
 * The kit of one unit for one Week: `missing` when the Week or unit does not exist, `hidden`
 * when the unit has no published plan and the user does not organise it (a draft plan's
 * details are not shown to outsiders, nor that a draft exists).
 */
export async function kitAccess(
  db: DB,
  year: number,
  unitSlug: string,
  userId: string | null | undefined,
): Promise<{ status: 'missing' | 'hidden' } | ({ status: 'ok' } & KitContext)> {
  const [week, unit] = await Promise.all([Number.isInteger(year) ? getWeek(db, year) : undefined, getUnitBySlug(db, unitSlug)]);
  if (!week || !unit) return { status: 'missing' };
  const [plan, canManage] = await Promise.all([getPlan(db, unit.id, year), canManageOutreach(db, userId, unit.id)]);
  if (plan?.status !== 'published' && !canManage) return { status: 'hidden' };
  return { status: 'ok', week, unit, plan: plan ?? null, canManage };
}

/** The Week's own kit belongs to the top of the hierarchy (the Ministry's organisers). */
export async function weekKitAccess(
  db: DB,
  year: number,
  userId: string | null | undefined,
): Promise<{ status: 'missing' } | { status: 'ok'; week: WeeksTable; root: UnitsTable; canManage: boolean }> {
  const [week, root] = await Promise.all([Number.isInteger(year) ? getWeek(db, year) : undefined, getRootUnit(db)]);
  if (!week || !root) return { status: 'missing' };
  return { status: 'ok', week, root, canManage: await canManageOutreach(db, userId, root.id) };
}
