/**
 * Learning a course: enrolment (open or by code), "continue where you left off", lesson
 * completion by the lesson's rule (read to the end, video ≥ 90 %, quiz passed), per-module and
 * per-course progress, and the certificate issued exactly once when everything is complete.
 */
import { randomBytes } from 'node:crypto';

import { isUniqueViolation } from '~/db/dialect';
import type { CompletionRule } from '~/db/schema/courses';
import { getProgress as getResourceProgress } from '~/domain/oer/resources.server';
import { hasPassed } from '~/domain/quiz/quiz.server';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { consumeAll, limiter } from '~/lib/rate-limit.server';
import { err, ok, type Result } from '~/lib/result';

import { creditHeartbeat, type WatchState } from '../watch-time.server';
import { getLessons } from './courses.server';
import { type CourseEditor, editedCourse } from './editor.server';
import { embeddedPlayableIds } from './lesson-content.server';

export const VIDEO_COMPLETE_PERCENT = 90;

export type EnrolError = 'not_open' | 'wrong_code' | 'too_many_tries';
export type EnrolResult = Result<{ already: boolean }, EnrolError>;

export async function enrol(db: DB, courseId: string, userId: string, code?: string | null): Promise<EnrolResult> {
  const c = await db.selectFrom('courses').select(['status', 'enrol_mode', 'enrol_code']).where('id', '=', courseId).executeTakeFirst();
  if (!c || c.status !== 'published') return err('not_open');
  if (await getEnrolment(db, courseId, userId)) return ok({ already: true });
  if (c.enrol_mode === 'code') {
    // Each code try is counted first (shared by all server processes): codes cannot be brute-forced.
    if (!(await consumeAll([[limiter('enrolCode', db), userId]])).ok) return err('too_many_tries');
    if ((code ?? '').trim().toUpperCase() !== (c.enrol_code ?? '').trim().toUpperCase()) return err('wrong_code');
  }
  try {
    await db
      .insertInto('course_enrolments')
      .values({
        id: newId(),
        course_id: courseId,
        user_id: userId,
        enrolled_at: nowIso(),
        last_lesson_id: null,
        last_seen_at: null,
        completed_at: null,
      })
      .execute();
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return ok({ already: true });
  }
  return ok({ already: false });
}

export function getEnrolment(db: DB, courseId: string, userId: string) {
  return db.selectFrom('course_enrolments').selectAll().where('course_id', '=', courseId).where('user_id', '=', userId).executeTakeFirst();
}

/** Remembers the lesson the learner opened last ("continue where you left off"). */
export async function touchLesson(db: DB, courseId: string, userId: string, lessonId: string): Promise<void> {
  await db
    .updateTable('course_enrolments')
    .set({ last_lesson_id: lessonId, last_seen_at: nowIso() })
    .where('course_id', '=', courseId)
    .where('user_id', '=', userId)
    .execute();
}

function ruleMet(rule: CompletionRule, p: { read_at: string | null; video_percent: number; quiz_passed_at: string | null }): boolean {
  if (rule === 'read') return !!p.read_at;
  if (rule === 'video') return p.video_percent >= VIDEO_COMPLETE_PERCENT;
  return !!p.quiz_passed_at;
}

/**
 * What the learner did. A lesson video reports heartbeats (position, duration); the watched
 * percentage is derived on the server (watch-time.server.ts), never taken from the browser.
 * `embedded` carries a percentage the server itself computed from the repository's player.
 */
type Signal =
  | { kind: 'read' }
  | { kind: 'video'; position: number; duration: number; nowMs?: number }
  | { kind: 'embedded'; percent: number }
  | { kind: 'quiz' };

export interface RecordResult {
  lessonCompleted: boolean;
  courseCompleted: boolean;
  certificateCode: string | null;
}

/**
 * Records what the learner did in a lesson and applies the lesson's completion rule. A quiz
 * signal is trusted only when the quiz engine holds a passed attempt for this learner.
 */
export async function recordProgress(db: DB, courseId: string, lessonId: string, userId: string, signal: Signal): Promise<RecordResult> {
  const none = { lessonCompleted: false, courseCompleted: false, certificateCode: null };
  const lesson = await db
    .selectFrom('course_lessons')
    .select(['id', 'completion_rule', 'quiz_id'])
    .where('id', '=', lessonId)
    .where('course_id', '=', courseId)
    .executeTakeFirst();
  if (!lesson) return none;
  if (!(await getEnrolment(db, courseId, userId))) return none;
  const now = nowIso();
  await db
    .insertInto('lesson_progress')
    .values({
      lesson_id: lessonId,
      user_id: userId,
      course_id: courseId,
      read_at: null,
      video_percent: 0,
      quiz_passed_at: null,
      completed_at: null,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['lesson_id', 'user_id']).doNothing())
    .execute();
  const p = await db
    .selectFrom('lesson_progress')
    .selectAll()
    .where('lesson_id', '=', lessonId)
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  const next = { read_at: p.read_at, video_percent: p.video_percent, quiz_passed_at: p.quiz_passed_at };
  let beat: WatchState | null = null;
  if (signal.kind === 'read') next.read_at ??= now;
  if (signal.kind === 'video') {
    const duration = Number.isFinite(signal.duration) && signal.duration > 0 ? Math.max(signal.duration, p.beat_position ?? 0) : null;
    beat = creditHeartbeat(p, signal.position, signal.nowMs ?? Date.now(), duration);
    const pct = duration ? Math.floor((beat.watched_seconds * 100) / duration) : 0;
    next.video_percent = Math.max(p.video_percent, Math.min(100, pct));
  }
  if (signal.kind === 'embedded') next.video_percent = Math.max(p.video_percent, Math.min(100, Math.max(0, Math.round(signal.percent))));
  if (signal.kind === 'quiz' && lesson.quiz_id && (await hasPassed(db, lesson.quiz_id, userId))) next.quiz_passed_at ??= now;
  const completed = p.completed_at ?? (ruleMet(lesson.completion_rule, next) ? now : null);
  await db
    .updateTable('lesson_progress')
    .set({ ...next, ...(beat ?? {}), completed_at: completed, updated_at: now })
    .where('lesson_id', '=', lessonId)
    .where('user_id', '=', userId)
    .execute();
  const course = await checkCourseCompletion(db, courseId, userId);
  return { lessonCompleted: !!completed, ...course };
}

/**
 * The "video watched ≥ 90 %" rule for a lesson whose video is an embedded e-lecture: the OER
 * player saves the viewer's position to the repository (/resources/$id/progress); this reads it
 * and credits the lesson. With several embedded videos the least-watched one counts (all must be
 * watched). Returns null when the lesson has no embedded playable resource.
 */
export async function syncEmbeddedVideo(
  db: DB,
  courseId: string,
  lessonId: string,
  userId: string,
): Promise<(RecordResult & { percent: number }) | null> {
  const lesson = await db
    .selectFrom('course_lessons')
    .select(['body_md', 'completion_rule'])
    .where('id', '=', lessonId)
    .where('course_id', '=', courseId)
    .executeTakeFirst();
  if (!lesson) return null;
  const ids = await embeddedPlayableIds(db, lesson.body_md);
  if (ids.length === 0) return null;
  let percent = 100;
  for (const id of ids) {
    const p = await getResourceProgress(db, userId, id);
    // Watch time credited on the server from the player's heartbeats, not the last position.
    const pc = !p ? 0 : p.completed === 1 ? 100 : p.duration_seconds ? Math.floor((p.watched_seconds * 100) / p.duration_seconds) : 0;
    percent = Math.min(percent, pc);
  }
  const r = await recordProgress(db, courseId, lessonId, userId, { kind: 'embedded', percent });
  return { ...r, percent };
}

export interface CourseProgress {
  total: number;
  done: number;
  percent: number;
  completedLessonIds: string[];
  modules: Array<{ moduleId: string; total: number; done: number; percent: number }>;
  /** The first lesson not yet completed (or the last opened): where "continue" leads. */
  nextLessonId: string | null;
}

const pct = (done: number, total: number) => (total === 0 ? 0 : Math.round((done * 100) / total));

export async function courseProgress(db: DB, courseId: string, userId: string): Promise<CourseProgress> {
  const [lessons, rows, enrolment] = await Promise.all([
    getLessons(db, courseId),
    db
      .selectFrom('lesson_progress')
      .select(['lesson_id', 'completed_at'])
      .where('course_id', '=', courseId)
      .where('user_id', '=', userId)
      .execute(),
    getEnrolment(db, courseId, userId),
  ]);
  const done = new Set(rows.filter((r) => r.completed_at).map((r) => r.lesson_id));
  const lessonIds = new Set(lessons.map((l) => l.id));
  const completedLessonIds = [...done].filter((id) => lessonIds.has(id));
  const moduleIds = [...new Set(lessons.map((l) => l.module_id))];
  const modules = moduleIds.map((moduleId) => {
    const ls = lessons.filter((l) => l.module_id === moduleId);
    const d = ls.filter((l) => done.has(l.id)).length;
    return { moduleId, total: ls.length, done: d, percent: pct(d, ls.length) };
  });
  const firstOpen = lessons.find((l) => !done.has(l.id))?.id ?? null;
  const last =
    enrolment?.last_lesson_id && lessonIds.has(enrolment.last_lesson_id) && !done.has(enrolment.last_lesson_id)
      ? enrolment.last_lesson_id
      : null;
  return {
    total: lessons.length,
    done: completedLessonIds.length,
    percent: pct(completedLessonIds.length, lessons.length),
    completedLessonIds,
    modules,
    nextLessonId: last ?? firstOpen ?? enrolment?.last_lesson_id ?? lessons[0]?.id ?? null,
  };
}

/** When every lesson is complete: marks the enrolment complete and issues the certificate (once). */
export async function checkCourseCompletion(
  db: DB,
  courseId: string,
  userId: string,
): Promise<{ courseCompleted: boolean; certificateCode: string | null }> {
  const p = await courseProgress(db, courseId, userId);
  if (p.total === 0 || p.done < p.total) return { courseCompleted: false, certificateCode: null };
  await db
    .updateTable('course_enrolments')
    .set({ completed_at: nowIso() })
    .where('course_id', '=', courseId)
    .where('user_id', '=', userId)
    .where('completed_at', 'is', null)
    .execute();
  const cert = await issueCertificate(db, courseId, userId);
  return { courseCompleted: true, certificateCode: cert.code };
}

/* ---------- certificates ---------- */

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: read aloud and typed by hand

export function newCertificateCode(): string {
  const bytes = randomBytes(12);
  let s = '';
  for (let i = 0; i < 12; i++) s += CODE_ALPHABET[bytes[i]! % CODE_ALPHABET.length];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

/** Issues the learner's certificate for a course; the unique (course, user) constraint makes it exactly once. */
export async function issueCertificate(db: DB, courseId: string, userId: string): Promise<{ code: string; created: boolean }> {
  const existing = await db
    .selectFrom('certificates')
    .select('code')
    .where('course_id', '=', courseId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (existing) return { code: existing.code, created: false };
  const info = await db
    .selectFrom('courses as c')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .select(['c.title', 'u.name as unit_name'])
    .where('c.id', '=', courseId)
    .executeTakeFirstOrThrow();
  const user = await db.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirstOrThrow();
  const code = newCertificateCode();
  try {
    await db
      .insertInto('certificates')
      .values({
        id: newId(),
        code,
        course_id: courseId,
        user_id: userId,
        holder_name: user.display_name,
        course_title: info.title,
        unit_name: info.unit_name,
        issued_at: nowIso(),
        revoked_at: null,
        revoked_reason: null,
      })
      .execute();
    return { code, created: true };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const row = await db
      .selectFrom('certificates')
      .select('code')
      .where('course_id', '=', courseId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (row) return { code: row.code, created: false };
    return issueCertificate(db, courseId, userId); // a code collision: try another code
  }
}

export function normaliseCode(code: string): string {
  const c = code
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
  return c.length === 12 ? `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}` : code.trim().toUpperCase();
}

/* Verification of every kind of certificate (course, contest, honour) lives in one registry. */
export { type Verification, verifyCertificate } from '~/domain/certificates/verify.server';

/**
 * Issues a contest winner's certificate for a round's prize (once per entrant and round, by the
 * unique constraint), with the entrant's registered name and unit.
 */
export async function issueContestCertificate(
  db: DB,
  roundId: string,
  userId: string,
  prizeLabel: string,
): Promise<{ code: string; created: boolean }> {
  const existing = await db
    .selectFrom('contest_certificates')
    .select('code')
    .where('round_id', '=', roundId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (existing) return { code: existing.code, created: false };
  const info = await db
    .selectFrom('contest_rounds as r')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .innerJoin('contest_entrants as e', (j) => j.onRef('e.contest_id', '=', 'c.id').on('e.user_id', '=', userId))
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .select(['c.id as contest_id', 'c.title', 'r.title as round_title', 'e.full_name', 'u.name as unit_name'])
    .where('r.id', '=', roundId)
    .executeTakeFirstOrThrow();
  const code = newCertificateCode();
  try {
    await db
      .insertInto('contest_certificates')
      .values({
        id: newId(),
        code,
        contest_id: info.contest_id,
        round_id: roundId,
        user_id: userId,
        holder_name: info.full_name,
        title: `${info.title} · ${info.round_title}`,
        prize_label: prizeLabel,
        unit_name: info.unit_name,
        issued_at: nowIso(),
        revoked_at: null,
        revoked_reason: null,
      })
      .execute();
    return { code, created: true };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const row = await db
      .selectFrom('contest_certificates')
      .select('code')
      .where('round_id', '=', roundId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (row) return { code: row.code, created: false };
    return issueContestCertificate(db, roundId, userId, prizeLabel);
  }
}

export async function revokeCertificate(db: DB, ed: CourseEditor, code: string, reason: string): Promise<boolean> {
  const courseId = editedCourse(ed);
  const r = await db
    .updateTable('certificates')
    .set({ revoked_at: nowIso(), revoked_reason: reason.trim() || null })
    .where('code', '=', normaliseCode(code))
    .where('course_id', '=', courseId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export function certificatesOf(db: DB, userId: string) {
  return db
    .selectFrom('certificates as z')
    .innerJoin('courses as c', 'c.id', 'z.course_id')
    .select(['z.code', 'z.course_title', 'z.unit_name', 'z.issued_at', 'z.revoked_at', 'c.slug'])
    .where('z.user_id', '=', userId)
    .orderBy('z.issued_at', 'desc')
    .execute();
}

/** Courses the learner is enrolled in, most recently visited first, with progress. */
export async function myCourses(db: DB, userId: string) {
  const rows = await db
    .selectFrom('course_enrolments as e')
    .innerJoin('courses as c', 'c.id', 'e.course_id')
    .select(['c.id', 'c.slug', 'c.title', 'e.completed_at', 'e.last_seen_at', 'e.enrolled_at'])
    .where('e.user_id', '=', userId)
    .orderBy('e.last_seen_at', 'desc')
    .orderBy('e.enrolled_at', 'desc')
    .execute();
  return Promise.all(rows.map(async (r) => ({ ...r, progress: await courseProgress(db, r.id, userId) })));
}

/* ---------- the teacher's progress table ---------- */

export async function progressTable(db: DB, courseId: string) {
  const [lessons, learners, progress, certs] = await Promise.all([
    getLessons(db, courseId),
    db
      .selectFrom('course_enrolments as e')
      .innerJoin('users as u', 'u.id', 'e.user_id')
      .select(['u.id', 'u.display_name', 'u.email', 'e.enrolled_at', 'e.last_seen_at', 'e.completed_at'])
      .where('e.course_id', '=', courseId)
      .orderBy('u.display_name')
      .execute(),
    db
      .selectFrom('lesson_progress')
      .select(['user_id', 'lesson_id', 'completed_at'])
      .where('course_id', '=', courseId)
      .where('completed_at', 'is not', null)
      .execute(),
    db.selectFrom('certificates').select(['user_id', 'code', 'revoked_at']).where('course_id', '=', courseId).execute(),
  ]);
  const lessonIds = new Set(lessons.map((l) => l.id));
  const doneBy = new Map<string, Set<string>>();
  for (const p of progress)
    if (lessonIds.has(p.lesson_id)) (doneBy.get(p.user_id) ?? doneBy.set(p.user_id, new Set()).get(p.user_id)!).add(p.lesson_id);
  const certBy = new Map(certs.map((c) => [c.user_id, c]));
  return {
    lessons: lessons.map((l) => ({ id: l.id, title: l.title })),
    rows: learners.map((u) => {
      const done = doneBy.get(u.id) ?? new Set<string>();
      const cert = certBy.get(u.id);
      return {
        userId: u.id,
        name: u.display_name,
        email: u.email,
        enrolledAt: u.enrolled_at,
        lastSeenAt: u.last_seen_at,
        completedAt: u.completed_at,
        done: done.size,
        total: lessons.length,
        percent: pct(done.size, lessons.length),
        lessonsDone: lessons.map((l) => done.has(l.id)),
        certificate: cert ? { code: cert.code, revoked: !!cert.revoked_at } : null,
      };
    }),
  };
}

/** RFC 4180 CSV with a BOM so spreadsheet programs read Vietnamese correctly; formula-looking cells are defused. */
export function toCsv(rows: Array<Array<string | number | null>>): string {
  const cell = (v: string | number | null) => {
    let s = v == null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** A learner's certificate for one course (if issued): its code and whether it was revoked. */
export function certificateFor(db: DB, courseId: string, userId: string) {
  return db
    .selectFrom('certificates')
    .select(['code', 'revoked_at'])
    .where('course_id', '=', courseId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** What the learner has done in one lesson (read, watched, passed), for the lesson page. */
export function lessonProgressOf(db: DB, lessonId: string, userId: string) {
  return db
    .selectFrom('lesson_progress')
    .select(['read_at', 'video_percent', 'quiz_passed_at', 'completed_at'])
    .where('lesson_id', '=', lessonId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}
