/**
 * The quiz engine's pure core (no database): question shapes, Vietnamese-aware answer folding,
 * and grading. Shared by courses and contests; safe to import on the server only for answer keys.
 */
import type { QuestionKind } from '~/db/schema/courses';

export type { QuestionKind };

export interface QuizOption {
  id: string;
  text: string;
}

export type AnswerKey =
  | { kind: 'single'; correct: string }
  | { kind: 'multiple'; correct: string[] }
  | { kind: 'true_false'; correct: boolean }
  | { kind: 'short'; accepted: string[]; foldDiacritics: boolean }
  /** The options are stored in the correct order. */
  | { kind: 'ordering' };

export interface QuestionDef {
  id: string;
  kind: QuestionKind;
  prompt: string;
  options: QuizOption[];
  answer: AnswerKey;
  explanation: string;
  points: number;
}

/** A learner's response: one option id / 'true' / 'false' / text, or an ordered list of option ids. */
export type Response = string | string[] | null;

/**
 * Folds Vietnamese for comparison: lower case, no tone or vowel marks, đ → d, spaces collapsed,
 * surrounding punctuation dropped. "Đường Hồ Chí Minh" and "duong ho chi minh" fold alike.
 */
export function foldVietnamese(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .replace(/^[.,;:!?"'()«»“”]+|[.,;:!?"'()«»“”]+$/g, '')
    .trim();
}

/** Lower case and whitespace only: the marks still count ("đường" ≠ "dương"). */
export function normaliseText(s: string): string {
  return s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .replace(/^[.,;:!?"'()«»“”]+|[.,;:!?"'()«»“”]+$/g, '')
    .trim();
}

function sameSet(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x)) && s.size === a.length;
}

/** True when the response earns the question's points (all-or-nothing per question). */
export function isCorrect(q: Pick<QuestionDef, 'kind' | 'options' | 'answer'>, response: Response): boolean {
  if (response == null) return false;
  const a = q.answer;
  switch (a.kind) {
    case 'single':
      return typeof response === 'string' && response === a.correct;
    case 'multiple':
      return Array.isArray(response) && sameSet(response, a.correct);
    case 'true_false':
      return typeof response === 'string' && (response === 'true') === a.correct && (response === 'true' || response === 'false');
    case 'short': {
      if (typeof response !== 'string' || !response.trim()) return false;
      const f = a.foldDiacritics ? foldVietnamese : normaliseText;
      const given = f(response);
      return a.accepted.some((x) => f(x) === given);
    }
    case 'ordering': {
      if (!Array.isArray(response) || response.length !== q.options.length) return false;
      return q.options.every((o, i) => response[i] === o.id);
    }
  }
}

export interface GradedQuestion {
  questionId: string;
  correct: boolean;
  points: number;
  max: number;
}

export interface GradeResult {
  score: number;
  maxScore: number;
  percent: number;
  passed: boolean;
  questions: GradedQuestion[];
}

/** Grades a whole attempt from the stored responses: the only source of a score. */
export function gradeAttempt(questions: QuestionDef[], responses: Map<string, Response>, passPercent: number): GradeResult {
  const graded = questions.map((q) => {
    const correct = isCorrect(q, responses.get(q.id) ?? null);
    return { questionId: q.id, correct, points: correct ? q.points : 0, max: q.points };
  });
  const score = graded.reduce((s, g) => s + g.points, 0);
  const maxScore = graded.reduce((s, g) => s + g.max, 0);
  const percent = maxScore === 0 ? 0 : Math.round((score * 100) / maxScore);
  return { score, maxScore, percent, passed: maxScore > 0 && score * 100 >= passPercent * maxScore, questions: graded };
}

/** What can be wrong with a question as written. */
export type QuestionProblem = 'prompt_required' | 'answer_key';

/** Checks that an answer key fits its question; returns the problem or null. */
export function validateQuestion(q: Pick<QuestionDef, 'kind' | 'options' | 'answer' | 'prompt'>): QuestionProblem | null {
  if (!q.prompt.trim()) return 'prompt_required';
  const ids = new Set(q.options.map((o) => o.id));
  const a = q.answer;
  if (a.kind !== q.kind) return 'answer_key';
  switch (a.kind) {
    case 'single':
      return q.options.length >= 2 && ids.has(a.correct) ? null : 'answer_key';
    case 'multiple':
      return q.options.length >= 2 && a.correct.length >= 1 && a.correct.every((c) => ids.has(c)) ? null : 'answer_key';
    case 'true_false':
      return null;
    case 'short':
      return a.accepted.some((x) => x.trim()) ? null : 'answer_key';
    case 'ordering':
      return q.options.length >= 2 ? null : 'answer_key';
  }
}
