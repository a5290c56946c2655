/**
 * Threads and posts in the shared search. Only posts of places anyone may read are indexed
 * (source 'thread' for an opening post, 'post' for a reply), so a search result can never reveal
 * a private place; a post leaves the index when it is held, hidden, removed or its place closes.
 */
import { indexDocument, removeDocument } from '~/domain/search/index.server';
import type { DB } from '~/lib/db.server';

import { describePlace, type PlaceInfo } from './places.server';
import { plainText } from './text';

const POST_COLUMNS = [
  'p.id',
  'p.post_no',
  'p.body_html',
  'p.status',
  'p.created_at',
  't.id as thread_id',
  't.title',
  't.status as thread_status',
  't.place_type',
  't.place_id',
] as const;

export interface IndexablePost {
  id: string;
  post_no: number;
  body_html: string;
  status: string;
  created_at: string;
  thread_id: string;
  title: string;
  thread_status: string;
}

export async function indexPost(db: DB, postId: string): Promise<void> {
  const p = await db
    .selectFrom('disc_posts as p')
    .innerJoin('disc_threads as t', 't.id', 'p.thread_id')
    .select(POST_COLUMNS)
    .where('p.id', '=', postId)
    .executeTakeFirst();
  if (!p) return;
  await indexPostRow(db, p, await describePlace(db, { type: p.place_type, id: p.place_id }));
}

/** Indexes (or removes from the index) a post already read, with its place already described. */
export async function indexPostRow(db: DB, p: IndexablePost, info: PlaceInfo | null): Promise<void> {
  const source = p.post_no === 1 ? 'thread' : 'post';
  const id = p.post_no === 1 ? p.thread_id : p.id;
  if (!info || !info.isPublic || p.status !== 'visible' || p.thread_status !== 'visible') {
    await removeDocument(db, source, id);
    return;
  }
  await indexDocument(db, {
    source,
    id,
    kind: source,
    title: p.title,
    body: plainText(p.body_html),
    url: p.post_no === 1 ? info.threadUrl(p.thread_id) : `${info.threadUrl(p.thread_id)}?post=${p.post_no}#post-${p.post_no}`,
    unitId: info.unitId,
    language: 'vi',
    publishedAt: p.created_at,
  });
}

export async function unindexPost(db: DB, postId: string): Promise<void> {
  const p = await db.selectFrom('disc_posts').select(['post_no', 'thread_id']).where('id', '=', postId).executeTakeFirst();
  if (!p) return;
  if (p.post_no === 1) await removeDocument(db, 'thread', p.thread_id);
  else await removeDocument(db, 'post', postId);
}

/** Re-indexes every post of a thread (after a move, or a place changing visibility). */
export async function reindexThread(db: DB, threadId: string): Promise<void> {
  const posts = await db.selectFrom('disc_posts').select('id').where('thread_id', '=', threadId).execute();
  for (const p of posts) await indexPost(db, p.id);
}
