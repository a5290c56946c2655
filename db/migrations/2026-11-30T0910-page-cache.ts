import type { Kysely } from 'kysely';

// The rendered-page cache's shared versions (app/lib/page-cache.server.ts): one row per area and
// per area key with the global sequence number of its last change; the row named '#seq' holds
// the counter. Every serving process polls `seq > last seen` (indexed) to drop stale pages.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('page_cache_versions')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('page_cache_versions_seq_idx').on('page_cache_versions').column('seq').execute();
  await db.insertInto('page_cache_versions').values({ name: '#seq', seq: 0 }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('page_cache_versions').execute();
}
