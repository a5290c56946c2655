import type { Role } from '~/db/schema';
import { userRoles } from '~/domain/accounts.server';
import type { DB } from '~/lib/db.server';

/** True when the user holds any of `roles` (or admin) somewhere: who sees "new course". */
export async function hasAnyRole(db: DB, userId: string, roles: Role[]): Promise<boolean> {
  const mine = await userRoles(db, userId);
  return mine.some((r) => roles.includes(r) || r === 'admin');
}
