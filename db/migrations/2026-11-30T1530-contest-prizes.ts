import { type Kysely, sql } from 'kysely';

import { isPostgres } from '../dialect';

/**
 * Contest-wide prizes (issue #14): an overall ranking across the rounds (sum of every round, or of
 * each entrant's best N rounds), unit (collective) prizes decided on entrants, participation rate
 * or the collective score at one level of the unit tree, and certificates for both through the
 * existing `contest_certificates` (a certificate may now belong to no round, and to a unit).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contests').addColumn('overall_best_rounds', 'integer').execute();
  await db.schema
    .alterTable('contests')
    .addColumn('overall_status', 'text', (c) => c.notNull().defaultTo('none'))
    .execute();
  await db.schema.alterTable('contests').addColumn('overall_published_at', 'text').execute();
  await db.schema.alterTable('contests').addColumn('overall_published_by', 'text').execute();

  // A prize with a basis is a unit prize (round_id null): 'entrants' | 'rate' | 'collective'.
  await db.schema.alterTable('contest_prizes').addColumn('basis', 'text').execute();
  // The level of the unit tree whose units compete: 1 = the units right under the eligible unit.
  await db.schema.alterTable('contest_prizes').addColumn('unit_depth', 'integer').execute();

  await db.schema
    .createTable('contest_overall_results')
    .addColumn('contest_id', 'text', (c) => c.notNull().references('contests.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('rounds', 'integer', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('max_score', 'integer', (c) => c.notNull())
    .addColumn('prediction_gap', 'integer')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('prize_id', 'text', (c) => c.references('contest_prizes.id').onDelete('set null'))
    .addPrimaryKeyConstraint('contest_overall_results_pk', ['contest_id', 'user_id'])
    .execute();
  await db.schema.createIndex('contest_overall_results_rank_idx').on('contest_overall_results').columns(['contest_id', 'rank']).execute();

  await db.schema
    .createTable('contest_unit_awards')
    .addColumn('contest_id', 'text', (c) => c.notNull().references('contests.id').onDelete('cascade'))
    .addColumn('prize_id', 'text', (c) => c.notNull().references('contest_prizes.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('entrants', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('contest_unit_awards_pk', ['prize_id', 'unit_id'])
    .execute();
  await db.schema.createIndex('contest_unit_awards_contest_idx').on('contest_unit_awards').columns(['contest_id', 'prize_id', 'rank']).execute();

  // contest_certificates: round_id and user_id become optional; prize_id and holder_unit_id added.
  if (isPostgres(db)) {
    await sql`alter table contest_certificates alter column round_id drop not null`.execute(db);
    await sql`alter table contest_certificates alter column user_id drop not null`.execute(db);
    await db.schema.alterTable('contest_certificates').addColumn('prize_id', 'text').execute();
    await db.schema
      .alterTable('contest_certificates')
      .addColumn('holder_unit_id', 'text', (c) => c.references('units.id').onDelete('restrict'))
      .execute();
  } else {
    // SQLite cannot drop NOT NULL: rebuild the table (nothing references it).
    await db.schema
      .createTable('contest_certificates_new')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('contest_id', 'text', (c) => c.notNull().references('contests.id').onDelete('restrict'))
      .addColumn('round_id', 'text', (c) => c.references('contest_rounds.id').onDelete('restrict'))
      .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('restrict'))
      .addColumn('holder_name', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('prize_label', 'text', (c) => c.notNull())
      .addColumn('unit_name', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('revoked_reason', 'text')
      .addColumn('prize_id', 'text')
      .addColumn('holder_unit_id', 'text', (c) => c.references('units.id').onDelete('restrict'))
      .addUniqueConstraint('contest_certificates_once', ['round_id', 'user_id'])
      .execute();
    await sql`insert into contest_certificates_new (id, code, contest_id, round_id, user_id, holder_name, title, prize_label, unit_name, issued_at, revoked_at, revoked_reason)
      select id, code, contest_id, round_id, user_id, holder_name, title, prize_label, unit_name, issued_at, revoked_at, revoked_reason from contest_certificates`.execute(
      db,
    );
    await db.schema.dropTable('contest_certificates').execute();
    await sql`alter table contest_certificates_new rename to contest_certificates`.execute(db);
  }
  // One certificate per contest-wide prize and holder (a person or a unit).
  await db.schema.createIndex('contest_certificates_prize_user').on('contest_certificates').columns(['prize_id', 'user_id']).unique().execute();
  await db.schema
    .createIndex('contest_certificates_prize_unit')
    .on('contest_certificates')
    .columns(['prize_id', 'holder_unit_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('contest_certificates_prize_unit').ifExists().execute();
  await db.schema.dropIndex('contest_certificates_prize_user').ifExists().execute();
  await db.schema.dropTable('contest_unit_awards').ifExists().execute();
  await db.schema.dropTable('contest_overall_results').ifExists().execute();
}
