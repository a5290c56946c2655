/**
 * A thread opened by an area on behalf of one of its moderators as part of another action — a
 * reading club's milestone opens its discussion thread with the moderator's prepared questions.
 * It is not a member posting: the per-person posting limits (rate, new-member, slow mode) do not
 * apply, but the place must exist and the author must be able to moderate it. The rest (search,
 * follows, reading marks) is the engine's usual work.
 */
import type { DB } from '~/lib/db.server';
import { renderMarkdown } from '~/lib/markdown.server';

import { ANY_MEMBER } from './members.server';
import { canModeratePlace, describePlace, type PlaceRef } from './places.server';
import { writeNewThread } from './posts.server';
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
  const { threadId, postId } = await writeNewThread(db, {
    place,
    unitId: info.unitId,
    title,
    authorId,
    status: 'visible',
    md,
    html: renderMarkdown(md),
    now,
  });
  await indexPost(db, postId);
  return { threadId, postId };
}
