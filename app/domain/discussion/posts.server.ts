/**
 * The discussion engine's writes: threads, replies (with quotes), edits with history, soft
 * deletes, reactions, follows and read marks. Every area's threads go through here; the place
 * (./places.server.ts) decides who may read, post and moderate.
 *
 * A post passes, in order: validation (length, links, images), the place's permission, the
 * thread's lock, silences, the rate limits, new-member limits, slow mode, watched words (block,
 * hold, flag) and the minors rule (held for review in public places). Then one write transaction
 * numbers it under the thread's lock and writes
 * its search row, page-cache bump and outbox row; the outbox job sends follower and mention notices.
 */
import { sql } from 'kysely';

import { isPostgres, isUniqueViolation, toNumber, writeTransaction } from '~/db/dialect';
import { prepareQuery } from '~/db/prepared';
import type { DiscStatus, QueueReason, Reaction } from '~/db/schema';
import { REACTIONS } from '~/db/schema';
import { markRead, type NotifyInput, notifyMany } from '~/domain/notifications/notify.server';
import type { DB } from '~/lib/db.server';
import { newId, newTimeOrderedId } from '~/lib/ids.server';
import { renderMarkdown } from '~/lib/markdown.server';
import { err, ok, type Result } from '~/lib/result';

import { takePostAllowance } from './limits.server';
import {
  ANY_MEMBER,
  isEstablished,
  isMinor,
  isUnitModerator,
  memberStanding,
  NEW_MEMBER,
  publicName,
  watchedWordsFor,
} from './members.server';
import {
  canModeratePlace,
  canPostPlace,
  canReadPlace,
  describePlace,
  placeAccess,
  placeChanged,
  placeChangedIn,
  type PlaceInfo,
  placePolicy,
  type PlaceRef,
} from './places.server';
import { indexPost, indexPostRow, unindexPost } from './search.server';
import { excerpt, plainText } from './text';

export { excerpt, plainText };
import { watchedAction } from './watched-words';

export interface Actor {
  userId: string;
  ip?: string | null;
}

export type PostError =
  | 'not_found'
  | 'forbidden'
  | 'empty'
  | 'too_long'
  | 'title_required'
  | 'title_too_long'
  | 'too_many_links'
  | 'no_images'
  | 'locked'
  | 'silenced'
  | 'rate_limited'
  | 'daily_limit'
  | 'slow_mode'
  | 'blocked_word';

export interface PostOutcome {
  threadId: string;
  postId: string;
  postNo: number;
  status: DiscStatus;
  url: string;
  /** The thread's page in its place. */
  threadUrl: string;
}

interface Checked {
  md: string;
  html: string;
}

function validateBody(body: string, established: boolean): Result<Checked, PostError> {
  const md = (body ?? '').normalize('NFC').replace(/\r\n/g, '\n').trim();
  if (!md) return err('empty');
  if (md.length > ANY_MEMBER.maxChars) return err('too_long', { max: ANY_MEMBER.maxChars });
  const html = renderMarkdown(md);
  const links = (html.match(/<a\s/gi) ?? []).length;
  const images = (html.match(/<img\s/gi) ?? []).length + (/!\[[^\]]*\]\(/.test(md) ? 1 : 0);
  const maxLinks = established ? ANY_MEMBER.links : NEW_MEMBER.links;
  if (links > maxLinks) return err('too_many_links', { max: maxLinks });
  if (!established && images > NEW_MEMBER.images) return err('no_images');
  return ok({ md, html });
}

async function postsToday(db: DB, userId: string, now: Date, firstOnly: boolean): Promise<number> {
  const since = new Date(now.getTime() - 24 * 3600_000).toISOString();
  let q = db
    .selectFrom('disc_posts')
    .select(sql<number>`count(*)`.as('n'))
    .where('author_id', '=', userId)
    .where('created_at', '>', since);
  q = firstOnly ? q.where('post_no', '=', 1) : q.where('post_no', '>', 1);
  return toNumber((await q.executeTakeFirst())?.n);
}

/** Checks shared by new threads and replies, up to the watched words; returns the status the post gets. */
async function admit(
  db: DB,
  actor: Actor,
  place: PlaceRef,
  info: PlaceInfo,
  text: string,
  body: string,
  opts: { firstPost: boolean; threadSlowS: number; threadId: string | null },
  now: Date,
): Promise<Result<{ md: string; html: string; status: DiscStatus; queue: QueueReason | null }, PostError>> {
  // The member's row, the new-member rule and a running silence in one statement.
  const member = await memberStanding(db, actor.userId, info.unitId, now);
  const established = member?.established ?? false;
  const v = validateBody(body, established);
  if (!v.ok) return v;
  if (member?.silenced) return err('silenced');
  const wait = await takePostAllowance(actor.userId, actor.ip ?? null);
  if (wait) return err('rate_limited', { seconds: wait });
  if (!established) {
    const n = await postsToday(db, actor.userId, now, opts.firstPost);
    if (n >= (opts.firstPost ? NEW_MEMBER.threadsPerDay : NEW_MEMBER.repliesPerDay)) return err('daily_limit');
  }
  const slow = Math.max(opts.threadSlowS, info.slowModeS);
  if (slow > 0 && !(await canModeratePlace(db, actor.userId, place))) {
    const since = new Date(now.getTime() - slow * 1000).toISOString();
    let q = db
      .selectFrom('disc_posts as p')
      .innerJoin('disc_threads as t', 't.id', 'p.thread_id')
      .select('p.created_at')
      .where('p.author_id', '=', actor.userId)
      .where('p.created_at', '>', since);
    // Thread slow mode counts posts in the thread; place slow mode, posts anywhere in the place.
    q =
      opts.threadSlowS >= info.slowModeS && opts.threadId
        ? q.where('p.thread_id', '=', opts.threadId)
        : q.where('t.place_type', '=', place.type).where('t.place_id', '=', place.id);
    const last = await q.orderBy('p.created_at', 'desc').limit(1).executeTakeFirst();
    if (last) {
      const s = Math.ceil((new Date(last.created_at).getTime() + slow * 1000 - now.getTime()) / 1000);
      return err('slow_mode', { seconds: Math.max(1, s) });
    }
  }
  const words = await watchedWordsFor(db, info.unitId);
  const action = watchedAction(text, words);
  if (action === 'block') return err('blocked_word');
  let status: DiscStatus = 'visible';
  let queue: QueueReason | null = null;
  if (action === 'hold') [status, queue] = ['held', 'watched_hold'];
  else if (action === 'flag') queue = 'watched_flag';
  if (status === 'visible' && info.isPublic && isMinor(member?.birthYear, now)) [status, queue] = ['held', 'minor'];
  return ok({ md: v.value.md, html: v.value.html, status, queue });
}

async function openQueueItem(trx: DB, postId: string, unitId: string, reason: QueueReason, now: Date) {
  const iso = now.toISOString();
  const existing = await trx
    .selectFrom('disc_queue')
    .select('id')
    .where('post_id', '=', postId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (existing) return existing.id;
  const id = newId();
  await trx
    .insertInto('disc_queue')
    .values({
      id,
      post_id: postId,
      unit_id: unitId,
      reason,
      status: 'open',
      escalations: 0,
      created_at: iso,
      queued_at: iso,
      handled_by: null,
      handled_at: null,
    })
    .execute();
  return id;
}
export { openQueueItem };

const readUpTo = prepareQuery((db: DB, threadId: string, userId: string, postNo: number, at: string) =>
  db
    .insertInto('disc_reads')
    .values({ thread_id: threadId, user_id: userId, last_read_no: postNo, updated_at: at })
    .onConflict((oc) =>
      oc.columns(['thread_id', 'user_id']).doUpdateSet({
        last_read_no: sql`case when disc_reads.last_read_no > excluded.last_read_no then disc_reads.last_read_no else excluded.last_read_no end`,
        updated_at: at,
      }),
    ),
);

async function setRead(trx: DB, userId: string, threadId: string, postNo: number, now: Date) {
  await readUpTo.execute(trx, threadId, userId, postNo, now.toISOString());
}

const followRow = prepareQuery((db: DB, threadId: string, userId: string, at: string) =>
  db
    .insertInto('disc_follows')
    .values({ thread_id: threadId, user_id: userId, created_at: at })
    .onConflict((oc) => oc.columns(['thread_id', 'user_id']).doNothing()),
);

async function followQuiet(trx: DB, userId: string, threadId: string, now: Date) {
  await followRow.execute(trx, threadId, userId, now.toISOString());
}

/**
 * Writes a new thread with its first post — the engine's one place that does: the rows, the
 * review-queue item when held, the author following and having read it, then the place told.
 * Callers check permissions and limits first (`createThread` for members, `openModeratorThread`).
 */
export async function writeNewThread(
  db: DB,
  o: {
    place: PlaceRef;
    unitId: string;
    title: string;
    authorId: string;
    status: DiscStatus;
    md: string;
    html: string;
    queue?: QueueReason | null;
    /** A visible opening post's mentions go through the outbox (its row written with the thread, if it names anyone). */
    fanOut?: boolean;
    now: Date;
  },
): Promise<{ threadId: string; postId: string }> {
  const iso = o.now.toISOString();
  const threadId = newId();
  const postId = newTimeOrderedId();
  await writeTransaction(db, async (trx) => {
    await trx
      .insertInto('disc_threads')
      .values({
        id: threadId,
        place_type: o.place.type,
        place_id: o.place.id,
        unit_id: o.unitId,
        title: o.title,
        author_id: o.authorId,
        status: o.status,
        pinned: 0,
        locked: 0,
        slow_mode_s: 0,
        last_post_no: 1,
        reply_count: 0,
        created_at: iso,
        last_post_at: iso,
      })
      .execute();
    await trx
      .insertInto('disc_posts')
      .values({
        id: postId,
        thread_id: threadId,
        post_no: 1,
        author_id: o.authorId,
        body_md: o.md,
        body_html: o.html,
        quote_of: null,
        status: o.status,
        edit_count: 0,
        created_at: iso,
        edited_at: null,
        removed_at: null,
      })
      .execute();
    if (o.queue) await openQueueItem(trx, postId, o.unitId, o.queue, o.now);
    await followQuiet(trx, o.authorId, threadId, o.now);
    await setRead(trx, o.authorId, threadId, 1, o.now);
    if (o.fanOut && o.status === 'visible' && mentionCandidates(o.md).length) await enqueueFanOut(trx, postId, o.now);
  });
  await placeChanged(db, o.place, threadId);
  return { threadId, postId };
}

/** Starts a thread in a place with its first post. */
export async function createThread(
  db: DB,
  actor: Actor,
  place: PlaceRef,
  input: { title: string; body: string },
  now = new Date(),
): Promise<Result<PostOutcome, PostError>> {
  const title = (input.title ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!title) return err('title_required');
  if (title.length > ANY_MEMBER.titleMax) return err('title_too_long', { max: ANY_MEMBER.titleMax });
  const info = await describePlace(db, place);
  if (!info || !(await canReadPlace(db, actor.userId, place))) return err('not_found');
  if (!(await canPostPlace(db, actor.userId, place))) return err('forbidden');
  const a = await admit(
    db,
    actor,
    place,
    info,
    `${title}\n${input.body}`,
    input.body,
    { firstPost: true, threadSlowS: 0, threadId: null },
    now,
  );
  if (!a.ok) return a;
  const { threadId, postId } = await writeNewThread(db, {
    place,
    unitId: info.unitId,
    title,
    authorId: actor.userId,
    status: a.value.status,
    md: a.value.md,
    html: a.value.html,
    queue: a.value.queue,
    fanOut: true,
    now,
  });
  if (a.value.status === 'visible') {
    await indexPost(db, postId);
    // Its mentions through the outbox, like a reply's (a held one's when a moderator approves it).
    if (!placePolicy(place.type)?.deferNotices) await processOutboxFor(db, postId);
  }
  return ok({
    threadId,
    postId,
    postNo: 1,
    status: a.value.status,
    url: `${info.threadUrl(threadId)}#post-1`,
    threadUrl: info.threadUrl(threadId),
  });
}

// A reply's statements run on every post: built and compiled once (~/db/prepared).
const threadById = prepareQuery((db: DB, id: string) => db.selectFrom('disc_threads').selectAll().where('id', '=', id));
// The UPDATE takes the thread's row lock (PostgreSQL) and numbers the post in one statement.
const numberVisibleReply = prepareQuery((db: DB, id: string, at: string) =>
  db
    .updateTable('disc_threads')
    .set({ last_post_no: sql`last_post_no + 1`, reply_count: sql`reply_count + 1`, last_post_at: at })
    .where('id', '=', id)
    .returning(['last_post_no', 'status']),
);
const numberHeldReply = prepareQuery((db: DB, id: string) =>
  db
    .updateTable('disc_threads')
    .set({ last_post_no: sql`last_post_no + 1` })
    .where('id', '=', id)
    .returning(['last_post_no', 'status']),
);
const insertReply = prepareQuery(
  (
    db: DB,
    id: string,
    threadId: string,
    no: number,
    authorId: string,
    md: string,
    html: string,
    quoteOf: string | null,
    status: DiscStatus,
    at: string,
  ) =>
    db.insertInto('disc_posts').values({
      id,
      thread_id: threadId,
      post_no: no,
      author_id: authorId,
      body_md: md,
      body_html: html,
      quote_of: quoteOf,
      status,
      edit_count: 0,
      created_at: at,
      edited_at: null,
      removed_at: null,
    }),
);
const quotable = prepareQuery((db: DB, id: string, threadId: string) =>
  db.selectFrom('disc_posts').select(['id', 'status']).where('id', '=', id).where('thread_id', '=', threadId),
);

export type ThreadRow = Awaited<ReturnType<typeof getThread>>;
export function getThread(db: DB, threadId: string) {
  return threadById.executeTakeFirst(db, threadId);
}

/** Replies to a thread, optionally quoting one of its posts. */
export async function reply(
  db: DB,
  actor: Actor,
  threadId: string,
  input: { body: string; quoteOf?: string | null },
  now = new Date(),
): Promise<Result<PostOutcome, PostError>> {
  const thread = await getThread(db, threadId);
  if (!thread || thread.status === 'removed') return err('not_found');
  const place = { type: thread.place_type, id: thread.place_id };
  const access = await placeAccess(db, actor.userId, place);
  if (!access || !access.read) return err('not_found');
  const info = access.info;
  // Whether the member moderates the place is asked only when it matters (a hidden or locked thread).
  let isMod: boolean | null = null;
  const moderator = async () => (isMod ??= await canModeratePlace(db, actor.userId, place));
  if (thread.status !== 'visible' && thread.author_id !== actor.userId && !(await moderator())) return err('not_found');
  if (!access.post) return err('forbidden');
  if (thread.locked && !(await moderator())) return err('locked');
  let quoteOf: string | null = null;
  if (input.quoteOf) {
    const q = await quotable.executeTakeFirst(db, input.quoteOf, threadId);
    if (q && q.status === 'visible') quoteOf = q.id;
  }
  const a = await admit(
    db,
    actor,
    place,
    info,
    input.body,
    input.body,
    { firstPost: false, threadSlowS: thread.slow_mode_s, threadId },
    now,
  );
  if (!a.ok) return a;
  const iso = now.toISOString();
  const postId = newTimeOrderedId();
  const visible = a.value.status === 'visible';
  // One write transaction (one commit, the write lock taken once): the post numbered under the
  // thread's lock, the thread's counters, the queue item when held, the author following and
  // having read it, the search row, the place's page-cache bump and, for a visible reply, its
  // outbox row — the notices to followers and mentions are written later, in batches, by the
  // `community:outbox` job (./outbox.server.ts), but can no longer be lost.
  const { postNo, after } = await writeTransaction(db, async (trx) => {
    const t = visible
      ? await numberVisibleReply.executeTakeFirst(trx, threadId, iso)
      : await numberHeldReply.executeTakeFirst(trx, threadId);
    if (!t) throw new Error(`reply: thread ${threadId} vanished`);
    const no = t.last_post_no;
    await insertReply.execute(trx, postId, threadId, no, actor.userId, a.value.md, a.value.html, quoteOf, a.value.status, iso);
    if (a.value.queue) await openQueueItem(trx, postId, info.unitId, a.value.queue, now);
    await followQuiet(trx, actor.userId, threadId, now);
    await setRead(trx, actor.userId, threadId, no, now);
    if (visible) {
      await indexPostRow(
        trx,
        {
          id: postId,
          post_no: no,
          body_html: a.value.html,
          status: 'visible',
          created_at: iso,
          thread_id: threadId,
          title: thread.title,
          thread_status: t.status,
        },
        info,
      );
      await enqueueFanOut(trx, postId, now);
    }
    return { postNo: no, after: await placeChangedIn(trx, place, threadId) };
  });
  await after(db);
  if (visible && !placePolicy(place.type)?.deferNotices) await processOutboxFor(db, postId);
  const threadUrl = info.threadUrl(threadId);
  return ok({ threadId, postId, postNo, status: a.value.status, url: `${threadUrl}#post-${postNo}`, threadUrl });
}

/**
 * What follows a moderator's approval (the post's status already changed, and — for a post that
 * was held — its outbox row written, in the approval's transaction: `enqueueApprovalFanOut`): the
 * search row, then, for a place that does not defer its notices, the outbox row worked at once.
 */
export async function afterApproval(db: DB, postId: string, fromHeld: boolean): Promise<void> {
  await indexPost(db, postId);
  if (!fromHeld) return;
  const t = await db
    .selectFrom('disc_posts as p')
    .innerJoin('disc_threads as t', 't.id', 'p.thread_id')
    .select('t.place_type')
    .where('p.id', '=', postId)
    .executeTakeFirst();
  if (t && !placePolicy(t.place_type)?.deferNotices) await processOutboxFor(db, postId);
}

/**
 * A held post just made visible, inside the approval's write transaction: its fan-out (followers,
 * the quoted author, mentions; an opening post's mentions) goes through the outbox, dated at the
 * approval, so that two moderators approving at once notify once (only the one whose UPDATE moved
 * the post out of `held` writes the row).
 */
export async function enqueueApprovalFanOut(trx: DB, postId: string, now: Date): Promise<void> {
  const p = await trx.selectFrom('disc_posts').select(['post_no', 'body_md']).where('id', '=', postId).executeTakeFirst();
  // An opening post has only its mentions to send.
  if (p && (p.post_no > 1 || mentionCandidates(p.body_md).length)) await enqueueFanOut(trx, postId, now);
}

type FanOutPost = Awaited<ReturnType<typeof fanOutPosts>>[number];

/** Outbox rows' posts with their thread and author, read in one statement per 500. */
async function fanOutPosts(db: DB, postIds: string[]) {
  const out = [];
  for (let i = 0; i < postIds.length; i += 500)
    out.push(
      ...(await db
        .selectFrom('disc_posts as p')
        .innerJoin('disc_threads as t', 't.id', 'p.thread_id')
        .innerJoin('users as u', 'u.id', 'p.author_id')
        .select([
          'p.id',
          'p.post_no',
          'p.author_id',
          'p.body_md',
          'p.body_html',
          'p.status',
          'p.created_at',
          'p.quote_of',
          't.id as thread_id',
          't.title',
          't.status as thread_status',
          't.place_type',
          't.place_id',
          'u.display_name',
          'u.birth_year',
        ])
        .where('p.id', 'in', postIds.slice(i, i + 500))
        .execute()),
    );
  return out;
}

/** The key a thread's reply notices gather under while unread (one notice per member and thread). */
export const threadNoticeKey = (threadId: string) => `thread:${threadId}`;

/** A thread's followers and how far each has read (null: never opened it). */
type Followers = Map<string, { userId: string; readTo: number | null }[]>;

/**
 * What a batch of posts' notices are worked out from, read set-wise (one statement for all the
 * threads' followers, one for the quoted posts' authors) instead of a few statements a post: the
 * `community:outbox` job works through replies by the hundred, and every statement after another
 * process's commit starts on an emptied page cache.
 */
async function fanOutContext(db: DB, posts: FanOutPost[]): Promise<{ followers: Followers; quoted: Map<string, string> }> {
  const replies = posts.filter((p) => p.status === 'visible' && p.thread_status === 'visible' && p.post_no > 1);
  const threads = [...new Set(replies.map((p) => p.thread_id))];
  const followers: Followers = new Map(threads.map((t) => [t, []]));
  for (let i = 0; i < threads.length; i += 500) {
    const rows = await db
      .selectFrom('disc_follows as f')
      .leftJoin('disc_reads as r', (j) => j.onRef('r.thread_id', '=', 'f.thread_id').onRef('r.user_id', '=', 'f.user_id'))
      .select(['f.thread_id', 'f.user_id', 'r.last_read_no'])
      .where('f.thread_id', 'in', threads.slice(i, i + 500))
      .execute();
    for (const r of rows) followers.get(r.thread_id)!.push({ userId: r.user_id, readTo: r.last_read_no ?? null });
  }
  const quotes = [...new Set(replies.map((p) => p.quote_of).filter((q): q is string => !!q))];
  const quoted = new Map<string, string>();
  for (let i = 0; i < quotes.length; i += 500)
    for (const q of await db
      .selectFrom('disc_posts')
      .select(['id', 'author_id'])
      .where('id', 'in', quotes.slice(i, i + 500))
      .execute())
      quoted.set(q.id, q.author_id);
  return { followers, quoted };
}

/**
 * The notices a visible post sends: for a reply, the thread's followers who have not read that far
 * yet and the quoted author (who can read the place), and members it mentions; for an opening
 * post, its mentions only (nobody follows the thread yet but its author). None for a post no
 * longer visible.
 */
async function fanOutNotices(
  db: DB,
  p: FanOutPost,
  info: PlaceInfo,
  now: Date,
  ctx: { followers: Followers; quoted: Map<string, string> },
): Promise<NotifyInput[]> {
  if (p.status !== 'visible' || p.thread_status !== 'visible') return [];
  const place = { type: p.place_type, id: p.place_id };
  const mentions = () =>
    mentionNotices(db, p.author_id, place, info, { threadId: p.thread_id, title: p.title, postNo: p.post_no, md: p.body_md }, now);
  if (p.post_no <= 1) return mentions();
  const url = `${info.threadUrl(p.thread_id)}?post=${p.post_no}#post-${p.post_no}`;
  // A follower who has already read this far (the job runs a few seconds after the reply) is not told.
  const recipients = new Set(
    (ctx.followers.get(p.thread_id) ?? [])
      .filter((f) => f.userId !== p.author_id && (f.readTo === null || f.readTo < p.post_no))
      .map((f) => f.userId),
  );
  const quotedAuthor = p.quote_of ? ctx.quoted.get(p.quote_of) : undefined;
  if (quotedAuthor && quotedAuthor !== p.author_id) recipients.add(quotedAuthor);
  const name = publicName(p.display_name, p.birth_year, now);
  const out: NotifyInput[] = [];
  for (const userId of recipients)
    if (info.readableByAll || (await canReadPlace(db, userId, place)))
      // One unread notice per member and thread: later replies raise its count (notify.server.ts writeNotices).
      out.push({
        userId,
        type: 'community.reply',
        params: { name, title: p.title },
        url,
        place,
        collapseKey: threadNoticeKey(p.thread_id),
        now,
      });
  out.push(...(await mentions()));
  return out;
}

const outboxRow = prepareQuery((db: DB, id: string, postId: string, at: string) =>
  db.insertInto('disc_outbox').values({ id, post_id: postId, created_at: at, last_error: null }),
);

/** Writes a visible post's outbox row (inside the transaction that made it visible). */
async function enqueueFanOut(trx: DB, postId: string, now: Date): Promise<void> {
  await outboxRow.execute(trx, newTimeOrderedId(), postId, now.toISOString());
}

/** Works through one post's outbox rows now (a place that does not defer its notices), exactly once like the job (./outbox.server.ts). */
async function processOutboxFor(db: DB, postId: string): Promise<void> {
  // The post is already written and answered for: a failure here (a deadlock with another writer of
  // the same notices on PostgreSQL, say) leaves the outbox row to the job, and must not turn the
  // member's saved reply into an error they would post again.
  await processOutboxRowsOf(db, postId).catch((e: unknown) => console.error(`[outbox] post ${postId}: left to the job`, e));
}

async function processOutboxRowsOf(db: DB, postId: string): Promise<void> {
  await writeTransaction(db, async (trx) => {
    let q = trx.selectFrom('disc_outbox').select(['id', 'created_at']).where('post_id', '=', postId);
    if (isPostgres(trx)) q = q.forUpdate().skipLocked();
    const rows = await q.execute();
    if (!rows.length) return; // the job got there first
    const notices: NotifyInput[] = [];
    for (const n of await outboxNotices(
      trx,
      rows.map((r) => ({ postId, at: new Date(r.created_at) })),
    )) {
      if (n instanceof Error) throw n;
      notices.push(...n);
    }
    await notifyMany(trx, notices);
    await trx
      .deleteFrom('disc_outbox')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
  });
}

/**
 * The notices of outbox rows' posts (`at`: when each reply was written, the notices' date), in the
 * rows' order: an Error in place of a row whose notices could not be worked out (its place, a
 * mention). Posts, followers and quoted authors are read for the whole batch at once.
 */
export async function outboxNotices(db: DB, rows: { postId: string; at: Date }[]): Promise<(NotifyInput[] | Error)[]> {
  const posts = new Map((await fanOutPosts(db, [...new Set(rows.map((r) => r.postId))])).map((p) => [p.id, p]));
  const ctx = await fanOutContext(db, [...posts.values()]);
  const places = new Map<string, Promise<PlaceInfo | null>>();
  const out: (NotifyInput[] | Error)[] = [];
  for (const r of rows) {
    const p = posts.get(r.postId);
    if (!p) {
      out.push([]);
      continue;
    }
    try {
      const key = `${p.place_type} ${p.place_id}`;
      let info = places.get(key);
      if (!info) places.set(key, (info = describePlace(db, { type: p.place_type, id: p.place_id })));
      const described = await info;
      out.push(described ? await fanOutNotices(db, p, described, r.at, ctx) : []);
    } catch (e) {
      out.push(e instanceof Error ? e : new Error(String(e)));
    }
  }
  return out;
}

const MENTION = /@([\p{L}\p{M}][\p{L}\p{M}'’.-]*(?:[ \u00a0][\p{Lu}][\p{L}\p{M}'’.-]*){0,4})/gu;

/** Display names a post mentions: "@Nguyễn Văn An" (up to five words, each further word capitalised). */
export function mentionCandidates(md: string): string[] {
  const out = new Set<string>();
  for (const m of md.normalize('NFC').matchAll(MENTION)) {
    const words = m[1]!.replace(/[.'’-]+$/, '').split(/[ \u00a0]/);
    for (let n = words.length; n >= 1; n--) out.add(words.slice(0, n).join(' '));
  }
  return [...out].slice(0, 50);
}

/**
 * Notices to members mentioned by display name who can read the place. Minors are mentionable only
 * by members of their own circle in the place (a club, a class), never in a public forum.
 */
async function mentionNotices(
  db: DB,
  authorId: string,
  place: PlaceRef,
  info: PlaceInfo,
  post: { threadId: string; title: string; postNo: number; md: string },
  now: Date,
): Promise<NotifyInput[]> {
  const names = mentionCandidates(post.md);
  if (!names.length) return [];
  const users = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'birth_year'])
    .where('display_name', 'in', names)
    .limit(50)
    .execute();
  const author = await db.selectFrom('users').select(['display_name', 'birth_year']).where('id', '=', authorId).executeTakeFirst();
  const policy = placePolicy(place.type);
  const out: NotifyInput[] = [];
  for (const u of users.slice(0, 10)) {
    if (u.id === authorId) continue;
    if (isMinor(u.birth_year, now)) {
      const inside = !info.isPublic && policy?.sameCircle ? await policy.sameCircle(db, authorId, u.id, place.id) : false;
      if (!inside) continue;
    }
    if (!(await canReadPlace(db, u.id, place))) continue;
    out.push({
      userId: u.id,
      type: 'community.mention',
      params: { name: author ? publicName(author.display_name, author.birth_year, now) : '', title: post.title },
      url: `${info.threadUrl(post.threadId)}?post=${post.postNo}#post-${post.postNo}`,
      place,
      now,
    });
  }
  return out;
}

export type EditError = PostError;

/** The author (or a moderator) edits a post; the previous text is kept in the visible history. */
export async function editPost(
  db: DB,
  actor: Actor,
  postId: string,
  body: string,
  now = new Date(),
): Promise<Result<{ url: string }, EditError>> {
  const p = await db
    .selectFrom('disc_posts as p')
    .innerJoin('disc_threads as t', 't.id', 'p.thread_id')
    .select(['p.id', 'p.author_id', 'p.body_md', 'p.status', 'p.post_no', 't.id as thread_id', 't.place_type', 't.place_id', 't.locked'])
    .where('p.id', '=', postId)
    .executeTakeFirst();
  if (!p || p.status === 'removed') return err('not_found');
  const place = { type: p.place_type, id: p.place_id };
  const info = await describePlace(db, place);
  if (!info || !(await canReadPlace(db, actor.userId, place))) return err('not_found');
  const moderator = await canModeratePlace(db, actor.userId, place);
  if (p.author_id !== actor.userId && !moderator) return err('forbidden');
  if (p.locked && !moderator) return err('locked');
  const established = await isEstablished(db, actor.userId, now);
  const v = validateBody(body, established || moderator);
  if (!v.ok) return v;
  const action = watchedAction(v.value.md, await watchedWordsFor(db, info.unitId));
  if (action === 'block') return err('blocked_word');
  const iso = now.toISOString();
  const status: DiscStatus = action === 'hold' && !moderator ? 'held' : p.status;
  await writeTransaction(db, async (trx) => {
    await trx
      .insertInto('disc_post_edits')
      .values({ id: newId(), post_id: postId, body_md: p.body_md, edited_by: actor.userId, edited_at: iso })
      .execute();
    await trx
      .updateTable('disc_posts')
      .set({ body_md: v.value.md, body_html: v.value.html, edited_at: iso, edit_count: sql`edit_count + 1`, status })
      .where('id', '=', postId)
      .execute();
    if (status === 'held' && p.status !== 'held') await openQueueItem(trx, postId, info.unitId, 'watched_hold', now);
  });
  if (status === 'visible') await indexPost(db, postId);
  else await unindexPost(db, postId);
  await placeChanged(db, place, p.thread_id);
  return ok({ url: `${info.threadUrl(p.thread_id)}?post=${p.post_no}#post-${p.post_no}` });
}

/** Earlier versions of a post, newest first, for whoever may read the post. */
export async function postHistory(db: DB, userId: string | null, postId: string) {
  const p = await db
    .selectFrom('disc_posts as p')
    .innerJoin('disc_threads as t', 't.id', 'p.thread_id')
    .select([
      'p.id',
      'p.post_no',
      'p.body_md',
      'p.status',
      'p.edited_at',
      'p.author_id',
      't.id as thread_id',
      't.title',
      't.place_type',
      't.place_id',
    ])
    .where('p.id', '=', postId)
    .executeTakeFirst();
  if (!p) return null;
  const place = { type: p.place_type, id: p.place_id };
  if (!(await canReadPlace(db, userId, place))) return null;
  const moderator = userId ? await canModeratePlace(db, userId, place) : false;
  if (p.status !== 'visible' && !moderator) return null;
  const info = await describePlace(db, place);
  const edits = await db
    .selectFrom('disc_post_edits')
    .select(['id', 'body_md', 'edited_at'])
    .where('post_id', '=', postId)
    .orderBy('edited_at', 'desc')
    .execute();
  return {
    threadTitle: p.title,
    postNo: p.post_no,
    threadUrl: info ? info.threadUrl(p.thread_id) : '/',
    current: { html: renderMarkdown(p.body_md), at: p.edited_at },
    versions: edits.map((e) => ({ id: e.id, html: renderMarkdown(e.body_md), replacedAt: e.edited_at })),
  };
}

/** Soft delete by the author or a moderator: the post shows as "removed"; the first post removes the thread. */
export async function removePost(
  db: DB,
  actor: Actor,
  postId: string,
  now = new Date(),
  reason = '',
): Promise<Result<{ threadUrl: string }, 'not_found' | 'forbidden'>> {
  const p = await db
    .selectFrom('disc_posts as p')
    .innerJoin('disc_threads as t', 't.id', 'p.thread_id')
    .select(['p.id', 'p.author_id', 'p.status', 'p.post_no', 't.id as thread_id', 't.place_type', 't.place_id', 't.unit_id'])
    .where('p.id', '=', postId)
    .executeTakeFirst();
  if (!p || p.status === 'removed') return err('not_found');
  const place = { type: p.place_type, id: p.place_id };
  if (!(await canReadPlace(db, actor.userId, place))) return err('not_found');
  const moderator = await canModeratePlace(db, actor.userId, place);
  if (p.author_id !== actor.userId && !moderator) return err('forbidden');
  await softRemove(db, p, actor.userId, p.author_id !== actor.userId ? reason || 'removed' : null, now);
  const info = await describePlace(db, place);
  return ok({ threadUrl: info ? info.threadUrl(p.thread_id) : '/' });
}

/** Marks a post removed (and its thread when it is the first post); closes its queue item; logs a moderator's removal. */
export async function softRemove(
  db: DB,
  p: { id: string; post_no: number; thread_id: string; author_id: string; unit_id: string | null },
  actorId: string,
  logReason: string | null,
  now: Date,
) {
  const iso = now.toISOString();
  await writeTransaction(db, async (trx) => {
    await trx.updateTable('disc_posts').set({ status: 'removed', removed_at: iso }).where('id', '=', p.id).execute();
    if (p.post_no === 1) await trx.updateTable('disc_threads').set({ status: 'removed' }).where('id', '=', p.thread_id).execute();
    await trx
      .updateTable('disc_queue')
      .set({ status: 'handled', handled_by: actorId, handled_at: iso })
      .where('post_id', '=', p.id)
      .where('status', '=', 'open')
      .execute();
    if (logReason !== null)
      await trx
        .insertInto('disc_mod_log')
        .values({
          id: newId(),
          actor_id: actorId,
          action: 'delete',
          thread_id: p.thread_id,
          post_id: p.id,
          subject_user_id: p.author_id,
          unit_id: p.unit_id,
          reason: logReason,
          created_at: iso,
        })
        .execute();
  });
  await unindexPost(db, p.id);
  const t = await getThread(db, p.thread_id);
  if (t) await placeChanged(db, { type: t.place_type, id: t.place_id }, p.thread_id);
}

export function isReaction(r: string): r is Reaction {
  return (REACTIONS as readonly string[]).includes(r);
}

/** Toggles one reaction of the fixed set; the database keeps one per member, post and reaction. */
export async function toggleReaction(
  db: DB,
  userId: string,
  postId: string,
  reaction: string,
  now = new Date(),
): Promise<Result<{ on: boolean }, 'not_found' | 'forbidden' | 'invalid'>> {
  if (!isReaction(reaction)) return err('invalid');
  const p = await db
    .selectFrom('disc_posts as p')
    .innerJoin('disc_threads as t', 't.id', 'p.thread_id')
    .select(['p.author_id', 'p.status', 't.id as thread_id', 't.place_type', 't.place_id'])
    .where('p.id', '=', postId)
    .executeTakeFirst();
  if (!p || p.status !== 'visible' || !(await canReadPlace(db, userId, { type: p.place_type, id: p.place_id }))) return err('not_found');
  if (p.author_id === userId) return err('forbidden');
  const place = { type: p.place_type, id: p.place_id };
  const del = await db
    .deleteFrom('disc_reactions')
    .where('post_id', '=', postId)
    .where('user_id', '=', userId)
    .where('reaction', '=', reaction)
    .executeTakeFirst();
  if (Number(del.numDeletedRows) > 0) {
    await placeChanged(db, place, p.thread_id);
    return ok({ on: false });
  }
  try {
    await db.insertInto('disc_reactions').values({ post_id: postId, user_id: userId, reaction, created_at: now.toISOString() }).execute();
  } catch (e) {
    if (!isUniqueViolation(e)) throw e; // a double click: already on
  }
  await placeChanged(db, place, p.thread_id);
  return ok({ on: true });
}

export async function setFollow(
  db: DB,
  userId: string,
  threadId: string,
  on: boolean,
  now = new Date(),
): Promise<Result<undefined, 'not_found'>> {
  const t = await getThread(db, threadId);
  if (!t || !(await canReadPlace(db, userId, { type: t.place_type, id: t.place_id }))) return err('not_found');
  if (on) await followQuiet(db, userId, threadId, now);
  else await db.deleteFrom('disc_follows').where('thread_id', '=', threadId).where('user_id', '=', userId).execute();
  return ok();
}

/**
 * Records how far the member has read (never moves back). Read to the thread's last post, the
 * member's unread notice of its replies is done too (marked read, as GitHub and Discourse do when
 * the thread is seen); read part-way, it stays for the replies still unread.
 */
export async function markThreadRead(
  db: DB,
  userId: string,
  threadId: string,
  postNo: number,
  now = new Date(),
): Promise<Result<undefined, 'not_found'>> {
  const t = await getThread(db, threadId);
  if (!t || !(await canReadPlace(db, userId, { type: t.place_type, id: t.place_id }))) return err('not_found');
  const no = Math.max(0, Math.min(Math.trunc(postNo) || 0, t.last_post_no));
  if (no <= 0) return ok();
  await setRead(db, userId, threadId, no, now);
  // The end as this member sees it: others' posts held for review are not on their page.
  const seen = await lastPostSeenBy.executeTakeFirst(db, threadId, userId);
  if (no >= Number(seen?.no ?? 0)) await markRead(db, userId, { collapseKey: threadNoticeKey(threadId) }, now);
  return ok();
}

const lastPostSeenBy = prepareQuery((db: DB, threadId: string, userId: string) =>
  db
    .selectFrom('disc_posts')
    .select('post_no as no')
    .where('thread_id', '=', threadId)
    .where((eb) => eb.or([eb('status', '!=', 'held'), eb('author_id', '=', userId)]))
    // Backwards on (thread_id, post_no), stopping at the first post the member sees.
    .orderBy('post_no', 'desc')
    .limit(1),
);

/** A moderator of the place or of a unit above it. */
export async function canModerateThread(
  db: DB,
  userId: string,
  t: { place_type: string; place_id: string; unit_id: string | null },
): Promise<boolean> {
  if (await canModeratePlace(db, userId, { type: t.place_type, id: t.place_id })) return true;
  return t.unit_id ? isUnitModerator(db, userId, t.unit_id) : false;
}

/** The post's Markdown for its edit form, when the member may edit it (author or moderator). */
export async function editablePost(db: DB, userId: string, postId: string) {
  const p = await db
    .selectFrom('disc_posts as p')
    .innerJoin('disc_threads as t', 't.id', 'p.thread_id')
    .select(['p.id', 'p.body_md', 'p.author_id', 'p.status', 't.title', 't.place_type', 't.place_id', 't.unit_id'])
    .where('p.id', '=', postId)
    .executeTakeFirst();
  if (!p || p.status === 'removed' || !(await canReadPlace(db, userId, { type: p.place_type, id: p.place_id }))) return null;
  if (p.author_id !== userId && !(await canModerateThread(db, userId, p))) return null;
  return { id: p.id, body: p.body_md, threadTitle: p.title };
}
