/**
 * `node --import tsx tests/bench/tools/sql-loop.ts [path] [n]`: like render-loop.ts, but prints
 * the SQLite statements that took the most time over n renders (total ms, calls, ms per call) —
 * which query makes a page slow at bench scale (DATA_DIR=<a kept BENCH_KEEP=1 database>).
 */
import { renderer } from './render-once';
import { timeStatements } from './sqlite-statements';

const stats = timeStatements();

const target = process.argv[2] ?? '/';
const n = Number(process.argv[3] ?? 50);
const once = await renderer(target);
for (let i = 0; i < 5; i++) await once();
stats.clear();
const t0 = performance.now();
for (let i = 0; i < n; i++) await once();
const total = (performance.now() - t0) / n;
const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms);
const sqlMs = rows.reduce((s, [, v]) => s + v.ms, 0) / n;
console.log(`${target}: ${total.toFixed(2)} ms per render, of which SQL ${sqlMs.toFixed(2)} ms`);
for (const [sql, v] of rows.slice(0, Number(process.env.TOP ?? 12)))
  console.log(`${(v.ms / n).toFixed(2)} ms/render  ${(v.calls / n).toFixed(1)} calls  ${sql.replace(/\s+/g, ' ').slice(0, 300)}`);
process.exit(0);
