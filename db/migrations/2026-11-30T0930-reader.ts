import { type Kysely, sql } from 'kysely';

// The reader on every device: display settings per user (synced across devices) and an
// idempotency key for annotations made offline and sent again after reconnecting.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('lib_reader_settings')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('font_size', 'integer', (c) => c.notNull().check(sql`font_size between 80 and 200`))
    .addColumn('theme', 'text', (c) => c.notNull().check(sql`theme in ('light','sepia','dark')`))
    .addColumn('line_height', 'integer', (c) => c.notNull().check(sql`line_height between 120 and 200`))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('lib_annotations').addColumn('client_ref', 'text').execute();
  await db.schema.createIndex('lib_annotations_client_ref').on('lib_annotations').columns(['user_id', 'client_ref']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('lib_annotations_client_ref').execute();
  await db.schema.alterTable('lib_annotations').dropColumn('client_ref').execute();
  await db.schema.dropTable('lib_reader_settings').execute();
}
