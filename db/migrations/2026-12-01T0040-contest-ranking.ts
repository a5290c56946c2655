import { type Kysely, sql } from 'kysely';

// Issue #14 (500,000 entrants): per-unit totals of a contest's ranked results, kept when results
// are proposed or published (app/domain/contests/unit-prizes.server.ts `refreshUnitTotals`), so a
// unit leaderboard reads one row per unit shown instead of grouping every result through the tree,
// and the unit prizes rank the units of a level from these rows in the database.
// `scope` is '' for the contest's published rounds together, or one round's id.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contest_unit_totals')
    .addColumn('contest_id', 'text', (c) => c.notNull().references('contests.id').onDelete('cascade'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('entrants', 'integer', (c) => c.notNull())
    .addColumn('results', 'integer', (c) => c.notNull())
    .addColumn('score_sum', 'integer', (c) => c.notNull())
    .addColumn('prizes', 'integer', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('contest_unit_totals_pk', ['contest_id', 'scope', 'unit_id'])
    .execute();
  // Existing results: every round with results, then each contest's published rounds together.
  await sql`
    insert into contest_unit_totals (contest_id, scope, unit_id, entrants, results, score_sum, prizes, points)
    select rd.contest_id, u.round_id, c.ancestor_id, count(distinct u.user_id), sum(u.n), sum(u.s), sum(u.p), sum(u.pts)
    from (
      select r.round_id, r.user_id, r.unit_id, count(*) as n, sum(r.score) as s, count(r.prize_id) as p, coalesce(sum(z.points), 0) as pts
      from contest_results r left join contest_prizes z on z.id = r.prize_id
      group by r.round_id, r.user_id, r.unit_id
    ) u
    join contest_rounds rd on rd.id = u.round_id and rd.results_status in ('proposed', 'published')
    join unit_closure c on c.descendant_id = u.unit_id
    group by rd.contest_id, u.round_id, c.ancestor_id`.execute(db);
  await sql`
    insert into contest_unit_totals (contest_id, scope, unit_id, entrants, results, score_sum, prizes, points)
    select u.contest_id, '', c.ancestor_id, count(distinct u.user_id), sum(u.n), sum(u.s), sum(u.p), sum(u.pts)
    from (
      select rd.contest_id, r.user_id, r.unit_id, count(*) as n, sum(r.score) as s, count(r.prize_id) as p, coalesce(sum(z.points), 0) as pts
      from contest_results r
      join contest_rounds rd on rd.id = r.round_id and rd.results_status = 'published'
      left join contest_prizes z on z.id = r.prize_id
      group by rd.contest_id, r.user_id, r.unit_id
    ) u
    join unit_closure c on c.descendant_id = u.unit_id
    group by u.contest_id, c.ancestor_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('contest_unit_totals').execute();
}
