import { type Kysely, sql } from 'kysely';

// Reading clubs (membership, family pairs, meetings with RSVPs and a waitlist, ranked book
// polls) and reading logs (challenges, the school reading-time rule, class reading sessions).
// Limits that must hold under concurrency are constraints here: one membership, one RSVP and
// one ballot per person, one pair per couple.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('club_clubs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description_md', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cover_url', 'text')
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('vi'))
    .addColumn('audience', 'text', (c) => c.notNull().check(sql`audience in ('children','youth','adult','all')`))
    .addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility in ('public','request','code')`))
    .addColumn('join_code', 'text', (c) => c.unique())
    .addColumn('intergenerational', 'integer', (c) => c.notNull().defaultTo(0).check(sql`intergenerational in (0,1)`))
    .addColumn('week_year', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','active','closed')`))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text', (c) => c.references('users.id'))
    .addColumn('approved_at', 'text')
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('club_clubs_unit_idx').on('club_clubs').columns(['unit_id', 'status']).execute();
  await db.schema.createIndex('club_clubs_week_idx').on('club_clubs').column('week_year').execute();

  await db.schema
    .createTable('club_members')
    .addColumn('club_id', 'text', (c) => c.notNull().references('club_clubs.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('moderator','member')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active','pending','left','removed')`))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('club_members_pk', ['club_id', 'user_id'])
    .execute();
  await db.schema.createIndex('club_members_user_idx').on('club_members').columns(['user_id', 'status']).execute();

  await db.schema
    .createTable('club_pairs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('club_id', 'text', (c) => c.notNull().references('club_clubs.id').onDelete('cascade'))
    .addColumn('inviter_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('invitee_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','accepted','declined','ended')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('responded_at', 'text')
    .addUniqueConstraint('club_pairs_unique', ['club_id', 'inviter_id', 'invitee_id'])
    .execute();
  await db.schema.createIndex('club_pairs_invitee_idx').on('club_pairs').column('invitee_id').execute();

  await db.schema
    .createTable('club_meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('club_id', 'text', (c) => c.notNull().references('club_clubs.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('online','in_person')`))
    .addColumn('link', 'text')
    .addColumn('place', 'text')
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('agenda_md', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('capacity', 'integer', (c) => c.check(sql`capacity is null or capacity > 0`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('scheduled','cancelled')`))
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reminded_24h', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reminded_1h', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('club_meetings_club_idx').on('club_meetings').columns(['club_id', 'starts_at']).execute();
  await db.schema.createIndex('club_meetings_starts_idx').on('club_meetings').columns(['status', 'starts_at']).execute();

  await db.schema
    .createTable('club_rsvps')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('club_meetings.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('answer', 'text', (c) => c.notNull().check(sql`answer in ('yes','no','maybe')`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('confirmed','waitlisted','none')`))
    .addColumn('waitlist_seq', 'integer')
    .addColumn('attended', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('club_rsvps_pk', ['meeting_id', 'user_id'])
    .execute();
  await db.schema.createIndex('club_rsvps_state_idx').on('club_rsvps').columns(['meeting_id', 'state', 'waitlist_seq']).execute();
  // Two people can never hold the same place on a waitlist.
  await db.schema.createIndex('club_rsvps_seq_unique').on('club_rsvps').columns(['meeting_id', 'waitlist_seq']).unique().execute();

  await db.schema
    .createTable('club_polls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('club_id', 'text', (c) => c.notNull().references('club_clubs.id').onDelete('cascade'))
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','closed')`))
    .addColumn('winner_option_id', 'text')
    .addColumn('tally_json', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('club_polls_club_idx').on('club_polls').columns(['club_id', 'status']).execute();
  await db.schema
    .createTable('club_poll_options')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('poll_id', 'text', (c) => c.notNull().references('club_polls.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title_id', 'text', (c) => c.references('lib_titles.id').onDelete('set null'))
    .addColumn('label', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('club_poll_options_poll_idx').on('club_poll_options').column('poll_id').execute();
  await db.schema
    .createTable('club_ballots')
    .addColumn('poll_id', 'text', (c) => c.notNull().references('club_polls.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('ranking', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('club_ballots_pk', ['poll_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('reading_logs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('read_on', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull().check(sql`minutes > 0 and minutes <= 1440`))
    .addColumn('title_id', 'text', (c) => c.references('lib_titles.id').onDelete('set null'))
    .addColumn('outside_title', 'text')
    .addColumn('partner_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('club_id', 'text', (c) => c.references('club_clubs.id').onDelete('set null'))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('manual','reader','class')`))
    .addColumn('session_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reading_logs_user_day_idx').on('reading_logs').columns(['user_id', 'read_on']).execute();
  await db.schema.createIndex('reading_logs_day_idx').on('reading_logs').column('read_on').execute();
  await db.schema.createIndex('reading_logs_session_idx').on('reading_logs').column('session_id').execute();

  await db.schema
    .createTable('reading_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('club_id', 'text', (c) => c.references('club_clubs.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('minutes_per_day','minutes_total','books')`))
    .addColumn('target', 'integer', (c) => c.notNull().check(sql`target > 0`))
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('reading_challenge_members')
    .addColumn('challenge_id', 'text', (c) => c.notNull().references('reading_challenges.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addPrimaryKeyConstraint('reading_challenge_members_pk', ['challenge_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('school_reading_rules')
    .addColumn('unit_id', 'text', (c) => c.primaryKey().references('units.id').onDelete('cascade'))
    .addColumn('minutes', 'integer', (c) => c.notNull().check(sql`minutes > 0 and minutes <= 600`))
    .addColumn('period', 'text', (c) => c.notNull().check(sql`period in ('day','week')`))
    .addColumn('weekdays', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('class_reading_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('shelf_id', 'text', (c) => c.notNull().references('lib_shelves.id').onDelete('cascade'))
    .addColumn('read_on', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull().check(sql`minutes > 0 and minutes <= 600`))
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // A private, resettable address for a person's calendar feed (all their clubs' meetings).
  await db.schema
    .createTable('club_calendar_tokens')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('class_reading_sessions_shelf_idx').on('class_reading_sessions').columns(['shelf_id', 'read_on']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'club_calendar_tokens',
    'class_reading_sessions',
    'school_reading_rules',
    'reading_challenge_members',
    'reading_challenges',
    'reading_logs',
    'club_ballots',
    'club_poll_options',
    'club_polls',
    'club_rsvps',
    'club_meetings',
    'club_pairs',
    'club_members',
    'club_clubs',
  ])
    await db.schema.dropTable(t).execute();
}
