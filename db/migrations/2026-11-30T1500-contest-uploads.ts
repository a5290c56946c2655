import type { Kysely } from 'kysely';

// Resumable (tus) uploads of contest entries (issue #15): one row per upload, so the upload
// endpoint knows whose it is and for which round, what its content check said when it finished,
// and when an unfinished or unused one expires. The bytes live in the tus store until the entrant
// submits; then they go through the storage module onto the entry.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contest_uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('round_id', 'text', (c) => c.notNull().references('contest_rounds.id').onDelete('cascade'))
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('mime', 'text')
    .addColumn('duration_s', 'real')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contest_uploads_user').on('contest_uploads').columns(['user_id', 'round_id']).execute();
  await db.schema.createIndex('contest_uploads_expiry').on('contest_uploads').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('contest_uploads').ifExists().execute();
}
