/**
 * Courses (and the quiz engine they use): each domain failure code → the message the user sees and
 * the HTTP status, in one place. Routes answer with `failure(courseFailures, r)` or read `.message`.
 */
import type { CourseEditError, LessonEditError, QuizAttemptError } from '~/domain/courses/actions.server';
import type { PublishError, ReorderError } from '~/domain/courses/courses.server';
import type { EnrolError } from '~/domain/courses/progress.server';
import type { QuestionProblem } from '~/domain/quiz/grading';
import type { SaveError, StartError } from '~/domain/quiz/quiz.server';
import type { AccessCode } from '~/lib/result';
import { defineFailures } from '~/lib/result-http.server';

export type CourseFailure =
  | AccessCode
  | ReorderError
  | PublishError
  | EnrolError
  | QuestionProblem
  | StartError
  | SaveError
  | CourseEditError
  | LessonEditError
  | QuizAttemptError;

export const courseFailures = defineFailures<CourseFailure>({
  not_found: { message: 'errors.page.notFound.title', status: 404 },
  forbidden: { message: 'errors.page.forbidden.title', status: 403 },
  unit_forbidden: { message: 'courses.errors.notYourUnit', status: 400 },
  unknown_user: { message: 'courses.errors.unknownUser', status: 400 },
  no_quiz: { message: 'errors.invalid', status: 400 },
  reorder_mismatch: { message: 'courses.errors.reorderMismatch', status: 400 },
  no_lessons: { message: 'courses.errors.noLessons', status: 400 },
  quiz_without_questions: { message: 'courses.errors.quizWithoutQuestions', status: 400 },
  not_open: { message: 'courses.errors.notOpen', status: 400 },
  wrong_code: { message: 'courses.errors.wrongCode', status: 400 },
  too_many_tries: { message: 'courses.errors.tooManyTries', status: 429 },
  prompt_required: { message: 'errors.required', status: 400 },
  answer_key: { message: 'courses.errors.answerKey', status: 400 },
  attempts_exhausted: { message: 'courses.quiz.errors.attempts_exhausted', status: 409 },
  no_questions: { message: 'courses.quiz.errors.no_questions', status: 409 },
  already_submitted: { message: 'courses.quiz.errors.already_submitted', status: 409 },
});
