/**
 * Page queries of a club's schedule and discussion (one call per loader), on the shared
 * discussion engine. A milestone's thread a member has not reached shows only how many posts it
 * has; its posts are never loaded for them.
 */
import '~/domain/places.server';

import { generationBand } from '~/domain/accounts.server';
import { placeThreads, threadPage } from '~/domain/discussion/read.server';
import type { DB } from '~/lib/db.server';

import { clubAccess } from './access.server';
import {
  CLUB_PLACE,
  currentBook,
  finishedParts,
  membersProgress,
  MILESTONE_PLACE,
  milestoneGate,
  questionBank,
  scheduleClock,
  visiblePostCounts,
} from './schedule.server';
import type { ClubDiscussionView, ClubScheduleView, ClubThreadView } from './shell.server';

async function libraryInfo(db: DB, titleId: string) {
  const t = await db.selectFrom('lib_titles').select(['slug', 'file_path']).where('id', '=', titleId).executeTakeFirst();
  if (!t) return null;
  const holdings = await db.selectFrom('lib_holdings').select(['open_access', 'copies']).where('title_id', '=', titleId).execute();
  const holds = await db
    .selectFrom('lib_holds')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('title_id', '=', titleId)
    .where('status', '=', 'waiting')
    .executeTakeFirstOrThrow();
  return {
    slug: t.slug,
    readable: !!t.file_path,
    openAccess: holdings.some((h) => h.open_access === 1),
    copies: holdings.reduce((s, h) => s + (h.open_access ? 0 : h.copies), 0),
    waiting: Number(holds.n),
  };
}

/** `view`: a shared render's stand-in, seen as its visitors are, with their clock (./shell.server.ts). */
export async function schedulePage(db: DB, slug: string, userId: string | null, now = new Date(), view?: ClubScheduleView) {
  const a = await clubAccess(db, { slug }, userId, view);
  if (a.status !== 'ok') return a;
  if (!a.canReadInside) return { status: 'forbidden' as const };
  const { club } = a;
  const book = await currentBook(db, club.id);
  const clock = view ?? scheduleClock(now);
  const progress = book ? await membersProgress(db, club.id, book) : { milestones: [], members: [] };
  const counts = await visiblePostCounts(
    db,
    progress.milestones.map((m) => m.thread_id).filter((x): x is string => !!x),
  );
  const mine = view ? view.mine : userId && book && a.isMember ? await finishedParts(db, userId, book, progress.milestones) : null;
  const open = view
    ? progress.milestones.map((m) => view.open === 'all' || view.open.includes(m.id))
    : (await Promise.all(progress.milestones.map((m) => milestoneGate(db, userId, m.id)))).map((g) => g.status === 'open');
  // "Behind": fewer parts finished than parts whose target date has passed.
  const due = progress.milestones.filter((m) => m.target_on < clock.today).length;
  const bandAt = new Date(Date.UTC(clock.year, 0, 1));
  const titles = a.canModerate
    ? await db.selectFrom('lib_titles').select(['id', 'title', 'author']).orderBy('sort_key').limit(300).execute()
    : [];
  return {
    status: 'ok' as const,
    club: { id: club.id, slug: club.slug, name: club.name, status: club.status },
    access: { isMember: a.isMember, canModerate: a.canModerate },
    book: book
      ? {
          id: book.id,
          title: book.title,
          author: book.author,
          pages: book.pages,
          library: book.title_id ? await libraryInfo(db, book.title_id) : null,
        }
      : null,
    milestones: progress.milestones.map((m, i) => ({
      id: m.id,
      position: m.position,
      label: m.label,
      fromPage: m.from_page,
      toPage: m.to_page,
      startChapter: m.start_chapter,
      targetOn: m.target_on,
      threadId: m.thread_id,
      posts: m.thread_id ? (counts.get(m.thread_id) ?? 0) : 0,
      open: open[i]!,
    })),
    mine,
    due,
    members: progress.members.map((m) => ({
      id: m.user_id,
      // Children are never named on the schedule.
      name: generationBand(m.birth_year, bandAt) === 'child' ? null : m.display_name,
      finished: m.finished,
      behind: m.finished < due,
    })),
    titles,
    bank: a.canModerate ? await questionBank(db, club.id) : [],
  };
}

/** `view`: a shared render's stand-in, seen as its visitors are (./shell.server.ts). */
export async function discussionPage(db: DB, slug: string, userId: string | null, page = 1, now = new Date(), view?: ClubDiscussionView) {
  const a = await clubAccess(db, { slug }, userId, view);
  if (a.status !== 'ok') return a;
  if (!a.canReadInside) return { status: 'forbidden' as const };
  const list = await placeThreads(
    db,
    userId,
    { type: CLUB_PLACE, id: a.club.id },
    page,
    now,
    view ? { moderator: a.canModerate } : undefined,
  );
  const book = await currentBook(db, a.club.id);
  const parts = book
    ? await db
        .selectFrom('club_milestones')
        .select(['id', 'position', 'label', 'thread_id', 'target_on'])
        .where('book_id', '=', book.id)
        .orderBy('position')
        .execute()
    : [];
  const counts = await visiblePostCounts(
    db,
    parts.map((m) => m.thread_id).filter((x): x is string => !!x),
  );
  const open = view
    ? parts.map((m) => view.open === 'all' || view.open.includes(m.id))
    : (await Promise.all(parts.map((m) => milestoneGate(db, userId, m.id)))).map((g) => g.status === 'open');
  const threads = list ?? { page: 1, pages: 1, total: 0, threads: [] };
  return {
    status: 'ok' as const,
    club: { id: a.club.id, slug: a.club.slug, name: a.club.name, status: a.club.status },
    access: { isMember: a.isMember, canModerate: a.canModerate },
    book: book ? { title: book.title } : null,
    milestones: parts.map((m, i) => ({
      id: m.id,
      position: m.position,
      label: m.label,
      threadId: m.thread_id,
      posts: m.thread_id ? (counts.get(m.thread_id) ?? 0) : 0,
      open: open[i]!,
    })),
    // What the list shows (the reader's unread marks are not shown here, so not sent).
    threads: {
      page: threads.page,
      pages: threads.pages,
      total: threads.total,
      threads: threads.threads.map((th) => ({
        id: th.id,
        title: th.title,
        author: th.author,
        replies: th.replies,
        lastPostAt: th.lastPostAt,
      })),
    },
    canPost: a.club.status === 'active' && (a.isMember || a.canModerate),
  };
}

/**
 * A club thread for a reader: the engine's page when they may read it; for a milestone thread
 * they have not reached, only the part's name and how many posts wait for them.
 */
export async function clubThreadPage(
  db: DB,
  slug: string,
  threadId: string,
  userId: string | null,
  opts: { page?: number; post?: number } = {},
  now = new Date(),
  view?: ClubThreadView,
) {
  const a = await clubAccess(db, { slug }, userId, view);
  if (a.status !== 'ok') return { status: 'missing' as const };
  const t = await db
    .selectFrom('disc_threads')
    .select(['id', 'place_type', 'place_id', 'status'])
    .where('id', '=', threadId)
    .executeTakeFirst();
  if (!t) return { status: 'missing' as const };
  let milestone: { id: string; label: string; position: number } | null = null;
  if (t.place_type === CLUB_PLACE) {
    if (t.place_id !== a.club.id) return { status: 'missing' as const };
    // A stand-in: its view is of a club thread, and its visitors may read the club's inside.
    if (view && (view.milestone || !a.canReadInside)) return { status: 'missing' as const };
  } else if (t.place_type === MILESTONE_PLACE) {
    const m = await db
      .selectFrom('club_milestones')
      .select(['id', 'label', 'position', 'club_id'])
      .where('id', '=', t.place_id)
      .executeTakeFirst();
    if (!m || m.club_id !== a.club.id) return { status: 'missing' as const };
    milestone = { id: m.id, label: m.label, position: m.position };
    // A stand-in: the gate its visitors have here, as captured (./shell.server.ts).
    const gate = view
      ? view.milestone?.id === m.id
        ? view.milestone.open
          ? 'open'
          : 'locked'
        : 'missing'
      : (await milestoneGate(db, userId, m.id)).status;
    if (gate === 'missing' || gate === 'outside') return { status: 'missing' as const };
    if (gate === 'locked') {
      const n = (await visiblePostCounts(db, [t.id])).get(t.id) ?? 0;
      return {
        status: 'locked' as const,
        club: { slug: a.club.slug, name: a.club.name },
        milestone,
        posts: n,
      };
    }
  } else return { status: 'missing' as const };
  if (view && !view.reader) return { status: 'missing' as const };
  const page = await threadPage(db, userId, threadId, opts, now, view?.reader ?? undefined);
  if (!page) return { status: 'missing' as const };
  return { status: 'ok' as const, club: { slug: a.club.slug, name: a.club.name }, milestone, ...page };
}
