/**
 * The course editor's buttons: one function per page mapping a parsed intent to one domain call
 * and saying what happened (codes and ids, no UI text, no HTTP). Every call goes through a
 * `CourseEditor`, minted only by the editor access check.
 */
import type { QuestionProblem } from '~/domain/quiz/grading';
import {
  addQuestion,
  deleteQuestion,
  getAttemptView,
  getQuiz,
  type QuizSettings,
  responsesFromForm,
  saveResponses,
  startAttempt,
  type StartError,
  submitAttempt,
  updateQuestion,
} from '~/domain/quiz/quiz.server';
import type { CourseEditorInput } from '~/forms/courses-editor';
import type { LessonProgressInput, QuizAttemptInput } from '~/forms/courses-learning';
import type { LessonEditorInput } from '~/forms/courses-lesson';
import type { DB } from '~/lib/db.server';
import { err, ok, type Result } from '~/lib/result';

import {
  addCoTeacher,
  addLesson,
  addModule,
  deleteLesson,
  deleteModule,
  ensureLessonQuiz,
  getLesson,
  getLessons,
  moveLesson,
  moveModule,
  publishCourse,
  type PublishError,
  removeCoTeacher,
  renameModule,
  type ReorderError,
  reorderLessons,
  reorderModules,
  unpublishCourse,
  updateCourse,
  type UpdateCourseError,
  updateLesson,
} from './courses.server';
import type { CourseEditor } from './editor.server';
import { recordProgress, syncEmbeddedVideo } from './progress.server';

/** What a course-editor button did: the route turns it into a redirect (and a flash). */
export type CourseEditDone =
  | { done: 'saved' | 'published' | 'unpublished' | 'outline' | 'teachers' | 'reordered' }
  | { done: 'module' | 'lesson' | 'lessonAdded'; id: string };

export type CourseEditError = UpdateCourseError | PublishError | ReorderError | 'unknown_user';

export async function runCourseEdit(db: DB, ed: CourseEditor, input: CourseEditorInput): Promise<Result<CourseEditDone, CourseEditError>> {
  switch (input.intent) {
    case 'details': {
      const r = await updateCourse(db, ed, {
        unitId: input.unit_id,
        weekYear: input.week_year,
        title: input.title,
        summary: input.summary,
        descriptionMd: input.description_md,
        audience: input.audience,
        level: input.level,
        estHours: input.est_hours,
        coverUrl: input.cover_url,
        language: input.language,
        licence: input.licence,
        enrolMode: input.enrol_mode,
        enrolCode: input.enrol_code || null,
      });
      return r.ok ? ok({ done: 'saved' }) : r;
    }
    case 'publish': {
      const r = await publishCourse(db, ed);
      return r.ok ? ok({ done: 'published' }) : r;
    }
    case 'unpublish':
      await unpublishCourse(db, ed);
      return ok({ done: 'unpublished' });
    case 'add-module':
      await addModule(db, ed, input.title);
      return ok({ done: 'outline' });
    case 'rename-module':
      await renameModule(db, ed, input.moduleId, input.title);
      return ok({ done: 'module', id: input.moduleId });
    case 'delete-module':
      await deleteModule(db, ed, input.moduleId);
      return ok({ done: 'outline' });
    case 'module-up':
    case 'module-down':
      await moveModule(db, ed, input.moduleId, input.intent === 'module-up' ? 'up' : 'down');
      return ok({ done: 'module', id: input.moduleId });
    case 'reorder-modules':
    case 'reorder-lessons': {
      const r =
        input.intent === 'reorder-modules'
          ? await reorderModules(db, ed, input.order)
          : await reorderLessons(db, ed, input.module_id ?? '', input.order);
      return r.ok ? ok({ done: 'reordered' }) : r;
    }
    case 'add-lesson': {
      const id = await addLesson(db, ed, input.module_id, { title: input.title, bodyMd: '', videoUrl: null, completionRule: 'read' });
      return ok({ done: 'lessonAdded', id });
    }
    case 'lesson-up':
    case 'lesson-down':
      await moveLesson(db, ed, input.lessonId, input.intent === 'lesson-up' ? 'up' : 'down');
      return ok({ done: 'lesson', id: input.lessonId });
    case 'delete-lesson':
      await deleteLesson(db, ed, input.lessonId);
      return ok({ done: 'outline' });
    case 'add-teacher':
      return (await addCoTeacher(db, ed, input.email)) === 'unknown_user' ? err('unknown_user') : ok({ done: 'teachers' });
    case 'remove-teacher':
      await removeCoTeacher(db, ed, input.userId);
      return ok({ done: 'teachers' });
  }
}

export type LessonEditDone = { done: 'lessonSaved' | 'quizSaved' | 'questions' } | { done: 'question'; id: string };
export type LessonEditError = QuestionProblem | 'not_found' | 'no_quiz';

async function currentSettings(db: DB, quizId: string): Promise<QuizSettings> {
  const q = (await getQuiz(db, quizId))!;
  return {
    title: q.title,
    drawCount: q.draw_count,
    maxAttempts: q.max_attempts,
    passPercent: q.pass_percent,
    shuffleQuestions: q.shuffle_questions === 1,
    shuffleOptions: q.shuffle_options === 1,
  };
}

/** The lesson editor's buttons (lesson text, quiz settings, the quiz's questions). */
export async function runLessonEdit(
  db: DB,
  ed: CourseEditor,
  lessonId: string,
  input: LessonEditorInput,
): Promise<Result<LessonEditDone, LessonEditError>> {
  const lesson = await getLesson(db, ed.courseId, lessonId);
  if (!lesson) return err('not_found');
  switch (input.intent) {
    case 'lesson':
      await updateLesson(db, ed, lesson.id, {
        title: input.title,
        bodyMd: input.body_md,
        videoUrl: input.video_url,
        completionRule: input.completion_rule,
      });
      return ok({ done: 'lessonSaved' });
    case 'quiz':
      await ensureLessonQuiz(db, ed, lesson.id, {
        title: input.quiz_title,
        drawCount: input.draw_count,
        maxAttempts: input.max_attempts,
        passPercent: input.pass_percent,
        shuffleQuestions: input.shuffle_questions,
        shuffleOptions: input.shuffle_options,
      });
      return ok({ done: 'quizSaved' });
    case 'add-question': {
      const { bankId } = await ensureLessonQuiz(
        db,
        ed,
        lesson.id,
        lesson.quiz_id
          ? await currentSettings(db, lesson.quiz_id)
          : { title: lesson.title, drawCount: null, maxAttempts: null, passPercent: 70, shuffleQuestions: true, shuffleOptions: true },
      );
      const added = await addQuestion(db, bankId, input.question);
      return added.ok ? ok({ done: 'questions' }) : added;
    }
    case 'update-question': {
      if (!lesson.quiz_id) return err('no_quiz');
      const quiz = await getQuiz(db, lesson.quiz_id);
      if (!quiz) return err('not_found');
      const updated = await updateQuestion(db, quiz.bank_id, input.questionId, input.question);
      return updated.ok ? ok({ done: 'question', id: input.questionId }) : updated;
    }
    case 'delete-question': {
      if (!lesson.quiz_id) return err('no_quiz');
      const quiz = await getQuiz(db, lesson.quiz_id);
      if (quiz) await deleteQuestion(db, quiz.bank_id, input.questionId);
      return ok({ done: 'questions' });
    }
  }
}

/** Whose lesson: the route has checked that the learner may view it (enrolled, or an editor previewing). */
export interface LessonLearner {
  courseId: string;
  lessonId: string;
  userId: string;
}

export type LessonProgressDone =
  | { done: 'synced'; sync: Awaited<ReturnType<typeof syncEmbeddedVideo>> }
  | { done: 'heartbeat'; progress: Awaited<ReturnType<typeof recordProgress>> }
  | { done: 'read'; certificateCode: string | null; nextLessonId: string | null };

/** A learner's lesson page buttons: the server credits progress (never a percentage from the browser); nothing here is refused. */
export async function runLessonProgress(db: DB, l: LessonLearner, input: LessonProgressInput): Promise<LessonProgressDone> {
  switch (input.intent) {
    case 'sync-video':
      return { done: 'synced', sync: await syncEmbeddedVideo(db, l.courseId, l.lessonId, l.userId) };
    case 'video': {
      const progress = await recordProgress(db, l.courseId, l.lessonId, l.userId, {
        kind: 'video',
        position: input.position,
        duration: input.duration,
      });
      return { done: 'heartbeat', progress };
    }
    case 'read': {
      const r = await recordProgress(db, l.courseId, l.lessonId, l.userId, { kind: 'read' });
      if (r.certificateCode && r.courseCompleted) return { done: 'read', certificateCode: r.certificateCode, nextLessonId: null };
      const lessons = await getLessons(db, l.courseId);
      const next = lessons[lessons.findIndex((x) => x.id === l.lessonId) + 1];
      return { done: 'read', certificateCode: null, nextLessonId: next && r.lessonCompleted ? next.id : null };
    }
  }
}

export type QuizAttemptDone =
  { done: 'started' } | { done: 'saved'; autosave: boolean } | { done: 'submitted'; attemptId: string; certificateCode: string | null };
export type QuizAttemptError = StartError | 'already_submitted';

/**
 * A learner's quiz buttons. `answers` is the posted form: only the attempt's own questions are
 * read from it (a posted "score" means nothing); an attempt of another user or quiz is not found.
 */
export async function runQuizAttempt(
  db: DB,
  l: LessonLearner & { quizId: string },
  input: QuizAttemptInput,
  answers: FormData,
): Promise<Result<QuizAttemptDone, QuizAttemptError>> {
  if (input.intent === 'start') {
    const r = await startAttempt(db, l.quizId, l.userId);
    return r.ok ? ok({ done: 'started' }) : r;
  }
  const view = await getAttemptView(db, input.attemptId, l.userId);
  if (!view || view.attempt.quizId !== l.quizId) return err('not_found');
  const responses = responsesFromForm(view.questions, answers);
  if (input.intent === 'save') {
    const r = await saveResponses(db, input.attemptId, l.userId, responses);
    return r.ok ? ok({ done: 'saved', autosave: input.autosave === '1' }) : err('already_submitted');
  }
  const r = await submitAttempt(db, input.attemptId, l.userId, responses);
  if (!r.ok) return r;
  const p = r.value.result.passed ? await recordProgress(db, l.courseId, l.lessonId, l.userId, { kind: 'quiz' }) : null;
  return ok({ done: 'submitted', attemptId: input.attemptId, certificateCode: p?.courseCompleted ? p.certificateCode : null });
}
