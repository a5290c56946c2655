import { type Kysely, sql } from 'kysely';

// Issue #16, contest winners' badges issued automatically:
// - Each contest may turn off the automatic issue of its winners' badges when results are
//   published (no row = on, the default); the organiser changes it on the contest's badge desk.
// - An honour may also come from a contest's contest-wide (overall) prizes: the contest it was
//   issued for, once per contest and winner (the round-level pair stays for round prizes).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('honour_contest_settings')
    .addColumn('contest_id', 'text', (c) => c.primaryKey().references('contests.id').onDelete('cascade'))
    .addColumn('auto_badges', 'integer', (c) => c.notNull().defaultTo(1).check(sql`auto_badges in (0,1)`))
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('honour_nominations').addColumn('contest_overall_id', 'text').execute();
  await db.schema
    .createIndex('honour_nominations_contest_overall_once')
    .on('honour_nominations')
    .columns(['contest_overall_id', 'contest_user_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('honour_nominations_contest_overall_once').execute();
  await db.schema.alterTable('honour_nominations').dropColumn('contest_overall_id').execute();
  await db.schema.dropTable('honour_contest_settings').execute();
}
