/**
 * Reading clubs as places of the shared discussion engine:
 * - 'club' (place id = the club): ordinary club threads, read by whoever may see the club's
 *   inside (anyone for a public club), written by its active members;
 * - 'club_milestone' (place id = a milestone): one thread per part of the book, read only by
 *   members who have finished that part or chose to reveal it, and by the club's moderators.
 */
import type { PlaceInfo, PlacePolicy } from '~/domain/discussion/places.server';
import { registerPlace } from '~/domain/discussion/places.server';
import type { DB } from '~/lib/db.server';

import { clubAccess } from './access.server';
import { bumpClub } from './cache.server';
import { CLUB_PLACE, MILESTONE_PLACE, milestoneGate } from './schedule.server';

function threadUrlFor(slug: string) {
  return (threadId: string) => `/clubs/${slug}/t/${threadId}`;
}

async function bothMembers(db: DB, clubId: string, a: string, b: string): Promise<boolean> {
  const rows = await db
    .selectFrom('club_members')
    .select('user_id')
    .where('club_id', '=', clubId)
    .where('status', '=', 'active')
    .where('user_id', 'in', [a, b])
    .execute();
  return rows.length === 2;
}

export const clubPolicy: PlacePolicy = {
  async describe(db, clubId): Promise<PlaceInfo | null> {
    const c = await db
      .selectFrom('club_clubs')
      .select(['unit_id', 'name', 'slug', 'visibility', 'status'])
      .where('id', '=', clubId)
      .executeTakeFirst();
    if (!c) return null;
    return {
      unitId: c.unit_id,
      name: c.name,
      isPublic: c.visibility === 'public' && c.status === 'active',
      slowModeS: 0,
      threadUrl: threadUrlFor(c.slug),
    };
  },
  async canRead(db, userId, clubId) {
    const a = await clubAccess(db, { id: clubId }, userId);
    return a.status === 'ok' && a.canReadInside;
  },
  async canPost(db, userId, clubId) {
    const a = await clubAccess(db, { id: clubId }, userId);
    return a.status === 'ok' && a.club.status === 'active' && (a.isMember || a.canModerate);
  },
  async canModerate(db, userId, clubId) {
    const a = await clubAccess(db, { id: clubId }, userId);
    return a.status === 'ok' && a.canModerate;
  },
  sameCircle: (db, a, b, clubId) => bothMembers(db, clubId, a, b),
  // A public club's threads and lists are kept by the page cache: a change re-renders its pages.
  changed: (db, clubId) => bumpClub(db, clubId),
};

async function milestoneClub(db: DB, milestoneId: string) {
  return db
    .selectFrom('club_milestones as m')
    .innerJoin('club_clubs as c', 'c.id', 'm.club_id')
    .select(['c.id', 'c.unit_id', 'c.name', 'c.slug', 'c.status', 'm.label'])
    .where('m.id', '=', milestoneId)
    .executeTakeFirst();
}

export const milestonePolicy: PlacePolicy = {
  async describe(db, milestoneId): Promise<PlaceInfo | null> {
    const c = await milestoneClub(db, milestoneId);
    if (!c) return null;
    // Never public: what a part's thread says is for those who have read that far.
    return { unitId: c.unit_id, name: `${c.name} — ${c.label}`, isPublic: false, slowModeS: 0, threadUrl: threadUrlFor(c.slug) };
  },
  async canRead(db, userId, milestoneId) {
    return (await milestoneGate(db, userId, milestoneId)).status === 'open';
  },
  async canPost(db, userId, milestoneId) {
    const c = await milestoneClub(db, milestoneId);
    if (!c || c.status !== 'active') return false;
    return (await milestoneGate(db, userId, milestoneId)).status === 'open' && (await clubPolicy.canPost(db, userId, c.id));
  },
  async canModerate(db, userId, milestoneId) {
    const c = await milestoneClub(db, milestoneId);
    return !!c && (await clubPolicy.canModerate(db, userId, c.id));
  },
  async sameCircle(db, a, b, milestoneId) {
    const c = await milestoneClub(db, milestoneId);
    return !!c && bothMembers(db, c.id, a, b);
  },
  // The schedule and discussion pages count each part's posts.
  async changed(db, milestoneId) {
    const c = await milestoneClub(db, milestoneId);
    if (c) await bumpClub(db, c.id);
  },
};

registerPlace(CLUB_PLACE, clubPolicy);
registerPlace(MILESTONE_PLACE, milestonePolicy);
