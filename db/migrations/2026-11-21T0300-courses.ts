import { sql, type Kysely } from 'kysely';

// Frozen once landed: the courses area's tables and the quiz engine's. (Owned by the courses work until first landing.)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('courses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('restrict'))
    .addColumn('week_year', 'integer', (c) => c.references('weeks.year').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('description_md', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('est_hours', 'real', (c) => c.notNull().check(sql`est_hours >= 0`))
    .addColumn('cover_url', 'text')
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('vi'))
    .addColumn('licence', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','published')`))
    .addColumn('enrol_mode', 'text', (c) => c.notNull().check(sql`enrol_mode in ('open','code')`))
    .addColumn('enrol_code', 'text')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id').onDelete('restrict'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .execute();
  await db.schema.createIndex('courses_unit_idx').on('courses').columns(['unit_id', 'status']).execute();
  await db.schema.createIndex('courses_week_idx').on('courses').columns(['week_year', 'status']).execute();

  await db.schema
    .createTable('course_teachers')
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('course_teachers_pk', ['course_id', 'user_id'])
    .execute();
  await db.schema.createIndex('course_teachers_user_idx').on('course_teachers').column('user_id').execute();

  await db.schema
    .createTable('course_modules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('course_modules_course_idx').on('course_modules').columns(['course_id', 'position']).execute();

  // The quiz engine.
  await db.schema
    .createTable('quiz_banks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('quiz_banks_owner_idx').on('quiz_banks').columns(['owner_kind', 'owner_id']).execute();

  await db.schema
    .createTable('quiz_questions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('bank_id', 'text', (c) => c.notNull().references('quiz_banks.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('single','multiple','true_false','short','ordering')`))
    .addColumn('prompt', 'text', (c) => c.notNull())
    .addColumn('options_json', 'text', (c) => c.notNull())
    .addColumn('answer_json', 'text', (c) => c.notNull())
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(1).check(sql`points > 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('quiz_questions_bank_idx').on('quiz_questions').columns(['bank_id', 'position']).execute();

  await db.schema
    .createTable('quizzes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('bank_id', 'text', (c) => c.notNull().references('quiz_banks.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('draw_count', 'integer', (c) => c.check(sql`draw_count is null or draw_count > 0`))
    .addColumn('shuffle_questions', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('shuffle_options', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('max_attempts', 'integer', (c) => c.check(sql`max_attempts is null or max_attempts > 0`))
    .addColumn('pass_percent', 'integer', (c) => c.notNull().check(sql`pass_percent between 0 and 100`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('quiz_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('quiz_id', 'text', (c) => c.notNull().references('quizzes.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('attempt_no', 'integer', (c) => c.notNull().check(sql`attempt_no > 0`))
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('question_ids_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('in_progress','submitted')`))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('score', 'integer')
    .addColumn('max_score', 'integer')
    .addColumn('passed', 'integer')
    // Attempt numbers are unique per learner and quiz: two concurrent "start" requests cannot both become attempt n.
    .addUniqueConstraint('quiz_attempts_no_unique', ['quiz_id', 'user_id', 'attempt_no'])
    .execute();

  await db.schema
    .createTable('quiz_answers')
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('quiz_attempts.id').onDelete('cascade'))
    .addColumn('question_id', 'text', (c) => c.notNull().references('quiz_questions.id').onDelete('cascade'))
    .addColumn('response_json', 'text', (c) => c.notNull())
    .addColumn('correct', 'integer')
    .addColumn('points', 'integer')
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('quiz_answers_pk', ['attempt_id', 'question_id'])
    .execute();

  await db.schema
    .createTable('course_lessons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('module_id', 'text', (c) => c.notNull().references('course_modules.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('video_url', 'text')
    .addColumn('completion_rule', 'text', (c) => c.notNull().check(sql`completion_rule in ('read','video','quiz')`))
    .addColumn('quiz_id', 'text', (c) => c.references('quizzes.id').onDelete('set null'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('course_lessons_module_idx').on('course_lessons').columns(['module_id', 'position']).execute();
  await db.schema.createIndex('course_lessons_course_idx').on('course_lessons').column('course_id').execute();
  await db.schema.createIndex('course_lessons_quiz_idx').on('course_lessons').column('quiz_id').execute();

  await db.schema
    .createTable('course_enrolments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .addColumn('last_lesson_id', 'text', (c) => c.references('course_lessons.id').onDelete('set null'))
    .addColumn('last_seen_at', 'text')
    .addColumn('completed_at', 'text')
    .addUniqueConstraint('course_enrolments_unique', ['course_id', 'user_id'])
    .execute();
  await db.schema.createIndex('course_enrolments_user_idx').on('course_enrolments').column('user_id').execute();

  await db.schema
    .createTable('lesson_progress')
    .addColumn('lesson_id', 'text', (c) => c.notNull().references('course_lessons.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('read_at', 'text')
    .addColumn('video_percent', 'integer', (c) => c.notNull().defaultTo(0).check(sql`video_percent between 0 and 100`))
    .addColumn('quiz_passed_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lesson_progress_pk', ['lesson_id', 'user_id'])
    .execute();
  await db.schema.createIndex('lesson_progress_course_idx').on('lesson_progress').columns(['course_id', 'user_id']).execute();

  await db.schema
    .createTable('certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id').onDelete('restrict'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('restrict'))
    .addColumn('holder_name', 'text', (c) => c.notNull())
    .addColumn('course_title', 'text', (c) => c.notNull())
    .addColumn('unit_name', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_reason', 'text')
    // Exactly one certificate per learner and course, whatever the concurrency.
    .addUniqueConstraint('certificates_once', ['course_id', 'user_id'])
    .execute();
  await db.schema.createIndex('certificates_user_idx').on('certificates').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['certificates', 'lesson_progress', 'course_enrolments', 'course_lessons', 'quiz_answers', 'quiz_attempts', 'quizzes', 'quiz_questions', 'quiz_banks', 'course_modules', 'course_teachers', 'courses']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
