import { type Kysely, sql } from 'kysely';

import { isPostgres } from '../dialect';

// Frozen once landed: the discussion engine (disc_), forums (forum_) and the notification centre (notif_).
export async function up(db: Kysely<any>): Promise<void> {
  // ---- discussion engine: a thread lives in a "place" (place_type + place_id) ----
  await db.schema
    .createTable('disc_threads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('place_type', 'text', (c) => c.notNull())
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.references('units.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('visible','held','hidden','removed')`))
    .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0).check(sql`pinned in (0,1)`))
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0).check(sql`locked in (0,1)`))
    .addColumn('slow_mode_s', 'integer', (c) => c.notNull().defaultTo(0).check(sql`slow_mode_s >= 0`))
    .addColumn('last_post_no', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reply_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_post_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('disc_threads_place_idx')
    .on('disc_threads')
    .columns(['place_type', 'place_id', 'status', 'pinned', 'last_post_at'])
    .execute();
  await db.schema.createIndex('disc_threads_author_idx').on('disc_threads').columns(['author_id', 'created_at']).execute();

  await db.schema
    .createTable('disc_posts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('thread_id', 'text', (c) => c.notNull().references('disc_threads.id').onDelete('cascade'))
    .addColumn('post_no', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('quote_of', 'text', (c) => c.references('disc_posts.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('visible','held','hidden','removed')`))
    .addColumn('edit_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text')
    .addColumn('removed_at', 'text')
    .addUniqueConstraint('disc_posts_thread_no', ['thread_id', 'post_no'])
    .execute();
  await db.schema.createIndex('disc_posts_author_idx').on('disc_posts').columns(['author_id', 'created_at']).execute();

  await db.schema
    .createTable('disc_post_edits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('disc_posts.id').onDelete('cascade'))
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('edited_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('edited_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('disc_post_edits_post_idx').on('disc_post_edits').columns(['post_id', 'edited_at']).execute();

  await db.schema
    .createTable('disc_reactions')
    .addColumn('post_id', 'text', (c) => c.notNull().references('disc_posts.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reaction', 'text', (c) => c.notNull().check(sql`reaction in ('like','thanks','insightful','support')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('disc_reactions_pk', ['post_id', 'user_id', 'reaction'])
    .execute();

  await db.schema
    .createTable('disc_follows')
    .addColumn('thread_id', 'text', (c) => c.notNull().references('disc_threads.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('disc_follows_pk', ['thread_id', 'user_id'])
    .execute();
  await db.schema.createIndex('disc_follows_user_idx').on('disc_follows').column('user_id').execute();

  await db.schema
    .createTable('disc_reads')
    .addColumn('thread_id', 'text', (c) => c.notNull().references('disc_threads.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('last_read_no', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('disc_reads_pk', ['thread_id', 'user_id'])
    .execute();
  await db.schema.createIndex('disc_reads_user_idx').on('disc_reads').column('user_id').execute();

  await db.schema
    .createTable('disc_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('disc_posts.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('spam','offensive','off_topic','minor_data','other')`))
    .addColumn('note', 'text')
    .addColumn('established', 'integer', (c) => c.notNull().check(sql`established in (0,1)`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('disc_flags_once', ['post_id', 'user_id'])
    .execute();
  await db.schema.createIndex('disc_flags_user_idx').on('disc_flags').columns(['user_id', 'created_at']).execute();

  // Review queue: one open item per post; `unit_id` is the queue it sits in now (moves up on escalation).
  await db.schema
    .createTable('disc_queue')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('disc_posts.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('flags','watched_hold','watched_flag','minor','new_member')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','handled')`))
    .addColumn('escalations', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('queued_at', 'text', (c) => c.notNull())
    .addColumn('handled_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('handled_at', 'text')
    .execute();
  await db.schema.createIndex('disc_queue_one_open').on('disc_queue').column('post_id').unique().where(sql<boolean>`status = 'open'`).execute();
  await db.schema.createIndex('disc_queue_unit_idx').on('disc_queue').columns(['unit_id', 'status', 'queued_at']).execute();
  await db.schema.createIndex('disc_queue_due_idx').on('disc_queue').columns(['status', 'queued_at']).execute();

  await db.schema
    .createTable('disc_mod_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text', (c) => c.references('disc_threads.id').onDelete('set null'))
    .addColumn('post_id', 'text', (c) => c.references('disc_posts.id').onDelete('set null'))
    .addColumn('subject_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('unit_id', 'text', (c) => c.references('units.id').onDelete('set null'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('disc_mod_log_unit_idx').on('disc_mod_log').columns(['unit_id', 'created_at']).execute();

  await db.schema
    .createTable('disc_moderators')
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('appointed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('disc_moderators_pk', ['unit_id', 'user_id'])
    .execute();
  await db.schema.createIndex('disc_moderators_user_idx').on('disc_moderators').column('user_id').execute();

  await db.schema
    .createTable('disc_silences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('until', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('disc_silences_user_idx').on('disc_silences').columns(['user_id', 'until']).execute();

  await db.schema
    .createTable('disc_watched_words')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('word', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('block','hold','flag')`))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('disc_watched_words_unique', ['unit_id', 'word'])
    .execute();

  // ---- forums ----
  await db.schema
    .createTable('forum_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('week_year', 'integer', (c) => c.references('weeks.year').onDelete('set null'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility in ('public','members')`))
    .addColumn('slow_mode_s', 'integer', (c) => c.notNull().defaultTo(0).check(sql`slow_mode_s >= 0`))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('forum_categories_unit_idx').on('forum_categories').column('unit_id').execute();

  // ---- notification centre ----
  await db.schema
    .createTable('notif_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('url', 'text')
    .addColumn('place_type', 'text')
    .addColumn('place_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('email', 'text', (c) => c.notNull().check(sql`email in ('none','pending','digest','sending','sent')`))
    .addColumn('claim', 'text')
    .addColumn('emailed_at', 'text')
    .execute();
  await db.schema.createIndex('notif_user_idx').on('notif_notifications').columns(['user_id', 'created_at']).execute();
  // The bell: one indexed count of a user's unread rows.
  await db.schema
    .createIndex('notif_unread_idx')
    .on('notif_notifications')
    .column('user_id')
    .where(sql<boolean>`read_at is null`)
    .execute();
  await db.schema
    .createIndex('notif_email_idx')
    .on('notif_notifications')
    .columns(['email', 'created_at'])
    .where(sql<boolean>`email in ('pending','digest')`)
    .execute();

  await db.schema
    .createTable('notif_prefs')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('immediate','digest','never')`))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notif_prefs_pk', ['user_id', 'type'])
    .execute();

  // The library's notices move to the centre (its table stays, frozen, for history).
  await sql`insert into notif_notifications (id, user_id, type, params, url, created_at, read_at, email)
    select n.id, n.user_id, 'library.' || n.kind,
      coalesce((select '{"title":' || ${jsonQuoted(db)} || '}' from lib_titles t where t.id = n.title_id), '{}'),
      (select '/library/' || t.slug from lib_titles t where t.id = n.title_id),
      n.created_at, n.read_at, 'none'
    from lib_notifications n`.execute(db);
}

/** A title as a JSON string literal, in SQL (PostgreSQL: to_json; SQLite: json_quote). */
function jsonQuoted(db: Kysely<any>) {
  return isPostgres(db) ? sql`to_json(t.title)::text` : sql`json_quote(t.title)`;
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'notif_prefs',
    'notif_notifications',
    'forum_categories',
    'disc_watched_words',
    'disc_silences',
    'disc_moderators',
    'disc_mod_log',
    'disc_queue',
    'disc_flags',
    'disc_reads',
    'disc_follows',
    'disc_reactions',
    'disc_post_edits',
    'disc_posts',
    'disc_threads',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
