/**
 * Who may see and who may edit a course: pure permission checks on the database, no HTTP.
 * Routes turn the answers into 404/403 responses with app/lib/courses-access.server.ts.
 */
import { hasRole } from '~/domain/accounts.server';
import type { DB } from '~/lib/db.server';
import { type AccessCode, err, ok, type Result } from '~/lib/result';

import { canEditCourse, type Course, getCourseBySlug } from './courses.server';
import { type CourseEditor, mintCourseEditor } from './editor.server';

export type { CourseEditor } from './editor.server';

export type CourseAccess =
  | { status: 'missing' }
  | { status: 'hidden' | 'forbidden'; course: Course }
  | { status: 'ok'; course: Course; canEdit: boolean; editor?: CourseEditor };

/** A published course is visible to everyone; a draft only to those who may edit it (a preview). */
export async function courseAccessForViewer(db: DB, slug: string, userId: string | null | undefined): Promise<CourseAccess> {
  const course = await getCourseBySlug(db, slug);
  if (!course) return { status: 'missing' };
  const canEdit = await canEditCourse(db, course, userId);
  if (course.status !== 'published' && !canEdit) return { status: 'hidden', course };
  return { status: 'ok', course, canEdit };
}

/** Owner, co-teachers, and organisers (or admins) of the course's unit may edit it. */
export async function courseAccessForEditor(db: DB, slug: string, userId: string): Promise<CourseAccess> {
  const course = await getCourseBySlug(db, slug);
  if (!course) return { status: 'missing' };
  if (!(await canEditCourse(db, course, userId))) return { status: 'forbidden', course };
  return { status: 'ok', course, canEdit: true, editor: mintCourseEditor(course.id, course.unit_id, userId) };
}

/**
 * The editor access check by course id (seeds, jobs, tests): the `CourseEditor` every course
 * mutator demands, or `not_found` / `forbidden`.
 */
export async function courseEditor(db: DB, courseId: string, userId: string): Promise<Result<CourseEditor, AccessCode>> {
  const course = await db.selectFrom('courses').select(['id', 'unit_id']).where('id', '=', courseId).executeTakeFirst();
  if (!course) return err('not_found');
  if (!(await canEditCourse(db, course, userId))) return err('forbidden');
  return ok(mintCourseEditor(course.id, course.unit_id, userId));
}

/**
 * Who may put a course in a unit — when creating it and when moving it: a teacher or an
 * organiser of that unit (roles apply down the subtree; admins everywhere). Editing a course
 * elsewhere does not carry a right to move it into a unit where one holds no role.
 */
export async function canPlaceCourseIn(db: DB, userId: string, unitId: string): Promise<boolean> {
  return (await hasRole(db, userId, unitId, 'teacher')) || (await hasRole(db, userId, unitId, 'organiser'));
}
