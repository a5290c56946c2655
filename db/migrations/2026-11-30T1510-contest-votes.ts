import type { Kysely } from 'kysely';

// People's choice of submission rounds (issue #15, item 6): the organiser names a separate prize
// decided from counted public votes (held votes never count), and the decision is kept per entry
// beside the jury's stage results, so the gallery, the results and the certificates tell the same.
export async function up(db: Kysely<any>): Promise<void> {
  // null: the round has no people's choice prize (votes may still be shown or weighted).
  await db.schema.alterTable('contest_submission_settings').addColumn('peoples_choice_label', 'text').execute();
  // How many of the most-voted entries receive it (ties at the last place share it).
  await db.schema
    .alterTable('contest_submission_settings')
    .addColumn('peoples_choice_winners', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('contest_vote_results')
    .addColumn('round_id', 'text', (c) => c.notNull().references('contest_rounds.id').onDelete('cascade'))
    .addColumn('entry_id', 'text', (c) => c.notNull().references('contest_entries.id').onDelete('cascade'))
    .addColumn('votes', 'integer', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('winner', 'integer', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contest_vote_results_pk', ['round_id', 'entry_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('contest_vote_results').ifExists().execute();
  await db.schema.alterTable('contest_submission_settings').dropColumn('peoples_choice_winners').execute();
  await db.schema.alterTable('contest_submission_settings').dropColumn('peoples_choice_label').execute();
}
