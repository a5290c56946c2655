import { hasRole } from '~/domain/accounts.server';
import type { DB } from '~/lib/db.server';

/**
 * Who may change the unit tree: an organiser (or admin) of every unit a change touches — the
 * units merged, moved or renamed and the parent that receives them. A reorganisation above one's
 * own subtree needs someone higher up.
 */
export async function canChangeUnits(db: DB, userId: string, unitIds: readonly string[]): Promise<boolean> {
  if (!unitIds.length) return false;
  for (const id of new Set(unitIds)) if (!(await hasRole(db, userId, id, 'organiser'))) return false;
  return true;
}

/** Whether the user may open the reorganisation tools at all (organiser or admin somewhere). */
export async function mayReorganise(db: DB, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('role_grants')
    .select('id')
    .where('user_id', '=', userId)
    .where('role', 'in', ['organiser', 'admin'])
    .executeTakeFirst();
  return !!row;
}
