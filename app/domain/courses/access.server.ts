/**
 * Who may see and who may edit a course: pure permission checks on the database, no HTTP.
 * Routes turn the answers into 404/403 responses with app/lib/courses-access.server.ts.
 */
import type { DB } from '~/lib/db.server';

import { canEditCourse, type Course, getCourseBySlug } from './courses.server';

export type CourseAccess =
  { status: 'missing' } | { status: 'hidden' | 'forbidden'; course: Course } | { status: 'ok'; course: Course; canEdit: boolean };

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
  return { status: 'ok', course, canEdit: true };
}
