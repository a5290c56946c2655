/**
 * Participation statistics (issue #16 item 8). Scale with BENCH_STATS_LOGS (default 20,000
 * reading logs and 5,000 loans in the 2024 Week, spread over the bench users and their units).
 *  1. history rows for the bench hierarchy (run.ts writes the closure only; the stats roll-up reads
 *     the tree in force for the Week), then raw activity in the 2024 Week;
 *  2. the statistics job computing the Week (wall time, rows written) — what runs every 15 min;
 *  3. the national stats page and a province's, anonymous (page cache) and signed in (rendered
 *     each time from the pre-aggregates), next to the floor.
 * The hierarchy is the national one shared with the reports bench (`tools/national-tree.ts`: the
 * pre-2025 three-level tree and the two-tier tree since 01/07/2025, ~60,000 units) on top of run.ts's
 * generic units, so the 2024 and 2025 national pages add up the whole country's tree of their Week.
 */
import { performance } from 'node:perf_hooks';

import { sql } from 'kysely';

import { computeWeek } from '~/domain/stats/aggregate.server';
import { newId } from '~/lib/ids.server';

import type { BenchContext } from './run';
import { nationalTree } from './tools/national-tree';

const LOGS = Number(process.env.BENCH_STATS_LOGS ?? 20_000);
const LOANS = Math.round(LOGS / 4);

export async function bench(ctx: BenchContext): Promise<void> {
  const { db } = ctx;
  // The national hierarchy shared with the reports bench (generated here if that one did not run).
  const nat = await nationalTree(ctx);
  // History for run.ts's generic units (closure only); units that have a history keep theirs.
  await sql`insert into unit_tree_history (ancestor_id, descendant_id, depth, valid_from, valid_to)
    select c.ancestor_id, c.descendant_id, c.depth, '0001-01-01', null from unit_closure c
    where not exists (select 1 from unit_tree_history h where h.descendant_id = c.descendant_id)`.execute(db);

  // The 2024 Week's days, and the 2025 Week's (two-tier tree) for every other log and loan.
  const week = ['01', '02', '03', '04', '05', '06', '07'];
  const days = [...week.map((d) => `2024-10-${d}`), ...week.map((d) => `2025-10-${d}`)];
  const users = ctx.userIds;
  const logs = Array.from({ length: LOGS }, (_, i) => ({
    id: newId(),
    user_id: users[(i * 7) % users.length]!,
    read_on: days[i % 14]!,
    minutes: 10 + (i % 50),
    title_id: null,
    outside_title: 'Sách',
    partner_user_id: null,
    club_id: null,
    source: 'manual' as const,
    session_id: null,
    created_at: `${days[i % 14]}T10:00:00.000Z`,
  }));
  for (let i = 0; i < logs.length; i += 80)
    await db
      .insertInto('reading_logs')
      .values(logs.slice(i, i + 80))
      .execute();

  const title = newId();
  await db
    .insertInto('lib_titles')
    .values({
      id: title,
      slug: `bench-stats-${title}`,
      title: 'Sách thống kê',
      author: 'x',
      language: 'vi',
      description: '',
      subjects: '',
      audience: 'all',
      theme_year: null,
      publisher: null,
      published_year: null,
      file_path: null,
      file_size: null,
      origin: 'upload',
      created_by: null,
      created_at: '2024-01-01T00:00:00.000Z',
      updated_at: '2024-01-01T00:00:00.000Z',
    })
    .execute();
  const libraries = [...ctx.units.entries()].filter(([slug]) => /^unit-p\d+-d\d+-w0$/.test(slug)).map(([, id]) => id);
  const holdings = libraries.map((lib) => ({
    id: newId(),
    title_id: title,
    library_id: lib,
    open_access: 0 as const,
    copies: 1000,
    created_at: '2024-01-01T00:00:00.000Z',
  }));
  for (let i = 0; i < holdings.length; i += 100)
    await db
      .insertInto('lib_holdings')
      .values(holdings.slice(i, i + 100))
      .execute();
  const loans = Array.from({ length: holdings.length ? LOANS : 0 }, (_, i) => {
    const h = holdings[i % holdings.length]!;
    const at = `${days[i % 14]}T0${i % 10}:00:00.000Z`;
    return {
      id: newId(),
      holding_id: h.id,
      title_id: title,
      library_id: h.library_id,
      user_id: users[(i * 13) % users.length]!,
      status: 'returned' as const,
      borrowed_at: at,
      due_at: at,
      renewals: 0,
      returned_at: at,
    };
  });
  for (let i = 0; i < loans.length; i += 80)
    await db
      .insertInto('lib_loans')
      .values(loans.slice(i, i + 80))
      .execute();

  const t0 = performance.now();
  const rows = await computeWeek(db, 2024, new Date());
  ctx.log(
    `stats: the job computed the 2024 Week (${LOGS} reading logs and ${loans.length} loans over the 2024 and 2025 Weeks, ${users.length} users; ${nat.counts.units} national units on top of the bench's ${ctx.units.size - nat.counts.units}) in ${Math.round(performance.now() - t0)} ms, ${rows} daily rows`,
  );
  const t1 = performance.now();
  const rows2025 = await computeWeek(db, 2025, new Date());
  ctx.log(`stats: the job computed the 2025 Week (two-tier tree) in ${Math.round(performance.now() - t1)} ms, ${rows2025} daily rows`);

  ctx.report('GET /weeks/2024/stats (national, cached)', await ctx.autocannon('/weeks/2024/stats'));
  ctx.report('GET /weeks/2024/stats/unit-p0 (province, cached)', await ctx.autocannon('/weeks/2024/stats/unit-p0'));
  const cookie = await ctx.cookieFor(users[1]!);
  ctx.report(
    `GET /weeks/2024/stats (national, ${nat.oldProvinces.length} + bench provinces, signed in: rendered from pre-aggregates)`,
    await ctx.autocannon({ path: '/weeks/2024/stats', headers: { cookie } }),
  );
  ctx.report(
    `GET /weeks/2025/stats (national, two-tier: ${nat.provinces.length} + bench provinces, signed in: rendered from pre-aggregates)`,
    await ctx.autocannon({ path: '/weeks/2025/stats', headers: { cookie } }),
  );
}
