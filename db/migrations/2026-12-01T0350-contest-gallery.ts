import { type Kysely, sql } from 'kysely';

import { isPostgres } from '../dialect';

// Issue #15 at scale (100,000 entries in a round): the gallery counted the round's visible entries
// for its pager on every view (~24 ms) and sorted them by code through the (round_id, code) unique
// index, reading every row to test the visibility rule. Now:
// - each round's settings carry `gallery_entries`, the number of its entries the gallery shows
//   (approved, and a minor's video or photo only with parental consent: `isPublic` in
//   app/domain/contests/entries.server.ts, without the round's gallery switch), kept by triggers on
//   contest_entries in the writing transaction (inserts — promoted copies included —, deletes,
//   moderation, consent and file changes), as the vote counts are (2026-12-01T0100);
// - an index in the gallery's order (round, moderation, code) that also holds the columns of the
//   rule, so a page's offset is walked in the index alone;
// - a judge's queue (~1,000 of 200,000 assignments each) paged in entry order from an index that
//   holds the status too: its progress counts and the page's offset are read in the index alone.
// The rule in SQL: `substr(coalesce(mime, ''), 1, 6)` is JavaScript's `startsWith` on both
// dialects (LIKE folds case on SQLite only) and keeps a minor's essay (no file) public, as
// `isPublic` does.
const VISIBLE = (r: 'new' | 'old') =>
  `(${r}.moderation = 'approved' and not (${r}.minor = 1 and ${r}.parental_consent = 0 and substr(coalesce(${r}.mime, ''), 1, 6) in ('video/', 'image/')))`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('contest_submission_settings')
    .addColumn('gallery_entries', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql
    .raw(
      `update contest_submission_settings set gallery_entries = (
        select count(*) from contest_entries e where e.round_id = contest_submission_settings.round_id and ${VISIBLE('new').replaceAll('new.', 'e.')}
      )`,
    )
    .execute(db);
  await db.schema
    .createIndex('contest_entries_gallery_idx')
    .on('contest_entries')
    .columns(['round_id', 'moderation', 'code', 'minor', 'parental_consent', 'mime'])
    .execute();
  await db.schema
    .createIndex('contest_assignments_queue_idx')
    .on('contest_assignments')
    .columns(['round_id', 'judge_id', 'entry_id', 'status'])
    .execute();
  if (isPostgres(db)) {
    await sql
      .raw(
        `create function contest_entries_gallery_count() returns trigger language plpgsql as $$
        begin
          if tg_op in ('UPDATE', 'DELETE') and ${VISIBLE('old')} then
            if tg_op = 'DELETE' or not (new.round_id = old.round_id and ${VISIBLE('new')}) then
              update contest_submission_settings set gallery_entries = gallery_entries - 1 where round_id = old.round_id;
            end if;
          end if;
          if tg_op in ('UPDATE', 'INSERT') and ${VISIBLE('new')} then
            if tg_op = 'INSERT' or not (new.round_id = old.round_id and ${VISIBLE('old')}) then
              update contest_submission_settings set gallery_entries = gallery_entries + 1 where round_id = new.round_id;
            end if;
          end if;
          return null;
        end $$`,
      )
      .execute(db);
    await sql`
      create trigger contest_entries_gallery_count
      after insert or update of round_id, moderation, minor, parental_consent, mime or delete on contest_entries
      for each row execute function contest_entries_gallery_count()`.execute(db);
  } else {
    await sql
      .raw(
        `create trigger contest_entries_gallery_ai after insert on contest_entries when ${VISIBLE('new')} begin
          update contest_submission_settings set gallery_entries = gallery_entries + 1 where round_id = new.round_id;
        end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger contest_entries_gallery_ad after delete on contest_entries when ${VISIBLE('old')} begin
          update contest_submission_settings set gallery_entries = gallery_entries - 1 where round_id = old.round_id;
        end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger contest_entries_gallery_au after update of round_id, moderation, minor, parental_consent, mime on contest_entries
        when new.round_id <> old.round_id or ${VISIBLE('new')} <> ${VISIBLE('old')} begin
          update contest_submission_settings set gallery_entries = gallery_entries - 1 where round_id = old.round_id and ${VISIBLE('old')};
          update contest_submission_settings set gallery_entries = gallery_entries + 1 where round_id = new.round_id and ${VISIBLE('new')};
        end`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger if exists contest_entries_gallery_count on contest_entries`.execute(db);
    await sql`drop function if exists contest_entries_gallery_count()`.execute(db);
  } else {
    for (const t of ['ai', 'ad', 'au']) await sql.raw(`drop trigger if exists contest_entries_gallery_${t}`).execute(db);
  }
  await db.schema.dropIndex('contest_assignments_queue_idx').ifExists().execute();
  await db.schema.dropIndex('contest_entries_gallery_idx').ifExists().execute();
  await db.schema.alterTable('contest_submission_settings').dropColumn('gallery_entries').execute();
}
