/**
 * Who may see and do what in a reading club — pure answers on the database, no HTTP; used by
 * the club routes and by every club mutator.
 *
 * - An active club's card (name, description, generation mix) is public; its threads, member
 *   list and meeting links are for members only unless the club is public.
 * - A pending club (a citizen's, awaiting approval) is seen by its creator and its approvers.
 * - Moderators: the club's moderators, and organisers (or admins) of the club's unit or above.
 */
import type { ClubClubsTable, ClubMembersTable } from '~/db/schema/clubs';
import { hasRole } from '~/domain/accounts.server';
import type { DB } from '~/lib/db.server';

export type Club = ClubClubsTable;
export type Membership = Pick<ClubMembersTable, 'role' | 'status'> | null;

export type ClubAccess =
  | { status: 'missing' }
  | { status: 'hidden'; club: Club }
  | {
      status: 'ok';
      club: Club;
      membership: Membership;
      /** An active member (moderators included). */
      isMember: boolean;
      /** May read threads, the member list and meeting links. */
      canReadInside: boolean;
      canModerate: boolean;
      /** May approve a pending club (organiser or librarian of its unit or above). */
      canApprove: boolean;
    };

export async function canApproveClubs(db: DB, userId: string, unitId: string): Promise<boolean> {
  return (await hasRole(db, userId, unitId, 'organiser')) || (await hasRole(db, userId, unitId, 'librarian'));
}

/** Which of organiser, librarian and admin the user holds on `unitId` or an ancestor (as `hasRole` reads them). */
async function unitRoles(db: DB, userId: string, unitId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('role_grants as g')
    .innerJoin('unit_closure as c', 'c.ancestor_id', 'g.unit_id')
    .select('g.role')
    .where('g.user_id', '=', userId)
    .where('c.descendant_id', '=', unitId)
    .where('g.role', 'in', ['organiser', 'librarian', 'admin'])
    .execute();
  return new Set(rows.map((r) => r.role));
}

async function load(db: DB, by: { id?: string; slug?: string }): Promise<Club | undefined> {
  let q = db.selectFrom('club_clubs').selectAll();
  q = by.id ? q.where('id', '=', by.id) : q.where('slug', '=', by.slug ?? '');
  return q.executeTakeFirst();
}

/**
 * `seenAs`: a shared signed-in render's stand-in, seen with the membership its visitors have
 * (./shell.server.ts; those visitors hold no organiser, librarian or admin role on the unit's chain).
 */
export async function clubAccess(
  db: DB,
  by: { id?: string; slug?: string },
  userId: string | null | undefined,
  seenAs?: { membership: Membership },
): Promise<ClubAccess> {
  const club = await load(db, by);
  if (!club) return { status: 'missing' };
  const membership = seenAs
    ? seenAs.membership
    : userId
      ? ((await db
          .selectFrom('club_members')
          .select(['role', 'status'])
          .where('club_id', '=', club.id)
          .where('user_id', '=', userId)
          .executeTakeFirst()) ?? null)
      : null;
  const isMember = membership?.status === 'active';
  const isClubModerator = isMember && membership?.role === 'moderator';
  // The roles held on the club's unit or above, in one query (a thread page asks this 3–4 times).
  const held = userId && !seenAs ? await unitRoles(db, userId, club.unit_id) : new Set<string>();
  const isUnitOrganiser = held.has('organiser') || held.has('admin');
  const canApprove = isUnitOrganiser || held.has('librarian');
  if (club.status === 'pending' && !(club.created_by === userId || canApprove)) return { status: 'hidden', club };
  const canModerate = isClubModerator || isUnitOrganiser;
  return {
    status: 'ok',
    club,
    membership,
    isMember,
    canReadInside: club.visibility === 'public' || isMember || canModerate,
    canModerate,
    canApprove,
  };
}

/** A club's id and slug from its address (null when there is none): what a club page's action starts from. */
export async function clubRef(db: DB, slug: string): Promise<{ id: string; slug: string } | null> {
  return (await db.selectFrom('club_clubs').select(['id', 'slug']).where('slug', '=', slug).executeTakeFirst()) ?? null;
}
