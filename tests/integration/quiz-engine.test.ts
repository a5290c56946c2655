import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { unwrap } from '~/lib/result';

import {
  addQuestion,
  attemptsOf,
  createBank,
  createQuiz,
  foldVietnamese,
  getAttemptView,
  responsesFromForm,
  saveResponses,
  startAttempt,
  submitAttempt,
} from '../../app/domain/quiz/quiz.server';
import { dialects, freshDb } from '../helpers/db';
import { makeUser } from '../helpers/users';

const settings = { title: 'Kiểm tra', drawCount: null, shuffleQuestions: true, shuffleOptions: true, maxAttempts: null, passPercent: 60 };

describe.each(dialects)('quiz engine (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
  });
  afterAll(async () => cleanup());

  it('grades every question type on the server, with Vietnamese folding for short answers', async () => {
    const user = await makeUser(db, 'Học viên');
    const bank = await createBank(db, { ownerKind: 'course', ownerId: 'c1', title: 'Ngân hàng' });
    const single = unwrap(
      await addQuestion(db, bank, { kind: 'single', prompt: 'Thủ đô?', options: ['Huế', 'Hà Nội', 'Đà Nẵng'], correct: [1] }),
    );
    const multiple = unwrap(
      await addQuestion(db, bank, {
        kind: 'multiple',
        prompt: 'Mật khẩu mạnh có?',
        options: ['Chữ hoa', 'Ngày sinh', 'Ký hiệu'],
        correct: [0, 2],
      }),
    );
    const tf = unwrap(await addQuestion(db, bank, { kind: 'true_false', prompt: 'Nên chia sẻ mã OTP?', trueFalse: false }));
    const short = unwrap(
      await addQuestion(db, bank, { kind: 'short', prompt: 'Tên đường?', accepted: ['Đường Láng'], foldDiacritics: true }),
    );
    const strict = unwrap(await addQuestion(db, bank, { kind: 'short', prompt: 'Từ có dấu?', accepted: ['đường'], foldDiacritics: false }));
    const ordering = unwrap(await addQuestion(db, bank, { kind: 'ordering', prompt: 'Thứ tự?', options: ['Một', 'Hai', 'Ba'] }));
    const quiz = await createQuiz(db, bank, { ...settings, passPercent: 100 });
    const start = await startAttempt(db, quiz, user);
    expect(start.ok).toBe(true);
    if (!start.ok) return;
    const view = (await getAttemptView(db, start.value.attemptId, user))!;
    expect(view.questions).toHaveLength(6);
    // The learner never receives the key.
    expect(JSON.stringify(view)).not.toContain('accepted');

    const form = new FormData();
    for (const q of view.questions) form.set(`present.${q.id}`, '1');
    form.set(`q.${single}`, 'b');
    form.append(`q.${multiple}`, 'a');
    form.append(`q.${multiple}`, 'c');
    form.set(`q.${tf}`, 'false');
    form.set(`q.${short}`, '  duong lang ');
    form.set(`q.${strict}`, 'dương'); // wrong mark: strict question
    const ord = view.questions.find((q) => q.id === ordering)!;
    for (const o of ord.options) form.set(`q.${ordering}.pos.${o.id}`, String({ a: 1, b: 2, c: 3 }[o.id]));
    const r = await submitAttempt(db, start.value.attemptId, user, responsesFromForm(view.questions, form));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const byQ = Object.fromEntries(r.value.result.questions.map((g) => [g.questionId, g.correct]));
    expect(byQ).toEqual({ [single]: true, [multiple]: true, [tf]: true, [short]: true, [strict]: false, [ordering]: true });
    expect(r.value.result.score).toBe(5);
    expect(r.value.result.maxScore).toBe(6);
    expect(r.value.result.passed).toBe(false);
    const after = (await getAttemptView(db, start.value.attemptId, user))!;
    expect(after.feedback?.[strict]).toMatchObject({ correct: false, answerText: 'đường' });
  });

  it('marks partial multiple choice and wrong order as wrong; đ folds to d', async () => {
    expect(foldVietnamese('Đường Hồ Chí Minh!')).toBe('duong ho chi minh');
    const user = await makeUser(db, 'Học viên');
    const bank = await createBank(db, { ownerKind: 'course', ownerId: 'c2', title: 'B' });
    const m = unwrap(await addQuestion(db, bank, { kind: 'multiple', prompt: 'Chọn', options: ['A', 'B', 'C'], correct: [0, 1] }));
    const o = unwrap(await addQuestion(db, bank, { kind: 'ordering', prompt: 'Xếp', options: ['1', '2', '3'] }));
    const quiz = await createQuiz(db, bank, settings);
    const s = await startAttempt(db, quiz, user);
    if (!s.ok) throw new Error('start');
    const r = await submitAttempt(
      db,
      s.value.attemptId,
      user,
      new Map([
        [m, ['a']],
        [o, ['b', 'a', 'c']],
      ]),
    );
    if (!r.ok) throw new Error('submit');
    expect(r.value.result.score).toBe(0);
  });

  it('rejects a question whose key does not fit', async () => {
    const bank = await createBank(db, { ownerKind: 'course', ownerId: 'c3', title: 'B' });
    expect(await addQuestion(db, bank, { kind: 'single', prompt: 'x', options: ['A', 'B'], correct: [5] })).toEqual({
      ok: false,
      code: 'answer_key',
    });
    expect(await addQuestion(db, bank, { kind: 'short', prompt: 'x', accepted: ['  '] })).toEqual({ ok: false, code: 'answer_key' });
    expect(await addQuestion(db, bank, { kind: 'short', prompt: ' ', accepted: ['a'] })).toEqual({ ok: false, code: 'prompt_required' });
  });

  it('draws questions without repeats, and the same order on every reload of an attempt', async () => {
    const bank = await createBank(db, { ownerKind: 'course', ownerId: 'c4', title: 'B' });
    const all: string[] = [];
    for (let i = 0; i < 10; i++)
      all.push(unwrap(await addQuestion(db, bank, { kind: 'single', prompt: `Câu ${i}`, options: ['A', 'B', 'C', 'D'], correct: [0] })));
    const quiz = await createQuiz(db, bank, { ...settings, drawCount: 4 });
    const orders = new Set<string>();
    for (let k = 0; k < 8; k++) {
      const user = await makeUser(db, 'Học viên');
      const s = await startAttempt(db, quiz, user);
      if (!s.ok) throw new Error('start');
      const v1 = (await getAttemptView(db, s.value.attemptId, user))!;
      const ids = v1.questions.map((q) => q.id);
      expect(ids).toHaveLength(4);
      expect(new Set(ids).size).toBe(4);
      for (const id of ids) expect(all).toContain(id);
      // Reload: same questions, same option order; starting again resumes the same attempt.
      const again = await startAttempt(db, quiz, user);
      expect(again).toMatchObject({ ok: true, value: { attemptId: s.value.attemptId, resumed: true } });
      const v2 = (await getAttemptView(db, s.value.attemptId, user))!;
      expect(v2.questions.map((q) => q.id)).toEqual(ids);
      expect(v2.questions.map((q) => q.options.map((o) => o.id).join(''))).toEqual(
        v1.questions.map((q) => q.options.map((o) => o.id).join('')),
      );
      orders.add(ids.join(','));
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it('keeps saved answers across reloads and enforces the attempts limit', async () => {
    const user = await makeUser(db, 'Học viên');
    const bank = await createBank(db, { ownerKind: 'course', ownerId: 'c5', title: 'B' });
    const q = unwrap(await addQuestion(db, bank, { kind: 'short', prompt: 'Viết', accepted: ['học tập'] }));
    const quiz = await createQuiz(db, bank, { ...settings, maxAttempts: 2 });
    const s1 = await startAttempt(db, quiz, user);
    if (!s1.ok) throw new Error('start');
    await saveResponses(db, s1.value.attemptId, user, new Map([[q, 'hoc tap']]));
    expect((await getAttemptView(db, s1.value.attemptId, user))!.responses[q]).toBe('hoc tap');
    // Someone else cannot save into this attempt.
    const other = await makeUser(db, 'Học viên');
    expect(await saveResponses(db, s1.value.attemptId, other, new Map([[q, 'x']]))).toEqual({ ok: false, code: 'not_found' });
    const r1 = await submitAttempt(db, s1.value.attemptId, user);
    expect(r1.ok && r1.value.result.passed).toBe(true);
    // After submission, answers are frozen.
    expect(await saveResponses(db, s1.value.attemptId, user, new Map([[q, 'sai']]))).toEqual({ ok: false, code: 'already_submitted' });
    const s2 = await startAttempt(db, quiz, user);
    if (!s2.ok) throw new Error('start 2');
    await submitAttempt(db, s2.value.attemptId, user);
    expect(await startAttempt(db, quiz, user)).toEqual({ ok: false, code: 'attempts_exhausted' });
    expect(await attemptsOf(db, quiz, user)).toHaveLength(2);
  });

  it('starting twice at once gives one attempt', async () => {
    const user = await makeUser(db, 'Học viên');
    const bank = await createBank(db, { ownerKind: 'course', ownerId: 'c6', title: 'B' });
    unwrap(await addQuestion(db, bank, { kind: 'true_false', prompt: 'Đúng?', trueFalse: true }));
    const quiz = await createQuiz(db, bank, { ...settings, maxAttempts: 1 });
    const [a, b] = await Promise.all([startAttempt(db, quiz, user), startAttempt(db, quiz, user)]);
    expect(a.ok && b.ok && a.value.attemptId === b.value.attemptId).toBe(true);
    expect(await attemptsOf(db, quiz, user)).toHaveLength(1);
  });

  it('ignores a forged score in the submitted form', async () => {
    const user = await makeUser(db, 'Học viên');
    const bank = await createBank(db, { ownerKind: 'course', ownerId: 'c7', title: 'B' });
    const q = unwrap(await addQuestion(db, bank, { kind: 'true_false', prompt: 'Trái đất phẳng?', trueFalse: false }));
    const quiz = await createQuiz(db, bank, settings);
    const s = await startAttempt(db, quiz, user);
    if (!s.ok) throw new Error('start');
    const view = (await getAttemptView(db, s.value.attemptId, user))!;
    const form = new FormData();
    form.set(`present.${q}`, '1');
    form.set(`q.${q}`, 'true');
    form.set('score', '100');
    form.set('passed', '1');
    form.set('present.not-a-question', '1');
    form.set('q.not-a-question', 'x');
    const r = await submitAttempt(db, s.value.attemptId, user, responsesFromForm(view.questions, form));
    expect(r.ok && r.value.result).toMatchObject({ score: 0, passed: false });
    const row = await db.selectFrom('quiz_attempts').selectAll().where('id', '=', s.value.attemptId).executeTakeFirstOrThrow();
    expect(row.score).toBe(0);
    expect(row.passed).toBe(0);
    // A second submit does not regrade into a pass.
    const again = await submitAttempt(db, s.value.attemptId, user, new Map([[q, 'false']]));
    expect(again.ok && again.value.result.passed).toBe(false);
  });
});
