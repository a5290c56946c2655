/**
 * The roles page's buttons: grant or revoke, each checked here (an admin of the unit, roles down
 * the subtree), saying what happened as a code (no UI text, no HTTP).
 */
import type { RolesAdminInput } from '~/forms/accounts-roles';
import type { DB } from '~/lib/db.server';
import { err, ok, type Result } from '~/lib/result';

import { findUserByEmail, grantRole, hasRole, revokeRole } from './accounts.server';

export type RolesAdminDone = 'granted' | 'revoked' | 'gone';
export type RolesAdminError = 'forbidden' | 'unknown_user';

export async function runRolesAdmin(db: DB, adminId: string, input: RolesAdminInput): Promise<Result<RolesAdminDone, RolesAdminError>> {
  switch (input.intent) {
    case 'revoke': {
      const grant = await db.selectFrom('role_grants').select(['id', 'unit_id']).where('id', '=', input.grantId).executeTakeFirst();
      // Already revoked (another admin, a second click): nothing left to do.
      if (!grant) return ok('gone');
      if (!(await hasRole(db, adminId, grant.unit_id, 'admin'))) return err('forbidden');
      await revokeRole(db, grant.id);
      return ok('revoked');
    }
    case 'grant': {
      if (!(await hasRole(db, adminId, input.unitId, 'admin'))) return err('forbidden');
      const target = await findUserByEmail(db, input.email);
      if (!target) return err('unknown_user');
      await grantRole(db, { userId: target.id, unitId: input.unitId, role: input.role, grantedBy: adminId });
      return ok('granted');
    }
  }
}
