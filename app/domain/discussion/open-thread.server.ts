/**
 * A thread opened by an area on behalf of one of its moderators as part of another action — a
 * reading club's milestone opens its discussion thread with the moderator's prepared questions.
 * It is not a member posting: the per-person posting limits (rate, new-member, slow mode) do not
 * apply, but the place must exist and the author must be able to moderate it. The rest (search,
 * follows, reading marks) is the engine's usual work.
 */
import { writeTransaction } from '~/db/dialect';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { renderMarkdown } from '~/lib/markdown.server';

import { ANY_MEMBER } from './members.server';
import { canModeratePlace, describePlace, type PlaceRef } from './places.server';
import { indexPost } from './search.server';

export async function openModeratorThread(
  db: DB,
  authorId: string,
  place: PlaceRef,
  input: { title: string; body: string },
  now = new Date(),
): Promise<{ threadId: string; postId: string } | null> {
  const info = await describePlace(db, place);
  if (!info || !(await canModeratePlace(db, authorId, place))) return null;
  const title = input.title.normalize('NFC').replace(/\s+/g, ' ').trim().slice(0, ANY_MEMBER.titleMax);
  const md = input.body.normalize('NFC').replace(/\r\n/g, '\n').trim().slice(0, ANY_MEMBER.maxChars) || title;
  const iso = now.toISOString();
  const threadId = newId();
  const postId = newId();
  await writeTransaction(db, async (trx) => {
    await trx
      .insertInto('disc_threads')
      .values({
        id: threadId,
        place_type: place.type,
        place_id: place.id,
        unit_id: info.unitId,
        title,
        author_id: authorId,
        status: 'visible',
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
        author_id: authorId,
        body_md: md,
        body_html: renderMarkdown(md),
        quote_of: null,
        status: 'visible',
        edit_count: 0,
        created_at: iso,
        edited_at: null,
        removed_at: null,
      })
      .execute();
    await trx.insertInto('disc_follows').values({ thread_id: threadId, user_id: authorId, created_at: iso }).execute();
    await trx.insertInto('disc_reads').values({ thread_id: threadId, user_id: authorId, last_read_no: 1, updated_at: iso }).execute();
  });
  await indexPost(db, postId);
  return { threadId, postId };
}
