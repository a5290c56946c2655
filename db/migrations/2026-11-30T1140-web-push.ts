import { type Kysely, sql } from 'kysely';

// Frozen once landed (issue 12 §4, web push — optional, off unless VAPID keys are configured):
// - notif_push_subscriptions: one row per browser a member turned notifications on in (the
//   endpoint is the push service's address for that browser; unique, so re-subscribing the same
//   browser updates its keys instead of doubling every notice).
// - notif_notifications.push: the push delivery state of a notice, claimed row by row by the
//   periodic job like its email ('none' when the member has no device or push is off).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notif_push_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('endpoint', 'text', (c) => c.notNull().unique())
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_success_at', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('notif_push_user_idx').on('notif_push_subscriptions').column('user_id').execute();

  await db.schema
    .alterTable('notif_notifications')
    .addColumn('push', 'text', (c) => c.notNull().defaultTo('none').check(sql`push in ('none','pending','sending','sent')`))
    .execute();
  await db.schema
    .createIndex('notif_push_idx')
    .on('notif_notifications')
    .columns(['push', 'created_at'])
    .where(sql<boolean>`push = 'pending'`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notif_push_idx').execute();
  await db.schema.alterTable('notif_notifications').dropColumn('push').execute();
  await db.schema.dropTable('notif_push_subscriptions').execute();
}
