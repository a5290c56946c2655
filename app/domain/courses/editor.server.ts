/**
 * Proof that the editor access check said yes. Only `access.server.ts` mints a `CourseEditor`
 * (after `canEditCourse`); every course mutator takes one instead of a bare course id, so a
 * mutator cannot be called without the check — not by a route, a seed or a test. A forged object
 * (not minted here) is a bug and throws.
 */
export type CourseEditor = {
  readonly courseId: string;
  readonly unitId: string;
  readonly userId: string;
  readonly __brand: 'CourseEditor';
};

const minted = new WeakSet<object>();

/** For access.server.ts only (after the check). */
export function mintCourseEditor(courseId: string, unitId: string, userId: string): CourseEditor {
  const e = Object.freeze({ courseId, unitId, userId }) as CourseEditor;
  minted.add(e);
  return e;
}

/** The course a mutator may change; throws when the editor was not minted by the access check. */
export function editedCourse(e: CourseEditor): string {
  if (!minted.has(e)) throw new Error('course mutator called without the editor access check');
  return e.courseId;
}
