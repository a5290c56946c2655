/**
 * Places: the things threads belong to (a forum category, a club, a club milestone, a contest, a
 * course). The engine knows none of them: each area registers a policy for its place type once
 * (forums in app/domain/forums/place.server.ts), and `app/domain/places.server.ts` imports every
 * area's registration so that any caller sees all of them.
 */
import type { DB } from '~/lib/db.server';

export interface PlaceRef {
  type: string;
  id: string;
}

export interface PlaceInfo {
  /** The unit whose organisers and moderators look after the place (review queue, watched words). */
  unitId: string;
  name: string;
  /** Readable by anyone, signed in or not: threads go into the shared search, minors' posts wait for review. */
  isPublic: boolean;
  /**
   * Optional: every member may read it, with no per-member rule (a public forum category), so a
   * notice's recipients need no read check one by one.
   */
  readableByAll?: boolean;
  /** Slow mode of the whole place (seconds between two posts of one member), 0 when off. */
  slowModeS: number;
  /** Where a thread of this place is read. */
  threadUrl: (threadId: string) => string;
}

export interface PlacePolicy {
  describe(db: DB, placeId: string): Promise<PlaceInfo | null>;
  canRead(db: DB, userId: string | null, placeId: string): Promise<boolean>;
  canPost(db: DB, userId: string, placeId: string): Promise<boolean>;
  canModerate(db: DB, userId: string, placeId: string): Promise<boolean>;
  /** True when both members belong to the place's own circle (a club's members, a class): minors may be mentioned there. */
  sameCircle?(db: DB, userA: string, userB: string, placeId: string): Promise<boolean>;
  /**
   * Something of the place's threads changed (a post, an edit, a removal, a reaction, a moderator's
   * action): the area re-renders what it shows publicly (forums: the page cache). Called after the
   * write has committed; `threadId` is null when the place itself changed.
   */
  changed?(db: DB, placeId: string, threadId: string | null): Promise<void>;
  /**
   * Optional: `changed` written inside the caller's write transaction (a reply: one commit for
   * the post and its page-cache bump instead of two); returns what to run after the commit.
   * Without it, the engine calls `changed` after the commit.
   */
  changedIn?(trx: DB, placeId: string, threadId: string | null): Promise<() => void>;
  /**
   * Optional: true leaves a reply's notices (followers, mentions) to the `community:outbox` job,
   * which writes them in batches a moment later — for busy places (public forums), so a post costs
   * one commit. Otherwise the reply works its own outbox row through right after its commit.
   */
  deferNotices?: boolean;
  /**
   * Optional: `describe` and `canRead`/`canPost` in one look-up of the place (a reply asks all of
   * them; forums read the category once instead of three times). Must agree with the three.
   */
  access?(db: DB, userId: string, placeId: string): Promise<{ info: PlaceInfo; read: boolean; post: boolean } | null>;
}

const registry = new Map<string, PlacePolicy>();

export function registerPlace(type: string, policy: PlacePolicy): void {
  registry.set(type, policy);
}

export function placePolicy(type: string): PlacePolicy | null {
  return registry.get(type) ?? null;
}

export async function describePlace(db: DB, place: PlaceRef): Promise<PlaceInfo | null> {
  const p = placePolicy(place.type);
  return p ? p.describe(db, place.id) : null;
}

export async function canReadPlace(db: DB, userId: string | null, place: PlaceRef): Promise<boolean> {
  const p = placePolicy(place.type);
  return p ? p.canRead(db, userId, place.id) : false;
}

export async function canPostPlace(db: DB, userId: string, place: PlaceRef): Promise<boolean> {
  const p = placePolicy(place.type);
  return p ? p.canPost(db, userId, place.id) : false;
}

export async function canModeratePlace(db: DB, userId: string, place: PlaceRef): Promise<boolean> {
  const p = placePolicy(place.type);
  return p ? p.canModerate(db, userId, place.id) : false;
}

/** The place's description and whether the member may read and post there (null: no such place). */
export async function placeAccess(
  db: DB,
  userId: string,
  place: PlaceRef,
): Promise<{ info: PlaceInfo; read: boolean; post: boolean } | null> {
  const p = placePolicy(place.type);
  if (!p) return null;
  if (p.access) return p.access(db, userId, place.id);
  const info = await p.describe(db, place.id);
  if (!info) return null;
  const read = await p.canRead(db, userId, place.id);
  return { info, read, post: read && (await p.canPost(db, userId, place.id)) };
}

/** Tells the place's area that one of its threads changed (see `PlacePolicy.changed`). */
export async function placeChanged(db: DB, place: PlaceRef, threadId: string | null): Promise<void> {
  const p = placePolicy(place.type);
  if (p?.changed) await p.changed(db, place.id, threadId);
}

/**
 * `placeChanged` for a caller inside its write transaction: the place's own in-transaction hook when
 * it has one, else `changed` deferred. Call the returned function with the application's `db` once
 * the transaction has committed.
 */
export async function placeChangedIn(trx: DB, place: PlaceRef, threadId: string | null): Promise<(db: DB) => Promise<void>> {
  const p = placePolicy(place.type);
  if (p?.changedIn) {
    const after = await p.changedIn(trx, place.id, threadId);
    return async () => after();
  }
  return (db) => placeChanged(db, place, threadId);
}
