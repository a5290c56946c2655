import { z } from 'zod';

import { COMPLETION_RULES, QUESTION_KINDS } from '~/db/schema/courses';

import { isMediaUrl } from './media-url';

const text = (max: number) => z.string().trim().min(1, 'errors.required').max(max, 'errors.tooLong');
const optInt = (min: number, max: number, msg: string) =>
  z
    .string()
    .trim()
    .refine((v) => !v || (/^\d+$/.test(v) && Number(v) >= min && Number(v) <= max), msg)
    .transform((v) => (v ? Number(v) : null));

export const lessonSchema = z
  .object({
    title: text(200),
    body_md: z.string().max(100_000, 'errors.tooLong'),
    video_url: z
      .string()
      .trim()
      .refine((v) => !v || isMediaUrl(v), 'errors.mediaUrl')
      .transform((v) => v || null),
    completion_rule: z.enum(COMPLETION_RULES, { message: 'errors.choose' }),
  })
  .superRefine((v, ctx) => {
    // The video may be an e-lecture embedded from the repository ({{resource:<id>}} on its own line).
    if (v.completion_rule === 'video' && !v.video_url && !/^[ \t]*\{\{resource:[a-z0-9]{4,40}\}\}[ \t]*$/m.test(v.body_md))
      ctx.addIssue({ code: 'custom', path: ['video_url'], message: 'courses.errors.videoNeeded' });
  });

export const newLessonSchema = z.object({ title: text(200), module_id: z.string().min(1, 'errors.choose') });

export const quizSettingsSchema = z.object({
  quiz_title: text(200),
  draw_count: optInt(1, 500, 'courses.errors.drawCount'),
  max_attempts: optInt(1, 100, 'courses.errors.maxAttempts'),
  pass_percent: z.coerce
    .number({ message: 'courses.errors.passPercent' })
    .int('courses.errors.passPercent')
    .min(0, 'courses.errors.passPercent')
    .max(100, 'courses.errors.passPercent'),
  shuffle_questions: z
    .string()
    .optional()
    .transform((v) => v === 'on' || v === '1'),
  shuffle_options: z
    .string()
    .optional()
    .transform((v) => v === 'on' || v === '1'),
});

const lines = (v: string) =>
  v
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * A question as a teacher types it without JavaScript: options one per line; the key as option
 * numbers ("2" or "1, 3"), "true"/"false", or accepted answers one per line.
 */
const questionFields = z.object({
  kind: z.enum(QUESTION_KINDS, { message: 'errors.choose' }),
  prompt: text(2000),
  options: z.string().max(5000, 'errors.tooLong').default(''),
  correct: z.string().max(200, 'errors.tooLong').default(''),
  true_false: z.string().optional(),
  accepted: z.string().max(2000, 'errors.tooLong').default(''),
  fold: z
    .string()
    .optional()
    .transform((v) => v === 'on' || v === '1'),
  explanation: z.string().trim().max(2000, 'errors.tooLong').default(''),
  points: z.coerce.number().int().min(1).max(100).default(1),
});

function toQuestion(v: z.infer<typeof questionFields>, ctx: z.RefinementCtx) {
  const options = lines(v.options);
  const correct = v.correct
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map((n) => Number(n) - 1);
  if (['single', 'multiple', 'ordering'].includes(v.kind) && options.length < 2)
    ctx.addIssue({ code: 'custom', path: ['options'], message: 'courses.errors.twoOptions' });
  if (
    (v.kind === 'single' && correct.length !== 1) ||
    (v.kind === 'multiple' && correct.length < 1) ||
    ((v.kind === 'single' || v.kind === 'multiple') && correct.some((i) => !Number.isInteger(i) || i < 0 || i >= options.length))
  )
    ctx.addIssue({ code: 'custom', path: ['correct'], message: 'courses.errors.correctOption' });
  if (v.kind === 'true_false' && v.true_false !== 'true' && v.true_false !== 'false')
    ctx.addIssue({ code: 'custom', path: ['true_false'], message: 'errors.choose' });
  if (v.kind === 'short' && lines(v.accepted).length === 0)
    ctx.addIssue({ code: 'custom', path: ['accepted'], message: 'courses.errors.accepted' });
  return {
    kind: v.kind,
    prompt: v.prompt,
    options,
    correct,
    trueFalse: v.true_false === 'true',
    accepted: lines(v.accepted),
    foldDiacritics: v.fold,
    explanation: v.explanation,
    points: v.points,
  };
}

export const questionSchema = questionFields.transform(toQuestion);

const id = z.string().trim().min(1, 'errors.invalid').max(40, 'errors.invalid');

/** Every button of the lesson editor's page (`/courses/<slug>/edit/<lessonId>`). */
export const lessonEditorSchema = z.discriminatedUnion('intent', [
  lessonSchema.safeExtend({ intent: z.literal('lesson') }),
  quizSettingsSchema.extend({ intent: z.literal('quiz') }),
  questionFields.extend({ intent: z.literal('add-question') }).transform((v, ctx) => ({ intent: v.intent, question: toQuestion(v, ctx) })),
  questionFields
    .extend({ intent: z.literal('update-question'), questionId: id })
    .transform((v, ctx) => ({ intent: v.intent, questionId: v.questionId, question: toQuestion(v, ctx) })),
  z.object({ intent: z.literal('delete-question'), questionId: id }),
]);
export type LessonEditorInput = z.infer<typeof lessonEditorSchema>;
