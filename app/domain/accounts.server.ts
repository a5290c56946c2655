import { createHash, randomBytes } from 'node:crypto';

import { sql } from 'kysely';

import { isUniqueViolation } from '~/db/dialect';
import type { Role, UnitKind } from '~/db/schema';
import { reportsShowChanged } from '~/domain/reports/cache.server';
import type { Locale } from '~/i18n/locale';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { hashPassword, verifyPassword } from '~/lib/password.server';
import { inTreeOrder } from '~/lib/unit-tree';

export type { Locale } from '~/i18n/locale';

export interface SignUpInput {
  email: string;
  password: string;
  displayName: string;
  birthYear: number | null;
  homeUnitId: string | null;
  locale: Locale;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function signUp(db: DB, input: SignUpInput): Promise<{ ok: true; userId: string } | { ok: false; error: 'email_taken' }> {
  const id = newId();
  const password_hash = await hashPassword(input.password);
  try {
    await db
      .insertInto('users')
      .values({
        id,
        email: normaliseEmail(input.email),
        password_hash,
        display_name: input.displayName.trim(),
        birth_year: input.birthYear,
        home_unit_id: input.homeUnitId,
        locale: input.locale,
        created_at: nowIso(),
      })
      .execute();
  } catch (e) {
    if (isUniqueViolation(e)) return { ok: false, error: 'email_taken' };
    throw e;
  }
  return { ok: true, userId: id };
}

/** Checks credentials; returns the user id or null. Timing is similar for unknown emails. */
export async function authenticate(db: DB, email: string, password: string): Promise<string | null> {
  const user = await db.selectFrom('users').select(['id', 'password_hash']).where('email', '=', normaliseEmail(email)).executeTakeFirst();
  if (!user) {
    await hashPassword(password); // spend the same time so response time does not reveal accounts
    return null;
  }
  return (await verifyPassword(user.password_hash, password)) ? user.id : null;
}

export async function changePassword(db: DB, userId: string, current: string, next: string): Promise<boolean> {
  const user = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, current))) return false;
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(next) })
    .where('id', '=', userId)
    .execute();
  return true;
}

export function getUserById(db: DB, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'birth_year', 'home_unit_id', 'locale', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findUserByEmail(db: DB, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'locale'])
    .where('email', '=', normaliseEmail(email))
    .executeTakeFirst();
}

export async function updateProfile(
  db: DB,
  userId: string,
  p: { displayName: string; birthYear: number | null; homeUnitId: string | null; locale: Locale },
): Promise<void> {
  const before = await db.selectFrom('users').select(['display_name', 'birth_year']).where('id', '=', userId).executeTakeFirst();
  await db
    .updateTable('users')
    .set({ display_name: p.displayName.trim(), birth_year: p.birthYear, home_unit_id: p.homeUnitId, locale: p.locale })
    .where('id', '=', userId)
    .execute();
  // The name others see (and, from the birth year, whether it is a first name only) shows on club
  // pages and threads kept by the page cache and the shared signed-in renders, and on report pages
  // (history, attachments, organisers): re-render them.
  // Imported here, not at the top: the page cache's module imports the area modules that import this one.
  if (before && (before.display_name !== p.displayName.trim() || before.birth_year !== p.birthYear)) {
    const { bumpCache } = await import('~/lib/page-cache.server');
    await bumpCache(db, 'clubs');
    await reportsShowChanged(db);
  }
}

// ---- password reset: a random token mailed to the user; only its hash is stored ----

const RESET_TTL_MS = 60 * 60 * 1000;

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Creates a single-use reset token valid for an hour; null when no account has that email.
 * Only the newest token works: creating one retires every older unused token of the account.
 */
export async function createPasswordResetToken(db: DB, email: string): Promise<{ token: string; userId: string; locale: Locale } | null> {
  const user = await findUserByEmail(db, email);
  if (!user) return null;
  const token = randomBytes(32).toString('base64url');
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('password_reset_tokens')
      .set({ used_at: now })
      .where('user_id', '=', user.id)
      .where('used_at', 'is', null)
      .execute();
    await trx
      .insertInto('password_reset_tokens')
      .values({
        token_hash: tokenHash(token),
        user_id: user.id,
        expires_at: new Date(Date.now() + RESET_TTL_MS).toISOString(),
        used_at: null,
        created_at: now,
      })
      .execute();
  });
  return { token, userId: user.id, locale: user.locale };
}

export async function isResetTokenUsable(db: DB, token: string): Promise<boolean> {
  const row = await db.selectFrom('password_reset_tokens').selectAll().where('token_hash', '=', tokenHash(token)).executeTakeFirst();
  return !!row && !row.used_at && row.expires_at > nowIso();
}

/** Consumes the token (once) and sets the new password; returns the user id or null. */
export async function resetPassword(db: DB, token: string, password: string): Promise<string | null> {
  const password_hash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    // The conditional update is the single-use guard: two concurrent uses cannot both match.
    const used = await trx
      .updateTable('password_reset_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst();
    if (!used) return null;
    // Using a token retires every other token of the account (an older mail no longer works).
    await trx
      .updateTable('password_reset_tokens')
      .set({ used_at: now })
      .where('user_id', '=', used.user_id)
      .where('used_at', 'is', null)
      .execute();
    await trx.updateTable('users').set({ password_hash }).where('id', '=', used.user_id).execute();
    return used.user_id;
  });
}

// ---- roles, granted per unit and applying to the unit's subtree ----

/** True when the user holds `role` (or admin) on the unit or any of its ancestors. */
export async function hasRole(db: DB, userId: string, unitId: string, role: Role): Promise<boolean> {
  const row = await db
    .selectFrom('role_grants as g')
    .innerJoin('unit_closure as c', 'c.ancestor_id', 'g.unit_id')
    .select('g.id')
    .where('g.user_id', '=', userId)
    .where('c.descendant_id', '=', unitId)
    .where('g.role', 'in', role === 'admin' ? ['admin'] : [role, 'admin'])
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

/**
 * True when the user holds any of `roles` (or admin): on `unitId` or above it when given, else anywhere
 * (a staff page that lists only the units the user may act on). One query; routes' `requireAnyRole` uses it.
 */
export async function hasAnyRole(db: DB, userId: string, roles: Role[], unitId?: string): Promise<boolean> {
  const any = [...new Set<Role>([...roles, 'admin'])];
  const q = db.selectFrom('role_grants as g').select('g.id').where('g.user_id', '=', userId).where('g.role', 'in', any);
  const row = unitId
    ? await q.innerJoin('unit_closure as c', 'c.ancestor_id', 'g.unit_id').where('c.descendant_id', '=', unitId).limit(1).executeTakeFirst()
    : await q.limit(1).executeTakeFirst();
  return !!row;
}

/** The units where the user holds any of `roles` directly (their subtrees are theirs too). */
export function grantedUnits(db: DB, userId: string, roles: Role[]) {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('units as u', 'u.id', 'g.unit_id')
    .select(['u.id', 'u.name', 'u.name_en', 'u.slug', 'u.kind', 'u.depth', 'g.role'])
    .where('g.user_id', '=', userId)
    .where('g.role', 'in', roles)
    .orderBy('u.depth')
    .orderBy('u.name')
    .execute();
}

/**
 * A query of the units in force now that the user can act on with any of `roles` (admin always
 * counts): the subtrees of every unit where they hold one, optionally only units of `kinds`.
 * Callers order and execute it. (Dissolved units are left out: pickers offer the current tree.)
 */
export function unitsWithAnyRole(db: DB, userId: string, roles: Role[], kinds?: readonly UnitKind[]) {
  const q = db
    .selectFrom('units as u')
    .selectAll('u')
    .where('u.valid_to', 'is', null)
    // From the person's few grants down their subtrees (an IN list the database builds once), not
    // a correlated test per unit: for someone with no grant that test ran for every unit of the
    // country (1.7 ms of a signed-in /library at 2,610 units).
    .where('u.id', 'in', (eb) =>
      eb
        .selectFrom('role_grants as g')
        .innerJoin('unit_closure as c', 'c.ancestor_id', 'g.unit_id')
        .select('c.descendant_id')
        .where('g.user_id', '=', userId)
        .where('g.role', 'in', [...new Set<Role>([...roles, 'admin'])]),
    );
  return kinds ? q.where('u.kind', 'in', [...kinds]) : q;
}

/** Units the user can act on with `role`: the subtrees of every unit where they hold it (or admin), in tree order. */
export async function unitsWithRole(db: DB, userId: string, role: Role) {
  return inTreeOrder(await unitsWithAnyRole(db, userId, [role]).execute());
}

export async function grantRole(db: DB, input: { userId: string; unitId: string; role: Role; grantedBy: string | null }): Promise<void> {
  await db
    .insertInto('role_grants')
    .values({
      id: newId(),
      user_id: input.userId,
      unit_id: input.unitId,
      role: input.role,
      granted_by: input.grantedBy,
      created_at: nowIso(),
    })
    .onConflict((oc) => oc.columns(['user_id', 'unit_id', 'role']).doNothing())
    .execute();
  await reportsShowChanged(db); // who fills and reviews reports, organisers listed on report pages
}

export async function revokeRole(db: DB, grantId: string): Promise<void> {
  await db.deleteFrom('role_grants').where('id', '=', grantId).execute();
  await reportsShowChanged(db);
}

export function listGrants(db: DB, limit = 200) {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('users as usr', 'usr.id', 'g.user_id')
    .innerJoin('units as u', 'u.id', 'g.unit_id')
    .select(['g.id', 'g.role', 'g.created_at', 'usr.email', 'usr.display_name', 'u.name as unit_name', 'u.name_en as unit_name_en'])
    .orderBy('u.depth')
    .orderBy('usr.email')
    .limit(limit)
    .execute();
}

export async function userRoles(db: DB, userId: string): Promise<Role[]> {
  const rows = await db.selectFrom('role_grants').select('role').distinct().where('user_id', '=', userId).execute();
  return rows.map((r) => r.role);
}

/** Generation bands used by intergenerational reading clubs. */
export type GenerationBand = 'child' | 'youth' | 'adult' | 'elder';
export function generationBand(birthYear: number | null, now = new Date()): GenerationBand | null {
  if (!birthYear) return null;
  const age = now.getUTCFullYear() - birthYear;
  if (age < 15) return 'child';
  if (age < 30) return 'youth';
  if (age < 60) return 'adult';
  return 'elder';
}

export async function countUsers(db: DB): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The roles (above citizen) granted in these units, for the administrators' page: at most 500, top units first. */
export async function grantsInUnits(db: DB, unitIds: string[]) {
  if (unitIds.length === 0) return [];
  return db
    .selectFrom('role_grants as g')
    .innerJoin('users as usr', 'usr.id', 'g.user_id')
    .innerJoin('units as u', 'u.id', 'g.unit_id')
    .select(['g.id', 'g.role', 'usr.email', 'usr.display_name', 'u.name as unit_name', 'u.name_en as unit_name_en'])
    .where('g.unit_id', 'in', unitIds)
    .where('g.role', '!=', 'citizen')
    .orderBy('u.depth')
    .orderBy('usr.email')
    .limit(500)
    .execute();
}
