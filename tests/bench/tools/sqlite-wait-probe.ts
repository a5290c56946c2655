/**
 * Where a server process's time goes around SQLite's write lock (cross-process contention, #12/#14).
 * A preload, not product code: `NODE_OPTIONS="--import tsx --import <abs path>/sqlite-wait-probe.ts"`
 * with `SQLITE_PROBE_DIR=<dir>` — every Node process started so (the server's primary and its
 * workers) appends to `<dir>/<pid>.jsonl`, every 250 ms and at exit, one line of cumulative counters:
 *  - CPU (process.cpuUsage) and HTTP requests received;
 *  - wall time inside each synchronous better-sqlite3 call, by class: `begin` (BEGIN IMMEDIATE: the
 *    write-lock wait, slept in SQLite's busy handler with the event loop blocked), `commit`,
 *    `autocommit` (a write statement run outside any transaction: it takes the write lock itself and
 *    waits the same way), `other` (reads, statements inside a transaction); count and max of each;
 *  - SQLITE_BUSY errors, and how often the process was blocked ≥ 5 / ≥ 50 ms in one call;
 *  - the event loop's delay since the previous line (perf_hooks.monitorEventLoopDelay: p50/p99/max, ms).
 * `tools/sqlite-wait-report.ts <dir>` turns the lines into per-process figures over the window where
 * requests were served.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import Sqlite from 'better-sqlite3';

const dir = process.env.SQLITE_PROBE_DIR;
if (dir) install(dir);

type Cls = 'begin' | 'commit' | 'autocommit' | 'other';
interface Acc {
  n: number;
  ms: number;
  max: number;
}

function install(outDir: string) {
  fs.mkdirSync(outDir, { recursive: true });
  const acc: Record<Cls, Acc> = {
    begin: { n: 0, ms: 0, max: 0 },
    commit: { n: 0, ms: 0, max: 0 },
    autocommit: { n: 0, ms: 0, max: 0 },
    other: { n: 0, ms: 0, max: 0 },
  };
  const autocommitBySql = new Map<string, Acc>();
  let busy = 0;
  let blocked5 = 0;
  let blocked50 = 0;
  let requests = 0;
  const mem = new Sqlite(':memory:');
  const proto = Object.getPrototypeOf(mem.prepare('select 1')) as Record<string, unknown>;
  mem.close();
  for (const m of ['all', 'get', 'run', 'iterate'] as const) {
    const orig = proto[m] as (...a: unknown[]) => unknown;
    proto[m] = function (this: Sqlite.Statement & { database: Sqlite.Database }, ...args: unknown[]) {
      const src = this.source;
      const cls: Cls = /^\s*BEGIN/i.test(src)
        ? 'begin'
        : /^\s*COMMIT/i.test(src)
          ? 'commit'
          : !this.reader && !this.database.inTransaction && !/^\s*(PRAGMA|SAVEPOINT|RELEASE|ROLLBACK)/i.test(src)
            ? 'autocommit'
            : 'other';
      const t0 = performance.now();
      try {
        return orig.apply(this, args);
      } catch (e) {
        if (/SQLITE_BUSY/.test(String((e as { code?: string }).code))) busy++;
        throw e;
      } finally {
        const ms = performance.now() - t0;
        const a = acc[cls];
        a.n++;
        a.ms += ms;
        a.max = Math.max(a.max, ms);
        if (ms >= 5) blocked5++;
        if (ms >= 50) blocked50++;
        if (cls === 'autocommit') {
          const k = src.replace(/\s+/g, ' ').slice(0, 80);
          const s = autocommitBySql.get(k) ?? { n: 0, ms: 0, max: 0 };
          s.n++;
          s.ms += ms;
          s.max = Math.max(s.max, ms);
          autocommitBySql.set(k, s);
        }
      }
    };
  }
  const emit = http.Server.prototype.emit as (this: http.Server, event: string, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
    if (event === 'request') requests++;
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const file = path.join(outDir, `${process.pid}.jsonl`);
  // A cluster worker has an IPC channel to its primary; the server's primary (started without one) does not.
  const role = process.env.LLW_JOBS === '1' ? 'worker+jobs' : typeof process.send === 'function' ? 'worker' : 'main';
  const write = () => {
    const cpu = process.cpuUsage();
    const line = {
      t: Date.now(),
      pid: process.pid,
      worker: role,
      cpuMs: (cpu.user + cpu.system) / 1000,
      requests,
      busy,
      blocked5,
      blocked50,
      ...acc,
      loop: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
      autocommitTop: [...autocommitBySql].sort((x, y) => y[1].ms - x[1].ms).slice(0, 6),
    };
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
    loop.reset();
  };
  setInterval(write, 250).unref();
  process.on('exit', write);
}
