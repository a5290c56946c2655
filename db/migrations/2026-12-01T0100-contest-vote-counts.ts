import { type Kysely, sql } from 'kysely';

import { isPostgres } from '../dialect';

// Issue #15 (1,000,000 votes): a gallery page showed each entry's counted votes by counting them
// per view — 240,000 rows for one page in the bench, where votes gather on a few entries. Each
// entry now carries its count of counted votes, kept by the database itself: triggers on
// `contest_votes` add or take one on every insert, status change and delete (a cascade from a
// deleted account or entry included), in the writing transaction, so no code path can forget it.
// The people's choice still counts the votes themselves when results are computed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('contest_entries')
    .addColumn('votes_counted', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`
    update contest_entries set votes_counted = (
      select count(*) from contest_votes v where v.entry_id = contest_entries.id and v.status = 'counted'
    )`.execute(db);
  if (isPostgres(db)) {
    await sql`
      create function contest_votes_count() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') and old.status = 'counted' then
          update contest_entries set votes_counted = votes_counted - 1 where id = old.entry_id;
        end if;
        if tg_op in ('UPDATE', 'INSERT') and new.status = 'counted' then
          update contest_entries set votes_counted = votes_counted + 1 where id = new.entry_id;
        end if;
        return null;
      end $$`.execute(db);
    await sql`
      create trigger contest_votes_count after insert or update of status, entry_id or delete on contest_votes
      for each row execute function contest_votes_count()`.execute(db);
  } else {
    await sql`
      create trigger contest_votes_count_ai after insert on contest_votes when new.status = 'counted' begin
        update contest_entries set votes_counted = votes_counted + 1 where id = new.entry_id;
      end`.execute(db);
    await sql`
      create trigger contest_votes_count_ad after delete on contest_votes when old.status = 'counted' begin
        update contest_entries set votes_counted = votes_counted - 1 where id = old.entry_id;
      end`.execute(db);
    await sql`
      create trigger contest_votes_count_au after update of status, entry_id on contest_votes begin
        update contest_entries set votes_counted = votes_counted - 1 where id = old.entry_id and old.status = 'counted';
        update contest_entries set votes_counted = votes_counted + 1 where id = new.entry_id and new.status = 'counted';
      end`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger if exists contest_votes_count on contest_votes`.execute(db);
    await sql`drop function if exists contest_votes_count()`.execute(db);
  } else {
    for (const t of ['ai', 'ad', 'au']) await sql.raw(`drop trigger if exists contest_votes_count_${t}`).execute(db);
  }
  await db.schema.alterTable('contest_entries').dropColumn('votes_counted').execute();
}
