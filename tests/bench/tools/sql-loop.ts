/**
 * `node --import tsx tests/bench/tools/sql-loop.ts [path] [n]`: like render-loop.ts, but prints
 * the SQLite statements that took the most time over n renders (total ms, calls, ms per call) —
 * which query makes a page slow at bench scale (DATA_DIR=<a kept BENCH_KEEP=1 database>).
 */
import Sqlite from 'better-sqlite3';

import { renderer } from './render-once';

const stats = new Map<string, { ms: number; calls: number }>();
const proto = Object.getPrototypeOf(new Sqlite(':memory:').prepare('select 1')) as Record<string, unknown>;
for (const m of ['all', 'get', 'run', 'iterate'] as const) {
  const orig = proto[m] as (...a: unknown[]) => unknown;
  proto[m] = function (this: { source: string }, ...args: unknown[]) {
    const t0 = performance.now();
    try {
      return orig.apply(this, args);
    } finally {
      const s = stats.get(this.source) ?? { ms: 0, calls: 0 };
      s.ms += performance.now() - t0;
      s.calls++;
      stats.set(this.source, s);
    }
  };
}

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
