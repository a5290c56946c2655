/**
 * Courses: authoring (details, modules, lessons, co-teachers, publishing) and the catalogue.
 * Published courses are fed to the shared search index (source 'course').
 */
import { lockRows, toNumber, writeTransaction } from '~/db/dialect';
import type { CompletionRule, CourseAudience, CourseLevel } from '~/db/schema/courses';
import { hasRole } from '~/domain/accounts.server';
import { createBank, createQuiz, type QuizSettings, updateQuiz } from '~/domain/quiz/quiz.server';
import { indexDocument, removeDocument, search } from '~/domain/search/index.server';
import type { Locale } from '~/i18n/locale';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { bumpCache } from '~/lib/page-cache.server';
import { err, ok, type Result } from '~/lib/result';

import { canPlaceCourseIn } from './access.server';
import { type CourseEditor, editedCourse } from './editor.server';

export interface CourseInput {
  unitId: string;
  weekYear: number | null;
  title: string;
  summary: string;
  descriptionMd: string;
  audience: CourseAudience;
  level: CourseLevel;
  estHours: number;
  coverUrl: string | null;
  language: Locale;
  licence: string;
  enrolMode: 'open' | 'code';
  enrolCode: string | null;
}

/** A URL-safe slug from a Vietnamese title: "Văn hóa đọc" → "van-hoa-doc". */
export function slugify(title: string): string {
  return (
    title
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'khoa-hoc'
  );
}

async function uniqueSlug(db: DB, base: string): Promise<string> {
  let slug = base;
  for (let i = 2; await db.selectFrom('courses').select('id').where('slug', '=', slug).executeTakeFirst(); i++) slug = `${base}-${i}`;
  return slug;
}

export async function createCourse(db: DB, userId: string, input: CourseInput, opts: { slug?: string; origin?: 'content' | 'ui' } = {}) {
  const id = newId();
  const now = nowIso();
  const slug = await uniqueSlug(db, opts.slug ?? slugify(input.title));
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('courses')
      .values({
        id,
        slug,
        unit_id: input.unitId,
        week_year: input.weekYear,
        title: input.title,
        summary: input.summary,
        description_md: input.descriptionMd,
        audience: input.audience,
        level: input.level,
        est_hours: input.estHours,
        cover_url: input.coverUrl,
        language: input.language,
        licence: input.licence,
        status: 'draft',
        enrol_mode: input.enrolMode,
        enrol_code: input.enrolMode === 'code' ? input.enrolCode : null,
        origin: opts.origin ?? 'ui',
        created_by: userId,
        created_at: now,
        updated_at: now,
        published_at: null,
      })
      .execute();
    await trx.insertInto('course_teachers').values({ course_id: id, user_id: userId, role: 'owner', added_at: now }).execute();
  });
  return { id, slug };
}

export type UpdateCourseError = 'unit_forbidden';

/** Saves the details; moving the course to another unit is checked like creating it there. */
export async function updateCourse(db: DB, ed: CourseEditor, input: CourseInput): Promise<Result<undefined, UpdateCourseError>> {
  const courseId = editedCourse(ed);
  if (input.unitId !== ed.unitId && !(await canPlaceCourseIn(db, ed.userId, input.unitId))) return err('unit_forbidden');
  await db
    .updateTable('courses')
    .set({
      unit_id: input.unitId,
      week_year: input.weekYear,
      title: input.title,
      summary: input.summary,
      description_md: input.descriptionMd,
      audience: input.audience,
      level: input.level,
      est_hours: input.estHours,
      cover_url: input.coverUrl,
      language: input.language,
      licence: input.licence,
      enrol_mode: input.enrolMode,
      enrol_code: input.enrolMode === 'code' ? input.enrolCode : null,
      updated_at: nowIso(),
    })
    .where('id', '=', courseId)
    .execute();
  await reindexCourse(db, courseId);
  return ok();
}

export function getCourseBySlug(db: DB, slug: string) {
  return db
    .selectFrom('courses as c')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .selectAll('c')
    .select(['u.name as unit_name', 'u.name_en as unit_name_en', 'u.slug as unit_slug'])
    .where('c.slug', '=', slug)
    .executeTakeFirst();
}
export type Course = NonNullable<Awaited<ReturnType<typeof getCourseBySlug>>>;

/** Owner and co-teachers edit a course; so do organisers (and admins) of its unit. */
export async function canEditCourse(db: DB, course: { id: string; unit_id: string }, userId: string | null | undefined): Promise<boolean> {
  if (!userId) return false;
  const t = await db
    .selectFrom('course_teachers')
    .select('role')
    .where('course_id', '=', course.id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (t) return true;
  return hasRole(db, userId, course.unit_id, 'organiser');
}

export function courseTeachers(db: DB, courseId: string) {
  return db
    .selectFrom('course_teachers as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['u.id', 'u.display_name', 'u.email', 't.role'])
    .where('t.course_id', '=', courseId)
    .orderBy('t.added_at')
    .execute();
}

export async function addCoTeacher(db: DB, ed: CourseEditor, email: string): Promise<'added' | 'unknown_user' | 'already'> {
  const courseId = editedCourse(ed);
  const user = await db.selectFrom('users').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  if (!user) return 'unknown_user';
  const r = await db
    .insertInto('course_teachers')
    .values({ course_id: courseId, user_id: user.id, role: 'co_teacher', added_at: nowIso() })
    .onConflict((oc) => oc.columns(['course_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0 ? 'added' : 'already';
}

export async function removeCoTeacher(db: DB, ed: CourseEditor, userId: string): Promise<void> {
  const courseId = editedCourse(ed);
  await db
    .deleteFrom('course_teachers')
    .where('course_id', '=', courseId)
    .where('user_id', '=', userId)
    .where('role', '=', 'co_teacher')
    .execute();
}

/** Courses a user teaches (owner or co-teacher). */
export function coursesTaughtBy(db: DB, userId: string) {
  return db
    .selectFrom('courses as c')
    .innerJoin('course_teachers as t', 't.course_id', 'c.id')
    .select(['c.id', 'c.slug', 'c.title', 'c.status', 'c.updated_at'])
    .where('t.user_id', '=', userId)
    .orderBy('c.updated_at', 'desc')
    .execute();
}

/* ---------- modules and lessons ---------- */

export function getModules(db: DB, courseId: string) {
  return db.selectFrom('course_modules').selectAll().where('course_id', '=', courseId).orderBy('position').execute();
}

export function getLessons(db: DB, courseId: string) {
  return db
    .selectFrom('course_lessons as l')
    .innerJoin('course_modules as m', 'm.id', 'l.module_id')
    .select(['l.id', 'l.module_id', 'l.position', 'l.title', 'l.completion_rule', 'l.quiz_id', 'l.video_url'])
    .where('l.course_id', '=', courseId)
    .orderBy('m.position')
    .orderBy('l.position')
    .execute();
}

/** The course outline: modules in order, each with its lessons in order. */
export async function getOutline(db: DB, courseId: string) {
  const [modules, lessons] = await Promise.all([getModules(db, courseId), getLessons(db, courseId)]);
  return modules.map((m) => ({ ...m, lessons: lessons.filter((l) => l.module_id === m.id) }));
}
export type Outline = Awaited<ReturnType<typeof getOutline>>;

export function getLesson(db: DB, courseId: string, lessonId: string) {
  return db.selectFrom('course_lessons').selectAll().where('id', '=', lessonId).where('course_id', '=', courseId).executeTakeFirst();
}

async function touch(db: DB, courseId: string) {
  await db.updateTable('courses').set({ updated_at: nowIso() }).where('id', '=', courseId).execute();
  await bumpCache(db, 'courses', courseId);
}

export async function addModule(db: DB, ed: CourseEditor, title: string): Promise<string> {
  const courseId = editedCourse(ed);
  const id = newId();
  await writeTransaction(db, async (trx) => {
    const last = await trx
      .selectFrom('course_modules')
      .select((eb) => eb.fn.max('position').as('p'))
      .where('course_id', '=', courseId)
      .executeTakeFirst();
    await trx
      .insertInto('course_modules')
      .values({ id, course_id: courseId, position: toNumber(last?.p) + 1, title })
      .execute();
  });
  await touch(db, courseId);
  return id;
}

export async function renameModule(db: DB, ed: CourseEditor, moduleId: string, title: string): Promise<void> {
  const courseId = editedCourse(ed);
  await db.updateTable('course_modules').set({ title }).where('id', '=', moduleId).where('course_id', '=', courseId).execute();
  await bumpCache(db, 'courses', courseId);
}

export async function deleteModule(db: DB, ed: CourseEditor, moduleId: string): Promise<void> {
  const courseId = editedCourse(ed);
  await db.deleteFrom('course_modules').where('id', '=', moduleId).where('course_id', '=', courseId).execute();
  await bumpCache(db, 'courses', courseId);
}

async function swap(
  trx: DB,
  table: 'course_modules' | 'course_lessons',
  rows: { id: string; position: number }[],
  id: string,
  dir: 'up' | 'down',
) {
  const i = rows.findIndex((r) => r.id === id);
  const j = dir === 'up' ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= rows.length) return;
  await trx.updateTable(table).set({ position: rows[j]!.position }).where('id', '=', rows[i]!.id).execute();
  await trx.updateTable(table).set({ position: rows[i]!.position }).where('id', '=', rows[j]!.id).execute();
}

/** Up/down buttons: reordering that works without JavaScript. */
export async function moveModule(db: DB, ed: CourseEditor, moduleId: string, dir: 'up' | 'down'): Promise<void> {
  const courseId = editedCourse(ed);
  await writeTransaction(db, async (trx) => {
    const rows = await trx
      .selectFrom('course_modules')
      .select(['id', 'position'])
      .where('course_id', '=', courseId)
      .orderBy('position')
      .execute();
    await swap(trx, 'course_modules', rows, moduleId, dir);
  });
  await bumpCache(db, 'courses', courseId);
}

export interface LessonInput {
  title: string;
  bodyMd: string;
  videoUrl: string | null;
  completionRule: CompletionRule;
}

export async function addLesson(db: DB, ed: CourseEditor, moduleId: string, input: LessonInput): Promise<string> {
  const courseId = editedCourse(ed);
  const id = newId();
  await writeTransaction(db, async (trx) => {
    const mod = await trx
      .selectFrom('course_modules')
      .select('id')
      .where('id', '=', moduleId)
      .where('course_id', '=', courseId)
      .executeTakeFirst();
    if (!mod) throw new Error('module not in course');
    const last = await trx
      .selectFrom('course_lessons')
      .select((eb) => eb.fn.max('position').as('p'))
      .where('module_id', '=', moduleId)
      .executeTakeFirst();
    await trx
      .insertInto('course_lessons')
      .values({
        id,
        course_id: courseId,
        module_id: moduleId,
        position: toNumber(last?.p) + 1,
        title: input.title,
        body_md: input.bodyMd,
        video_url: input.videoUrl,
        completion_rule: input.completionRule,
        quiz_id: null,
        updated_at: nowIso(),
      })
      .execute();
  });
  await touch(db, courseId);
  return id;
}

export async function updateLesson(db: DB, ed: CourseEditor, lessonId: string, input: LessonInput): Promise<void> {
  const courseId = editedCourse(ed);
  await db
    .updateTable('course_lessons')
    .set({
      title: input.title,
      body_md: input.bodyMd,
      video_url: input.videoUrl,
      completion_rule: input.completionRule,
      updated_at: nowIso(),
    })
    .where('id', '=', lessonId)
    .where('course_id', '=', courseId)
    .execute();
  await touch(db, courseId);
}

export async function deleteLesson(db: DB, ed: CourseEditor, lessonId: string): Promise<void> {
  const courseId = editedCourse(ed);
  await db.deleteFrom('course_lessons').where('id', '=', lessonId).where('course_id', '=', courseId).execute();
  await bumpCache(db, 'courses', courseId);
}

export async function moveLesson(db: DB, ed: CourseEditor, lessonId: string, dir: 'up' | 'down'): Promise<void> {
  const courseId = editedCourse(ed);
  await writeTransaction(db, async (trx) => {
    const lesson = await trx
      .selectFrom('course_lessons')
      .select('module_id')
      .where('id', '=', lessonId)
      .where('course_id', '=', courseId)
      .executeTakeFirst();
    if (!lesson) return;
    const rows = await trx
      .selectFrom('course_lessons')
      .select(['id', 'position'])
      .where('module_id', '=', lesson.module_id)
      .orderBy('position')
      .execute();
    await swap(trx, 'course_lessons', rows, lessonId, dir);
  });
  await bumpCache(db, 'courses', courseId);
}

export type ReorderError = 'reorder_mismatch';
export type ReorderResult = Result<undefined, ReorderError>;

/** True when `ids` is exactly `current` in some order (no missing, extra or repeated id). */
function samePermutation(current: string[], ids: string[]): boolean {
  if (ids.length !== current.length || new Set(ids).size !== ids.length) return false;
  const have = new Set(current);
  return ids.every((id) => have.has(id));
}

async function rewritePositions(trx: DB, table: 'course_modules' | 'course_lessons', ids: string[]) {
  // No unique index on position, so rewriting 1..n row by row never collides.
  for (const [i, id] of ids.entries())
    await trx
      .updateTable(table)
      .set({ position: i + 1 })
      .where('id', '=', id)
      .execute();
}

/**
 * Drag-and-drop (or keyboard) reordering: the new order of ALL the course's modules. Refused,
 * with nothing written, unless `orderedIds` is exactly the course's modules (a foreign, missing or
 * repeated id means the page was stale or the request forged). One transaction; rows locked on PG.
 */
export async function reorderModules(db: DB, ed: CourseEditor, orderedIds: string[]): Promise<ReorderResult> {
  const courseId = editedCourse(ed);
  const r = await writeTransaction(db, async (trx) => {
    const rows = await lockRows(trx, trx.selectFrom('course_modules').select('id').where('course_id', '=', courseId)).execute();
    if (
      !samePermutation(
        rows.map((x) => x.id),
        orderedIds,
      )
    )
      return false;
    await rewritePositions(trx, 'course_modules', orderedIds);
    return true;
  });
  if (!r) return err('reorder_mismatch');
  await touch(db, courseId);
  return ok();
}

/** The new order of ALL the lessons of one module of the course (same rules as reorderModules). */
export async function reorderLessons(db: DB, ed: CourseEditor, moduleId: string, orderedIds: string[]): Promise<ReorderResult> {
  const courseId = editedCourse(ed);
  const r = await writeTransaction(db, async (trx) => {
    const mod = await lockRows(
      trx,
      trx.selectFrom('course_modules').select('id').where('id', '=', moduleId).where('course_id', '=', courseId),
    ).executeTakeFirst();
    if (!mod) return false;
    const rows = await lockRows(
      trx,
      trx.selectFrom('course_lessons').select('id').where('module_id', '=', moduleId).where('course_id', '=', courseId),
    ).execute();
    if (
      !samePermutation(
        rows.map((x) => x.id),
        orderedIds,
      )
    )
      return false;
    await rewritePositions(trx, 'course_lessons', orderedIds);
    return true;
  });
  if (!r) return err('reorder_mismatch');
  await touch(db, courseId);
  return ok();
}

/** A lesson quiz draws from its own bank (so each lesson's questions stay with it). */
export async function ensureLessonQuiz(
  db: DB,
  ed: CourseEditor,
  lessonId: string,
  s: QuizSettings,
): Promise<{ quizId: string; bankId: string }> {
  const courseId = editedCourse(ed);
  const lesson = await getLesson(db, courseId, lessonId);
  if (!lesson) throw new Error('lesson not found');
  if (lesson.quiz_id) {
    await updateQuiz(db, lesson.quiz_id, s);
    const q = await db.selectFrom('quizzes').select('bank_id').where('id', '=', lesson.quiz_id).executeTakeFirstOrThrow();
    return { quizId: lesson.quiz_id, bankId: q.bank_id };
  }
  const bankId = await createBank(db, { ownerKind: 'course', ownerId: courseId, title: lesson.title });
  const quizId = await createQuiz(db, bankId, s);
  await db.updateTable('course_lessons').set({ quiz_id: quizId, updated_at: nowIso() }).where('id', '=', lessonId).execute();
  return { quizId, bankId };
}

/* ---------- publishing and catalogue ---------- */

export type PublishError = 'no_lessons' | 'quiz_without_questions';
export type PublishResult = Result<undefined, PublishError>;

export async function publishCourse(db: DB, ed: CourseEditor): Promise<PublishResult> {
  const courseId = editedCourse(ed);
  const lessons = await getLessons(db, courseId);
  if (lessons.length === 0) return err('no_lessons');
  for (const l of lessons) {
    if (l.completion_rule !== 'quiz') continue;
    const n = l.quiz_id
      ? await db
          .selectFrom('quiz_questions as q')
          .innerJoin('quizzes as z', 'z.bank_id', 'q.bank_id')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('z.id', '=', l.quiz_id)
          .executeTakeFirst()
      : null;
    if (!n || toNumber(n.n) === 0) return err('quiz_without_questions');
  }
  const now = nowIso();
  await db.updateTable('courses').set({ status: 'published', published_at: now, updated_at: now }).where('id', '=', courseId).execute();
  await reindexCourse(db, courseId);
  return ok();
}

export async function unpublishCourse(db: DB, ed: CourseEditor): Promise<void> {
  const courseId = editedCourse(ed);
  await db.updateTable('courses').set({ status: 'draft', updated_at: nowIso() }).where('id', '=', courseId).execute();
  await removeDocument(db, 'course', courseId);
  await bumpCache(db, 'courses', courseId);
}

export async function reindexCourse(db: DB, courseId: string): Promise<void> {
  await bumpCache(db, 'courses', courseId);
  const c = await db.selectFrom('courses').selectAll().where('id', '=', courseId).executeTakeFirst();
  if (!c) return;
  if (c.status !== 'published') return removeDocument(db, 'course', courseId);
  const lessons = await db.selectFrom('course_lessons').select(['title']).where('course_id', '=', courseId).execute();
  await indexDocument(db, {
    source: 'course',
    id: c.id,
    kind: 'course',
    title: c.title,
    body: [c.summary, c.description_md, ...lessons.map((l) => l.title)].join('\n'),
    url: `/courses/${c.slug}`,
    level: c.level,
    licence: c.licence,
    unitId: c.unit_id,
    years: c.week_year ? [c.week_year] : [],
    language: c.language,
    publishedAt: c.published_at,
  });
}

export interface CatalogueFilters {
  q?: string;
  year?: number;
  unitId?: string;
  audience?: CourseAudience;
}

/** Published courses, filtered by Week, unit (and its subtree), audience, and a Vietnamese-aware search. */
export async function listCatalogue(db: DB, f: CatalogueFilters) {
  let ids: string[] | null = null;
  if (f.q?.trim()) {
    const r = await search(db, f.q, { source: 'course', unitId: f.unitId, year: f.year }, { limit: 100 });
    ids = r.hits.map((h) => h.id);
    if (ids.length === 0) return [];
  }
  let q = db
    .selectFrom('courses as c')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .select([
      'c.id',
      'c.slug',
      'c.title',
      'c.summary',
      'c.audience',
      'c.level',
      'c.est_hours',
      'c.week_year',
      'c.cover_url',
      'c.language',
      'c.licence',
      'u.name as unit_name',
      'u.name_en as unit_name_en',
    ])
    .select((eb) =>
      eb
        .selectFrom('course_lessons as l')
        .select((e2) => e2.fn.countAll().as('n'))
        .whereRef('l.course_id', '=', 'c.id')
        .as('lesson_count'),
    )
    .where('c.status', '=', 'published');
  if (ids) q = q.where('c.id', 'in', ids);
  if (f.year) q = q.where('c.week_year', '=', f.year);
  if (f.audience) q = q.where('c.audience', '=', f.audience);
  if (f.unitId) q = q.where('c.unit_id', 'in', db.selectFrom('unit_closure').select('descendant_id').where('ancestor_id', '=', f.unitId!));
  const rows = await q.orderBy('c.week_year', 'desc').orderBy('c.title').limit(200).execute();
  const order = ids ? new Map(ids.map((id, i) => [id, i])) : null;
  if (order) rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return rows.map((r) => ({ ...r, lesson_count: toNumber(r.lesson_count) }));
}

/** Units and Weeks that have published courses: the catalogue's filter choices. */
export async function catalogueFacets(db: DB) {
  const [units, years] = await Promise.all([
    db
      .selectFrom('courses as c')
      .innerJoin('units as u', 'u.id', 'c.unit_id')
      .select(['u.id', 'u.name', 'u.name_en'])
      .distinct()
      .where('c.status', '=', 'published')
      .orderBy('u.name')
      .execute(),
    db
      .selectFrom('courses')
      .select('week_year')
      .distinct()
      .where('status', '=', 'published')
      .where('week_year', 'is not', null)
      .orderBy('week_year', 'desc')
      .execute(),
  ]);
  return { units, years: years.map((y) => y.week_year!) };
}
