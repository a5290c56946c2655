import type { Kysely } from 'kysely';

// Participation statistics: daily counts per unit and metric for the days of each Week, filled
// by a periodic job and a backfill command, read by the public stats pages.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stat_daily')
    .addColumn('week_year', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_daily_pk', ['week_year', 'unit_id', 'day', 'metric'])
    .execute();
  await db.schema.createIndex('stat_daily_week_metric_idx').on('stat_daily').columns(['week_year', 'metric']).execute();

  await db.schema
    .createTable('stat_week_runs')
    .addColumn('week_year', 'integer', (c) => c.primaryKey())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addColumn('final', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stat_week_runs').execute();
  await db.schema.dropTable('stat_daily').execute();
}
