import type { Kysely } from 'kysely';

/**
 * Units with a validity period and lineage (Vietnam's 2025 two-tier reorganisation):
 * - `units.code` (the official code, optional, unique), `valid_from` / `valid_to` (calendar dates;
 *   `valid_to` is the first day the unit is no longer in force; null = open);
 * - `unit_tree_history`: the closure table per period — one row per (ancestor, descendant) pair for
 *   each span of dates it held; the tree in force on a date is the rows whose span covers it.
 *   `unit_closure` stays the current tree (one indexed join for role checks);
 * - `unit_lineage`: merged into / split from / renamed to;
 * - `unit_changes`: the log of every change (reorganisations, imports, roles carried over).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('units').addColumn('code', 'text').execute();
  await db.schema.alterTable('units').addColumn('valid_from', 'text').execute();
  await db.schema.alterTable('units').addColumn('valid_to', 'text').execute();
  await db.schema.createIndex('units_code_unique').on('units').column('code').unique().execute();
  await db.schema.createIndex('units_valid_to_idx').on('units').column('valid_to').execute();

  await db.schema
    .createTable('unit_tree_history')
    .addColumn('ancestor_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('descendant_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addPrimaryKeyConstraint('unit_tree_history_pk', ['ancestor_id', 'descendant_id', 'valid_from'])
    .execute();
  await db.schema
    .createIndex('unit_tree_history_descendant_idx')
    .on('unit_tree_history')
    .columns(['descendant_id', 'depth', 'valid_from'])
    .execute();

  await db.schema
    .createTable('unit_lineage')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('predecessor_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('successor_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('effective_on', 'text', (c) => c.notNull())
    .addColumn('change_id', 'text')
    .execute();
  await db.schema.createIndex('unit_lineage_predecessor_idx').on('unit_lineage').column('predecessor_id').execute();
  await db.schema.createIndex('unit_lineage_successor_idx').on('unit_lineage').column('successor_id').execute();

  await db.schema
    .createTable('unit_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('effective_on', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.references('units.id').onDelete('cascade'))
    .addColumn('other_unit_id', 'text', (c) => c.references('units.id').onDelete('set null'))
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('unit_changes_unit_idx').on('unit_changes').columns(['unit_id', 'created_at']).execute();
  await db.schema.createIndex('unit_changes_batch_idx').on('unit_changes').column('batch_id').execute();

  // Every existing unit has been in force "since the records began": the current closure is the history.
  await db
    .insertInto('unit_tree_history')
    .columns(['ancestor_id', 'descendant_id', 'depth', 'valid_from', 'valid_to'])
    .expression((eb) =>
      eb
        .selectFrom('unit_closure')
        .select(['ancestor_id', 'descendant_id', 'depth', eb.val('0001-01-01').as('valid_from'), eb.val(null).as('valid_to')]),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['unit_changes', 'unit_lineage', 'unit_tree_history']) await db.schema.dropTable(t).execute();
  await db.schema.dropIndex('units_valid_to_idx').execute();
  await db.schema.dropIndex('units_code_unique').execute();
  for (const c of ['valid_to', 'valid_from', 'code']) await db.schema.alterTable('units').dropColumn(c).execute();
}
