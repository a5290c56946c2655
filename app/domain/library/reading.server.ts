/** The reader's own data: position (CFI) on every device, bookmarks, highlights, history. */
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';

export async function savePosition(db: DB, userId: string, titleId: string, cfi: string, label: string | null) {
  const now = nowIso();
  await db
    .insertInto('lib_reading_state')
    .values({ user_id: userId, title_id: titleId, cfi, label, updated_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'title_id']).doUpdateSet({ cfi, label, updated_at: now }))
    .execute();
}

export function getPosition(db: DB, userId: string, titleId: string) {
  return db
    .selectFrom('lib_reading_state')
    .select(['cfi', 'label', 'updated_at'])
    .where('user_id', '=', userId)
    .where('title_id', '=', titleId)
    .executeTakeFirst();
}

export async function addAnnotation(
  db: DB,
  userId: string,
  titleId: string,
  a: { kind: 'bookmark' | 'highlight'; cfi: string; excerpt: string | null; note: string | null },
) {
  const id = newId();
  await db
    .insertInto('lib_annotations')
    .values({ id, user_id: userId, title_id: titleId, kind: a.kind, cfi: a.cfi, excerpt: a.excerpt, note: a.note, created_at: nowIso() })
    .execute();
  return id;
}

export async function updateAnnotationNote(db: DB, userId: string, id: string, note: string | null) {
  await db.updateTable('lib_annotations').set({ note }).where('id', '=', id).where('user_id', '=', userId).execute();
}

export async function deleteAnnotation(db: DB, userId: string, id: string) {
  await db.deleteFrom('lib_annotations').where('id', '=', id).where('user_id', '=', userId).execute();
}

export function listAnnotations(db: DB, userId: string, titleId?: string) {
  let q = db
    .selectFrom('lib_annotations as a')
    .innerJoin('lib_titles as t', 't.id', 'a.title_id')
    .select(['a.id', 'a.kind', 'a.cfi', 'a.excerpt', 'a.note', 'a.created_at', 't.slug', 't.title'])
    .where('a.user_id', '=', userId);
  if (titleId) q = q.where('a.title_id', '=', titleId);
  return q.orderBy('t.title').orderBy('a.created_at').execute();
}

export async function historyEnabled(db: DB, userId: string): Promise<boolean> {
  const p = await db.selectFrom('lib_prefs').select('history_enabled').where('user_id', '=', userId).executeTakeFirst();
  return p ? p.history_enabled === 1 : true;
}

export async function setHistoryEnabled(db: DB, userId: string, enabled: boolean) {
  await db
    .insertInto('lib_prefs')
    .values({ user_id: userId, history_enabled: enabled ? 1 : 0 })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ history_enabled: enabled ? 1 : 0 }))
    .execute();
}

/** Records that the user opened a title, unless they turned history off. */
export async function recordOpened(db: DB, userId: string, titleId: string) {
  if (!(await historyEnabled(db, userId))) return;
  const now = nowIso();
  await db
    .insertInto('lib_history')
    .values({ id: newId(), user_id: userId, title_id: titleId, last_opened_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'title_id']).doUpdateSet({ last_opened_at: now }))
    .execute();
}

export async function clearHistory(db: DB, userId: string) {
  await db.deleteFrom('lib_history').where('user_id', '=', userId).execute();
}

export function readingHistory(db: DB, userId: string, limit = 50) {
  return db
    .selectFrom('lib_history as h')
    .innerJoin('lib_titles as t', 't.id', 'h.title_id')
    .select(['t.slug', 't.title', 't.author', 'h.last_opened_at'])
    .where('h.user_id', '=', userId)
    .orderBy('h.last_opened_at', 'desc')
    .limit(limit)
    .execute();
}
