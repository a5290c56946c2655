import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { unwrap } from '~/lib/result';

import {
  addLesson,
  addModule,
  type CourseInput,
  createCourse,
  ensureLessonQuiz,
  getOutline,
  listCatalogue,
  moveLesson,
  moveModule,
  publishCourse,
  unpublishCourse,
} from '../../app/domain/courses/courses.server';
import {
  certificatesOf,
  courseProgress,
  enrol,
  issueCertificate,
  progressTable,
  recordProgress,
  revokeCertificate,
  toCsv,
  touchLesson,
  verifyCertificate,
} from '../../app/domain/courses/progress.server';
import { addQuestion, startAttempt, submitAttempt } from '../../app/domain/quiz/quiz.server';
import { createUnit } from '../../app/domain/units.server';
import { newId, nowIso } from '../../app/lib/ids.server';
import { courseInput, ownerEditor } from '../helpers/courses';
import { dialects, freshDb } from '../helpers/db';
import { makeUser } from '../helpers/users';

const quizSettings = { title: 'Kiểm tra', drawCount: null, shuffleQuestions: true, shuffleOptions: true, maxAttempts: 3, passPercent: 100 };

describe.each(dialects)('courses: progress, completion and certificates (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let unitId: string;
  let teacher: string;
  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    unitId = (await createUnit(db, { parentId: null, kind: 'ministry', slug: `u-${newId(6)}`, name: 'Bộ GDĐT' })).id;
    teacher = await makeUser(db, 'Cô giáo');
  });
  afterAll(async () => cleanup());

  async function buildCourse(input: Partial<CourseInput> = {}) {
    const c = await createCourse(db, teacher, courseInput(unitId, input));
    const m1 = await addModule(db, await ownerEditor(db, c.id), 'Mô-đun 1');
    const m2 = await addModule(db, await ownerEditor(db, c.id), 'Mô-đun 2');
    const read = await addLesson(db, await ownerEditor(db, c.id), m1, {
      title: 'Đọc',
      bodyMd: '# Bài đọc',
      videoUrl: null,
      completionRule: 'read',
    });
    const video = await addLesson(db, await ownerEditor(db, c.id), m1, {
      title: 'Xem',
      bodyMd: '',
      videoUrl: 'https://example.org/v.mp4',
      completionRule: 'video',
    });
    const quizLesson = await addLesson(db, await ownerEditor(db, c.id), m2, {
      title: 'Kiểm tra',
      bodyMd: '',
      videoUrl: null,
      completionRule: 'quiz',
    });
    return { ...c, m1, m2, read, video, quizLesson };
  }

  it('refuses to publish a quiz lesson without questions, then publishes', async () => {
    const c = await buildCourse();
    expect(await publishCourse(db, await ownerEditor(db, c.id))).toEqual({ ok: false, code: 'quiz_without_questions' });
    const { bankId } = await ensureLessonQuiz(db, await ownerEditor(db, c.id), c.quizLesson, quizSettings);
    unwrap(await addQuestion(db, bankId, { kind: 'true_false', prompt: 'Nên đặt mật khẩu khác nhau cho mỗi tài khoản?', trueFalse: true }));
    expect(await publishCourse(db, await ownerEditor(db, c.id))).toEqual({ ok: true });
  });

  it('reorders modules and lessons with up/down', async () => {
    const c = await buildCourse();
    await moveModule(db, await ownerEditor(db, c.id), c.m2, 'up');
    await moveLesson(db, await ownerEditor(db, c.id), c.video, 'up');
    const outline = await getOutline(db, c.id);
    expect(outline.map((m) => m.title)).toEqual(['Mô-đun 2', 'Mô-đun 1']);
    expect(outline[1]!.lessons.map((l) => l.title)).toEqual(['Xem', 'Đọc']);
  });

  it('completes lessons by their rules, tracks module/course progress, issues one certificate', async () => {
    const c = await buildCourse();
    const { quizId, bankId } = await ensureLessonQuiz(db, await ownerEditor(db, c.id), c.quizLesson, quizSettings);
    const q = unwrap(await addQuestion(db, bankId, { kind: 'short', prompt: 'Tên nước?', accepted: ['Việt Nam'] }));
    await publishCourse(db, await ownerEditor(db, c.id));
    const learner = await makeUser(db, 'Lê Minh An');
    // Not enrolled: nothing is recorded.
    expect((await recordProgress(db, c.id, c.read, learner, { kind: 'read' })).lessonCompleted).toBe(false);
    expect(await enrol(db, c.id, learner)).toEqual({ ok: true, value: { already: false } });
    expect(await enrol(db, c.id, learner)).toEqual({ ok: true, value: { already: true } });

    await touchLesson(db, c.id, learner, c.video);
    expect((await courseProgress(db, c.id, learner)).nextLessonId).toBe(c.video);
    expect((await recordProgress(db, c.id, c.read, learner, { kind: 'read' })).lessonCompleted).toBe(true);
    // Video (heartbeats of a 100 s video, credited on the server): 89 % is not enough, 90 % is.
    const t0 = Date.parse('2026-11-30T09:00:00Z');
    const beat = (position: number, s: number) =>
      recordProgress(db, c.id, c.video, learner, { kind: 'video', position, duration: 100, nowMs: t0 + s * 1000 });
    await beat(0, 0);
    expect((await beat(89, 89)).lessonCompleted).toBe(false);
    expect((await recordProgress(db, c.id, c.video, learner, { kind: 'read' })).lessonCompleted).toBe(false);
    expect((await beat(91, 91)).lessonCompleted).toBe(true);
    let p = await courseProgress(db, c.id, learner);
    expect(p.modules.map((m) => m.percent)).toEqual([100, 0]);
    expect(p.percent).toBe(67);
    expect(p.nextLessonId).toBe(c.quizLesson);

    // A quiz lesson claims completion only with a passed attempt.
    expect((await recordProgress(db, c.id, c.quizLesson, learner, { kind: 'quiz' })).lessonCompleted).toBe(false);
    const a1 = await startAttempt(db, quizId, learner);
    if (!a1.ok) throw new Error('start');
    await submitAttempt(db, a1.value.attemptId, learner, new Map([[q, 'Lào']]));
    expect((await recordProgress(db, c.id, c.quizLesson, learner, { kind: 'quiz' })).courseCompleted).toBe(false);
    expect(await certificatesOf(db, learner)).toHaveLength(0);
    const a2 = await startAttempt(db, quizId, learner);
    if (!a2.ok) throw new Error('start 2');
    await submitAttempt(db, a2.value.attemptId, learner, new Map([[q, 'viet nam']]));
    const done = await recordProgress(db, c.id, c.quizLesson, learner, { kind: 'quiz' });
    expect(done).toMatchObject({ lessonCompleted: true, courseCompleted: true });
    expect(done.certificateCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    p = await courseProgress(db, c.id, learner);
    expect(p.percent).toBe(100);

    // Exactly once: more signals and concurrent issues return the same code.
    const again = await recordProgress(db, c.id, c.read, learner, { kind: 'read' });
    expect(again.certificateCode).toBe(done.certificateCode);
    const many = await Promise.all([1, 2, 3, 4].map(() => issueCertificate(db, c.id, learner)));
    expect(new Set(many.map((m) => m.code))).toEqual(new Set([done.certificateCode]));
    expect(await certificatesOf(db, learner)).toHaveLength(1);
    // And the database itself refuses a second row.
    await expect(
      db
        .insertInto('certificates')
        .values({
          id: newId(),
          code: 'XXXX-XXXX-XXXX',
          course_id: c.id,
          user_id: learner,
          holder_name: 'x',
          course_title: 'x',
          unit_name: 'x',
          issued_at: nowIso(),
          revoked_at: null,
          revoked_reason: null,
        })
        .execute(),
    ).rejects.toThrow();

    const table = await progressTable(db, c.id);
    expect(table.rows[0]).toMatchObject({
      name: 'Lê Minh An',
      done: 3,
      total: 3,
      percent: 100,
      certificate: { code: done.certificateCode, revoked: false },
    });
  });

  it('verifies certificates as valid, unknown, then revoked', async () => {
    const c = await buildCourse({ title: 'Văn hóa đọc' });
    const learner = await makeUser(db, 'Phạm Thị Lan');
    const { code } = await issueCertificate(db, c.id, learner);
    const v = await verifyCertificate(db, code.toLowerCase().replace(/-/g, ''));
    expect(v).toMatchObject({ status: 'valid', holderName: 'Phạm Thị Lan', courseTitle: 'Văn hóa đọc', unitName: 'Bộ GDĐT' });
    expect(await verifyCertificate(db, 'AAAA-BBBB-CCCC')).toEqual({ status: 'unknown' });
    expect(await revokeCertificate(db, await ownerEditor(db, c.id), code, 'Cấp nhầm')).toBe(true);
    expect(await verifyCertificate(db, code)).toMatchObject({ status: 'revoked', revokedReason: 'Cấp nhầm' });
  });

  it('enrolment by code; drafts cannot be joined; catalogue filters and finds without accents', async () => {
    const c = await buildCourse({
      title: 'Tìm kiếm thông tin an toàn',
      enrolMode: 'code',
      enrolCode: 'TUANLE24',
      audience: 'students',
      weekYear: null,
    });
    const learner = await makeUser(db, 'Học sinh');
    expect(await enrol(db, c.id, learner, 'TUANLE24')).toEqual({ ok: false, code: 'not_open' });
    const { bankId } = await ensureLessonQuiz(db, await ownerEditor(db, c.id), c.quizLesson, quizSettings);
    unwrap(await addQuestion(db, bankId, { kind: 'true_false', prompt: 'Đúng?', trueFalse: true }));
    await publishCourse(db, await ownerEditor(db, c.id));
    expect(await enrol(db, c.id, learner, 'sai')).toEqual({ ok: false, code: 'wrong_code' });
    expect(await enrol(db, c.id, learner, ' tuanle24 ')).toEqual({ ok: true, value: { already: false } });
    expect((await listCatalogue(db, { q: 'tim kiem thong tin' })).map((r) => r.id)).toContain(c.id);
    expect((await listCatalogue(db, { audience: 'students' })).map((r) => r.id)).toContain(c.id);
    expect((await listCatalogue(db, { audience: 'elderly' })).map((r) => r.id)).not.toContain(c.id);
    await unpublishCourse(db, await ownerEditor(db, c.id));
    expect((await listCatalogue(db, { q: 'tim kiem thong tin' })).map((r) => r.id)).not.toContain(c.id);
  });

  it('exports CSV that spreadsheets read safely', () => {
    const csv = toCsv([
      ['Họ tên', 'Ghi chú'],
      ['Nguyễn Văn "Bình"', '=HYPERLINK("x")'],
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('"Nguyễn Văn ""Bình"""');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
