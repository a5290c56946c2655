/** Classroom bookshelves (tủ sách lớp học): a teacher picks titles, students join with a code. */
import { randomInt } from 'node:crypto';

import { isUniqueViolation } from '~/db/dialect';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { consumeAll, limiter } from '~/lib/rate-limit.server';
import { err, ok, type Result } from '~/lib/result';

// No 0/O/1/I/L: codes are read aloud in class and copied from the board.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function newJoinCode(): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export async function createShelf(
  db: DB,
  input: { unitId: string; teacherId: string; name: string; code?: string },
): Promise<{ id: string; code: string }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = newId();
    const code = input.code ?? newJoinCode();
    try {
      await db
        .insertInto('lib_shelves')
        .values({ id, unit_id: input.unitId, teacher_id: input.teacherId, name: input.name.trim(), join_code: code, created_at: nowIso() })
        .execute();
      return { id, code };
    } catch (e) {
      if (!isUniqueViolation(e) || input.code) throw e;
    }
  }
  throw new Error('could not allocate a join code');
}

export function getShelf(db: DB, id: string) {
  return db
    .selectFrom('lib_shelves as s')
    .innerJoin('units as u', 'u.id', 's.unit_id')
    .innerJoin('users as t', 't.id', 's.teacher_id')
    .select([
      's.id',
      's.name',
      's.join_code',
      's.unit_id',
      's.teacher_id',
      'u.name as unit_name',
      'u.name_en as unit_name_en',
      't.display_name as teacher_name',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
}

export async function addShelfTitle(db: DB, shelfId: string, titleId: string) {
  await db
    .insertInto('lib_shelf_titles')
    .values({ shelf_id: shelfId, title_id: titleId, added_at: nowIso() })
    .onConflict((oc) => oc.columns(['shelf_id', 'title_id']).doNothing())
    .execute();
}

export async function removeShelfTitle(db: DB, shelfId: string, titleId: string) {
  await db.deleteFrom('lib_shelf_titles').where('shelf_id', '=', shelfId).where('title_id', '=', titleId).execute();
}

export function shelfTitles(db: DB, shelfId: string) {
  return db
    .selectFrom('lib_shelf_titles as st')
    .innerJoin('lib_titles as t', 't.id', 'st.title_id')
    .select(['t.id', 't.slug', 't.title', 't.author'])
    .where('st.shelf_id', '=', shelfId)
    .orderBy('t.sort_key')
    .execute();
}

export type JoinShelfError = 'unknown_code' | 'too_many_tries';

/**
 * Joins the shelf with that code. Each try is counted first (10 per account in 15 minutes,
 * shared by all server processes), so join codes cannot be guessed by brute force.
 */
export async function joinShelf(db: DB, userId: string, code: string): Promise<Result<string, JoinShelfError>> {
  const allowed = await consumeAll([[limiter('shelfJoin', db), userId]]);
  if (!allowed.ok) return err('too_many_tries');
  const shelf = await db.selectFrom('lib_shelves').select('id').where('join_code', '=', normaliseCode(code)).executeTakeFirst();
  if (!shelf) return err('unknown_code');
  await db
    .insertInto('lib_shelf_members')
    .values({ shelf_id: shelf.id, user_id: userId, joined_at: nowIso() })
    .onConflict((oc) => oc.columns(['shelf_id', 'user_id']).doNothing())
    .execute();
  return ok(shelf.id);
}

export async function isMember(db: DB, shelfId: string, userId: string) {
  return !!(await db
    .selectFrom('lib_shelf_members')
    .select('user_id')
    .where('shelf_id', '=', shelfId)
    .where('user_id', '=', userId)
    .executeTakeFirst());
}

export function teacherShelves(db: DB, teacherId: string) {
  return db.selectFrom('lib_shelves').selectAll().where('teacher_id', '=', teacherId).orderBy('created_at', 'desc').execute();
}

export function memberShelves(db: DB, userId: string) {
  return db
    .selectFrom('lib_shelf_members as m')
    .innerJoin('lib_shelves as s', 's.id', 'm.shelf_id')
    .select(['s.id', 's.name'])
    .where('m.user_id', '=', userId)
    .orderBy('s.name')
    .execute();
}

/**
 * The teacher's view of who reads what: for each student, the shelf titles they have on loan,
 * have open in the reader (saved position) or in their reading history. Students who turned
 * history off show only current loans.
 */
export async function shelfReading(db: DB, shelfId: string, now = new Date()) {
  const members = await db
    .selectFrom('lib_shelf_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.display_name', 'm.joined_at'])
    .where('m.shelf_id', '=', shelfId)
    .orderBy('u.display_name')
    .execute();
  const titles = await shelfTitles(db, shelfId);
  const titleIds = titles.map((t) => t.id);
  if (members.length === 0 || titleIds.length === 0) return members.map((m) => ({ ...m, reading: [] as string[] }));
  const memberIds = members.map((m) => m.id);
  const [loans, history] = await Promise.all([
    db
      .selectFrom('lib_loans')
      .select(['user_id', 'title_id'])
      .where('user_id', 'in', memberIds)
      .where('title_id', 'in', titleIds)
      .where('status', '=', 'active')
      .where('due_at', '>', now.toISOString())
      .execute(),
    db
      .selectFrom('lib_history as h')
      .innerJoin('lib_prefs as p', 'p.user_id', 'h.user_id')
      .select(['h.user_id', 'h.title_id'])
      .where('h.user_id', 'in', memberIds)
      .where('h.title_id', 'in', titleIds)
      .where('p.history_enabled', '=', 1)
      .execute(),
  ]);
  // Readers who never changed the setting have history on (no prefs row): include them too.
  const noPrefs = await db
    .selectFrom('lib_history as h')
    .select(['h.user_id', 'h.title_id'])
    .where('h.user_id', 'in', memberIds)
    .where('h.title_id', 'in', titleIds)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('lib_prefs as p').select('p.user_id').whereRef('p.user_id', '=', 'h.user_id'))),
    )
    .execute();
  const byUser = new Map<string, Set<string>>();
  for (const r of [...loans, ...history, ...noPrefs]) {
    if (!byUser.has(r.user_id)) byUser.set(r.user_id, new Set());
    byUser.get(r.user_id)!.add(r.title_id);
  }
  const name = new Map(titles.map((t) => [t.id, t.title]));
  return members.map((m) => ({ ...m, reading: [...(byUser.get(m.id) ?? [])].map((id) => name.get(id)!).sort() }));
}
