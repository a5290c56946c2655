import type { Kysely } from 'kysely';

// Issue #16, reports at national scale: roll-ups kept up to date instead of summed per view.
// - report_rollups: per form, unit and indicator, the sum (and number) of the submitted/accepted reports of the
//   reporting units strictly below the unit in the form's tree (the Week's tree);
// - report_rollup_counts: per form and unit, how many of those reports are submitted (or accepted),
//   accepted, and were first submitted on time;
// - report_rollup_state: the tree (and deadline) the figures of a form follow; no row, or another
//   tree, and the readers sum from the reports as before until the next write rebuilds them.
// Both kept in the transaction of every submit, return and reopen.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_rollups')
    .addColumn('form_id', 'text', (c) => c.notNull().references('report_forms.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('indicator_id', 'text', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull().defaultTo(0))
    // How many values make the total (a total of zeros is shown as 0, no value at all as blank).
    .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('report_rollups_pk', ['form_id', 'unit_id', 'indicator_id'])
    .execute();
  await db.schema
    .createTable('report_rollup_counts')
    .addColumn('form_id', 'text', (c) => c.notNull().references('report_forms.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('submitted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accepted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('on_time', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('report_rollup_counts_pk', ['form_id', 'unit_id'])
    .execute();
  await db.schema
    .createTable('report_rollup_state')
    .addColumn('form_id', 'text', (c) => c.primaryKey().references('report_forms.id').onDelete('cascade'))
    .addColumn('tree_key', 'text', (c) => c.notNull())
    .addColumn('built_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_rollup_state').ifExists().execute();
  await db.schema.dropTable('report_rollup_counts').ifExists().execute();
  await db.schema.dropTable('report_rollups').ifExists().execute();
}
