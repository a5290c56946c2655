import { type Kysely, sql } from 'kysely';

// Submission rounds of contests (issue #15): read-aloud / video / essay / photo entries, the
// jury (rubric, judges, blind assignment with conflicts, scores), results per stage and public
// votes. Beside the quiz rounds of the contest shell (#14): a round of kind 'submission' gets
// one row of settings here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contest_submission_settings')
    .addColumn('round_id', 'text', (c) => c.primaryKey().references('contest_rounds.id').onDelete('cascade'))
    .addColumn('entry_kind', 'text', (c) => c.notNull().check(sql`entry_kind in ('audio','video','essay','photo')`))
    .addColumn('passage_title', 'text', (c) => c.notNull())
    .addColumn('passage_text', 'text', (c) => c.notNull())
    .addColumn('min_seconds', 'integer', (c) => c.notNull())
    .addColumn('max_seconds', 'integer', (c) => c.notNull())
    .addColumn('max_words', 'integer', (c) => c.notNull())
    .addColumn('max_bytes', 'integer', (c) => c.notNull())
    .addColumn('stage_level', 'text', (c) => c.notNull().check(sql`stage_level in ('school','ward','province','national')`))
    .addColumn('advance_count', 'integer', (c) => c.notNull())
    .addColumn('previous_round_id', 'text', (c) => c.references('contest_rounds.id').onDelete('set null'))
    .addColumn('judges_per_entry', 'integer', (c) => c.notNull().check(sql`judges_per_entry >= 1`))
    .addColumn('margin_points', 'real', (c) => c.notNull())
    .addColumn('normalise', 'integer', (c) => c.notNull())
    .addColumn('gallery', 'integer', (c) => c.notNull())
    .addColumn('voting', 'integer', (c) => c.notNull())
    .addColumn('votes_mode', 'text', (c) => c.notNull().check(sql`votes_mode in ('per_entry','per_contest')`))
    .addColumn('votes_per_account', 'integer', (c) => c.notNull())
    .addColumn('vote_opens_at', 'text')
    .addColumn('vote_closes_at', 'text')
    .addColumn('vote_weight', 'real', (c) => c.notNull())
    .addColumn('burst_window_s', 'integer', (c) => c.notNull())
    .addColumn('burst_threshold', 'integer', (c) => c.notNull())
    .addColumn('new_account_days', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('contest_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('contest_rounds.id').onDelete('cascade'))
    .addColumn('entrant_id', 'text', (c) => c.notNull().references('contest_entrants.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('restrict'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('blob_key', 'text')
    .addColumn('mime', 'text')
    .addColumn('size_bytes', 'integer')
    .addColumn('duration_s', 'real')
    .addColumn('minor', 'integer', (c) => c.notNull())
    .addColumn('moderation', 'text', (c) => c.notNull().check(sql`moderation in ('pending','approved','rejected')`))
    .addColumn('parental_consent', 'integer', (c) => c.notNull())
    .addColumn('promoted_from', 'text', (c) => c.references('contest_entries.id').onDelete('set null'))
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('replaced_count', 'integer', (c) => c.notNull())
    .addUniqueConstraint('contest_entries_once', ['round_id', 'entrant_id'])
    .addUniqueConstraint('contest_entries_code', ['round_id', 'code'])
    .execute();
  await db.schema.createIndex('contest_entries_user_idx').on('contest_entries').column('user_id').execute();

  await db.schema
    .createTable('contest_criteria')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('contest_rounds.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('weight', 'real', (c) => c.notNull().check(sql`weight > 0`))
    .addColumn('max_points', 'integer', (c) => c.notNull().check(sql`max_points > 0`))
    .addColumn('levels_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contest_criteria_round_idx').on('contest_criteria').columns(['round_id', 'position']).execute();

  await db.schema
    .createTable('contest_judges')
    .addColumn('round_id', 'text', (c) => c.notNull().references('contest_rounds.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.references('units.id').onDelete('set null'))
    .addColumn('invited_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contest_judges_pk', ['round_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('contest_conflicts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contest_id', 'text', (c) => c.notNull().references('contests.id').onDelete('cascade'))
    .addColumn('judge_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('entry_id', 'text', (c) => c.references('contest_entries.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contest_conflicts_judge_idx').on('contest_conflicts').columns(['contest_id', 'judge_id']).execute();

  await db.schema
    .createTable('contest_assignments')
    .addColumn('entry_id', 'text', (c) => c.notNull().references('contest_entries.id').onDelete('cascade'))
    .addColumn('judge_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('round_id', 'text', (c) => c.notNull().references('contest_rounds.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('assigned','scored','conflict')`))
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addColumn('scored_at', 'text')
    .addPrimaryKeyConstraint('contest_assignments_pk', ['entry_id', 'judge_id'])
    .execute();
  await db.schema.createIndex('contest_assignments_judge_idx').on('contest_assignments').columns(['round_id', 'judge_id']).execute();

  await db.schema
    .createTable('contest_scores')
    .addColumn('entry_id', 'text', (c) => c.notNull().references('contest_entries.id').onDelete('cascade'))
    .addColumn('judge_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('criterion_id', 'text', (c) => c.notNull().references('contest_criteria.id').onDelete('cascade'))
    .addColumn('points', 'real', (c) => c.notNull().check(sql`points >= 0`))
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contest_scores_pk', ['entry_id', 'judge_id', 'criterion_id'])
    .execute();

  await db.schema
    .createTable('contest_entry_results')
    .addColumn('round_id', 'text', (c) => c.notNull().references('contest_rounds.id').onDelete('cascade'))
    .addColumn('entry_id', 'text', (c) => c.notNull().references('contest_entries.id').onDelete('cascade'))
    .addColumn('judges', 'integer', (c) => c.notNull())
    .addColumn('raw_score', 'real', (c) => c.notNull())
    .addColumn('norm_score', 'real', (c) => c.notNull())
    .addColumn('votes', 'integer', (c) => c.notNull())
    .addColumn('final_score', 'real', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('group_unit_id', 'text')
    .addColumn('advanced', 'integer', (c) => c.notNull())
    .addColumn('margin_flag', 'integer', (c) => c.notNull())
    .addColumn('prize_id', 'text', (c) => c.references('contest_prizes.id').onDelete('set null'))
    .addPrimaryKeyConstraint('contest_entry_results_pk', ['round_id', 'entry_id'])
    .execute();

  await db.schema
    .createTable('contest_votes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('contest_rounds.id').onDelete('cascade'))
    .addColumn('entry_id', 'text', (c) => c.notNull().references('contest_entries.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('ip_hash', 'text', (c) => c.notNull())
    .addColumn('new_account', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('counted','held','rejected')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('contest_votes_once', ['entry_id', 'user_id'])
    .execute();
  await db.schema.createIndex('contest_votes_entry_idx').on('contest_votes').columns(['entry_id', 'created_at']).execute();
  await db.schema.createIndex('contest_votes_ip_idx').on('contest_votes').columns(['round_id', 'ip_hash', 'created_at']).execute();
  await db.schema.createIndex('contest_votes_user_idx').on('contest_votes').columns(['round_id', 'user_id', 'created_at']).execute();

  // How many votes an account has used in a round: the "N per contest" limit held by one row,
  // incremented with a guarded upsert (atomic in both dialects).
  await db.schema
    .createTable('contest_vote_quota')
    .addColumn('round_id', 'text', (c) => c.notNull().references('contest_rounds.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('used', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('contest_vote_quota_pk', ['round_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('contest_vote_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('contest_rounds.id').onDelete('cascade'))
    .addColumn('entry_id', 'text', (c) => c.notNull().references('contest_entries.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','cleared','rejected')`))
    .addColumn('votes_seen', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reviewed_at', 'text')
    .execute();
  // At most one open flag per entry (a burst while one is open only holds more votes).
  await sql`create unique index contest_vote_flags_open on contest_vote_flags (entry_id) where status = 'open'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'contest_vote_flags',
    'contest_vote_quota',
    'contest_votes',
    'contest_entry_results',
    'contest_scores',
    'contest_assignments',
    'contest_conflicts',
    'contest_judges',
    'contest_criteria',
    'contest_entries',
    'contest_submission_settings',
  ])
    await db.schema.dropTable(t).ifExists().execute();
}
