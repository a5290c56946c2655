/**
 * The notification centre: one `notify()` for every area. A notice is a row for one member
 * (in-app: the bell and /notifications); its email goes out immediately, in the next daily
 * digest or never, as the member chose per type (defaults in ./types.ts, conservative for minors).
 * Mail itself is sent by the periodic jobs (./mail.server.ts), never inside the caller's request.
 */
import { type Insertable, sql } from 'kysely';

import { isPostgres } from '~/db/dialect';
import { prepareQuery } from '~/db/prepared';
import type { Database, EmailMode } from '~/db/schema';
import { canReadPlace, type PlaceRef } from '~/domain/discussion/places.server';
import type { DB } from '~/lib/db.server';
import { newTimeOrderedId } from '~/lib/ids.server';

import { pushingUsers } from './push.server';
import { CONFIGURABLE_TYPES, isMinor, isNotificationType, noticeMessage, NOTIFICATION_TYPES, type NotificationType } from './types';

export interface NotifyInput {
  userId: string;
  type: NotificationType;
  /** Plain-text values for the message placeholders (never HTML). */
  params?: Record<string, string | number>;
  /** A same-site path to open (`/forums/t/…#post-3`). */
  url?: string | null;
  /** The place the notice is about: members who can no longer read it no longer see the notice. */
  place?: PlaceRef | null;
  /**
   * Gathers notices while unread (`thread:<id>`, for a type with a `collapsed` message): a member
   * who already has an unread notice with this key gets its count raised instead of a new notice
   * (see `writeNotices`).
   */
  collapseKey?: string | null;
  now?: Date;
}

/** The email mode of one type for one member: their choice, else the type's default for their age. */
export async function emailMode(db: DB, userId: string, type: NotificationType, now = new Date()): Promise<EmailMode> {
  const pref = await db.selectFrom('notif_prefs').select('mode').where('user_id', '=', userId).where('type', '=', type).executeTakeFirst();
  if (pref) return pref.mode;
  const u = await db.selectFrom('users').select('birth_year').where('id', '=', userId).executeTakeFirst();
  const def = NOTIFICATION_TYPES[type];
  return isMinor(u?.birth_year, now) ? def.minor : def.adult;
}

export async function notify(db: DB, input: NotifyInput): Promise<string> {
  return (await notifyMany(db, [input]))[0]!;
}

const MAX_BATCH = 500;

/**
 * `notify()` for many recipients at once (a thread's followers): their email choices, ages and
 * push subscriptions read in three queries per batch, the notices written in one insert. Returns
 * the new rows' ids; an input gathered into an existing notice (a `collapseKey`) has no row of its
 * own, so its id is not stored.
 */
export async function notifyMany(db: DB, inputs: NotifyInput[]): Promise<string[]> {
  const rows = await noticeRows(db, inputs);
  await writeNotices(db, rows);
  return rows.map((r) => r.id);
}

/** A notice ready to be written (`noticeRows`), in the order of its input. */
export type NewNotice = Insertable<Database['notif_notifications']> & { id: string };

/**
 * The rows `notifyMany` writes, one per input in the same order, read from the recipients' email
 * choices, ages and push subscriptions — without writing anything, so a caller with many notices
 * (the discussion outbox) can work them out before it takes the write lock.
 */
export async function noticeRows(db: DB, inputs: NotifyInput[]): Promise<NewNotice[]> {
  const out: NewNotice[] = [];
  for (let i = 0; i < inputs.length; i += MAX_BATCH) {
    const part = inputs.slice(i, i + MAX_BATCH);
    const users = [...new Set(part.map((x) => x.userId))];
    const types = [...new Set(part.map((x) => x.type))];
    const prefs = await db
      .selectFrom('notif_prefs')
      .select(['user_id', 'type', 'mode'])
      .where('user_id', 'in', users)
      .where('type', 'in', types)
      .execute();
    const chosen = new Map(prefs.map((p) => [`${p.user_id} ${p.type}`, p.mode]));
    const undecided = [...new Set(part.filter((x) => !chosen.has(`${x.userId} ${x.type}`)).map((x) => x.userId))];
    const born = new Map(
      undecided.length
        ? (await db.selectFrom('users').select(['id', 'birth_year']).where('id', 'in', undecided).execute()).map((u) => [
            u.id,
            u.birth_year,
          ])
        : [],
    );
    const pushing = await pushingUsers(db, users);
    for (const input of part) {
      const now = input.now ?? new Date();
      const def = NOTIFICATION_TYPES[input.type];
      const mode = chosen.get(`${input.userId} ${input.type}`) ?? (isMinor(born.get(input.userId), now) ? def.minor : def.adult);
      out.push({
        id: newTimeOrderedId(),
        user_id: input.userId,
        type: input.type,
        params: JSON.stringify(input.params ?? {}),
        url: input.url ?? null,
        place_type: input.place?.type ?? null,
        place_id: input.place?.id ?? null,
        created_at: now.toISOString(),
        read_at: null,
        email: mode === 'immediate' ? ('pending' as const) : mode === 'digest' ? ('digest' as const) : ('none' as const),
        claim: null,
        emailed_at: null,
        push: pushing.has(input.userId) ? ('pending' as const) : ('none' as const),
        // Only a type with a message for several events gathers (else each notice stands alone).
        collapse_key: (def as { collapsed?: string }).collapsed ? (input.collapseKey ?? null) : null,
        count: 1,
      });
    }
  }
  return out;
}

/**
 * A gathered notice moves back to the top of the member's list (its `created_at` set to the new
 * event's) only once it is this old; within it, further events only raise its count. A burst of
 * replies to a thread then costs one indexed update a follower on SQLite (~5 µs of the write lock)
 * instead of a new row in the table's five indexes (~70 µs), and the list does not reshuffle under
 * a busy thread; a reply the next morning still brings the notice to the top. A notice waiting for
 * the daily digest keeps its time (the digest takes notices from before midnight: moving one to
 * today would hold its replies back a day, every day for a thread answered each night).
 */
export const COLLAPSE_MOVE_AFTER_MS = 60 * 60 * 1000;

/**
 * A gathered notice's delivery state (`email` or `push`) when a new event arrives: going again by
 * the member's current choice (the new row's) if it went out, is being sent or was off; else as it is.
 */
const rearm = <T>(column: 'email' | 'push') =>
  sql<T>`case when ${sql.ref(`notif_notifications.${column}`)} in ('sent', 'sending', 'none') then ${sql.ref(`excluded.${column}`)} else ${sql.ref(`notif_notifications.${column}`)} end`;

/**
 * Writes rows from `noticeRows` (MAX_BATCH an insert). A row with a `collapse_key` gathers into the
 * member's unread notice with that key when there is one:
 * 1. (SQLite) a recent notice — or one waiting for the digest — whose email and push wait in the
 *    same state as the new row's (not yet gone out, not being sent, the member's choice unchanged)
 *    only has its `count` raised: one UPDATE per count and states for every (member, key) pair,
 *    touching no indexed column;
 * 2. the rest are inserted with ON CONFLICT on the partial unique index (one unread notice per
 *    member and key): an older notice moves to the top with the new time (not one waiting for the
 *    digest), and an email or push that went out, is being sent, or was off is set going again by
 *    the member's current choice, with the new count — a busy thread sends a member at most one
 *    email per mail run, not one per reply. The mail and push jobs mark a notice sent only if it is
 *    still the one they claimed (`sending`), so an event arriving during a send is not lost.
 * On PostgreSQL only step 2 runs, as one statement in (member, key) order: two writers lock the
 * rows they share in the same order, and updating `count` there is a HOT update anyway.
 * Rows for the same member and key in one call are merged first (the earliest kept, counts added):
 * PostgreSQL refuses an upsert that touches one row twice.
 */
export async function writeNotices(db: DB, rows: NewNotice[]): Promise<void> {
  const plain: NewNotice[] = [];
  const merged = new Map<string, NewNotice & { count: number }>();
  for (const r of rows) {
    if (!r.collapse_key) {
      plain.push(r);
      continue;
    }
    const k = `${r.user_id} ${r.collapse_key}`;
    const m = merged.get(k);
    if (!m) merged.set(k, { ...r, count: r.count ?? 1 });
    else {
      m.count += r.count ?? 1;
      if (r.created_at < m.created_at) Object.assign(m, { ...r, count: m.count });
    }
  }
  for (let i = 0; i < plain.length; i += MAX_BATCH)
    await db
      .insertInto('notif_notifications')
      .values(plain.slice(i, i + MAX_BATCH))
      .execute();
  if (!merged.size) return;
  const gathered = [...merged.values()].sort((x, y) =>
    x.user_id < y.user_id ? -1 : x.user_id > y.user_id ? 1 : x.collapse_key! < y.collapse_key! ? -1 : 1,
  );
  const oldest = gathered.reduce((a, r) => (r.created_at < a ? r.created_at : a), gathered[0]!.created_at);
  const moveBefore = new Date(Date.parse(oldest) - COLLAPSE_MOVE_AFTER_MS).toISOString();
  const done = new Set<string>();
  if (!isPostgres(db)) {
    // 1. Raise the count of unread notices still waiting as the new row would: one statement for
    // every (member, key) pair of the same count and states, whatever the key (an outbox batch
    // gathers replies to a hundred threads).
    const groups = new Map<string, { count: number; email: string; push: string; pairs: [string, string][] }>();
    for (const r of gathered) {
      const g = `${r.count} ${r.email} ${r.push}`;
      const group = groups.get(g) ?? { count: r.count, email: r.email, push: r.push ?? 'none', pairs: [] };
      group.pairs.push([r.user_id, r.collapse_key!]);
      groups.set(g, group);
    }
    for (const g of groups.values())
      for (let i = 0; i < g.pairs.length; i += MAX_BATCH / 2) {
        const pairs = g.pairs.slice(i, i + MAX_BATCH / 2).map(([u, k]) => sql`(${u}, ${k})`);
        let q = db
          .updateTable('notif_notifications')
          .set({ count: sql<number>`count + ${g.count}` })
          // `collapse_key is not null` spelled out: with it SQLite uses the partial unique index.
          .where(sql<boolean>`(user_id, collapse_key) in (values ${sql.join(pairs)})`)
          .where('collapse_key', 'is not', null)
          .where('read_at', 'is', null)
          .where('email', '=', g.email as NewNotice['email'])
          .where('push', '=', g.push as 'none' | 'pending');
        if (g.email !== 'digest') q = q.where('created_at', '>=', moveBefore);
        for (const u of await q.returning(['user_id', 'collapse_key']).execute()) done.add(`${u.user_id} ${u.collapse_key}`);
      }
  }
  // 2. The others: a new notice, or the unread one moved up and set going again.
  const rest = gathered.filter((r) => !done.has(`${r.user_id} ${r.collapse_key}`));
  for (let i = 0; i < rest.length; i += MAX_BATCH)
    await db
      .insertInto('notif_notifications')
      .values(rest.slice(i, i + MAX_BATCH))
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'collapse_key'])
          .where('read_at', 'is', null)
          .where('collapse_key', 'is not', null)
          .doUpdateSet((eb) => ({
            count: eb(eb.ref('notif_notifications.count'), '+', eb.ref('excluded.count')),
            created_at: eb
              .case()
              .when(eb.and([eb('notif_notifications.created_at', '<', moveBefore), eb('notif_notifications.email', '!=', 'digest')]))
              .then(eb.ref('excluded.created_at'))
              .else(eb.ref('notif_notifications.created_at'))
              .end(),
            email: rearm<NewNotice['email']>('email'),
            push: rearm<'none' | 'pending' | 'sending' | 'sent'>('push'),
          })),
      )
      .execute();
}

/**
 * What an unread gathered notice is about moved (a thread moved to another category): the notice
 * follows, so the read check of the list and the mail is the new place's, as for its next replies.
 */
export async function moveGatheredNotices(db: DB, collapseKey: string, place: PlaceRef): Promise<void> {
  await db
    .updateTable('notif_notifications')
    .set({ place_type: place.type, place_id: place.id })
    .where('collapse_key', '=', collapseKey)
    .where('read_at', 'is', null)
    .execute();
}

// The bell's count runs on every signed-in page: built and compiled once (~/db/prepared), one
// statement on the partial index notif_unread_idx.
const unreadQuery = prepareQuery((db: DB, userId: string) =>
  db
    .selectFrom('notif_notifications')
    .select(sql<number>`count(*)`.as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null),
);

/** The bell: one count on the partial index of unread rows. */
export async function unreadCount(db: DB, userId: string): Promise<number> {
  const r = await unreadQuery.executeTakeFirst(db, userId);
  return Number(r?.n ?? 0);
}

export interface NotificationView {
  id: string;
  type: NotificationType;
  message: string;
  params: Record<string, string | number>;
  url: string | null;
  createdAt: string;
  unread: boolean;
}

function parseParams(s: string): Record<string, string | number> {
  try {
    const v = JSON.parse(s) as unknown;
    if (!v || typeof v !== 'object') return {};
    const out: Record<string, string | number> = {};
    for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number') out[k] = x;
    return out;
  } catch {
    return {};
  }
}

type NoticeRow = {
  id: string;
  type: string;
  params: string;
  url: string | null;
  place_type: string | null;
  place_id: string | null;
  created_at: string;
  read_at: string | null;
  count: number;
};

/** Rows to views, leaving out notices about a place the member can no longer read (one check per distinct place). */
async function toViews(db: DB, userId: string, rows: NoticeRow[]): Promise<NotificationView[]> {
  const readable = new Map<string, boolean>();
  const out: NotificationView[] = [];
  for (const r of rows) {
    if (!isNotificationType(r.type)) continue;
    if (r.place_type && r.place_id) {
      const key = `${r.place_type}:${r.place_id}`;
      if (!readable.has(key)) readable.set(key, await canReadPlace(db, userId, { type: r.place_type, id: r.place_id }));
      if (!readable.get(key)) continue;
    }
    const m = noticeMessage(r.type, parseParams(r.params), Number(r.count));
    out.push({
      id: r.id,
      type: r.type,
      message: m.key,
      params: m.params as Record<string, string | number>,
      url: r.url,
      createdAt: r.created_at,
      unread: !r.read_at,
    });
  }
  return out;
}

const NOTICE_COLUMNS = ['id', 'type', 'params', 'url', 'place_type', 'place_id', 'created_at', 'read_at', 'count'] as const;

/**
 * A member's notices, newest first, optionally of types starting with `prefix` ('library.').
 * Notices about a place the member can no longer read are left out.
 */
export async function listNotifications(
  db: DB,
  userId: string,
  opts: { limit?: number; offset?: number; prefix?: string; unreadOnly?: boolean } = {},
): Promise<NotificationView[]> {
  let q = db.selectFrom('notif_notifications').select(NOTICE_COLUMNS).where('user_id', '=', userId);
  if (opts.prefix) q = q.where('type', 'like', `${opts.prefix.replace(/[%_]/g, '')}%`);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(opts.limit ?? 30, 100))
    .offset(opts.offset ?? 0)
    .execute();
  return toViews(db, userId, rows);
}

/** A position in a member's notices (keyset pagination): the instant and id of a notice. */
export interface NoticeCursor {
  at: string;
  id: string;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)_([A-Za-z0-9-]{1,40})$/;

/** `?before=`/`?after=` values: `<ISO instant>_<id>`; anything else is no cursor (the first page). */
export function parseNoticeCursor(v: string | null | undefined): NoticeCursor | null {
  const m = v ? CURSOR.exec(v) : null;
  return m ? { at: m[1]!, id: m[2]! } : null;
}

export function noticeCursor(n: { createdAt: string; id: string } | { created_at: string; id: string }): string {
  return `${'createdAt' in n ? n.createdAt : n.created_at}_${n.id}`;
}

export interface NotificationsPage {
  notes: NotificationView[];
  /** Cursor of the next page of older notices (`?before=`), or null on the last page. */
  older: string | null;
  /** Cursor of the page of newer notices (`?after=`), or null on the first page. */
  newer: string | null;
}

// The three keyset queries of a page (first / older / newer), each on (user_id, created_at, id),
// built and compiled once (~/db/prepared): `/notifications` runs one on every request.
const NOTICE_TABLE = 'notif_notifications';
const firstPageQuery = prepareQuery((db: DB, userId: string, limit: number) =>
  db
    .selectFrom(NOTICE_TABLE)
    .select(NOTICE_COLUMNS)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit),
);
const olderPageQuery = prepareQuery((db: DB, userId: string, at: string, id: string, limit: number) =>
  db
    .selectFrom(NOTICE_TABLE)
    .select(NOTICE_COLUMNS)
    .where('user_id', '=', userId)
    .where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(at, id)))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit),
);
const newerPageQuery = prepareQuery((db: DB, userId: string, at: string, id: string, limit: number) =>
  db
    .selectFrom(NOTICE_TABLE)
    .select(NOTICE_COLUMNS)
    .where('user_id', '=', userId)
    .where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(at, id)))
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(limit),
);

/**
 * One page of the notifications centre, by keyset (like GitHub's and Discourse's lists): the page
 * after a cursor stays the same page when new notices arrive or some are marked read, so a reader
 * who marks one read comes back to where they were, read and unread notices kept in place. One
 * indexed query on (user_id, created_at, id) for the page, plus one read check per distinct place;
 * `after` that reaches the newest notices is the first page.
 */
export async function notificationsPage(
  db: DB,
  userId: string,
  opts: { before?: NoticeCursor | null; after?: NoticeCursor | null; limit?: number } = {},
): Promise<NotificationsPage> {
  const limit = Math.min(Math.max(opts.limit ?? 30, 1), 100);
  if (opts.after) {
    const { at, id } = opts.after;
    const rows = await newerPageQuery.execute(db, userId, at, id, limit + 1);
    if (rows.length > limit) {
      const page = rows.slice(0, limit).reverse();
      return { notes: await toViews(db, userId, page), older: noticeCursor(page.at(-1)!), newer: noticeCursor(page[0]!) };
    }
    // Nothing newer beyond this page: the first page (the newest notices) itself.
  }
  const before = opts.after ? null : (opts.before ?? null);
  const rows = before
    ? await olderPageQuery.execute(db, userId, before.at, before.id, limit + 1)
    : await firstPageQuery.execute(db, userId, limit + 1);
  const page = rows.slice(0, limit);
  return {
    notes: await toViews(db, userId, page),
    older: rows.length > limit ? noticeCursor(page.at(-1)!) : null,
    newer: before && page.length ? noticeCursor(page[0]!) : null,
  };
}

/**
 * Marks the member's notices read: the given ones, or all (optionally of one type prefix, or the
 * unread notice gathering one key: a thread read to its end).
 */
export async function markRead(
  db: DB,
  userId: string,
  opts: { ids?: string[]; prefix?: string; collapseKey?: string } = {},
  now = new Date(),
): Promise<number> {
  let q = db
    .updateTable('notif_notifications')
    .set({ read_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (opts.ids) {
    if (!opts.ids.length) return 0;
    q = q.where('id', 'in', opts.ids);
  }
  if (opts.prefix) q = q.where('type', 'like', `${opts.prefix.replace(/[%_]/g, '')}%`);
  if (opts.collapseKey) {
    // Asked on every "read to the end" of a thread: a read on the partial unique index first, so a
    // reader without such a notice (most) takes no write lock for nothing.
    const gathered = await db
      .selectFrom('notif_notifications')
      .select('id')
      .where('user_id', '=', userId)
      .where('collapse_key', '=', opts.collapseKey)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    if (!gathered) return 0;
    q = q.where('id', '=', gathered.id);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows ?? 0);
}

// ---- preferences ----

export async function emailPreferences(
  db: DB,
  userId: string,
  now = new Date(),
): Promise<Array<{ type: NotificationType; mode: EmailMode }>> {
  return Promise.all(CONFIGURABLE_TYPES.map(async (type) => ({ type, mode: await emailMode(db, userId, type, now) })));
}

export async function setEmailPreferences(
  db: DB,
  userId: string,
  prefs: Partial<Record<NotificationType, EmailMode>>,
  now = new Date(),
): Promise<void> {
  for (const [type, mode] of Object.entries(prefs) as Array<[NotificationType, EmailMode]>) {
    if (!isNotificationType(type) || !NOTIFICATION_TYPES[type].configurable) continue;
    await db
      .insertInto('notif_prefs')
      .values({ user_id: userId, type, mode, updated_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['user_id', 'type']).doUpdateSet({ mode, updated_at: now.toISOString() }))
      .execute();
    // Mail not yet sent follows the new choice.
    await db
      .updateTable('notif_notifications')
      .set({ email: mode === 'immediate' ? 'pending' : mode === 'digest' ? 'digest' : 'none' })
      .where('user_id', '=', userId)
      .where('type', '=', type)
      .where('email', 'in', ['pending', 'digest'])
      .execute();
  }
}
