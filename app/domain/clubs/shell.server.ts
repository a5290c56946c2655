/**
 * What the club pages' loaders read about a signed-in visitor, captured in one query, so that
 * visitors seen the same way share one render (the shared signed-in renders of
 * app/lib/page-shell.server.ts: `SHELL_VARIANT_PAGES` in app/lib/page-cache-routes.server.ts).
 *
 * - The directory reads nothing of the visitor but, when "near me" is asked for, their home unit's
 *   commune/ward or province: the view is that unit. ("My clubs" and the private calendar address
 *   are on /clubs/mine, never shared.)
 * - A club's page reads the visitor's membership (role and status), the roles they hold on the
 *   club's unit or above, whether they created a pending club, their pairs in the club, their
 *   RSVPs to its coming meetings, and their id (their own row of the member list, hidden by a style
 *   rule the render fills in). The view is membership + RSVPs; a visitor with a role on the unit's
 *   chain, a pair in the club, or a club awaiting approval gets their page rendered for them.
 * Every part is read fresh on each request; what the render shows of the club itself is bumped
 * under `clubs:<slug>` by every write (./cache.server.ts).
 */
import type { RsvpState } from '~/db/schema/clubs';
import type { DB } from '~/lib/db.server';

import type { Membership } from './access.server';
import { nearUnitFor } from './clubs.server';

export interface DirectoryView {
  nearUnitId: string | null;
}

export interface ClubPageView {
  membership: Membership;
  /** The visitor's RSVP state per coming meeting of the club (meeting id → state). */
  rsvps: Record<string, RsvpState>;
}

export async function directoryVariant(db: DB, user: { id: string }, url: URL): Promise<{ key: string; view: DirectoryView } | null> {
  const near = url.searchParams.get('near');
  if (near !== 'local' && near !== 'province') return { key: '', view: { nearUnitId: null } };
  const nearUnitId = await nearUnitFor(db, user.id, near);
  return { key: `near:${nearUnitId ?? ''}`, view: { nearUnitId } };
}

export async function clubPageVariant(db: DB, user: { id: string }, url: URL): Promise<{ key: string; view: ClubPageView } | null> {
  let slug: string;
  try {
    slug = decodeURIComponent(url.pathname.replace(/^\/clubs\//, '').replace(/\/$/, ''));
  } catch {
    return null;
  }
  const now = new Date().toISOString();
  const rows = await db
    .selectFrom('club_clubs as c')
    .leftJoin('club_members as m', (j) => j.onRef('m.club_id', '=', 'c.id').on('m.user_id', '=', user.id))
    .leftJoin('club_meetings as mt', (j) => j.onRef('mt.club_id', '=', 'c.id').on('mt.ends_at', '>', now))
    .leftJoin('club_rsvps as r', (j) => j.onRef('r.meeting_id', '=', 'mt.id').on('r.user_id', '=', user.id))
    .select((eb) => [
      'c.status',
      'm.role',
      'm.status as member_status',
      'mt.id as meeting_id',
      'r.state as rsvp',
      eb
        .exists(
          eb
            .selectFrom('role_grants as g')
            .innerJoin('unit_closure as uc', 'uc.ancestor_id', 'g.unit_id')
            .select('g.id')
            .where('g.user_id', '=', user.id)
            .whereRef('uc.descendant_id', '=', 'c.unit_id')
            .where('g.role', 'in', ['organiser', 'librarian', 'admin']),
        )
        .as('held'),
      eb
        .exists(
          eb
            .selectFrom('club_pairs as p')
            .select('p.id')
            .whereRef('p.club_id', '=', 'c.id')
            .where('p.status', 'in', ['pending', 'accepted'])
            .where((w) => w.or([w('p.inviter_id', '=', user.id), w('p.invitee_id', '=', user.id)])),
        )
        .as('paired'),
    ])
    .where('c.slug', '=', slug)
    .execute();
  const first = rows[0];
  // No such club (the 404 is rendered per visitor), a pending club (its creator and approvers see
  // it), a role on the unit's chain (moderation and approval), a pair (names of the pair): not captured.
  if (!first || first.status === 'pending' || Boolean(first.held) || Boolean(first.paired)) return null;
  const membership: Membership = first.role && first.member_status ? { role: first.role, status: first.member_status } : null;
  const rsvps: Record<string, RsvpState> = {};
  for (const r of rows.filter((x) => x.meeting_id && x.rsvp).sort((a, b) => (a.meeting_id! < b.meeting_id! ? -1 : 1)))
    rsvps[r.meeting_id!] = r.rsvp!;
  const view = { membership, rsvps };
  return { key: JSON.stringify(view), view };
}

/** The club page's captured view, when the request is a shared render's stand-in (else undefined). */
export function asClubPageView(v: unknown): ClubPageView | undefined {
  if (!v || typeof v !== 'object' || !('rsvps' in v) || !('membership' in v)) return undefined;
  return v as ClubPageView;
}

export function asDirectoryView(v: unknown): DirectoryView | undefined {
  if (!v || typeof v !== 'object' || !('nearUnitId' in v)) return undefined;
  return v as DirectoryView;
}
