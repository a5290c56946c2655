import { getRootUnit } from '~/domain/units.server';

import { requireRole, type SessionUser } from './auth.server';
import { getDb } from './db.server';
import { forbidden } from './http.server';

/** National decisions (a new year's Week) need an admin of the root unit, the Ministry. */
export async function requireNationalAdmin(request: Request): Promise<SessionUser> {
  const root = await getRootUnit(getDb());
  if (!root) forbidden();
  return requireRole(request, root.id, 'admin');
}
