import { type Kysely, sql } from 'kysely';

// Issue #16, second pass on honours and outreach:
// - News of a unit's Week gain a life cycle: a draft, scheduled for a time, published, or taken
//   down again (unpublished = back to draft), and a version for the edit form's optimistic check.
//   Items already posted stay published.
// - An honour may come from a contest's published results instead of a nomination: the round and
//   the winner it was issued for (once per round and winner).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('outreach_news')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('published')
        .check(sql`status in ('draft','scheduled','published')`),
    )
    .execute();
  await db.schema.alterTable('outreach_news').addColumn('publish_at', 'text').execute();
  await db.schema
    .alterTable('outreach_news')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('outreach_news').addColumn('updated_by', 'text').execute();
  await db.schema.createIndex('outreach_news_status_idx').on('outreach_news').columns(['status', 'publish_at']).execute();

  await db.schema.alterTable('honour_nominations').addColumn('contest_round_id', 'text').execute();
  await db.schema.alterTable('honour_nominations').addColumn('contest_user_id', 'text').execute();
  await db.schema
    .createIndex('honour_nominations_contest_once')
    .on('honour_nominations')
    .columns(['contest_round_id', 'contest_user_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('honour_nominations_contest_once').execute();
  await db.schema.alterTable('honour_nominations').dropColumn('contest_user_id').execute();
  await db.schema.alterTable('honour_nominations').dropColumn('contest_round_id').execute();
  await db.schema.dropIndex('outreach_news_status_idx').execute();
  await db.schema.alterTable('outreach_news').dropColumn('updated_by').execute();
  await db.schema.alterTable('outreach_news').dropColumn('version').execute();
  await db.schema.alterTable('outreach_news').dropColumn('publish_at').execute();
  await db.schema.alterTable('outreach_news').dropColumn('status').execute();
}
