/**
 * A database for profiling the read-aloud gallery and a judge's queue in process (issue 15): the
 * scratch DB of the bench (BENCH_USERS, BENCH_PROVINCES, BENCH_PLANS shrink it) with the
 * contest-entries bench's round at BENCH_ENTRIES / BENCH_JUDGES, every entry assigned, and
 * BENCH_VOTES counted votes bulk-inserted (the triggers keep the counts). Prints the paths to
 * render and the judge's e-mail, e.g.
 *
 *   BENCH_USERS=2000 BENCH_PLANS=100 BENCH_PROVINCES=4 BENCH_ENTRIES=100000 BENCH_JUDGES=200 \
 *     BENCH_VOTES=1000000 node --import tsx tests/bench/tools/entries-scale.ts
 *   DATA_DIR=<dir> node --import tsx tests/bench/tools/render-loop.ts /contests/<slug>/gallery/<round>
 *   DATA_DIR=<dir> RENDER_AS=<judge e-mail> node --import tsx tests/bench/tools/render-loop.ts /contests/<slug>/jury/<round>
 */
import fs from 'node:fs';
import path from 'node:path';

import { sql } from 'kysely';

import { optimizeStatistics } from '~/db/dialect';
import { assignJudges } from '~/domain/contests/jury.server';

import { bulkVotes, seedRound } from '../contest-entries';
import { createScaleDb } from '../run';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const log = (...a: unknown[]) => console.log('[entries-scale]', ...a);

async function main() {
  // ENTRIES_SCALE_TMP: where the database goes (default tests/.tmp).
  const dir = path.join(process.env.ENTRIES_SCALE_TMP ?? path.join(ROOT, 'tests/.tmp'), `entries-scale-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  const { db, units, userIds } = await createScaleDb(path.join(dir, 'app.sqlite'));
  const ctx = { db, units, userIds, log };
  const s = await seedRound(ctx);
  const a = await assignJudges(db, s.organiser, s.roundId);
  if (!a.ok) throw new Error(a.code);
  const t = Date.now();
  const added = await bulkVotes(ctx, s.roundId, s.entryIds, s.voters, Number(process.env.BENCH_VOTES ?? 20_000), new Set());
  log(`${added} votes in ${Date.now() - t} ms`);
  await optimizeStatistics(db);
  const busiest = await db
    .selectFrom('contest_assignments as a')
    .innerJoin('users as u', 'u.id', 'a.judge_id')
    .select(['u.email', sql<number>`count(*)`.as('n')])
    .where('a.round_id', '=', s.roundId)
    .groupBy('u.email')
    .orderBy(sql`count(*)`, 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  await db.destroy();
  log(`DATA_DIR=${dir}`);
  log(`gallery: /contests/${s.slug}/gallery/${s.roundId}`);
  log(`jury:    /contests/${s.slug}/jury/${s.roundId} as RENDER_AS=${busiest.email} (${busiest.n} entries)`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
