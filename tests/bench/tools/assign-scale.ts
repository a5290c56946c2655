/**
 * Times the assignment of a round's entries to its judges in process (issue 15), old vs new back to
 * back on copies of one database, so only the assignment step is measured.
 *
 *   # once: the bench's round (BENCH_ENTRIES / BENCH_JUDGES) without assignments nor votes
 *   BENCH_USERS=2000 BENCH_PLANS=100 BENCH_ENTRIES=100000 BENCH_JUDGES=200 \
 *     node --import tsx tests/bench/tools/assign-scale.ts seed /tmp/assign/base
 *   # then, any number of times: copy the database, assign with each module, check and print
 *   ASSIGN_MODULES=/tmp/assign/jury-old.server.ts,app/domain/contests/jury.server.ts \
 *     node --import tsx tests/bench/tools/assign-scale.ts run /tmp/assign/base [rounds]
 *
 * Each run prints wall time, process CPU, the load average, the assignments made, the load spread
 * (min/max per judge) and checks every rule on the result (≥ N judges or reported short, no judge
 * from the entrant's unit, its subtree or ancestors, nor the entrant themself).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

import { openDatabase } from '~/db/connection';
import type { DB } from '~/lib/db.server';

import { seedRound } from '../contest-entries';
import { createScaleDb } from '../run';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const log = (...a: unknown[]) => console.log('[assign-scale]', ...a);

type Assign = (
  db: DB,
  userId: string,
  roundId: string,
) => Promise<{ ok: true; value: { created: number; understaffed: string[] } } | { ok: false; code: string }>;

async function seed(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  const { db, units, userIds } = await createScaleDb(path.join(dir, 'app.sqlite'));
  const s = await seedRound({ db, units, userIds, log });
  await db.destroy();
  fs.writeFileSync(path.join(dir, 'round.json'), JSON.stringify({ roundId: s.roundId, organiser: s.organiser }));
  log(`seeded ${dir}: round ${s.roundId}`);
}

async function check(db: DB, roundId: string, k: number, short: Set<string>) {
  const rows = await db
    .selectFrom('contest_assignments as a')
    .innerJoin('contest_entries as e', 'e.id', 'a.entry_id')
    .innerJoin('contest_judges as j', (jn) => jn.onRef('j.user_id', '=', 'a.judge_id').onRef('j.round_id', '=', 'a.round_id'))
    .select(['a.entry_id', 'a.judge_id', 'e.user_id', 'e.unit_id', 'j.unit_id as judge_unit'])
    .where('a.round_id', '=', roundId)
    .where('a.status', '!=', 'conflict')
    .execute();
  const closure = await db.selectFrom('unit_closure').select(['ancestor_id', 'descendant_id']).execute();
  const related = new Set(closure.map((c) => `${c.ancestor_id}|${c.descendant_id}`));
  const perEntry = new Map<string, number>();
  const perJudge = new Map<string, number>();
  for (const r of rows) {
    perEntry.set(r.entry_id, (perEntry.get(r.entry_id) ?? 0) + 1);
    perJudge.set(r.judge_id, (perJudge.get(r.judge_id) ?? 0) + 1);
    if (r.judge_id === r.user_id) throw new Error('a judge judges their own entry');
    if (r.judge_unit && (related.has(`${r.judge_unit}|${r.unit_id}`) || related.has(`${r.unit_id}|${r.judge_unit}`)))
      throw new Error(`judge ${r.judge_id} (unit ${r.judge_unit}) got entry ${r.entry_id} of unit ${r.unit_id}`);
  }
  const entries = await db.selectFrom('contest_entries').select('id').where('round_id', '=', roundId).execute();
  for (const e of entries)
    if ((perEntry.get(e.id) ?? 0) < k && !short.has(e.id)) throw new Error(`entry ${e.id} short of judges and not reported`);
  const loads = [...perJudge.values()];
  // which pairs were made, to compare two implementations on the same database
  const digest = createHash('sha1')
    .update(
      rows
        .map((r) => `${r.entry_id}|${r.judge_id}`)
        .sort()
        .join(','),
    )
    .digest('hex')
    .slice(0, 12);
  return { pairs: rows.length, min: Math.min(...loads), max: Math.max(...loads), judges: loads.length, digest };
}

async function run(dir: string, rounds: number) {
  const { roundId, organiser } = JSON.parse(fs.readFileSync(path.join(dir, 'round.json'), 'utf8')) as {
    roundId: string;
    organiser: string;
  };
  const modules = (process.env.ASSIGN_MODULES ?? 'app/domain/contests/jury.server.ts').split(',');
  const fns = await Promise.all(
    modules.map(async (m) => ((await import(pathToFileURL(path.resolve(ROOT, m)).href)) as { assignJudges: Assign }).assignJudges),
  );
  for (let r = 0; r < rounds; r++)
    for (let i = 0; i < fns.length; i++) {
      const file = path.join(dir, `run-${i}.sqlite`);
      for (const ext of ['', '-wal', '-shm']) fs.rmSync(file + ext, { force: true });
      fs.copyFileSync(path.join(dir, 'app.sqlite'), file);
      const db = openDatabase(file);
      await db.selectFrom('units').select('id').limit(1).execute(); // open before timing
      const load = os.loadavg()[0]!.toFixed(1);
      const cpu = process.cpuUsage();
      const t = performance.now();
      const a = await fns[i]!(db, organiser, roundId);
      const ms = performance.now() - t;
      const c = process.cpuUsage(cpu);
      if (!a.ok) throw new Error(a.code);
      const round = await db
        .selectFrom('contest_submission_settings')
        .select('judges_per_entry')
        .where('round_id', '=', roundId)
        .executeTakeFirstOrThrow();
      const chk = await check(db, roundId, round.judges_per_entry, new Set(a.value.understaffed));
      log(
        `${path.basename(modules[i]!)}: ${(ms / 1000).toFixed(2)} s wall, ${((c.user + c.system) / 1e6).toFixed(2)} s CPU, load ${load};`,
        `${a.value.created} created, ${a.value.understaffed.length} short; ${chk.pairs} pairs, ${chk.judges} judges, load ${chk.min}-${chk.max}, pairs digest ${chk.digest}`,
      );
      await db.destroy();
      for (const ext of ['', '-wal', '-shm']) fs.rmSync(file + ext, { force: true });
    }
}

const [cmd, dir, n] = process.argv.slice(2);
(cmd === 'seed' ? seed(dir!) : run(dir!, Number(n ?? 1))).then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
