/**
 * What the club pages' loaders read about a signed-in visitor, captured in one query, so that
 * visitors seen the same way share one render (the shared signed-in renders of
 * app/lib/page-shell.server.ts: `SHELL_VARIANT_PAGES` in app/lib/page-cache-routes.server.ts).
 *
 * - The directory reads nothing of the visitor but, when "near me" is asked for, their home unit's
 *   commune/ward or province: the view is that unit. ("My clubs" and the private calendar address
 *   are on /clubs/mine, never shared.)
 * - A club's page reads the visitor's membership (role and status), the roles they hold on the
 *   club's unit or above, whether they created a pending club, their pairs in the club and their
 *   RSVPs to its coming meetings (the member list itself is on /clubs/:slug/members, rendered for
 *   each visitor). The view is membership + RSVPs; a visitor with a role on the unit's
 *   chain, a pair in the club, or a club awaiting approval gets their page rendered for them.
 * - A club thread's page (an ordinary thread or a part's, behind the spoiler gate) reads the
 *   visitor's membership, their gate for that part (their own mark, the reader's saved position for
 *   a library title, a reveal; moderators pass), and on the page's posts: which are theirs (edit and
 *   remove tools, no reactions or flag), their reactions, their read position and whether they
 *   follow the thread. The view is all of that (`ClubThreadView`); a member behind the schedule is
 *   seen as locked, and the render for "locked" never loads the part's posts. A role on the unit's
 *   chain (organiser, librarian, admin: moderation there), a forum moderator's appointment above the
 *   thread's unit, or a thread that is not visible (held, hidden, removed: its author sees it) —
 *   rendered for the visitor.
 * - The club's discussion page reads the visitor's membership, which parts they may open (the same
 *   gate) and, for moderators, the held threads; an author of a held or hidden thread there is
 *   rendered for them.
 * - The club's schedule reads the visitor's membership, their progress (own mark, the reader's
 *   saved chapter), which parts they may open, and the date ("who is behind") and year (children
 *   unnamed): the view is all of that. It also shows every member's progress: marks bump
 *   `clubs:<slug>`, and a member's reader moving to another chapter of the club's library book
 *   bumps `club-progress:<slug>` (./cache.server.ts, from the library's `savePosition`). A role on
 *   the unit's chain: rendered for the visitor.
 * Every part is read fresh on each request; what the render shows of the club itself is bumped
 * under `clubs:<slug>` by every write (./cache.server.ts; the engine's posts, edits, removals,
 * reactions and moderators' actions through the club places' `changed`: ./place.server.ts).
 */
import { type Reaction, REACTIONS } from '~/db/schema';
import type { ClubMemberRole, ClubMemberStatus, RsvpState } from '~/db/schema/clubs';
import { pageRange, type ThreadReaderView } from '~/domain/discussion/read.server';
import type { DB } from '~/lib/db.server';

import type { Membership } from './access.server';
import { nearUnitFor } from './clubs.server';
import { CLUB_PLACE, currentBook, finishedFrom, MILESTONE_PLACE, readerLabel, type ScheduleClock, scheduleClock } from './schedule.server';

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

/**
 * The club at `slug` with the visitor's membership (role, status) and whether they hold a role that
 * moderates or approves on the club's unit or above (organiser, librarian, admin: clubAccess's
 * `unitRoles`; such a visitor is rendered for them): what every club page's capture starts from,
 * extended with the page's own joins and columns.
 */
function clubWithVisitor(db: DB, userId: string, slug: string) {
  return db
    .selectFrom('club_clubs as c')
    .leftJoin('club_members as m', (j) => j.onRef('m.club_id', '=', 'c.id').on('m.user_id', '=', userId))
    .select((eb) => [
      'c.id',
      'c.status',
      'c.visibility',
      'm.role',
      'm.status as member_status',
      eb
        .exists(
          eb
            .selectFrom('role_grants as g')
            .innerJoin('unit_closure as uc', 'uc.ancestor_id', 'g.unit_id')
            .select('g.id')
            .where('g.user_id', '=', userId)
            .where('g.role', 'in', ['organiser', 'librarian', 'admin'])
            .whereRef('uc.descendant_id', '=', 'c.unit_id'),
        )
        .as('held'),
    ])
    .where('c.slug', '=', slug);
}

/** The visitor's membership from `clubWithVisitor`'s row (null: none). */
function membershipOf(row: { role: ClubMemberRole | null; member_status: ClubMemberStatus | null }): Membership {
  return row.role && row.member_status ? { role: row.role, status: row.member_status } : null;
}

export async function clubPageVariant(db: DB, user: { id: string }, url: URL): Promise<{ key: string; view: ClubPageView } | null> {
  let slug: string;
  try {
    slug = decodeURIComponent(url.pathname.replace(/^\/clubs\//, '').replace(/\/$/, ''));
  } catch {
    return null;
  }
  const now = new Date().toISOString();
  const rows = await clubWithVisitor(db, user.id, slug)
    .leftJoin('club_meetings as mt', (j) => j.onRef('mt.club_id', '=', 'c.id').on('mt.ends_at', '>', now))
    .leftJoin('club_rsvps as r', (j) => j.onRef('r.meeting_id', '=', 'mt.id').on('r.user_id', '=', user.id))
    .select((eb) => [
      'mt.id as meeting_id',
      'r.state as rsvp',
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
    .execute();
  const first = rows[0];
  // No such club (the 404 is rendered per visitor), a pending club (its creator and approvers see
  // it), a role on the unit's chain (moderation and approval), a pair (names of the pair): not captured.
  if (!first || first.status === 'pending' || Boolean(first.held) || Boolean(first.paired)) return null;
  const membership = membershipOf(first);
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

export interface ClubThreadView {
  membership: Membership;
  /** A part's thread: which part, and whether the visitor's spoiler gate is open (null: an ordinary club thread). */
  milestone: { id: string; open: boolean } | null;
  /** What the thread page reads of the visitor (null when the gate is locked: no post is loaded). */
  reader: ThreadReaderView | null;
}

export interface ClubDiscussionView {
  membership: Membership;
  /** The current book's parts the visitor may open ('all': a moderator). */
  open: string[] | 'all';
}

/** `/clubs/<slug>/<rest>` → the club's slug, or null. */
function slugOf(url: URL, rest: RegExp): { slug: string; m: RegExpExecArray } | null {
  const m = rest.exec(url.pathname);
  if (!m) return null;
  try {
    return { slug: decodeURIComponent(m[1]!), m };
  } catch {
    return null;
  }
}

export async function clubThreadVariant(db: DB, user: { id: string }, url: URL): Promise<{ key: string; view: ClubThreadView } | null> {
  const at = slugOf(url, /^\/clubs\/([^/]+)\/t\/([A-Za-z0-9_-]+)\/?$/);
  if (!at) return null;
  const threadId = at.m[2]!;
  const row = await clubWithVisitor(db, user.id, at.slug)
    .innerJoin('disc_threads as t', (j) => j.on('t.id', '=', threadId))
    .leftJoin('club_milestones as ms', (j) => j.onRef('ms.id', '=', 't.place_id').on('t.place_type', '=', MILESTONE_PLACE))
    .leftJoin('club_books as b', 'b.id', 'ms.book_id')
    .leftJoin('club_progress as p', (j) => j.onRef('p.book_id', '=', 'ms.book_id').on('p.user_id', '=', user.id))
    .leftJoin('lib_reading_state as rs', (j) => j.onRef('rs.title_id', '=', 'b.title_id').on('rs.user_id', '=', user.id))
    .leftJoin('club_reveals as rv', (j) => j.onRef('rv.milestone_id', '=', 'ms.id').on('rv.user_id', '=', user.id))
    .leftJoin('disc_reads as r', (j) => j.onRef('r.thread_id', '=', 't.id').on('r.user_id', '=', user.id))
    .leftJoin('disc_follows as f', (j) => j.onRef('f.thread_id', '=', 't.id').on('f.user_id', '=', user.id))
    .select((eb) => [
      't.place_type',
      't.place_id',
      't.status as thread_status',
      't.last_post_no',
      'ms.id as milestone_id',
      'ms.club_id as milestone_club',
      'ms.position',
      'b.id as book_id',
      'b.title_id',
      'p.finished',
      'rs.label',
      'rv.user_id as revealed',
      'r.last_read_no',
      'f.user_id as follows',
      // `isUnitModerator` on the thread's unit (canModerateThread): an organiser or admin above it, or an appointed moderator.
      eb
        .or([
          eb.exists(
            eb
              .selectFrom('role_grants as g2')
              .innerJoin('unit_closure as uc2', 'uc2.ancestor_id', 'g2.unit_id')
              .select('g2.id')
              .where('g2.user_id', '=', user.id)
              .where('g2.role', 'in', ['organiser', 'admin'])
              .whereRef('uc2.descendant_id', '=', 't.unit_id'),
          ),
          eb.exists(
            eb
              .selectFrom('disc_moderators as dm')
              .innerJoin('unit_closure as dc', 'dc.ancestor_id', 'dm.unit_id')
              .select('dm.user_id')
              .where('dm.user_id', '=', user.id)
              .whereRef('dc.descendant_id', '=', 't.unit_id'),
          ),
        ])
        .as('unit_moderator'),
    ])
    .executeTakeFirst();
  // Not found, a pending club, a role on the unit's chain, a thread only some see: rendered for the visitor.
  if (!row || row.status === 'pending' || Boolean(row.held) || Boolean(row.unit_moderator) || row.thread_status !== 'visible') return null;
  const membership = membershipOf(row);
  const isMember = membership?.status === 'active';
  // Without a role on the unit's chain, moderating is being one of the club's moderators (clubAccess).
  const moderator = isMember && membership?.role === 'moderator';
  let milestone: ClubThreadView['milestone'] = null;
  if (row.place_type === CLUB_PLACE) {
    // Another club's thread (404), or a private club's inside for an outsider (404): rendered for them.
    if (row.place_id !== row.id || !(row.visibility === 'public' || isMember || moderator)) return null;
  } else if (row.place_type === MILESTONE_PLACE) {
    if (!row.milestone_id || !row.book_id || row.milestone_club !== row.id || row.position == null) return null;
    // milestoneGate: moderators pass; outsiders get a 404 (rendered for them); members who finished the part or revealed it pass.
    if (!moderator && !isMember) return null;
    let open = moderator || row.revealed != null;
    if (!open) {
      const label = row.title_id ? readerLabel(row.label) : null;
      const parts = label
        ? await db
            .selectFrom('club_milestones')
            .select(['position', 'start_chapter'])
            .where('book_id', '=', row.book_id)
            .orderBy('position')
            .execute()
        : [];
      open = finishedFrom(row.finished, label, parts) >= row.position;
    }
    milestone = { id: row.milestone_id, open };
    if (!open) {
      const view: ClubThreadView = { membership, milestone, reader: null };
      return { key: JSON.stringify(view), view };
    }
  } else return null;
  // The visitor's own posts and reactions on the page asked for (the loader's `?page` / `?post`).
  const range = pageRange(row.last_post_no, {
    page: Number(url.searchParams.get('page')) || undefined,
    post: Number(url.searchParams.get('post')) || undefined,
  });
  const own = await db
    .selectFrom('disc_posts as p')
    .leftJoin('disc_reactions as x', (j) => j.onRef('x.post_id', '=', 'p.id').on('x.user_id', '=', user.id))
    .select(['p.post_no', 'p.author_id', 'x.reaction'])
    .where('p.thread_id', '=', threadId)
    .where('p.post_no', '>=', range.from)
    .where('p.post_no', '<=', range.to)
    .where((w) => w.or([w('p.author_id', '=', user.id), w('x.user_id', '=', user.id)]))
    .execute();
  const mine = [...new Set(own.filter((o) => o.author_id === user.id).map((o) => o.post_no))].sort((a, b) => a - b);
  const reactions: Record<number, Reaction[]> = {};
  for (const no of [...new Set(own.filter((o) => o.reaction).map((o) => o.post_no))].sort((a, b) => a - b))
    reactions[no] = REACTIONS.filter((x) => own.some((o) => o.post_no === no && o.reaction === x));
  const reader: ThreadReaderView = {
    moderator,
    // clubPolicy.canPost (and, past the gate, milestonePolicy.canPost): an active club, a member (moderators are members).
    canPost: row.status === 'active' && (isMember || moderator),
    lastRead: row.last_read_no ?? 0,
    following: row.follows != null,
    mine,
    reactions,
  };
  const view: ClubThreadView = { membership, milestone, reader };
  return { key: JSON.stringify(view), view };
}

export async function clubDiscussionVariant(
  db: DB,
  user: { id: string },
  url: URL,
): Promise<{ key: string; view: ClubDiscussionView } | null> {
  const at = slugOf(url, /^\/clubs\/([^/]+)\/discussion\/?$/);
  if (!at) return null;
  const row = await clubWithVisitor(db, user.id, at.slug)
    .select((eb) =>
      // The visitor's own held or hidden threads show in their list only.
      eb
        .exists(
          eb
            .selectFrom('disc_threads as t')
            .select('t.id')
            .where('t.place_type', '=', CLUB_PLACE)
            .whereRef('t.place_id', '=', 'c.id')
            .where('t.author_id', '=', user.id)
            .where('t.status', 'in', ['held', 'hidden']),
        )
        .as('own_unseen'),
    )
    .executeTakeFirst();
  if (!row || row.status === 'pending' || Boolean(row.held) || Boolean(row.own_unseen)) return null;
  const membership = membershipOf(row);
  const isMember = membership?.status === 'active';
  const moderator = isMember && membership?.role === 'moderator';
  if (!(row.visibility === 'public' || isMember || moderator)) return null; // 403, rendered for them
  let open: ClubDiscussionView['open'] = [];
  if (moderator) open = 'all';
  else if (isMember) {
    const book = await currentBook(db, row.id);
    if (book) open = (await ownProgress(db, user.id, book)).open;
  }
  const view: ClubDiscussionView = { membership, open };
  return { key: JSON.stringify(view), view };
}

/**
 * The visitor's progress in a club's current book, in one query: the parts finished as
 * `finishedParts` counts them (their own mark and, for a library title, the reader's saved
 * chapter) and, as a member, the parts whose thread `milestoneGate` opens for them (finished or revealed).
 */
async function ownProgress(
  db: DB,
  userId: string,
  book: { id: string; title_id: string | null },
): Promise<{ finished: number; open: string[] }> {
  const rows = await db
    .selectFrom('club_books as b')
    .leftJoin('club_progress as p', (j) => j.onRef('p.book_id', '=', 'b.id').on('p.user_id', '=', userId))
    .leftJoin('lib_reading_state as rs', (j) => j.onRef('rs.title_id', '=', 'b.title_id').on('rs.user_id', '=', userId))
    .leftJoin('club_milestones as ms', 'ms.book_id', 'b.id')
    .leftJoin('club_reveals as rv', (j) => j.onRef('rv.milestone_id', '=', 'ms.id').on('rv.user_id', '=', userId))
    .select(['p.finished', 'rs.label', 'ms.id', 'ms.position', 'ms.start_chapter', 'rv.user_id as revealed'])
    .where('b.id', '=', book.id)
    .orderBy('ms.position')
    .execute();
  const parts = rows.flatMap((r) => (r.id != null && r.position != null ? [{ ...r, id: r.id, position: r.position }] : []));
  const first = rows[0];
  const finished = finishedFrom(first?.finished, book.title_id ? first?.label : null, parts);
  return { finished, open: parts.filter((x) => x.position <= finished || x.revealed != null).map((x) => x.id) };
}

export interface ClubScheduleView extends ScheduleClock {
  membership: Membership;
  /** The visitor's parts finished (the "my progress" form), null when not a member or no book. */
  mine: number | null;
  /** The parts whose thread the visitor may open ('all': a moderator). */
  open: string[] | 'all';
}

/**
 * A club's schedule: the visitor's membership and role, their progress (own mark, the reader's
 * saved chapter for a library title), the parts they may open (reveals), and the clock the page
 * reads ("who is behind" moves with the date, a child's band with the year). What it shows of the
 * other members — their progress and names — is bumped: marks and membership under `clubs:<slug>`,
 * a member's reader moving to another chapter under `club-progress:<slug>` (./cache.server.ts),
 * names and birth years the `clubs` area, the book's copies and holds and a moderator's titles
 * `library`. A role on the unit's chain, a pending club, a private club's outsider (403): rendered
 * for the visitor.
 */
export async function clubScheduleVariant(db: DB, user: { id: string }, url: URL): Promise<{ key: string; view: ClubScheduleView } | null> {
  const at = slugOf(url, /^\/clubs\/([^/]+)\/schedule\/?$/);
  if (!at) return null;
  const clock = scheduleClock(new Date());
  const row = await clubWithVisitor(db, user.id, at.slug).executeTakeFirst();
  if (!row || row.status === 'pending' || Boolean(row.held)) return null;
  const membership = membershipOf(row);
  const isMember = membership?.status === 'active';
  const moderator = isMember && membership?.role === 'moderator';
  if (!(row.visibility === 'public' || isMember)) return null; // 403, rendered for them
  let mine: number | null = null;
  let open: ClubScheduleView['open'] = moderator ? 'all' : [];
  if (isMember) {
    const book = await currentBook(db, row.id);
    if (book) {
      const own = await ownProgress(db, user.id, book);
      mine = own.finished;
      if (!moderator) open = own.open;
    }
  }
  const view: ClubScheduleView = { membership, mine, open, ...clock };
  return { key: JSON.stringify(view), view };
}

export function asClubScheduleView(v: unknown): ClubScheduleView | undefined {
  if (!v || typeof v !== 'object' || !('mine' in v) || !('open' in v) || !('today' in v) || !('membership' in v)) return undefined;
  return v as ClubScheduleView;
}

export function asClubThreadView(v: unknown): ClubThreadView | undefined {
  if (!v || typeof v !== 'object' || !('reader' in v) || !('milestone' in v) || !('membership' in v)) return undefined;
  return v as ClubThreadView;
}

export function asClubDiscussionView(v: unknown): ClubDiscussionView | undefined {
  if (!v || typeof v !== 'object' || !('open' in v) || !('membership' in v)) return undefined;
  return v as ClubDiscussionView;
}
