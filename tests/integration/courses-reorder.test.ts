/**
 * Drag-and-drop / keyboard reordering of a course's modules and a module's lessons: the new order
 * is written in one transaction, and only when the ids are exactly the list being reordered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';

import { addLesson, addModule, createCourse, getOutline, reorderLessons, reorderModules } from '../../app/domain/courses/courses.server';
import { createUnit } from '../../app/domain/units.server';
import { newId } from '../../app/lib/ids.server';
import { courseInput, ownerEditor } from '../helpers/courses';
import { dialects, freshDb } from '../helpers/db';
import { makeUser } from '../helpers/users';

const base = (unitId: string) => courseInput(unitId, { title: 'Sử dụng điện thoại an toàn', summary: 'Cho người cao tuổi', estHours: 2 });

describe.each(dialects)('courses: reordering modules and lessons (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let unitId: string;
  let teacher: string;
  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    unitId = (await createUnit(db, { parentId: null, kind: 'ministry', slug: `u-${newId(6)}`, name: 'Bộ GDĐT' })).id;
    teacher = await makeUser(db, 'Cô Lan');
  });
  afterAll(async () => cleanup());

  async function build() {
    const c = await createCourse(db, teacher, base(unitId));
    const m = [
      await addModule(db, await ownerEditor(db, c.id), 'Mô-đun A'),
      await addModule(db, await ownerEditor(db, c.id), 'Mô-đun B'),
      await addModule(db, await ownerEditor(db, c.id), 'Mô-đun C'),
    ];
    const l = [];
    for (const title of ['Bài 1', 'Bài 2', 'Bài 3', 'Bài 4'])
      l.push(await addLesson(db, await ownerEditor(db, c.id), m[0]!, { title, bodyMd: '', videoUrl: null, completionRule: 'read' }));
    const other = await addLesson(db, await ownerEditor(db, c.id), m[1]!, {
      title: 'Bài ở mô-đun B',
      bodyMd: '',
      videoUrl: null,
      completionRule: 'read',
    });
    return { id: c.id, m, l, other };
  }

  const titles = async (courseId: string) => {
    const o = await getOutline(db, courseId);
    return { modules: o.map((x) => x.title), lessonsA: o.find((x) => x.title === 'Mô-đun A')!.lessons.map((x) => x.title) };
  };

  it('moves modules and lessons to any position, and the order reads back the same', async () => {
    const c = await build();
    expect(await reorderModules(db, await ownerEditor(db, c.id), [c.m[2]!, c.m[0]!, c.m[1]!])).toEqual({ ok: true });
    // Bài 4 dragged to the top, Bài 2 to the end.
    expect(await reorderLessons(db, await ownerEditor(db, c.id), c.m[0]!, [c.l[3]!, c.l[0]!, c.l[2]!, c.l[1]!])).toEqual({ ok: true });
    expect(await titles(c.id)).toEqual({ modules: ['Mô-đun C', 'Mô-đun A', 'Mô-đun B'], lessonsA: ['Bài 4', 'Bài 1', 'Bài 3', 'Bài 2'] });
    // Positions are rewritten 1..n (no gaps, no duplicates), so up/down keeps working afterwards.
    const pos = await db.selectFrom('course_lessons').select('position').where('module_id', '=', c.m[0]!).orderBy('position').execute();
    expect(pos.map((p) => p.position)).toEqual([1, 2, 3, 4]);
  });

  it('refuses a missing, repeated or foreign id and writes nothing', async () => {
    const c = await build();
    const other = await build(); // another course of the same teacher
    const before = await titles(c.id);
    const refused = { ok: false, code: 'reorder_mismatch' };
    // Modules: one missing, one repeated, one from another course, an unknown id.
    expect(await reorderModules(db, await ownerEditor(db, c.id), [c.m[2]!, c.m[0]!])).toEqual(refused);
    expect(await reorderModules(db, await ownerEditor(db, c.id), [c.m[2]!, c.m[0]!, c.m[0]!])).toEqual(refused);
    expect(await reorderModules(db, await ownerEditor(db, c.id), [c.m[2]!, c.m[0]!, c.m[1]!, other.m[0]!])).toEqual(refused);
    expect(await reorderModules(db, await ownerEditor(db, c.id), [c.m[2]!, c.m[0]!, other.m[1]!])).toEqual(refused);
    expect(await reorderModules(db, await ownerEditor(db, c.id), [])).toEqual(refused);
    // Lessons: a lesson of another module of the same course, of another course, a missing one.
    expect(await reorderLessons(db, await ownerEditor(db, c.id), c.m[0]!, [c.l[3]!, c.l[0]!, c.l[2]!, c.other])).toEqual(refused);
    expect(await reorderLessons(db, await ownerEditor(db, c.id), c.m[0]!, [c.l[3]!, c.l[0]!, c.l[2]!, c.l[1]!, other.l[0]!])).toEqual(
      refused,
    );
    expect(await reorderLessons(db, await ownerEditor(db, c.id), c.m[0]!, [c.l[3]!, c.l[0]!, c.l[2]!])).toEqual(refused);
    // The other course's module, reached through this course: refused (and that course is untouched).
    expect(
      await reorderLessons(db, await ownerEditor(db, c.id), other.m[0]!, [other.l[3]!, other.l[2]!, other.l[1]!, other.l[0]!]),
    ).toEqual(refused);
    expect(await titles(c.id)).toEqual(before);
    expect((await titles(other.id)).lessonsA).toEqual(['Bài 1', 'Bài 2', 'Bài 3', 'Bài 4']);
  });

  it('two teachers reordering at once: each write is whole, never a mix', async () => {
    const c = await build();
    const a = [c.l[3]!, c.l[2]!, c.l[1]!, c.l[0]!];
    const b = [c.l[1]!, c.l[0]!, c.l[3]!, c.l[2]!];
    const rs = await Promise.all([
      reorderLessons(db, await ownerEditor(db, c.id), c.m[0]!, a),
      reorderLessons(db, await ownerEditor(db, c.id), c.m[0]!, b),
      reorderLessons(db, await ownerEditor(db, c.id), c.m[0]!, a),
    ]);
    expect(rs.every((r) => r.ok)).toBe(true);
    const o = await getOutline(db, c.id);
    const got = o.find((x) => x.id === c.m[0])!.lessons.map((x) => x.id);
    expect([a.join(), b.join()]).toContain(got.join());
  });
});
