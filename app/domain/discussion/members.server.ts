/**
 * Who a member is to the discussion engine: established or new (Discourse's trust levels,
 * simplified), a minor or not, how their name is shown, whether they are silenced, and which
 * units they moderate (organisers of the unit's subtree and the moderators they appoint).
 */
import { hasRole } from '~/domain/accounts.server';
import { isMinor } from '~/domain/notifications/types';
import type { DB } from '~/lib/db.server';

export { isMinor };

const DAY_MS = 24 * 3600_000;

/** New-member limits (an account younger than a day, or that has never read a thread). */
export const NEW_MEMBER = { threadsPerDay: 3, repliesPerDay: 10, links: 2, images: 0 } as const;
/** Limits for everyone. */
export const ANY_MEMBER = { links: 20, maxChars: 20_000, titleMax: 200 } as const;

/** Established: an account at least a day old with read activity. Limits lift as soon as both hold. `known`: the member's row, already read. */
export async function isEstablished(db: DB, userId: string, now: Date, known?: { created_at: string } | null): Promise<boolean> {
  const u = known === undefined ? await db.selectFrom('users').select('created_at').where('id', '=', userId).executeTakeFirst() : known;
  if (!u || now.getTime() - new Date(u.created_at).getTime() < DAY_MS) return false;
  const read = await db.selectFrom('disc_reads').select('thread_id').where('user_id', '=', userId).limit(1).executeTakeFirst();
  return !!read;
}

/**
 * The name shown to others. Members under 15 show only their given name (tên: the last word of a
 * Vietnamese full name, "Nguyễn Thị Lan" → "Lan").
 */
export function publicName(displayName: string, birthYear: number | null, now = new Date()): string {
  if (!isMinor(birthYear, now)) return displayName;
  const words = displayName.trim().split(/\s+/);
  return words[words.length - 1] ?? displayName;
}

/** True when the member is a moderator of the unit: organiser (or admin) of it or an ancestor, or appointed there or above. */
export async function isUnitModerator(db: DB, userId: string, unitId: string): Promise<boolean> {
  if (await hasRole(db, userId, unitId, 'organiser')) return true;
  const row = await db
    .selectFrom('disc_moderators as m')
    .innerJoin('unit_closure as c', 'c.ancestor_id', 'm.unit_id')
    .select('m.user_id')
    .where('m.user_id', '=', userId)
    .where('c.descendant_id', '=', unitId)
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

/** The units whose review queue the member looks after (where they hold the role directly). */
export async function moderatedUnits(db: DB, userId: string) {
  const [granted, appointed] = await Promise.all([
    db
      .selectFrom('role_grants as g')
      .innerJoin('units as u', 'u.id', 'g.unit_id')
      .select(['u.id', 'u.slug', 'u.name', 'u.name_en', 'u.depth'])
      .where('g.user_id', '=', userId)
      .where('g.role', 'in', ['organiser', 'admin'])
      .execute(),
    db
      .selectFrom('disc_moderators as m')
      .innerJoin('units as u', 'u.id', 'm.unit_id')
      .select(['u.id', 'u.slug', 'u.name', 'u.name_en', 'u.depth'])
      .where('m.user_id', '=', userId)
      .execute(),
  ]);
  const seen = new Map<string, (typeof granted)[number]>();
  for (const u of [...granted, ...appointed]) seen.set(u.id, u);
  return [...seen.values()].sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name, 'vi'));
}

/** The silence covering this unit (set on it or an ancestor) that is still running, if any. */
export async function activeSilence(db: DB, userId: string, unitId: string, now: Date) {
  return db
    .selectFrom('disc_silences as s')
    .innerJoin('unit_closure as c', 'c.ancestor_id', 's.unit_id')
    .select(['s.until', 's.reason'])
    .where('s.user_id', '=', userId)
    .where('c.descendant_id', '=', unitId)
    .where('s.until', '>', now.toISOString())
    .orderBy('s.until', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Watched words of the unit and every ancestor. */
export function watchedWordsFor(db: DB, unitId: string) {
  return db
    .selectFrom('disc_watched_words as w')
    .innerJoin('unit_closure as c', 'c.ancestor_id', 'w.unit_id')
    .select(['w.word', 'w.action'])
    .where('c.descendant_id', '=', unitId)
    .execute();
}
