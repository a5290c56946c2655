import { z } from 'zod';

const id = z.string().trim().min(1, 'errors.invalid').max(40, 'errors.invalid');
const seconds = z.coerce
  .number({ message: 'errors.invalid' })
  .refine((n) => Number.isFinite(n) && n >= 0 && n <= 1_000_000, 'errors.invalid');

/** A learner's lesson page (`/courses/<slug>/lessons/<id>`): "I have read it", a video heartbeat, or re-reading the embedded video's progress. */
export const lessonProgressSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('read') }),
  z.object({ intent: z.literal('video'), position: seconds, duration: seconds }),
  z.object({ intent: z.literal('sync-video'), js: z.string().optional() }),
]);
export type LessonProgressInput = z.infer<typeof lessonProgressSchema>;

/**
 * A learner's quiz page (`/courses/<slug>/lessons/<id>/quiz`): start (or resume) an attempt, save
 * or submit its answers. The answers themselves (`q.<questionId>`, one per question of the attempt)
 * are read against the attempt's own questions by `responsesFromForm`, never trusted by name.
 */
export const quizAttemptSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('start') }),
  z.object({ intent: z.enum(['save', 'submit']), attemptId: id, autosave: z.string().optional() }),
]);
export type QuizAttemptInput = z.infer<typeof quizAttemptSchema>;
