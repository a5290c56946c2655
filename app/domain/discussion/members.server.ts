/**
 * Who a member is to the discussion engine: established or new (Discourse's trust levels,
 * simplified), a minor or not, how their name is shown, whether they are silenced, and which
 * units they moderate (organisers of the unit's subtree and the moderators they appoint).
 */
import { prepareQuery } from '~/db/prepared';
import { hasRole } from '~/domain/accounts.server';
import { isMinor } from '~/domain/notifications/types';
import type { DB } from '~/lib/db.server';

export { isMinor };

const DAY_MS = 24 * 3600_000;

/** New-member limits (an account younger than a day, or that has never read a thread). */
export const NEW_MEMBER = { threadsPerDay: 3, repliesPerDay: 10, links: 2, images: 0 } as const;
/** Limits for everyone. */
export const ANY_MEMBER = { links: 20, maxChars: 20_000, titleMax: 200 } as const;

/** Established: an account at least a day old with read activity. Limits lift as soon as both hold. */
export async function isEstablished(db: DB, userId: string, now: Date): Promise<boolean> {
  const u = await db.selectFrom('users').select('created_at').where('id', '=', userId).executeTakeFirst();
  if (!u || !oldEnough(u.created_at, now)) return false;
  const read = await db.selectFrom('disc_reads').select('thread_id').where('user_id', '=', userId).limit(1).executeTakeFirst();
  return !!read;
}

function oldEnough(createdAt: string, now: Date): boolean {
  return now.getTime() - new Date(createdAt).getTime() >= DAY_MS;
}

/** SQLite answers `exists` with 0 / 1, PostgreSQL with false / true. */
function yes(v: unknown): boolean {
  return v === true || v === 1 || v === '1';
}

// A post's checks ask all of these of its author: one statement, built and compiled once (~/db/prepared).
const standingQuery = prepareQuery((db: DB, userId: string, unitId: string, at: string) =>
  db
    .selectFrom('users as u')
    .select((eb) => [
      'u.created_at',
      'u.birth_year',
      eb.exists(eb.selectFrom('disc_reads as r').select('r.thread_id').where('r.user_id', '=', userId)).as('has_read'),
      eb
        .exists(
          eb
            .selectFrom('disc_silences as s')
            .innerJoin('unit_closure as c', 'c.ancestor_id', 's.unit_id')
            .select('s.user_id')
            .where('s.user_id', '=', userId)
            .where('c.descendant_id', '=', unitId)
            .where('s.until', '>', at),
        )
        .as('silenced'),
    ])
    .where('u.id', '=', userId),
);

export interface MemberStanding {
  createdAt: string;
  birthYear: number | null;
  /** `isEstablished`, from the same row. */
  established: boolean;
  /** A moderator's silence covering the unit (set on it or an ancestor) is still running. */
  silenced: boolean;
}

/**
 * What a post's checks read of its author in one statement: the account's age and birth year, the
 * new-member rule (`isEstablished`) and whether a moderator's silence covering `unitId` (set on it
 * or an ancestor) is still running. Null for an unknown account.
 */
export async function memberStanding(db: DB, userId: string, unitId: string, now: Date): Promise<MemberStanding | null> {
  const r = await standingQuery.executeTakeFirst(db, userId, unitId, now.toISOString());
  if (!r) return null;
  return {
    createdAt: r.created_at,
    birthYear: r.birth_year,
    established: oldEnough(r.created_at, now) && yes(r.has_read),
    silenced: yes(r.silenced),
  };
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

// Read on every post (built and compiled once).
const watchedWordsQuery = prepareQuery((db: DB, unitId: string) =>
  db
    .selectFrom('disc_watched_words as w')
    .innerJoin('unit_closure as c', 'c.ancestor_id', 'w.unit_id')
    .select(['w.word', 'w.action'])
    .where('c.descendant_id', '=', unitId),
);

/** Watched words of the unit and every ancestor. */
export function watchedWordsFor(db: DB, unitId: string) {
  return watchedWordsQuery.execute(db, unitId);
}
