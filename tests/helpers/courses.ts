/** Course test helpers: the editor access object of a course's owner, as the editor's pages get it. */
import type { DB } from '~/db/connection';
import { type CourseEditor, courseEditor } from '~/domain/courses/access.server';
import { unwrap } from '~/lib/result';

export async function ownerEditor(db: DB, courseId: string): Promise<CourseEditor> {
  const owner = await db
    .selectFrom('course_teachers')
    .select('user_id')
    .where('course_id', '=', courseId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return unwrap(await courseEditor(db, courseId, owner.user_id));
}
