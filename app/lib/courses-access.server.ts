/**
 * Route-side loading of a course for a request: reads the user, asks the courses domain who may
 * see/edit the course, and throws 404/403 Responses like the shared auth helpers.
 */
import { courseAccessForEditor, courseAccessForViewer } from '~/domain/courses/access.server';
import { getUser, requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { forbidden, notFound } from '~/lib/http.server';

export async function loadCourseForViewer(request: Request, slug: string) {
  const db = getDb();
  const user = await getUser(request);
  const a = await courseAccessForViewer(db, slug, user?.id);
  // A draft is a 404 to others: its existence is not disclosed.
  if (a.status !== 'ok') notFound();
  return { db, course: a.course, user, canEdit: a.canEdit };
}

export async function loadCourseForEditor(request: Request, slug: string) {
  const db = getDb();
  const user = await requireUser(request);
  const a = await courseAccessForEditor(db, slug, user.id);
  if (a.status === 'missing') notFound();
  if (a.status !== 'ok' || !a.editor) forbidden();
  return { db, course: a.course, user, editor: a.editor };
}
