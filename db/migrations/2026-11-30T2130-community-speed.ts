import type { Kysely } from 'kysely';

// Issue #12, speed: a member's notices newest first (/notifications orders by created_at, then id)
// are read straight from one index. The old (user_id, created_at) index left SQLite sorting the
// ties in a temporary B-tree (EXPLAIN QUERY PLAN: "USE TEMP B-TREE FOR RIGHT PART OF ORDER BY");
// it is the new index's prefix, so it goes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('notif_user_recent_idx').on('notif_notifications').columns(['user_id', 'created_at', 'id']).execute();
  await db.schema.dropIndex('notif_user_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('notif_user_idx').on('notif_notifications').columns(['user_id', 'created_at']).execute();
  await db.schema.dropIndex('notif_user_recent_idx').execute();
}
