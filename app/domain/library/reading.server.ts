/** The reader's own data: position (CFI) on every device, bookmarks, highlights, history. */
import type { ReaderTheme } from '~/db/schema/library';
import { readerChapterMoved } from '~/domain/clubs/cache.server';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';

/**
 * Saves the reading position. `at` is when the reader turned the page (a reader that was offline
 * sends it later): an older position never overwrites a newer one from another device.
 * Returns false when a newer position was already stored. A move to another chapter (its label)
 * may move the reader's progress on a club's schedule, which is then rendered again
 * (`readerChapterMoved`); a move within the chapter, the usual page turn, is one update.
 */
export async function savePosition(db: DB, userId: string, titleId: string, cfi: string, label: string | null, at: string = nowIso()) {
  const stamp = clampToNow(at);
  const within = db
    .updateTable('lib_reading_state')
    .set({ cfi, updated_at: stamp })
    .where('user_id', '=', userId)
    .where('title_id', '=', titleId)
    .where('updated_at', '<', stamp);
  const same = await (label === null ? within.where('label', 'is', null) : within.where('label', '=', label)).executeTakeFirst();
  if (Number(same.numUpdatedRows) > 0) return true;
  const r = await db
    .insertInto('lib_reading_state')
    .values({ user_id: userId, title_id: titleId, cfi, label, updated_at: stamp })
    .onConflict((oc) =>
      oc.columns(['user_id', 'title_id']).doUpdateSet({ cfi, label, updated_at: stamp }).where('lib_reading_state.updated_at', '<', stamp),
    )
    .executeTakeFirst();
  const saved = Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  if (saved) await readerChapterMoved(db, userId, titleId);
  return saved;
}

/** A client's clock may run ahead: never store a time in the future (it would block later saves). */
function clampToNow(at: string): string {
  const now = nowIso();
  return at > now ? now : at;
}

export function getPosition(db: DB, userId: string, titleId: string) {
  return db
    .selectFrom('lib_reading_state')
    .select(['cfi', 'label', 'updated_at'])
    .where('user_id', '=', userId)
    .where('title_id', '=', titleId)
    .executeTakeFirst();
}

/**
 * Adds a bookmark or highlight. `clientRef` (a reader-made id) makes a resent request — one queued
 * offline and sent again after a lost answer — add it once; the existing id is returned then.
 */
export async function addAnnotation(
  db: DB,
  userId: string,
  titleId: string,
  a: { kind: 'bookmark' | 'highlight'; cfi: string; excerpt: string | null; note: string | null; clientRef?: string | null; at?: string },
) {
  const id = newId();
  const clientRef = a.clientRef ?? null;
  await db
    .insertInto('lib_annotations')
    .values({
      id,
      user_id: userId,
      title_id: titleId,
      kind: a.kind,
      cfi: a.cfi,
      excerpt: a.excerpt,
      note: a.note,
      created_at: a.at ? clampToNow(a.at) : nowIso(),
      client_ref: clientRef,
    })
    .onConflict((oc) => oc.columns(['user_id', 'client_ref']).doNothing())
    .execute();
  if (!clientRef) return id;
  const row = await db
    .selectFrom('lib_annotations')
    .select('id')
    .where('user_id', '=', userId)
    .where('client_ref', '=', clientRef)
    .executeTakeFirstOrThrow();
  return row.id;
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

export interface ReaderSettings {
  fontSize: number;
  theme: ReaderTheme;
  lineHeight: number;
  updatedAt: string | null;
}
export const DEFAULT_READER_SETTINGS: ReaderSettings = { fontSize: 110, theme: 'light', lineHeight: 150, updatedAt: null };

/** The user's reader settings (font size, theme, line spacing), the same on every device. */
export async function getReaderSettings(db: DB, userId: string): Promise<ReaderSettings> {
  const r = await db.selectFrom('lib_reader_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return r ? { fontSize: r.font_size, theme: r.theme, lineHeight: r.line_height, updatedAt: r.updated_at } : DEFAULT_READER_SETTINGS;
}

/** Stores the reader settings unless another device stored newer ones; returns the settings now in force. */
export async function saveReaderSettings(
  db: DB,
  userId: string,
  s: { fontSize: number; theme: ReaderTheme; lineHeight: number },
  at: string = nowIso(),
): Promise<ReaderSettings> {
  const stamp = clampToNow(at);
  const values = { font_size: s.fontSize, theme: s.theme, line_height: s.lineHeight, updated_at: stamp };
  await db
    .insertInto('lib_reader_settings')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values).where('lib_reader_settings.updated_at', '<', stamp))
    .execute();
  return getReaderSettings(db, userId);
}
