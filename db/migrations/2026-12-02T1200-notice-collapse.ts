import { type Kysely, sql } from 'kysely';

// Issue #12, one notice per thread while unread (as Discourse and GitHub do): replies to a thread a
// member follows gather in their one unread notice of that thread ("5 new replies in …") instead of
// a notice each. `collapse_key` names what gathers (`thread:<id>`; null: the notice stands alone);
// `count` is how many events the notice stands for. The partial unique index holds at most one
// unread notice per member and key — the target of the writer's upsert on both dialects.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notif_notifications').addColumn('collapse_key', 'text').execute();
  await db.schema
    .alterTable('notif_notifications')
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('notif_collapse_idx')
    .on('notif_notifications')
    .columns(['user_id', 'collapse_key'])
    .unique()
    .where(sql<boolean>`read_at is null and collapse_key is not null`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notif_collapse_idx').execute();
  await db.schema.alterTable('notif_notifications').dropColumn('count').execute();
  await db.schema.alterTable('notif_notifications').dropColumn('collapse_key').execute();
}
