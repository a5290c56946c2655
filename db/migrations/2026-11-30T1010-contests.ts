import { type Kysely, sql } from 'kysely';

// Contests (issue #14): the contest shell shared by quiz rounds and, later, submission rounds
// (#15); the question bank itself lives in the quiz engine's tables (quiz_banks owner_kind 'contest').
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('restrict'))
    .addColumn('week_year', 'integer', (c) => c.references('weeks.year').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('rules_md', 'text', (c) => c.notNull())
    .addColumn('min_age', 'integer')
    .addColumn('max_age', 'integer')
    .addColumn('eligible_unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('restrict'))
    .addColumn('excluded_roles_json', 'text', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull().check(sql`max_attempts > 0`))
    .addColumn('ranking_json', 'text', (c) => c.notNull())
    .addColumn('prediction_kind', 'text', (c) => c.notNull().check(sql`prediction_kind in ('perfect','participants')`))
    .addColumn('grace_seconds', 'integer', (c) => c.notNull())
    .addColumn('min_seconds', 'integer', (c) => c.notNull())
    .addColumn('collective_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','published')`))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id').onDelete('restrict'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contests_unit_idx').on('contests').column('unit_id').execute();

  await db.schema
    .createTable('contest_rounds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contest_id', 'text', (c) => c.notNull().references('contests.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('quiz','submission')`))
    .addColumn('opens_at', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text', (c) => c.notNull())
    .addColumn('time_limit_s', 'integer', (c) => c.notNull().check(sql`time_limit_s > 0`))
    .addColumn('quota_json', 'text', (c) => c.notNull())
    .addColumn('results_status', 'text', (c) => c.notNull().check(sql`results_status in ('none','proposed','published')`))
    .addColumn('real_figure', 'integer')
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addUniqueConstraint('contest_rounds_position_unique', ['contest_id', 'position'])
    .execute();

  await db.schema
    .createTable('contest_prizes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contest_id', 'text', (c) => c.notNull().references('contests.id').onDelete('cascade'))
    .addColumn('round_id', 'text', (c) => c.references('contest_rounds.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('rank_from', 'integer', (c) => c.notNull().check(sql`rank_from > 0`))
    .addColumn('rank_to', 'integer', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contest_prizes_contest_idx').on('contest_prizes').columns(['contest_id', 'round_id']).execute();

  await db.schema
    .createTable('contest_staff')
    .addColumn('contest_id', 'text', (c) => c.notNull().references('contests.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('organiser','judge')`))
    .addPrimaryKeyConstraint('contest_staff_pk', ['contest_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('contest_entrants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contest_id', 'text', (c) => c.notNull().references('contests.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('birth_year', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('restrict'))
    .addColumn('phone', 'text')
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('contest_entrants_once', ['contest_id', 'user_id'])
    .execute();
  await db.schema.createIndex('contest_entrants_unit_idx').on('contest_entrants').columns(['contest_id', 'unit_id']).execute();

  await db.schema
    .createTable('contest_questions')
    .addColumn('question_id', 'text', (c) => c.primaryKey().references('quiz_questions.id').onDelete('cascade'))
    .addColumn('contest_id', 'text', (c) => c.notNull().references('contests.id').onDelete('cascade'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('difficulty', 'text', (c) => c.notNull().check(sql`difficulty in ('easy','medium','hard')`))
    .execute();
  await db.schema.createIndex('contest_questions_contest_idx').on('contest_questions').columns(['contest_id', 'topic', 'difficulty']).execute();

  await db.schema
    .createTable('contest_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('contest_rounds.id').onDelete('cascade'))
    .addColumn('entrant_id', 'text', (c) => c.notNull().references('contest_entrants.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('attempt_no', 'integer', (c) => c.notNull().check(sql`attempt_no > 0`))
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('question_ids_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('in_progress','submitted')`))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('deadline_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('duration_ms', 'integer')
    .addColumn('score', 'integer')
    .addColumn('max_score', 'integer')
    .addColumn('prediction', 'integer')
    .addColumn('answers_sig', 'text')
    .addColumn('disqualified_at', 'text')
    .addColumn('disqualified_reason', 'text')
    // One entry per account per round (or N numbered ones): the database refuses a second attempt n.
    .addUniqueConstraint('contest_attempts_no_unique', ['round_id', 'user_id', 'attempt_no'])
    .execute();
  await db.schema.createIndex('contest_attempts_round_idx').on('contest_attempts').columns(['round_id', 'status']).execute();

  await db.schema
    .createTable('contest_answers')
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('contest_attempts.id').onDelete('cascade'))
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('response_json', 'text', (c) => c.notNull())
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contest_answers_pk', ['attempt_id', 'question_id'])
    .execute();

  await db.schema
    .createTable('contest_results')
    .addColumn('round_id', 'text', (c) => c.notNull().references('contest_rounds.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('contest_attempts.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('max_score', 'integer', (c) => c.notNull())
    .addColumn('prediction_gap', 'integer')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('prize_id', 'text', (c) => c.references('contest_prizes.id').onDelete('set null'))
    .addPrimaryKeyConstraint('contest_results_pk', ['round_id', 'user_id'])
    .execute();
  await db.schema.createIndex('contest_results_rank_idx').on('contest_results').columns(['round_id', 'rank']).execute();

  await db.schema
    .createTable('contest_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('contest_rounds.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('identical','too_fast')`))
    .addColumn('attempt_ids_json', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('contest_audit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contest_id', 'text', (c) => c.notNull().references('contests.id').onDelete('cascade'))
    .addColumn('round_id', 'text')
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_user_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contest_audit_contest_idx').on('contest_audit').columns(['contest_id', 'created_at']).execute();

  await db.schema
    .createTable('contest_unit_figures')
    .addColumn('contest_id', 'text', (c) => c.notNull().references('contests.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('population', 'integer', (c) => c.notNull().check(sql`population > 0`))
    .addPrimaryKeyConstraint('contest_unit_figures_pk', ['contest_id', 'unit_id'])
    .execute();

  // Certificates for contest winners: the same codes and /verify/<code> as course certificates.
  await db.schema
    .createTable('contest_certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('contest_id', 'text', (c) => c.notNull().references('contests.id').onDelete('restrict'))
    .addColumn('round_id', 'text', (c) => c.notNull().references('contest_rounds.id').onDelete('restrict'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('restrict'))
    .addColumn('holder_name', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('prize_label', 'text', (c) => c.notNull())
    .addColumn('unit_name', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_reason', 'text')
    .addUniqueConstraint('contest_certificates_once', ['round_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'contest_certificates',
    'contest_unit_figures',
    'contest_audit',
    'contest_flags',
    'contest_results',
    'contest_answers',
    'contest_attempts',
    'contest_questions',
    'contest_entrants',
    'contest_staff',
    'contest_prizes',
    'contest_rounds',
    'contests',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
