/**
 * Permission-checked library operations for the bookshelf and rotation pages. Routes call these
 * and never decide who may do what themselves, so the rules are tested once, on real databases.
 *
 * - A classroom shelf is created by a teacher of the school unit (teacher role on it or above);
 *   only its teacher changes its titles and sees what the students read.
 * - A rotation is requested by a librarian of the receiving library, accepted or declined by a
 *   librarian of the lending library, cancelled (while not yet active) by the receiving side.
 * - A library's loan period is set by its librarians. Organisers see rotations in their subtree.
 */
import { sql } from 'kysely';

import { grantedUnits, hasRole } from '~/domain/accounts.server';
import { LIBRARY_KINDS } from '~/domain/units.server';
import type { DB } from '~/lib/db.server';
import { type AccessCode, type Err, err, ok, type Result } from '~/lib/result';

import { setLoanDays } from './circulation.server';
import { cancelRotation, decideRotation, getRotation, requestRotation, type RotationError, subtreeRotations } from './rotations.server';
import { addShelfTitle, createShelf, getShelf, isMember, removeShelfTitle, shelfReading } from './shelves.server';

export type Denied = Err<AccessCode>;

// ---- classroom shelves ----

/** Units where the user was granted the teacher role (the school units offered on the form). */
export async function teachingUnits(db: DB, userId: string) {
  return (await grantedUnits(db, userId, ['teacher'])).filter((u) => u.role === 'teacher');
}

export async function createShelfAs(
  db: DB,
  userId: string,
  input: { unitId: string; name: string },
): Promise<Result<{ id: string; code: string }, AccessCode>> {
  if (!(await hasRole(db, userId, input.unitId, 'teacher'))) return err('forbidden');
  const r = await createShelf(db, { unitId: input.unitId, teacherId: userId, name: input.name });
  return ok(r);
}

export type ShelfRole = 'teacher' | 'member';

/** The shelf and the viewer's place in it; null role: neither its teacher nor a member. */
export async function shelfForViewer(db: DB, shelfId: string, userId: string) {
  const shelf = await getShelf(db, shelfId);
  if (!shelf) return null;
  const role: ShelfRole | null = shelf.teacher_id === userId ? 'teacher' : (await isMember(db, shelfId, userId)) ? 'member' : null;
  return { shelf, role };
}

export async function changeShelfTitleAs(
  db: DB,
  userId: string,
  shelfId: string,
  titleId: string,
  change: 'add' | 'remove',
): Promise<Result<undefined, AccessCode>> {
  const shelf = await getShelf(db, shelfId);
  if (!shelf) return err('not_found');
  if (shelf.teacher_id !== userId) return err('forbidden');
  if (change === 'add') {
    const t = await db.selectFrom('lib_titles').select('id').where('id', '=', titleId).executeTakeFirst();
    if (!t) return err('not_found');
    await addShelfTitle(db, shelfId, titleId);
  } else await removeShelfTitle(db, shelfId, titleId);
  return ok();
}

/** Who reads what on the shelf: for its teacher only. */
export async function shelfReadingAs(db: DB, userId: string, shelfId: string, now = new Date()) {
  const shelf = await getShelf(db, shelfId);
  if (!shelf) return err('not_found');
  if (shelf.teacher_id !== userId) return err('forbidden');
  return ok({ students: await shelfReading(db, shelfId, now) });
}

// ---- rotations and library settings ----

async function isLibrarian(db: DB, userId: string, libraryId: string): Promise<boolean> {
  const lib = await db.selectFrom('units').select('kind').where('id', '=', libraryId).executeTakeFirst();
  if (!lib || !LIBRARY_KINDS.includes(lib.kind)) return false;
  return hasRole(db, userId, libraryId, 'librarian');
}

export async function requestRotationAs(
  db: DB,
  userId: string,
  input: { titleId: string; fromLibraryId: string; toLibraryId: string; copies: number; startsOn: string; endsOn: string },
): Promise<Result<{ id: string }, RotationError | 'forbidden'>> {
  if (!(await isLibrarian(db, userId, input.toLibraryId))) return err('forbidden');
  return requestRotation(db, { ...input, requestedBy: userId });
}

export type RotationDecision = 'accept' | 'decline' | 'cancel';

export async function decideRotationAs(
  db: DB,
  userId: string,
  rotationId: string,
  decision: RotationDecision,
  now = new Date(),
): Promise<Result<undefined, 'forbidden' | 'not_found' | 'state'>> {
  const r = await getRotation(db, rotationId);
  if (!r) return err('not_found');
  // The lender decides; the receiver may withdraw its own request before it starts.
  const side = decision === 'cancel' ? r.to_library_id : r.from_library_id;
  if (!(await isLibrarian(db, userId, side))) return err('forbidden');
  const done =
    decision === 'cancel' ? await cancelRotation(db, rotationId, now) : await decideRotation(db, rotationId, decision, userId, now);
  return done ? ok() : err('state');
}

export async function setLoanDaysAs(db: DB, userId: string, libraryId: string, days: number): Promise<Result<undefined, AccessCode>> {
  if (!(await isLibrarian(db, userId, libraryId))) return err('forbidden');
  await setLoanDays(db, libraryId, days);
  return ok();
}

/** Units where the user organises (direct grants), each with the rotations in its subtree. */
export async function organiserRotations(db: DB, userId: string) {
  const units = (await grantedUnits(db, userId, ['organiser', 'admin'])).slice(0, 5);
  return Promise.all(units.map(async (u) => ({ unit: u, rotations: await subtreeRotations(db, u.id) })));
}

/** Licensed holdings of other libraries a librarian may ask copies of (for the request form). */
export function lendableHoldings(db: DB, notLibraryIds: string[], q: string | undefined, limit = 100) {
  let query = db
    .selectFrom('lib_holdings as h')
    .innerJoin('lib_titles as t', 't.id', 'h.title_id')
    .innerJoin('units as u', 'u.id', 'h.library_id')
    .select(['h.id', 'h.copies', 'h.title_id', 'h.library_id', 't.title', 'u.name as library_name', 'u.name_en as library_name_en'])
    .where('h.open_access', '=', 0)
    .where('h.copies', '>', 0);
  if (notLibraryIds.length) query = query.where('h.library_id', 'not in', notLibraryIds);
  if (q) query = query.where(sql`lower(t.title)`, 'like', `%${q.toLowerCase().replace(/[%_\\]/g, '')}%`);
  return query.orderBy('t.sort_key').orderBy('u.name').limit(limit).execute();
}
