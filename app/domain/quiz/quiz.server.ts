/**
 * The quiz engine on the database: question banks, quizzes (random draw, shuffling, attempts
 * limit, pass mark), attempts saved answer by answer, and grading on the server only.
 * Reusable by any area: a bank belongs to an owner (`owner_kind`, `owner_id`).
 */
import { randomBytes } from 'node:crypto';

import { isUniqueViolation, lockRows, toNumber, writeTransaction } from '~/db/dialect';
import type { QuestionKind } from '~/db/schema/courses';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';

import {
  type AnswerKey,
  gradeAttempt,
  type GradeResult,
  type QuestionDef,
  type QuestionProblem,
  type QuizOption,
  type Response,
  validateQuestion,
} from './grading';
import { drawWithoutRepeats, seededShuffle } from './random';

export * from './grading';

/* ---------------- banks and questions ---------------- */

export async function createBank(db: DB, input: { ownerKind: string; ownerId: string; title: string }): Promise<string> {
  const id = newId();
  await db
    .insertInto('quiz_banks')
    .values({ id, owner_kind: input.ownerKind, owner_id: input.ownerId, title: input.title, created_at: nowIso() })
    .execute();
  return id;
}

export function banksOf(db: DB, ownerKind: string, ownerId: string) {
  return db
    .selectFrom('quiz_banks')
    .selectAll()
    .where('owner_kind', '=', ownerKind)
    .where('owner_id', '=', ownerId)
    .orderBy('created_at')
    .execute();
}

/** How an author writes a question: options by text, the key by option index (0-based). */
export interface QuestionInput {
  kind: QuestionKind;
  prompt: string;
  options?: string[];
  /** single: [i]; multiple: [i, j…] */
  correct?: number[];
  trueFalse?: boolean;
  accepted?: string[];
  foldDiacritics?: boolean;
  explanation?: string;
  points?: number;
}

const OPTION_IDS = 'abcdefghijklmnopqrstuvwxyz';

export function buildQuestion(input: QuestionInput): { options: QuizOption[]; answer: AnswerKey } {
  const texts = (input.options ?? []).map((s) => s.trim()).filter(Boolean);
  const needsOptions = input.kind === 'single' || input.kind === 'multiple' || input.kind === 'ordering';
  const options = needsOptions ? texts.slice(0, OPTION_IDS.length).map((text, i) => ({ id: OPTION_IDS[i]!, text })) : [];
  const idAt = (i: number) => options[i]?.id ?? '?';
  let answer: AnswerKey;
  switch (input.kind) {
    case 'single':
      answer = { kind: 'single', correct: idAt(input.correct?.[0] ?? -1) };
      break;
    case 'multiple':
      answer = { kind: 'multiple', correct: (input.correct ?? []).map(idAt) };
      break;
    case 'true_false':
      answer = { kind: 'true_false', correct: !!input.trueFalse };
      break;
    case 'short':
      answer = {
        kind: 'short',
        accepted: (input.accepted ?? []).map((s) => s.trim()).filter(Boolean),
        foldDiacritics: input.foldDiacritics ?? true,
      };
      break;
    case 'ordering':
      answer = { kind: 'ordering' };
      break;
  }
  return { options, answer };
}

export async function addQuestion(db: DB, bankId: string, input: QuestionInput): Promise<Result<string, QuestionProblem>> {
  const { options, answer } = buildQuestion(input);
  const problem = validateQuestion({ kind: input.kind, prompt: input.prompt, options, answer });
  if (problem) return err(problem);
  const id = newId();
  const last = await db
    .selectFrom('quiz_questions')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('bank_id', '=', bankId)
    .executeTakeFirst();
  await db
    .insertInto('quiz_questions')
    .values({
      id,
      bank_id: bankId,
      position: toNumber(last?.p) + 1,
      kind: input.kind,
      prompt: input.prompt.trim(),
      options_json: JSON.stringify(options),
      answer_json: JSON.stringify(answer),
      explanation: (input.explanation ?? '').trim(),
      points: Math.max(1, Math.round(input.points ?? 1)),
      created_at: nowIso(),
    })
    .execute();
  return ok(id);
}

export async function updateQuestion(
  db: DB,
  bankId: string,
  questionId: string,
  input: QuestionInput,
): Promise<Result<undefined, QuestionProblem>> {
  const { options, answer } = buildQuestion(input);
  const problem = validateQuestion({ kind: input.kind, prompt: input.prompt, options, answer });
  if (problem) return err(problem);
  await db
    .updateTable('quiz_questions')
    .set({
      kind: input.kind,
      prompt: input.prompt.trim(),
      options_json: JSON.stringify(options),
      answer_json: JSON.stringify(answer),
      explanation: (input.explanation ?? '').trim(),
      points: Math.max(1, Math.round(input.points ?? 1)),
    })
    .where('id', '=', questionId)
    .where('bank_id', '=', bankId)
    .execute();
  return ok();
}

export async function deleteQuestion(db: DB, bankId: string, questionId: string): Promise<void> {
  // Answers already given keep the attempt's score; the question leaves future draws.
  await db.deleteFrom('quiz_questions').where('id', '=', questionId).where('bank_id', '=', bankId).execute();
}

type QuestionRow = {
  id: string;
  kind: QuestionKind;
  prompt: string;
  options_json: string;
  answer_json: string;
  explanation: string;
  points: number;
};

function toDef(r: QuestionRow): QuestionDef {
  return {
    id: r.id,
    kind: r.kind,
    prompt: r.prompt,
    options: JSON.parse(r.options_json),
    answer: JSON.parse(r.answer_json),
    explanation: r.explanation,
    points: r.points,
  };
}

export async function listQuestions(db: DB, bankId: string): Promise<QuestionDef[]> {
  const rows = await db.selectFrom('quiz_questions').selectAll().where('bank_id', '=', bankId).orderBy('position').execute();
  return rows.map(toDef);
}

/** The author's view of a key, back in the input shape (to fill the edit form). */
export function questionToInput(q: QuestionDef): QuestionInput {
  const idx = (id: string) => q.options.findIndex((o) => o.id === id);
  const a = q.answer;
  return {
    kind: q.kind,
    prompt: q.prompt,
    options: q.options.map((o) => o.text),
    correct: a.kind === 'single' ? [idx(a.correct)] : a.kind === 'multiple' ? a.correct.map(idx) : undefined,
    trueFalse: a.kind === 'true_false' ? a.correct : undefined,
    accepted: a.kind === 'short' ? a.accepted : undefined,
    foldDiacritics: a.kind === 'short' ? a.foldDiacritics : undefined,
    explanation: q.explanation,
    points: q.points,
  };
}

/* ---------------- quizzes ---------------- */

export interface QuizSettings {
  title: string;
  drawCount: number | null;
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  maxAttempts: number | null;
  passPercent: number;
}

export async function createQuiz(db: DB, bankId: string, s: QuizSettings): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('quizzes')
    .values({
      id,
      bank_id: bankId,
      title: s.title,
      draw_count: s.drawCount,
      shuffle_questions: s.shuffleQuestions ? 1 : 0,
      shuffle_options: s.shuffleOptions ? 1 : 0,
      max_attempts: s.maxAttempts,
      pass_percent: s.passPercent,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function updateQuiz(db: DB, quizId: string, s: QuizSettings): Promise<void> {
  await db
    .updateTable('quizzes')
    .set({
      title: s.title,
      draw_count: s.drawCount,
      shuffle_questions: s.shuffleQuestions ? 1 : 0,
      shuffle_options: s.shuffleOptions ? 1 : 0,
      max_attempts: s.maxAttempts,
      pass_percent: s.passPercent,
      updated_at: nowIso(),
    })
    .where('id', '=', quizId)
    .execute();
}

export function getQuiz(db: DB, quizId: string) {
  return db.selectFrom('quizzes').selectAll().where('id', '=', quizId).executeTakeFirst();
}

/* ---------------- attempts ---------------- */

export function attemptsOf(db: DB, quizId: string, userId: string) {
  return db
    .selectFrom('quiz_attempts')
    .selectAll()
    .where('quiz_id', '=', quizId)
    .where('user_id', '=', userId)
    .orderBy('attempt_no')
    .execute();
}

export type StartError = 'attempts_exhausted' | 'no_questions' | 'not_found';
export type StartResult = Result<{ attemptId: string; resumed: boolean }, StartError>;

/**
 * Resumes the learner's open attempt, or starts the next one if the limit allows: the draw
 * (without repeats) and the question order are fixed now, from the attempt's own seed.
 */
export async function startAttempt(db: DB, quizId: string, userId: string): Promise<StartResult> {
  for (let tries = 0; tries < 3; tries++) {
    try {
      return await writeTransaction(db, async (trx) => {
        const quiz = await lockRows(db, trx.selectFrom('quizzes').selectAll().where('id', '=', quizId)).executeTakeFirst();
        if (!quiz) return err('not_found');
        const mine = await trx
          .selectFrom('quiz_attempts')
          .select(['id', 'attempt_no', 'status'])
          .where('quiz_id', '=', quizId)
          .where('user_id', '=', userId)
          .orderBy('attempt_no')
          .execute();
        const open = mine.find((a) => a.status === 'in_progress');
        if (open) return ok({ attemptId: open.id, resumed: true });
        if (quiz.max_attempts != null && mine.length >= quiz.max_attempts) return err('attempts_exhausted');
        const ids = (
          await trx.selectFrom('quiz_questions').select('id').where('bank_id', '=', quiz.bank_id).orderBy('position').execute()
        ).map((r) => r.id);
        if (ids.length === 0) return err('no_questions');
        const seed = randomBytes(8).toString('hex');
        let drawn = drawWithoutRepeats(ids, quiz.draw_count, seed);
        // Without shuffling, the drawn questions keep the bank's order.
        if (!quiz.shuffle_questions) drawn = ids.filter((id) => drawn.includes(id));
        const id = newId();
        await trx
          .insertInto('quiz_attempts')
          .values({
            id,
            quiz_id: quizId,
            user_id: userId,
            attempt_no: mine.length + 1,
            seed,
            question_ids_json: JSON.stringify(drawn),
            status: 'in_progress',
            started_at: nowIso(),
            submitted_at: null,
            score: null,
            max_score: null,
            passed: null,
          })
          .execute();
        return ok({ attemptId: id, resumed: false });
      });
    } catch (e) {
      // Two tabs started at the same moment: the unique (quiz, user, attempt_no) let one win; resume it.
      if (!isUniqueViolation(e)) throw e;
    }
  }
  return startAttempt(db, quizId, userId);
}

/** A question as the learner sees it: no answer key, options in the attempt's order. */
export interface PublicQuestion {
  id: string;
  kind: QuestionKind;
  prompt: string;
  options: QuizOption[];
  points: number;
}

export interface AttemptFeedback {
  correct: boolean;
  points: number;
  explanation: string;
  /** The right answer, in words, shown after submission. */
  answerText: string;
}

export interface AttemptView {
  attempt: {
    id: string;
    quizId: string;
    attemptNo: number;
    status: 'in_progress' | 'submitted';
    startedAt: string;
    submittedAt: string | null;
    score: number | null;
    maxScore: number | null;
    passed: boolean | null;
  };
  questions: PublicQuestion[];
  responses: Record<string, Response>;
  feedback: Record<string, AttemptFeedback> | null;
}

function answerText(q: QuestionDef): string {
  const byId = new Map(q.options.map((o) => [o.id, o.text]));
  const a = q.answer;
  switch (a.kind) {
    case 'single':
      return byId.get(a.correct) ?? '';
    case 'multiple':
      return q.options
        .filter((o) => a.correct.includes(o.id))
        .map((o) => o.text)
        .join('; ');
    case 'true_false':
      return a.correct ? 'true' : 'false';
    case 'short':
      return a.accepted.join(' / ');
    case 'ordering':
      return q.options.map((o) => o.text).join(' → ');
  }
}

async function loadAttemptQuestions(db: DB, questionIds: string[]): Promise<QuestionDef[]> {
  if (questionIds.length === 0) return [];
  const rows = await db.selectFrom('quiz_questions').selectAll().where('id', 'in', questionIds).execute();
  const byId = new Map(rows.map((r) => [r.id, toDef(r)]));
  return questionIds.map((id) => byId.get(id)).filter((q): q is QuestionDef => !!q);
}

export async function getAttemptView(db: DB, attemptId: string, userId: string): Promise<AttemptView | null> {
  const a = await db.selectFrom('quiz_attempts').selectAll().where('id', '=', attemptId).where('user_id', '=', userId).executeTakeFirst();
  if (!a) return null;
  const quiz = await getQuiz(db, a.quiz_id);
  if (!quiz) return null;
  const defs = await loadAttemptQuestions(db, JSON.parse(a.question_ids_json));
  const answers = await db.selectFrom('quiz_answers').selectAll().where('attempt_id', '=', a.id).execute();
  const responses: Record<string, Response> = {};
  for (const r of answers) responses[r.question_id] = JSON.parse(r.response_json);
  const questions = defs.map((q) => ({
    id: q.id,
    kind: q.kind,
    prompt: q.prompt,
    // Ordering questions are always shown shuffled (the stored order is the answer).
    options: q.kind === 'ordering' || quiz.shuffle_options ? seededShuffle(q.options, `${a.seed}:${q.id}`) : q.options,
    points: q.points,
  }));
  let feedback: Record<string, AttemptFeedback> | null = null;
  if (a.status === 'submitted') {
    feedback = {};
    const byQ = new Map(answers.map((r) => [r.question_id, r]));
    for (const q of defs) {
      const r = byQ.get(q.id);
      feedback[q.id] = { correct: r?.correct === 1, points: r?.points ?? 0, explanation: q.explanation, answerText: answerText(q) };
    }
  }
  return {
    attempt: {
      id: a.id,
      quizId: a.quiz_id,
      attemptNo: a.attempt_no,
      status: a.status,
      startedAt: a.started_at,
      submittedAt: a.submitted_at,
      score: a.score,
      maxScore: a.max_score,
      passed: a.passed == null ? null : a.passed === 1,
    },
    questions,
    responses,
    feedback,
  };
}

/**
 * Reads the answers of an attempt form. Each question on the page posts `present.<id>` so an
 * unticked multiple-choice question is saved as "nothing chosen". Only the attempt's own
 * questions are read: anything else in the form (a "score", a "passed") is ignored.
 */
export function responsesFromForm(
  questions: Pick<PublicQuestion, 'id' | 'kind' | 'options'>[],
  form: Pick<FormData, 'get' | 'getAll' | 'has'>,
): Map<string, Response> {
  const out = new Map<string, Response>();
  for (const q of questions) {
    if (!form.has(`present.${q.id}`)) continue;
    const ids = new Set(q.options.map((o) => o.id));
    switch (q.kind) {
      case 'single': {
        const v = form.get(`q.${q.id}`);
        out.set(q.id, typeof v === 'string' && ids.has(v) ? v : null);
        break;
      }
      case 'multiple':
        out.set(
          q.id,
          form.getAll(`q.${q.id}`).filter((v): v is string => typeof v === 'string' && ids.has(v)),
        );
        break;
      case 'true_false': {
        const v = form.get(`q.${q.id}`);
        out.set(q.id, v === 'true' || v === 'false' ? v : null);
        break;
      }
      case 'short': {
        const v = form.get(`q.${q.id}`);
        out.set(q.id, typeof v === 'string' ? v.slice(0, 500) : null);
        break;
      }
      case 'ordering': {
        // One "position" select per item (works without JavaScript); ties keep the shown order.
        const ranked = q.options.map((o, i) => ({ id: o.id, i, pos: Number(form.get(`q.${q.id}.pos.${o.id}`)) }));
        if (ranked.some((r) => !Number.isFinite(r.pos) || r.pos < 1)) {
          out.set(q.id, null);
          break;
        }
        ranked.sort((x, y) => x.pos - y.pos || x.i - y.i);
        out.set(
          q.id,
          ranked.map((r) => r.id),
        );
        break;
      }
    }
  }
  return out;
}

export type SaveError = 'not_found' | 'already_submitted';
export type SaveResult = Result<{ saved: number }, SaveError>;

/** Saves (upserts) answers of an open attempt; answers to questions outside the attempt are dropped. */
export async function saveResponses(db: DB, attemptId: string, userId: string, responses: Map<string, Response>): Promise<SaveResult> {
  return writeTransaction(db, async (trx) => {
    const a = await lockRows(
      db,
      trx
        .selectFrom('quiz_attempts')
        .select(['id', 'status', 'question_ids_json'])
        .where('id', '=', attemptId)
        .where('user_id', '=', userId),
    ).executeTakeFirst();
    if (!a) return err('not_found');
    if (a.status !== 'in_progress') return err('already_submitted');
    const allowed = new Set<string>(JSON.parse(a.question_ids_json));
    const now = nowIso();
    let saved = 0;
    for (const [qid, resp] of responses) {
      if (!allowed.has(qid)) continue;
      const response_json = JSON.stringify(resp);
      await trx
        .insertInto('quiz_answers')
        .values({ attempt_id: attemptId, question_id: qid, response_json, correct: null, points: null, saved_at: now })
        .onConflict((oc) => oc.columns(['attempt_id', 'question_id']).doUpdateSet({ response_json, saved_at: now }))
        .execute();
      saved++;
    }
    return ok({ saved });
  });
}

export type SubmitResult = Result<{ result: GradeResult; quizId: string; alreadySubmitted: boolean }, 'not_found'>;

/**
 * Saves the last answers, then grades from what is stored against the answer keys, in one
 * transaction. Submitting twice returns the first grade.
 */
export async function submitAttempt(
  db: DB,
  attemptId: string,
  userId: string,
  lastResponses: Map<string, Response> = new Map(),
): Promise<SubmitResult> {
  const saved = await saveResponses(db, attemptId, userId, lastResponses);
  return writeTransaction(db, async (trx) => {
    const a = await lockRows(
      db,
      trx.selectFrom('quiz_attempts').selectAll().where('id', '=', attemptId).where('user_id', '=', userId),
    ).executeTakeFirst();
    if (!a) return err('not_found');
    const quiz = await trx.selectFrom('quizzes').select(['pass_percent']).where('id', '=', a.quiz_id).executeTakeFirstOrThrow();
    const defs = await loadAttemptQuestions(trx, JSON.parse(a.question_ids_json));
    const rows = await trx.selectFrom('quiz_answers').select(['question_id', 'response_json']).where('attempt_id', '=', a.id).execute();
    const responses = new Map<string, Response>(rows.map((r) => [r.question_id, JSON.parse(r.response_json)]));
    const result = gradeAttempt(defs, responses, quiz.pass_percent);
    if (a.status === 'submitted' || (!saved.ok && saved.code === 'already_submitted')) {
      const pct = a.max_score ? Math.round(((a.score ?? 0) * 100) / a.max_score) : 0;
      return ok({
        quizId: a.quiz_id,
        alreadySubmitted: true,
        result: { ...result, score: a.score ?? 0, maxScore: a.max_score ?? 0, percent: pct, passed: a.passed === 1 },
      });
    }
    const now = nowIso();
    for (const g of result.questions) {
      const response_json = JSON.stringify(responses.get(g.questionId) ?? null);
      await trx
        .insertInto('quiz_answers')
        .values({ attempt_id: a.id, question_id: g.questionId, response_json, correct: g.correct ? 1 : 0, points: g.points, saved_at: now })
        .onConflict((oc) => oc.columns(['attempt_id', 'question_id']).doUpdateSet({ correct: g.correct ? 1 : 0, points: g.points }))
        .execute();
    }
    await trx
      .updateTable('quiz_attempts')
      .set({ status: 'submitted', submitted_at: now, score: result.score, max_score: result.maxScore, passed: result.passed ? 1 : 0 })
      .where('id', '=', a.id)
      .execute();
    return ok({ quizId: a.quiz_id, alreadySubmitted: false, result });
  });
}

/** Whether the learner has passed the quiz in any submitted attempt. */
export async function hasPassed(db: DB, quizId: string, userId: string): Promise<boolean> {
  const r = await db
    .selectFrom('quiz_attempts')
    .select('id')
    .where('quiz_id', '=', quizId)
    .where('user_id', '=', userId)
    .where('passed', '=', 1)
    .executeTakeFirst();
  return !!r;
}
