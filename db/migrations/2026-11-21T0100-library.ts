import { sql, type Kysely } from 'kysely';

// Frozen once landed: the library area's tables.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('lib_titles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('vi'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('subjects', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull().check(sql`audience in ('children','youth','adult','all')`))
    .addColumn('theme_year', 'integer')
    .addColumn('publisher', 'text')
    .addColumn('published_year', 'integer')
    .addColumn('file_path', 'text')
    .addColumn('file_size', 'integer')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lib_titles_title_idx').on('lib_titles').column('title').execute();
  // "New titles" (catalogue, OPDS) sort by creation.
  await db.schema.createIndex('lib_titles_created_idx').on('lib_titles').column('created_at').execute();

  await db.schema
    .createTable('lib_holdings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title_id', 'text', (c) => c.notNull().references('lib_titles.id').onDelete('cascade'))
    .addColumn('library_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('open_access', 'integer', (c) => c.notNull().defaultTo(0).check(sql`open_access in (0,1)`))
    .addColumn('copies', 'integer', (c) => c.notNull().defaultTo(0).check(sql`copies >= 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('lib_holdings_unique', ['title_id', 'library_id'])
    .execute();
  await db.schema.createIndex('lib_holdings_library_idx').on('lib_holdings').column('library_id').execute();

  await db.schema
    .createTable('lib_library_settings')
    .addColumn('library_id', 'text', (c) => c.primaryKey().references('units.id').onDelete('cascade'))
    .addColumn('loan_days', 'integer', (c) => c.notNull().defaultTo(14).check(sql`loan_days between 1 and 90`))
    .execute();

  await db.schema
    .createTable('lib_loans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holding_id', 'text', (c) => c.notNull().references('lib_holdings.id').onDelete('cascade'))
    .addColumn('title_id', 'text', (c) => c.notNull().references('lib_titles.id').onDelete('cascade'))
    .addColumn('library_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active','returned','expired')`))
    .addColumn('borrowed_at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('renewals', 'integer', (c) => c.notNull().defaultTo(0).check(sql`renewals between 0 and 1`))
    .addColumn('returned_at', 'text')
    .execute();
  // One active loan of a title per reader, enforced by the database too.
  await db.schema
    .createIndex('lib_loans_one_active')
    .on('lib_loans')
    .columns(['user_id', 'title_id'])
    .unique()
    .where(sql<boolean>`status = 'active'`)
    .execute();
  await db.schema.createIndex('lib_loans_holding_status_idx').on('lib_loans').columns(['holding_id', 'status']).execute();
  await db.schema.createIndex('lib_loans_user_status_idx').on('lib_loans').columns(['user_id', 'status']).execute();
  await db.schema.createIndex('lib_loans_due_idx').on('lib_loans').columns(['status', 'due_at']).execute();

  await db.schema
    .createTable('lib_holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holding_id', 'text', (c) => c.notNull().references('lib_holdings.id').onDelete('cascade'))
    .addColumn('title_id', 'text', (c) => c.notNull().references('lib_titles.id').onDelete('cascade'))
    .addColumn('library_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('waiting','ready','suspended','fulfilled','cancelled','expired')`))
    .addColumn('queued_at', 'text', (c) => c.notNull())
    .addColumn('ready_at', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema
    .createIndex('lib_holds_one_open')
    .on('lib_holds')
    .columns(['user_id', 'holding_id'])
    .unique()
    .where(sql<boolean>`status in ('waiting','ready','suspended')`)
    .execute();
  await db.schema.createIndex('lib_holds_queue_idx').on('lib_holds').columns(['holding_id', 'status', 'queued_at']).execute();
  await db.schema.createIndex('lib_holds_user_idx').on('lib_holds').columns(['user_id', 'status']).execute();

  await db.schema
    .createTable('lib_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title_id', 'text', (c) => c.references('lib_titles.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('lib_notifications_user_idx').on('lib_notifications').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('lib_reading_state')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title_id', 'text', (c) => c.notNull().references('lib_titles.id').onDelete('cascade'))
    .addColumn('cfi', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lib_reading_state_pk', ['user_id', 'title_id'])
    .execute();

  await db.schema
    .createTable('lib_annotations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title_id', 'text', (c) => c.notNull().references('lib_titles.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('bookmark','highlight')`))
    .addColumn('cfi', 'text', (c) => c.notNull())
    .addColumn('excerpt', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lib_annotations_user_idx').on('lib_annotations').columns(['user_id', 'title_id']).execute();

  await db.schema
    .createTable('lib_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title_id', 'text', (c) => c.notNull().references('lib_titles.id').onDelete('cascade'))
    .addColumn('last_opened_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('lib_history_unique', ['user_id', 'title_id'])
    .execute();

  await db.schema
    .createTable('lib_prefs')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('history_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('lib_rotations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title_id', 'text', (c) => c.notNull().references('lib_titles.id').onDelete('cascade'))
    .addColumn('from_library_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('to_library_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('copies', 'integer', (c) => c.notNull().check(sql`copies > 0`))
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('requested','accepted','active','returned','declined','cancelled')`))
    .addColumn('requested_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('lib_rotations_libraries_differ', sql`from_library_id <> to_library_id`)
    .addCheckConstraint('lib_rotations_dates', sql`ends_on >= starts_on`)
    .execute();
  await db.schema.createIndex('lib_rotations_to_idx').on('lib_rotations').columns(['to_library_id', 'status']).execute();
  await db.schema.createIndex('lib_rotations_from_idx').on('lib_rotations').columns(['from_library_id', 'status']).execute();

  await db.schema
    .createTable('lib_shelves')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('teacher_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('join_code', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('lib_shelf_titles')
    .addColumn('shelf_id', 'text', (c) => c.notNull().references('lib_shelves.id').onDelete('cascade'))
    .addColumn('title_id', 'text', (c) => c.notNull().references('lib_titles.id').onDelete('cascade'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lib_shelf_titles_pk', ['shelf_id', 'title_id'])
    .execute();
  await db.schema
    .createTable('lib_shelf_members')
    .addColumn('shelf_id', 'text', (c) => c.notNull().references('lib_shelves.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lib_shelf_members_pk', ['shelf_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'lib_shelf_members', 'lib_shelf_titles', 'lib_shelves', 'lib_rotations', 'lib_prefs', 'lib_history', 'lib_annotations',
    'lib_reading_state', 'lib_notifications', 'lib_holds', 'lib_loans', 'lib_library_settings', 'lib_holdings', 'lib_titles',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
