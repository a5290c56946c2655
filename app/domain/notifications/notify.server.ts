/**
 * The notification centre: one `notify()` for every area. A notice is a row for one member
 * (in-app: the bell and /notifications); its email goes out immediately, in the next daily
 * digest or never, as the member chose per type (defaults in ./types.ts, conservative for minors).
 * Mail itself is sent by the periodic jobs (./mail.server.ts), never inside the caller's request.
 */
import { sql } from 'kysely';

import type { EmailMode } from '~/db/schema';
import { canReadPlace, type PlaceRef } from '~/domain/discussion/places.server';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';

import { pushingUsers } from './push.server';
import { CONFIGURABLE_TYPES, isMinor, isNotificationType, NOTIFICATION_TYPES, type NotificationType } from './types';

export interface NotifyInput {
  userId: string;
  type: NotificationType;
  /** Plain-text values for the message placeholders (never HTML). */
  params?: Record<string, string | number>;
  /** A same-site path to open (`/forums/t/…#post-3`). */
  url?: string | null;
  /** The place the notice is about: members who can no longer read it no longer see the notice. */
  place?: PlaceRef | null;
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
 * push subscriptions read in three queries per batch, the notices written in one insert.
 */
export async function notifyMany(db: DB, inputs: NotifyInput[]): Promise<string[]> {
  const ids: string[] = [];
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
    const undecided = users.filter((u) => part.some((x) => x.userId === u && !chosen.has(`${u} ${x.type}`)));
    const born = new Map(
      undecided.length
        ? (await db.selectFrom('users').select(['id', 'birth_year']).where('id', 'in', undecided).execute()).map((u) => [
            u.id,
            u.birth_year,
          ])
        : [],
    );
    const pushing = await pushingUsers(db, users);
    const rows = part.map((input) => {
      const now = input.now ?? new Date();
      const def = NOTIFICATION_TYPES[input.type];
      const mode = chosen.get(`${input.userId} ${input.type}`) ?? (isMinor(born.get(input.userId), now) ? def.minor : def.adult);
      const id = newId();
      ids.push(id);
      return {
        id,
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
      };
    });
    if (rows.length) await db.insertInto('notif_notifications').values(rows).execute();
  }
  return ids;
}

/** The bell: one count on the partial index of unread rows. */
export async function unreadCount(db: DB, userId: string): Promise<number> {
  const r = await db
    .selectFrom('notif_notifications')
    .select(sql<number>`count(*)`.as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
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

/**
 * A member's notices, newest first, optionally of types starting with `prefix` ('library.').
 * Notices about a place the member can no longer read are left out.
 */
export async function listNotifications(
  db: DB,
  userId: string,
  opts: { limit?: number; offset?: number; prefix?: string; unreadOnly?: boolean } = {},
): Promise<NotificationView[]> {
  let q = db
    .selectFrom('notif_notifications')
    .select(['id', 'type', 'params', 'url', 'place_type', 'place_id', 'created_at', 'read_at'])
    .where('user_id', '=', userId);
  if (opts.prefix) q = q.where('type', 'like', `${opts.prefix.replace(/[%_]/g, '')}%`);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(opts.limit ?? 30, 100))
    .offset(opts.offset ?? 0)
    .execute();
  const readable = new Map<string, boolean>();
  const out: NotificationView[] = [];
  for (const r of rows) {
    if (!isNotificationType(r.type)) continue;
    if (r.place_type && r.place_id) {
      const key = `${r.place_type}:${r.place_id}`;
      if (!readable.has(key)) readable.set(key, await canReadPlace(db, userId, { type: r.place_type, id: r.place_id }));
      if (!readable.get(key)) continue;
    }
    out.push({
      id: r.id,
      type: r.type,
      message: NOTIFICATION_TYPES[r.type].message,
      params: parseParams(r.params),
      url: r.url,
      createdAt: r.created_at,
      unread: !r.read_at,
    });
  }
  return out;
}

/** Marks the member's notices read: the given ones, or all (optionally of one type prefix). */
export async function markRead(db: DB, userId: string, opts: { ids?: string[]; prefix?: string } = {}, now = new Date()): Promise<number> {
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
