import { z } from 'zod';

import { fromLocalInput } from '~/lib/dates';

const text = (max: number) => z.string().trim().min(1, 'errors.required').max(max, 'errors.tooLong');
const optionalInt = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .refine((v) => !v || (/^\d+$/.test(v) && Number(v) >= min && Number(v) <= max), message)
    .transform((v) => (v ? Number(v) : null));
const int = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max, message)
    .transform(Number);
const instant = z
  .string()
  .trim()
  .refine((v) => fromLocalInput(v) != null, 'errors.dateTime')
  .transform((v) => fromLocalInput(v)!);

/** A new contest (organisers of the unit). */
export const contestSchema = z
  .object({
    unit_id: z.string().trim().min(1, 'errors.choose'),
    week_year: optionalInt(2000, 2100, 'errors.year'),
    title: text(200),
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'contests.errors.slug')
      .max(80, 'errors.tooLong'),
    rules_md: z.string().max(50_000, 'errors.tooLong'),
    min_age: optionalInt(0, 120, 'contests.errors.age'),
    max_age: optionalInt(0, 120, 'contests.errors.age'),
    max_attempts: int(1, 20, 'contests.errors.attempts'),
    prediction_kind: z.enum(['perfect', 'participants'], { message: 'errors.choose' }),
    min_seconds: int(0, 3600, 'contests.errors.seconds'),
  })
  .superRefine((v, ctx) => {
    if (v.min_age != null && v.max_age != null && v.min_age > v.max_age)
      ctx.addIssue({ code: 'custom', path: ['max_age'], message: 'contests.errors.ageRange' });
  });

/** Registration: full name, birth year, unit (down to school/workplace), optional phone. */
export const registerSchema = z.object({
  full_name: text(120),
  birth_year: int(1900, 2100, 'errors.birthYear'),
  unit_id: z.string().trim().min(1, 'errors.choose'),
  phone: z
    .string()
    .trim()
    .refine((v) => !v || /^\+?[0-9 .]{8,15}$/.test(v), 'contests.errors.phone')
    .transform((v) => v || null),
});

const count = optionalInt(0, 200, 'contests.errors.count').transform((v) => v ?? 0);

/** A quiz round: window (Vietnam time), time limit, and the quota per topic (or one topic). */
export const roundSchema = z
  .object({
    intent: z.literal('round'),
    title: text(120),
    opens_at: instant,
    closes_at: instant,
    time_limit_min: int(1, 600, 'contests.errors.minutes'),
    topic: z.string().trim().max(100, 'errors.tooLong'),
    easy: count,
    medium: count,
    hard: count,
  })
  .superRefine((v, ctx) => {
    if (v.closes_at <= v.opens_at) ctx.addIssue({ code: 'custom', path: ['closes_at'], message: 'contests.errors.ends_before_start' });
    if (v.easy + v.medium + v.hard === 0) ctx.addIssue({ code: 'custom', path: ['easy'], message: 'contests.errors.quota_empty' });
  });

export const prizeSchema = z
  .object({
    intent: z.literal('prize'),
    round_id: z.string().trim(),
    label: text(80),
    rank_from: int(1, 1_000_000, 'contests.errors.rank'),
    rank_to: int(1, 1_000_000, 'contests.errors.rank'),
    points: int(0, 1000, 'contests.errors.points'),
    /** '' (or absent): a prize for a person; otherwise a unit prize (of the whole contest or of the chosen round) on this figure. */
    basis: z
      .enum(['', 'entrants', 'rate', 'collective'], { message: 'errors.choose' })
      .optional()
      .transform((v) => v || null),
    unit_depth: z
      .string()
      .trim()
      .optional()
      .refine((v) => !v || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 10), 'contests.errors.level')
      .transform((v) => (v ? Number(v) : null)),
  })
  .superRefine((v, ctx) => {
    if (v.rank_to < v.rank_from) ctx.addIssue({ code: 'custom', path: ['rank_to'], message: 'contests.errors.rank_range' });
  });

export const populationSchema = z.object({
  intent: z.literal('population'),
  unit_id: z.string().trim().min(1, 'errors.choose'),
  population: int(1, 100_000_000, 'contests.errors.population'),
});

const step = z.enum(['score', 'prediction', 'time', 'submitted']);
export const rankingSchema = z
  .object({
    intent: z.literal('ranking'),
    order_1: step,
    order_2: step,
    order_3: step,
    order_4: step,
    on_score: z.string().optional(),
    on_prediction: z.string().optional(),
    on_time: z.string().optional(),
    on_submitted: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (new Set([v.order_1, v.order_2, v.order_3, v.order_4]).size !== 4)
      ctx.addIssue({ code: 'custom', path: ['order_1'], message: 'contests.errors.rankingOrder' });
  });

export const roundActionSchema = z.object({
  intent: z.enum(['propose', 'confirm', 'close_now']),
  round_id: z.string().trim().min(1),
});

export const disqualifySchema = z.object({
  intent: z.literal('disqualify'),
  round_id: z.string().trim().min(1),
  user_id: z.string().trim().min(1),
  reason: text(300),
});

/** The prediction asked on submit: a whole number. */
export const predictionSchema = z.object({
  prediction: z
    .string()
    .trim()
    .refine((v) => /^\d{1,9}$/.test(v), 'contests.errors.prediction')
    .transform(Number),
});

const attemptId = z.string().trim().min(1, 'errors.invalid').max(40, 'errors.invalid');

/** The autosave of a quiz round's page (its own route, `…/rounds/<id>/attempt`): the attempt; the answers are read by question. */
export const answerSaveSchema = z.object({ attemptId });

/** The buttons of a quiz round's page: start an attempt, save the answers (with JS: `autosave=1`), submit. */
export const roundTakeSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('start') }),
  z.object({
    intent: z.literal('save'),
    attemptId,
    autosave: z
      .string()
      .optional()
      .transform((v) => v === '1'),
  }),
  z.object({ intent: z.literal('submit'), attemptId }),
]);
