/**
 * Loading a course for a request: who may see it (published, or a draft to its teachers as a
 * preview) and who may edit it. Throws 404/403 Responses like the shared auth helpers.
 */
import { getDb } from '~/lib/db.server';
import { getUser, requireUser } from '~/lib/auth.server';
import { canEditCourse, getCourseBySlug } from './courses.server';

export async function loadCourseForViewer(request: Request, slug: string) {
  const db = getDb();
  const course = await getCourseBySlug(db, slug);
  if (!course) throw new Response('Not Found', { status: 404 });
  const user = await getUser(request);
  const canEdit = await canEditCourse(db, course, user?.id);
  if (course.status !== 'published' && !canEdit) throw new Response('Not Found', { status: 404 });
  return { db, course, user, canEdit };
}

export async function loadCourseForEditor(request: Request, slug: string) {
  const db = getDb();
  const user = await requireUser(request);
  const course = await getCourseBySlug(db, slug);
  if (!course) throw new Response('Not Found', { status: 404 });
  if (!(await canEditCourse(db, course, user.id))) throw new Response('Forbidden', { status: 403 });
  return { db, course, user };
}
