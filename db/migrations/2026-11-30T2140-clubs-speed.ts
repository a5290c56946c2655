import type { Kysely } from 'kysely';

// Issue #13, reading clubs at scale:
// - The directory (/clubs) lists active clubs newest first, 20 at a time: without an index in that
//   order the database read every club, counted each one's members and sorted them all, per view.
// - A reading log's 24-hour day check and a person's streak sum the minutes a person read, their
//   own logs or those logged with them (`user_id = ? or partner_user_id = ?`): the partner side had
//   no index, so each insert read every log of the day, and each streak the whole year's logs.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('club_clubs_directory_idx').on('club_clubs').columns(['status', 'created_at desc', 'id']).execute();
  await db.schema.createIndex('reading_logs_partner_day_idx').on('reading_logs').columns(['partner_user_id', 'read_on']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('reading_logs_partner_day_idx').execute();
  await db.schema.dropIndex('club_clubs_directory_idx').execute();
}
