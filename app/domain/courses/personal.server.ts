import type { DB } from '~/lib/db.server';

/**
 * Whether the course catalogue has a part of its own for this person (courses they take or
 * teach): the catalogue is then rendered for them, not shared (app/lib/page-shell.server.ts).
 */
export async function hasOwnCourses(db: DB, userId: string): Promise<boolean> {
  const taking = await db.selectFrom('course_enrolments').select('course_id').where('user_id', '=', userId).limit(1).executeTakeFirst();
  if (taking) return true;
  const teaching = await db.selectFrom('course_teachers').select('course_id').where('user_id', '=', userId).limit(1).executeTakeFirst();
  return !!teaching;
}
