/**
 * The discussion engine's page queries: a place's threads (with unread marks) and a page of a
 * thread (posts, quotes, reactions, where the reader stopped). Pages are fixed ranges of post
 * numbers (POSTS_PER_PAGE), so `?post=N` always lands on the page holding post N.
 */
import { sql } from 'kysely';

import { toNumber } from '~/db/dialect';
import { type Reaction, REACTIONS } from '~/db/schema';
import type { DB } from '~/lib/db.server';

import { publicName } from './members.server';
import { canModeratePlace, canPostPlace, canReadPlace, describePlace, type PlaceInfo, type PlaceRef } from './places.server';
import { canModerateThread } from './posts.server';
import { excerpt } from './text';

export const POSTS_PER_PAGE = 20;
export const THREADS_PER_PAGE = 30;

export function pageOfPost(postNo: number): number {
  return Math.max(1, Math.ceil(postNo / POSTS_PER_PAGE));
}

/**
 * Threads of a place: pinned first, then latest activity; held/hidden ones only for their author and moderators.
 * `seenAs`: a shared render's stand-in (read permission checked by the caller; never an author of a
 * held or hidden thread there: such authors have their page rendered for them).
 */
export async function placeThreads(
  db: DB,
  userId: string | null,
  place: PlaceRef,
  page = 1,
  now = new Date(),
  seenAs?: { moderator: boolean },
) {
  if (!seenAs && !(await canReadPlace(db, userId, place))) return null;
  const moderator = seenAs ? seenAs.moderator : userId ? await canModeratePlace(db, userId, place) : false;
  let q = db
    .selectFrom('disc_threads as t')
    .innerJoin('users as u', 'u.id', 't.author_id')
    .where('t.place_type', '=', place.type)
    .where('t.place_id', '=', place.id)
    .where('t.status', '!=', 'removed');
  if (!moderator) q = q.where((eb) => eb.or([eb('t.status', '=', 'visible'), ...(userId ? [eb('t.author_id', '=', userId)] : [])]));
  const total = toNumber((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirst())?.n);
  const p = Math.max(1, Math.min(Math.trunc(page) || 1, Math.max(1, Math.ceil(total / THREADS_PER_PAGE))));
  const rows = await q
    .leftJoin('disc_reads as r', (j) => j.onRef('r.thread_id', '=', 't.id').on('r.user_id', '=', userId ?? ''))
    .select([
      't.id',
      't.title',
      't.status',
      't.pinned',
      't.locked',
      't.reply_count',
      't.last_post_no',
      't.last_post_at',
      't.created_at',
      'u.display_name',
      'u.birth_year',
      'r.last_read_no',
    ])
    .orderBy('t.pinned', 'desc')
    .orderBy('t.last_post_at', 'desc')
    .orderBy('t.id')
    .limit(THREADS_PER_PAGE)
    .offset((p - 1) * THREADS_PER_PAGE)
    .execute();
  return {
    page: p,
    pages: Math.max(1, Math.ceil(total / THREADS_PER_PAGE)),
    total,
    threads: rows.map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      pinned: r.pinned === 1,
      locked: r.locked === 1,
      replies: r.reply_count,
      lastPostAt: r.last_post_at,
      author: publicName(r.display_name, r.birth_year, now),
      /** Posts after the reader's mark (null: never opened, or signed out). */
      unread: userId && r.last_read_no != null ? Math.max(0, r.last_post_no - r.last_read_no) : null,
      firstUnread: r.last_read_no != null && r.last_read_no < r.last_post_no ? r.last_read_no + 1 : null,
    })),
  };
}

export type ThreadAccess =
  | { status: 'missing' }
  | { status: 'ok'; thread: NonNullable<Awaited<ReturnType<typeof loadThread>>>; place: PlaceRef; info: PlaceInfo; moderator: boolean };

function loadThread(db: DB, threadId: string) {
  return db.selectFrom('disc_threads').selectAll().where('id', '=', threadId).executeTakeFirst();
}

/** Whether the member may see the thread: outsiders of a private place, and others' held threads, are "missing" (404). */
export async function threadAccess(db: DB, userId: string | null, threadId: string): Promise<ThreadAccess> {
  const thread = await loadThread(db, threadId);
  if (!thread) return { status: 'missing' };
  const place = { type: thread.place_type, id: thread.place_id };
  const info = await describePlace(db, place);
  if (!info || !(await canReadPlace(db, userId, place))) return { status: 'missing' };
  const moderator = userId ? await canModerateThread(db, userId, thread) : false;
  if (thread.status === 'removed' && !moderator) return { status: 'missing' };
  if ((thread.status === 'held' || thread.status === 'hidden') && !moderator && thread.author_id !== userId) return { status: 'missing' };
  return { status: 'ok', thread, place, info, moderator };
}

export type PostView = {
  id: string;
  no: number;
  author: string;
  /** Only when true (the page's data leaves defaults out). */
  mine?: true;
  createdAt: string;
  /** How many times it was edited (absent: never). */
  edits?: number;
  /** 'visible' posts carry html; 'removed' and (for others) 'hidden' are placeholders; 'held' shows to its author and moderators. */
  status: 'visible' | 'held' | 'hidden' | 'removed';
  html: string | null;
  quote?: { no: number; author: string; text: string };
  /** Counts of the reactions the post has (none: absent), so a page's data does not carry 80 zeros. */
  reactions: Partial<Record<Reaction, number>>;
  /** The reader's own reactions (absent: none). */
  myReactions?: Reaction[];
};

/**
 * What a page of a thread reads of its reader, captured for a shared signed-in render
 * (app/lib/page-shell.server.ts; a club's threads: app/domain/clubs/shell.server.ts): the render is
 * made for a stand-in seen this way instead of reading its own (empty) rows. Post numbers are those
 * of the page's range. The caller has checked that the reader may read the thread.
 */
export interface ThreadReaderView {
  /** Moderates the thread (`canModerateThread`). */
  moderator: boolean;
  /** May post in the place (`canPostPlace`), before the thread's lock. */
  canPost: boolean;
  lastRead: number;
  following: boolean;
  /** The reader's own posts on the page (post numbers), whatever their status. */
  mine: number[];
  /** The reader's reactions on the page's posts, by post number. */
  reactions: Record<number, Reaction[]>;
}

/** The first and last post numbers of the page a reader asks for (?page, or the page holding ?post=N). */
export function pageRange(lastPostNo: number, opts: { page?: number; post?: number }) {
  const pages = pageOfPost(lastPostNo);
  const want = opts.post ? pageOfPost(opts.post) : (opts.page ?? 1);
  const page = Math.max(1, Math.min(Math.trunc(want) || 1, pages));
  const from = (page - 1) * POSTS_PER_PAGE + 1;
  return { page, pages, from, to: from + POSTS_PER_PAGE - 1 };
}

/** `threadAccess` for a stand-in seen as `seenAs` (read permission checked by the caller, on the same view). */
async function seenThreadAccess(db: DB, threadId: string, seenAs: ThreadReaderView): Promise<ThreadAccess> {
  const thread = await loadThread(db, threadId);
  if (!thread) return { status: 'missing' };
  const place = { type: thread.place_type, id: thread.place_id };
  const info = await describePlace(db, place);
  if (!info) return { status: 'missing' };
  const moderator = seenAs.moderator;
  // The stand-in is never the thread's author: a shared render is made only for visible threads'
  // readers (an author of a held or hidden thread has their page rendered for them).
  if (thread.status !== 'visible' && !moderator) return { status: 'missing' };
  return { status: 'ok', thread, place, info, moderator };
}

/**
 * One page of a thread for a reader (page from ?page, or the page holding ?post=N). `seenAs`: a
 * shared render's stand-in, seen as its visitors are (see `ThreadReaderView`).
 */
export async function threadPage(
  db: DB,
  userId: string | null,
  threadId: string,
  opts: { page?: number; post?: number } = {},
  now = new Date(),
  seenAs?: ThreadReaderView,
) {
  const access = seenAs ? await seenThreadAccess(db, threadId, seenAs) : await threadAccess(db, userId, threadId);
  if (access.status !== 'ok') return null;
  const { thread, info, place, moderator } = access;
  const { page, pages, from } = pageRange(thread.last_post_no, opts);
  const rows = await db
    .selectFrom('disc_posts as p')
    .innerJoin('users as u', 'u.id', 'p.author_id')
    .select([
      'p.id',
      'p.post_no',
      'p.author_id',
      'p.body_html',
      'p.quote_of',
      'p.status',
      'p.edit_count',
      'p.created_at',
      'u.display_name',
      'u.birth_year',
    ])
    .where('p.thread_id', '=', threadId)
    .where('p.post_no', '>=', from)
    .where('p.post_no', '<', from + POSTS_PER_PAGE)
    .orderBy('p.post_no')
    .execute();
  const ids = rows.map((r) => r.id);
  const quoteIds = [...new Set(rows.map((r) => r.quote_of).filter((q): q is string => !!q))];
  const [reactions, mine, quotes, read, follow] = await Promise.all([
    ids.length
      ? db
          .selectFrom('disc_reactions')
          .select(['post_id', 'reaction', sql<number>`count(*)`.as('n')])
          .where('post_id', 'in', ids)
          .groupBy(['post_id', 'reaction'])
          .execute()
      : [],
    ids.length && userId && !seenAs
      ? db.selectFrom('disc_reactions').select(['post_id', 'reaction']).where('post_id', 'in', ids).where('user_id', '=', userId).execute()
      : [],
    quoteIds.length
      ? db
          .selectFrom('disc_posts as p')
          .innerJoin('users as u', 'u.id', 'p.author_id')
          .select(['p.id', 'p.post_no', 'p.body_html', 'p.status', 'u.display_name', 'u.birth_year'])
          .where('p.id', 'in', quoteIds)
          .execute()
      : [],
    userId && !seenAs
      ? db
          .selectFrom('disc_reads')
          .select('last_read_no')
          .where('thread_id', '=', threadId)
          .where('user_id', '=', userId)
          .executeTakeFirst()
      : undefined,
    userId && !seenAs
      ? db.selectFrom('disc_follows').select('user_id').where('thread_id', '=', threadId).where('user_id', '=', userId).executeTakeFirst()
      : undefined,
  ]);
  const posts: PostView[] = [];
  for (const r of rows) {
    const isMine = seenAs ? seenAs.mine.includes(r.post_no) : r.author_id === userId;
    if (r.status === 'held' && !isMine && !moderator) continue;
    const showBody = r.status === 'visible' || ((r.status === 'held' || r.status === 'hidden') && (isMine || moderator));
    const q = r.quote_of ? quotes.find((x) => x.id === r.quote_of) : undefined;
    const counts: Partial<Record<Reaction, number>> = {};
    for (const x of reactions) if (x.post_id === r.id && toNumber(x.n) > 0) counts[x.reaction] = toNumber(x.n);
    // Defaults (not mine, never edited, no quote, none of my reactions) are left out of the page's data.
    const post: PostView = {
      id: r.id,
      no: r.post_no,
      author: r.status === 'removed' ? '' : publicName(r.display_name, r.birth_year, now),
      createdAt: r.created_at,
      status: r.status,
      html: showBody && r.status !== 'removed' ? r.body_html : null,
      reactions: counts,
    };
    if (isMine) post.mine = true;
    if (r.edit_count) post.edits = r.edit_count;
    if (q && q.status === 'visible')
      post.quote = { no: q.post_no, author: publicName(q.display_name, q.birth_year, now), text: excerpt(q.body_html, 300) };
    // In the fixed order of REACTIONS (the rows come in no particular order).
    const myReactions = REACTIONS.filter((x) =>
      seenAs ? (seenAs.reactions[r.post_no] ?? []).includes(x) : mine.some((m) => m.post_id === r.id && m.reaction === x),
    );
    if (myReactions.length) post.myReactions = myReactions;
    posts.push(post);
  }
  const lastRead = seenAs ? seenAs.lastRead : (read?.last_read_no ?? 0);
  return {
    thread: {
      id: thread.id,
      title: thread.title,
      status: thread.status,
      pinned: thread.pinned === 1,
      locked: thread.locked === 1,
      slowModeS: Math.max(thread.slow_mode_s, info.slowModeS),
      lastPostNo: thread.last_post_no,
    },
    place: { ...place, name: info.name, isPublic: info.isPublic },
    url: info.threadUrl(thread.id),
    page,
    pages,
    posts,
    lastRead,
    firstUnread: userId && lastRead < thread.last_post_no ? lastRead + 1 : null,
    following: seenAs ? seenAs.following : !!follow,
    canPost: !!userId && (seenAs ? seenAs.canPost : await canPostPlace(db, userId, place)) && (!thread.locked || moderator),
    moderator,
  };
}

/** What a reader sees of one page of a thread (the shared thread view's data). */
export type ThreadPageData = NonNullable<Awaited<ReturnType<typeof threadPage>>>;
