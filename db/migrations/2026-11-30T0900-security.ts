import type { Kysely } from 'kysely';

// Frozen once landed: the security review (issue #9).
export async function up(db: Kysely<any>): Promise<void> {
  // Rate-limit counters shared by every server process (app/lib/rate-limit.server.ts): one row
  // per key, consumed with one atomic upsert; `expire` in epoch milliseconds.
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('expire', 'bigint')
    .execute();
  await db.schema.createIndex('rate_limits_expire_idx').on('rate_limits').column('expire').execute();

  // An edit of a published resource waits here until a reviewer approves it; the published
  // row stays unchanged meanwhile. One pending edit per resource (a newer edit replaces it).
  await db.schema
    .createTable('resource_pending_edits')
    .addColumn('resource_id', 'text', (c) => c.primaryKey().references('resources.id').onDelete('cascade'))
    .addColumn('changes', 'text', (c) => c.notNull()) // JSON: the edited columns and years
    .addColumn('edited_by', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Watch time derived on the server from heartbeats (a heartbeat cannot credit more time than
  // has passed since the previous one).
  for (const table of ['lesson_progress', 'resource_progress']) {
    await db.schema.alterTable(table).addColumn('watched_seconds', 'real', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable(table).addColumn('beat_at', 'bigint').execute();
    await db.schema.alterTable(table).addColumn('beat_position', 'real').execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['lesson_progress', 'resource_progress']) {
    for (const col of ['beat_position', 'beat_at', 'watched_seconds']) await db.schema.alterTable(table).dropColumn(col).execute();
  }
  await db.schema.dropTable('resource_pending_edits').execute();
  await db.schema.dropTable('rate_limits').execute();
}
