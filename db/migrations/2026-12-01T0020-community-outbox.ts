import type { Kysely } from 'kysely';

// Issue #12, posting throughput: a reply's fan-out (follower and quoted-author notices, mentions)
// leaves the post's transaction for an outbox row written in that same transaction (durable with
// the post), worked through in batches by the `community:outbox` job and deleted in the
// transaction that writes the notices (so processed exactly once). `attempts` counts failed runs:
// a row that keeps failing is set aside after a few (kept, with its last error) instead of
// blocking the rows behind it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('disc_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('disc_outbox_order_idx').on('disc_outbox').columns(['attempts', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('disc_outbox').execute();
}
