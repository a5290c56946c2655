import fs from 'node:fs';
import path from 'node:path';

import matter from 'gray-matter';

import { courseEditor } from '../../app/domain/courses/access.server';
import { addLesson, addModule, createCourse, ensureLessonQuiz, publishCourse } from '../../app/domain/courses/courses.server';
import { addQuestion } from '../../app/domain/quiz/quiz.server';
import { licenceCode } from '../../app/lib/licences';
import { unwrap } from '../../app/lib/result';
import type { DB } from '../connection';
import {
  COMPLETION_RULES,
  type CompletionRule,
  COURSE_AUDIENCES,
  COURSE_LEVELS,
  type CourseAudience,
  type CourseLevel,
  QUESTION_KINDS,
  type QuestionKind,
} from '../schema/courses';

interface QuestionFile {
  kind: QuestionKind;
  prompt: string;
  options?: string[];
  correct?: number | number[];
  answer?: boolean;
  accepted?: string[];
  fold?: boolean;
  explanation?: string;
  points?: number;
}
interface LessonFile {
  title: string;
  rule?: CompletionRule;
  video?: string;
  body?: string;
  /** title of a published repository resource to embed (seeded by oer before courses) */ resource?: string;
  quiz?: { title?: string; pass?: number; attempts?: number; draw?: number; questions: QuestionFile[] };
}
interface CourseFile {
  slug: string;
  title: string;
  unit: string;
  week?: number;
  audience: CourseAudience;
  level: CourseLevel;
  hours: number;
  licence?: string;
  teacher: string;
  summary: string;
  enrol_code?: string;
  modules: Array<{ title: string; lessons: LessonFile[] }>;
}

/**
 * The Week's own courses from content/courses/<slug>.md (front matter = course, modules, lessons,
 * quizzes; body = the course description). A course whose slug exists is left alone, so
 * teachers' edits survive restarts.
 */
export async function seedCourses(
  db: DB,
  units: Map<string, string>,
  users: Map<string, string>,
  dir = path.resolve('content/courses'),
): Promise<void> {
  if (!fs.existsSync(dir)) return;
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()) {
    const { data, content } = matter(fs.readFileSync(path.join(dir, file), 'utf8'));
    const c = data as CourseFile;
    if (await db.selectFrom('courses').select('id').where('slug', '=', c.slug).executeTakeFirst()) continue;
    const unitId = units.get(c.unit);
    const teacherId = users.get(c.teacher);
    if (!unitId || !teacherId) continue;
    if (!COURSE_AUDIENCES.includes(c.audience) || !COURSE_LEVELS.includes(c.level)) throw new Error(`${file}: bad audience or level`);
    const week = c.week ? await db.selectFrom('weeks').select('year').where('year', '=', c.week).executeTakeFirst() : undefined;
    const course = await createCourse(
      db,
      teacherId,
      {
        unitId,
        weekYear: week?.year ?? null,
        title: c.title,
        summary: c.summary,
        descriptionMd: content.trim(),
        audience: c.audience,
        level: c.level,
        estHours: c.hours,
        coverUrl: null,
        language: 'vi',
        licence: licenceCode(c.licence) ?? 'cc-by',
        enrolMode: c.enrol_code ? 'code' : 'open',
        enrolCode: c.enrol_code ?? null,
      },
      { slug: c.slug, origin: 'content' },
    );
    // The course's teacher builds it: the same editor check as in the editor's pages.
    const ed = unwrap(await courseEditor(db, course.id, teacherId));
    for (const m of c.modules) {
      const moduleId = await addModule(db, ed, m.title);
      for (const l of m.lessons) {
        let rule = l.rule ?? (l.quiz ? 'quiz' : 'read');
        if (!COMPLETION_RULES.includes(rule)) throw new Error(`${file}: bad rule ${rule}`);
        let bodyMd = (l.body ?? '').trim();
        if (l.resource) {
          const res = await db
            .selectFrom('resources')
            .select('id')
            .where('title', '=', l.resource)
            .where('status', '=', 'published')
            .executeTakeFirst();
          if (res) bodyMd = `${bodyMd}\n\n{{resource:${res.id}}}\n`;
          else if (rule === 'video' && !l.video) rule = 'read'; // the repository lacks it: still a lesson one can complete
        }
        const lessonId = await addLesson(db, ed, moduleId, {
          title: l.title,
          bodyMd,
          videoUrl: l.video ?? null,
          completionRule: rule,
        });
        if (!l.quiz) continue;
        const { bankId } = await ensureLessonQuiz(db, ed, lessonId, {
          title: l.quiz.title ?? l.title,
          passPercent: l.quiz.pass ?? 70,
          maxAttempts: l.quiz.attempts ?? null,
          drawCount: l.quiz.draw ?? null,
          shuffleQuestions: true,
          shuffleOptions: true,
        });
        for (const q of l.quiz.questions) {
          if (!QUESTION_KINDS.includes(q.kind)) throw new Error(`${file}: bad question kind ${q.kind}`);
          const correct = q.correct == null ? undefined : (Array.isArray(q.correct) ? q.correct : [q.correct]).map((n) => n - 1);
          unwrap(
            await addQuestion(db, bankId, {
              kind: q.kind,
              prompt: q.prompt,
              options: q.options,
              correct,
              trueFalse: q.answer,
              accepted: q.accepted,
              foldDiacritics: q.fold ?? true,
              explanation: q.explanation,
              points: q.points,
            }),
          );
        }
      }
    }
    const r = await publishCourse(db, ed);
    if (!r.ok) throw new Error(`${file}: ${r.code}`);
  }
}
