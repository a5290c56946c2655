import type { Generated } from 'kysely';

/** Table types of the courses area (and of the reusable quiz engine), gathered into Database in db/schema.ts. */
import type { Bool01, Iso } from './foundation';

export const COURSE_AUDIENCES = ['everyone', 'students', 'adults', 'elderly', 'teachers', 'workers'] as const;
export type CourseAudience = (typeof COURSE_AUDIENCES)[number];
export const COURSE_LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export type CourseLevel = (typeof COURSE_LEVELS)[number];
export const COMPLETION_RULES = ['read', 'video', 'quiz'] as const;
export type CompletionRule = (typeof COMPLETION_RULES)[number];
export const QUESTION_KINDS = ['single', 'multiple', 'true_false', 'short', 'ordering'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export interface CoursesTable {
  id: string;
  slug: string;
  unit_id: string;
  week_year: number | null;
  title: string;
  summary: string;
  description_md: string;
  audience: CourseAudience;
  level: CourseLevel;
  est_hours: number;
  cover_url: string | null;
  language: 'vi' | 'en';
  licence: string;
  status: 'draft' | 'published';
  enrol_mode: 'open' | 'code';
  enrol_code: string | null;
  /** 'content' courses come from content/courses/ (seed); 'ui' courses are authored on the site. */
  origin: 'content' | 'ui';
  created_by: string;
  created_at: Iso;
  updated_at: Iso;
  published_at: Iso | null;
}

export interface CourseTeachersTable {
  course_id: string;
  user_id: string;
  role: 'owner' | 'co_teacher';
  added_at: Iso;
}

export interface CourseModulesTable {
  id: string;
  course_id: string;
  position: number;
  title: string;
}

export interface CourseLessonsTable {
  id: string;
  course_id: string;
  module_id: string;
  position: number;
  title: string;
  body_md: string;
  video_url: string | null;
  completion_rule: CompletionRule;
  quiz_id: string | null;
  updated_at: Iso;
}

export interface CourseEnrolmentsTable {
  id: string;
  course_id: string;
  user_id: string;
  enrolled_at: Iso;
  last_lesson_id: string | null;
  last_seen_at: Iso | null;
  completed_at: Iso | null;
}

export interface LessonProgressTable {
  lesson_id: string;
  user_id: string;
  course_id: string;
  read_at: Iso | null;
  video_percent: number;
  /** Seconds of playback credited by server-checked heartbeats (issue #9). */
  watched_seconds: Generated<number>;
  /** Epoch ms of the last heartbeat (bigint: a string on PostgreSQL). */
  beat_at: number | string | null;
  beat_position: number | null;
  quiz_passed_at: Iso | null;
  completed_at: Iso | null;
  updated_at: Iso;
}

export interface CertificatesTable {
  id: string;
  code: string;
  course_id: string;
  user_id: string;
  holder_name: string;
  course_title: string;
  unit_name: string;
  issued_at: Iso;
  revoked_at: Iso | null;
  revoked_reason: string | null;
}

/* ---- The quiz engine (app/domain/quiz): reusable by contests. ---- */

export interface QuizBanksTable {
  id: string;
  /** Who owns the bank: 'course' (owner_id = course id) or another area such as 'contest'. */
  owner_kind: string;
  owner_id: string;
  title: string;
  created_at: Iso;
}

export interface QuizQuestionsTable {
  id: string;
  bank_id: string;
  position: number;
  kind: QuestionKind;
  prompt: string;
  /** JSON: [{ id, text }] (single, multiple, ordering in the correct order); [] otherwise. */
  options_json: string;
  /** JSON answer key; never sent to the browser before submission. */
  answer_json: string;
  explanation: string;
  points: number;
  created_at: Iso;
}

export interface QuizzesTable {
  id: string;
  bank_id: string;
  title: string;
  /** How many questions to draw at random from the bank per attempt; null = all. */
  draw_count: number | null;
  shuffle_questions: Bool01;
  shuffle_options: Bool01;
  /** null = unlimited. */
  max_attempts: number | null;
  pass_percent: number;
  created_at: Iso;
  updated_at: Iso;
}

export interface QuizAttemptsTable {
  id: string;
  quiz_id: string;
  user_id: string;
  attempt_no: number;
  seed: string;
  /** JSON array of question ids in the order shown (drawn and shuffled at start). */
  question_ids_json: string;
  status: 'in_progress' | 'submitted';
  started_at: Iso;
  submitted_at: Iso | null;
  score: number | null;
  max_score: number | null;
  passed: Bool01 | null;
}

export interface QuizAnswersTable {
  attempt_id: string;
  question_id: string;
  /** JSON response: string (single, true_false, short), string[] (multiple, ordering). */
  response_json: string;
  correct: Bool01 | null;
  points: number | null;
  saved_at: Iso;
}

export interface CoursesTables {
  courses: CoursesTable;
  course_teachers: CourseTeachersTable;
  course_modules: CourseModulesTable;
  course_lessons: CourseLessonsTable;
  course_enrolments: CourseEnrolmentsTable;
  lesson_progress: LessonProgressTable;
  certificates: CertificatesTable;
  quiz_banks: QuizBanksTable;
  quiz_questions: QuizQuestionsTable;
  quizzes: QuizzesTable;
  quiz_attempts: QuizAttemptsTable;
  quiz_answers: QuizAnswersTable;
}
