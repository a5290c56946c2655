import { type Kysely, sql } from 'kysely';

// The outreach kit of a Week (tuyên truyền): slogans (a list per Week and unit, seeded from the
// themes), short news items posted by units, and the loudspeaker announcement a unit edits and
// keeps. Share cards, banners and posters are generated from these and the plan, never stored.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outreach_slogans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('week_year', 'integer', (c) => c.notNull().references('weeks.year'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outreach_slogans_week_unit_idx').on('outreach_slogans').columns(['week_year', 'unit_id', 'position']).execute();

  await db.schema
    .createTable('outreach_news')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('week_year', 'integer', (c) => c.notNull().references('weeks.year'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_md', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('photo_key', 'text')
    .addColumn('photo_alt', 'text')
    .addColumn('news_date', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outreach_news_unit_idx').on('outreach_news').columns(['unit_id', 'news_date']).execute();
  await db.schema.createIndex('outreach_news_week_idx').on('outreach_news').columns(['week_year', 'news_date']).execute();

  await db.schema
    .createTable('outreach_announcements')
    .addColumn('week_year', 'integer', (c) => c.notNull().references('weeks.year'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1).check(sql`version > 0`))
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('outreach_announcements_pk', ['week_year', 'unit_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outreach_announcements').execute();
  await db.schema.dropTable('outreach_news').execute();
  await db.schema.dropTable('outreach_slogans').execute();
}
