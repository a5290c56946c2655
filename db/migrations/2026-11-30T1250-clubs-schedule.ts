import { type Kysely, sql } from 'kysely';

// Reading schedules of clubs: the club's books (a library title or an outside/paper book), the
// milestones of a book (a part with a target date, each with its own discussion thread on the
// shared engine), each member's progress, the posts a member chose to reveal early, and the
// club's bank of discussion questions.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('club_books')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('club_id', 'text', (c) => c.notNull().references('club_clubs.id').onDelete('cascade'))
    .addColumn('title_id', 'text', (c) => c.references('lib_titles.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('pages', 'integer', (c) => c.check(sql`pages is null or pages > 0`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('current','done')`))
    .addColumn('set_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('club_books_club_idx').on('club_books').columns(['club_id', 'status']).execute();

  await db.schema
    .createTable('club_milestones')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('club_id', 'text', (c) => c.notNull().references('club_clubs.id').onDelete('cascade'))
    .addColumn('book_id', 'text', (c) => c.notNull().references('club_books.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull().check(sql`position > 0`))
    .addColumn('label', 'text', (c) => c.notNull())
    // Paper books: a page range. Library titles: the reader's chapter where the part starts.
    .addColumn('from_page', 'integer')
    .addColumn('to_page', 'integer')
    .addColumn('start_chapter', 'text')
    .addColumn('target_on', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('club_milestones_position_unique', ['book_id', 'position'])
    .addCheckConstraint('club_milestones_pages_check', sql`from_page is null or to_page is null or to_page >= from_page`)
    .execute();
  await db.schema.createIndex('club_milestones_thread_idx').on('club_milestones').column('thread_id').execute();

  await db.schema
    .createTable('club_progress')
    .addColumn('book_id', 'text', (c) => c.notNull().references('club_books.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // How many parts (milestones, in order) the member has finished.
    .addColumn('finished', 'integer', (c) => c.notNull().check(sql`finished >= 0`))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('club_progress_pk', ['book_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('club_reveals')
    .addColumn('milestone_id', 'text', (c) => c.notNull().references('club_milestones.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('club_reveals_pk', ['milestone_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('club_questions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('club_id', 'text', (c) => c.notNull().references('club_clubs.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('club_questions_club_idx').on('club_questions').column('club_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['club_questions', 'club_reveals', 'club_progress', 'club_milestones', 'club_books']) await db.schema.dropTable(t).execute();
}
