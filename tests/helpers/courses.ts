/** Course test helpers: a course's fields, and the editor access object of a course's owner, as the editor's pages get it. */
import type { DB } from '~/db/connection';
import { type CourseEditor, courseEditor } from '~/domain/courses/access.server';
import type { CourseInput } from '~/domain/courses/courses.server';
import { unwrap } from '~/lib/result';

/** The fields of an open course of the unit (a beginners' course for elderly learners), with `over` in place of the defaults. */
export function courseInput(unitId: string, over: Partial<CourseInput> = {}): CourseInput {
  return {
    unitId,
    weekYear: null,
    title: 'Kỹ năng số cho người lớn tuổi',
    summary: 'Làm quen điện thoại thông minh',
    descriptionMd: '',
    audience: 'elderly',
    level: 'beginner',
    estHours: 3,
    coverUrl: null,
    language: 'vi',
    licence: 'CC BY 4.0',
    enrolMode: 'open',
    enrolCode: null,
    ...over,
  };
}

export async function ownerEditor(db: DB, courseId: string): Promise<CourseEditor> {
  const owner = await db
    .selectFrom('course_teachers')
    .select('user_id')
    .where('course_id', '=', courseId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return unwrap(await courseEditor(db, courseId, owner.user_id));
}
