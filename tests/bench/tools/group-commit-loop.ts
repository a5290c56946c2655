/**
 * Issue #14: write transactions per second on one SQLite file with the server's durability
 * (`synchronous=FULL`), N concurrent callers of `writeTransaction` in this process, each inserting
 * one row. `node --import tsx tests/bench/tools/group-commit-loop.ts [calls] [concurrent]`
 * (default 2,000 and 200); `SQLITE_GROUP_COMMIT=0` for one transaction per call. Prints the rate,
 * p50/p99 per call and the number of COMMITs.
 */
import { sql } from 'kysely';

import { openDatabase } from '~/db/connection';
import { writeTransaction } from '~/db/dialect';

import { freshSqlite } from '../../helpers/db';

const total = Number(process.argv[2] ?? 2_000);
const concurrent = Number(process.argv[3] ?? 200);
const base = await freshSqlite();
await sql`CREATE TABLE gc_loop (id integer PRIMARY KEY, v text NOT NULL)`.execute(base.db);
let commits = 0;
const db = openDatabase(base.file, { synchronous: 'FULL', onQuery: (text) => void (text === 'COMMIT' && commits++) });
const latencies: number[] = [];
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrent }, async () => {
    while (next < total) {
      const id = ++next;
      const t = performance.now();
      await writeTransaction(db, (trx) => sql`INSERT INTO gc_loop (id, v) VALUES (${id}, ${'x'.repeat(200)})`.execute(trx));
      latencies.push(performance.now() - t);
    }
  }),
);
const ms = performance.now() - t0;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
console.log(
  `group commit ${process.env.SQLITE_GROUP_COMMIT === '0' ? 'off' : 'on'}: ${total} calls, ${concurrent} concurrent: ${Math.round((total * 1000) / ms)}/s, p50 ${pct(50)} ms, p99 ${pct(99)} ms, ${commits} COMMITs`,
);
await db.destroy();
await base.cleanup();
