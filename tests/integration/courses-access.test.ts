/**
 * Course mutators check access themselves: they take a `CourseEditor` that only the editor access
 * check mints, so the wrong user gets a refusal before any write; a forged editor throws; an editor
 * of one course cannot reach another course's modules or lessons. The editor page's action is
 * called directly (no browser) for its permissions and intent mapping.
 */
import { beforeAll, expect, it } from 'vitest';

import { type CourseEditor, courseEditor } from '~/domain/courses/access.server';
import {
  addCoTeacher,
  addLesson,
  addModule,
  createCourse,
  deleteLesson,
  deleteModule,
  getOutline,
  publishCourse,
  removeCoTeacher,
  renameModule,
  reorderLessons,
  updateCourse,
} from '~/domain/courses/courses.server';
import { unwrap } from '~/lib/result';

import { action as editCourseAction } from '../../app/routes/courses.$slug.edit._index';
import { courseInput } from '../helpers/courses';
import { callRoute } from '../helpers/routes';
import { describeWorld } from '../helpers/world';

const input = (unitId: string, title?: string) => courseInput(unitId, title ? { title } : {});

describeWorld('courses: mutators check access themselves', (w) => {
  let course: { id: string; slug: string };
  let ed: CourseEditor;
  let moduleId: string;
  let lessonId: string;
  beforeAll(async () => {
    course = await createCourse(w.db, w.users.teacher, input(w.units.school));
    ed = unwrap(await courseEditor(w.db, course.id, w.users.teacher));
    moduleId = await addModule(w.db, ed, 'Mô-đun 1');
    lessonId = await addLesson(w.db, ed, moduleId, { title: 'Bài 1', bodyMd: 'x', videoUrl: null, completionRule: 'read' });
  });

  it('refuses the wrong users and admits owner, organisers up the tree and admins', async () => {
    for (const who of [w.users.learner, w.users.stranger])
      expect(await courseEditor(w.db, course.id, who)).toEqual({ ok: false, code: 'forbidden' });
    expect(await courseEditor(w.db, 'no-such-course', w.users.teacher)).toEqual({ ok: false, code: 'not_found' });
    for (const who of [w.users.teacher, w.users.organiser, w.users.provinceOrganiser, w.users.admin])
      expect((await courseEditor(w.db, course.id, who)).ok).toBe(true);
  });

  it('a co-teacher edits while added, and is refused once removed', async () => {
    expect(await courseEditor(w.db, course.id, w.users.learner)).toMatchObject({ ok: false });
    const email = (await w.db.selectFrom('users').select('email').where('id', '=', w.users.learner).executeTakeFirstOrThrow()).email;
    expect(await addCoTeacher(w.db, ed, email)).toBe('added');
    const co = unwrap(await courseEditor(w.db, course.id, w.users.learner));
    await renameModule(w.db, co, moduleId, 'Mô-đun đầu tiên');
    expect((await getOutline(w.db, course.id))[0]!.title).toBe('Mô-đun đầu tiên');
    await removeCoTeacher(w.db, ed, w.users.learner);
    expect(await courseEditor(w.db, course.id, w.users.learner)).toEqual({ ok: false, code: 'forbidden' });
  });

  it('a forged editor (not minted by the access check) throws before any write', async () => {
    const forged = { courseId: course.id, unitId: w.units.school, userId: w.users.stranger } as CourseEditor;
    await expect(renameModule(w.db, forged, moduleId, 'Bị sửa')).rejects.toThrow(/access check/);
    await expect(deleteLesson(w.db, forged, lessonId)).rejects.toThrow(/access check/);
    await expect(publishCourse(w.db, forged)).rejects.toThrow(/access check/);
    await expect(updateCourse(w.db, forged, input(w.units.school, 'Bị sửa'))).rejects.toThrow(/access check/);
    const outline = await getOutline(w.db, course.id);
    expect(outline[0]!.title).not.toBe('Bị sửa');
    expect(outline[0]!.lessons.map((l) => l.id)).toEqual([lessonId]);
  });

  it("the editor of another course cannot reach this course's modules and lessons", async () => {
    const mine = await createCourse(w.db, w.users.stranger, input(w.units.other, 'Khóa của người lạ'));
    const strangerEd = unwrap(await courseEditor(w.db, mine.id, w.users.stranger));
    await renameModule(w.db, strangerEd, moduleId, 'Bị sửa');
    await deleteLesson(w.db, strangerEd, lessonId);
    await deleteModule(w.db, strangerEd, moduleId);
    expect(await reorderLessons(w.db, strangerEd, moduleId, [lessonId])).toEqual({ ok: false, code: 'reorder_mismatch' });
    await expect(
      addLesson(w.db, strangerEd, moduleId, { title: 'Lạ', bodyMd: '', videoUrl: null, completionRule: 'read' }),
    ).rejects.toThrow();
    const outline = await getOutline(w.db, course.id);
    expect(outline.map((m) => m.id)).toEqual([moduleId]);
    expect(outline[0]!.title).not.toBe('Bị sửa');
    expect(outline[0]!.lessons.map((l) => l.id)).toEqual([lessonId]);
  });

  it('a teacher moving the course to a unit where they hold no role is refused', async () => {
    expect(await updateCourse(w.db, ed, input(w.units.other))).toEqual({ ok: false, code: 'unit_forbidden' });
  });
});

describeWorld('courses: the editor page action, called directly', (w) => {
  let course: { id: string; slug: string };
  const post = (userId: string | undefined, form: Record<string, string>) =>
    callRoute(editCourseAction, { db: w.db, userId, path: `/courses/${course.slug}/edit`, params: { slug: course.slug }, form });
  beforeAll(async () => {
    course = await createCourse(w.db, w.users.teacher, input(w.units.school));
  });

  it('sends the anonymous to sign in, answers 403 to a signed-in stranger and 404 for an unknown course', async () => {
    const anon = await post(undefined, { intent: 'add-module', title: 'X' });
    expect(anon.status).toBe(302);
    expect(anon.headers.get('Location')).toMatch(/^\/login\?redirectTo=/);
    expect((await post(w.users.stranger, { intent: 'add-module', title: 'X' })).status).toBe(403);
    const missing = await callRoute(editCourseAction, {
      db: w.db,
      userId: w.users.teacher,
      path: '/courses/khong-co/edit',
      params: { slug: 'khong-co' },
      form: { intent: 'add-module', title: 'X' },
    });
    expect(missing.status).toBe(404);
    expect(await getOutline(w.db, course.id)).toEqual([]);
  });

  it('maps each intent: a module is added (redirect to the outline), a blank title is an error next to the field', async () => {
    const added = await post(w.users.teacher, { intent: 'add-module', title: 'Mô-đun 1' });
    expect(added.status).toBe(302);
    expect(added.headers.get('Location')).toBe(`/courses/${course.slug}/edit#outline`);
    expect((await getOutline(w.db, course.id)).map((m) => m.title)).toEqual(['Mô-đun 1']);

    const blank = await post(w.users.teacher, { intent: 'add-module', title: '   ' });
    expect(blank.status).toBe(400);
    expect(await blank.json()).toMatchObject({ intent: 'add-module', errors: { title: 'errors.required' }, values: { title: '   ' } });
  });

  it('an unknown intent or a missing id is a 400 with a message above the form, never a 500', async () => {
    const unknown = await post(w.users.teacher, { intent: 'drop-table' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ errors: { _form: 'errors.invalid' } });
    const noId = await post(w.users.teacher, { intent: 'delete-module' });
    expect(noId.status).toBe(400);
    expect(await noId.json()).toMatchObject({ errors: { moduleId: 'errors.invalid' } });
  });

  it('publishing an empty course is refused with the domain code mapped to its message', async () => {
    const r = await post(w.users.teacher, { intent: 'publish' });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ errors: { _form: 'courses.errors.noLessons' } });
  });
});
