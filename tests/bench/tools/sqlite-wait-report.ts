/**
 * Reads the lines of `tools/sqlite-wait-probe.ts` (`node --import tsx tests/bench/tools/sqlite-wait-report.ts <dir>`)
 * and prints, per process, over the window where the server answered requests (after the first few,
 * the start-up health checks, to the last): requests, CPU per request, and the wall time spent inside
 * BEGIN IMMEDIATE, COMMIT and autocommit writes (the synchronous waits for the write lock) — as a
 * share of the window, per request and at most — plus SQLITE_BUSY errors, calls that blocked the
 * process ≥ 5 / ≥ 50 ms, and the event loop's worst delay.
 */
import fs from 'node:fs';
import path from 'node:path';

interface Acc {
  n: number;
  ms: number;
  max: number;
}
interface Line {
  t: number;
  pid: number;
  worker: string;
  cpuMs: number;
  requests: number;
  busy: number;
  blocked5: number;
  blocked50: number;
  begin: Acc;
  commit: Acc;
  autocommit: Acc;
  other: Acc;
  loop: { p50: number; p99: number; max: number };
  autocommitTop: Array<[string, Acc]>;
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: sqlite-wait-report.ts <SQLITE_PROBE_DIR>');
const runs = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .map((f) =>
    fs
      .readFileSync(path.join(dir, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line),
  )
  .filter((ls) => ls.length > 1);
// The window: from the last line before the requests of all processes together passed `skip`
// (the start-up health checks; argv[3], default 5) to the first line after the last request.
const skip = Number(process.argv[3] ?? 5);
const events = runs.flat().sort((x, y) => x.t - y.t);
const latest = new Map<number, number>();
let from = Infinity;
let to = -Infinity;
let total = 0;
let prevT = -Infinity;
for (const l of events) {
  const before = latest.get(l.pid) ?? 0;
  latest.set(l.pid, l.requests);
  if (l.requests === before) {
    prevT = l.t;
    continue;
  }
  total += l.requests - before;
  if (total > skip && !Number.isFinite(from)) from = prevT;
  if (Number.isFinite(from)) to = l.t;
  prevT = l.t;
}
if (!Number.isFinite(from)) throw new Error('no requests seen');
const secs = (to - from) / 1000;
console.log(`window ${secs.toFixed(1)} s`);
const at = (ls: Line[], t: number, after: boolean) =>
  after ? (ls.find((l) => l.t >= t) ?? ls.at(-1)!) : (ls.findLast((l) => l.t <= t) ?? ls[0]!);
const f1 = (n: number) => n.toFixed(1);
for (const ls of runs) {
  const a = at(ls, from, false);
  const b = at(ls, to, true);
  const d = (k: 'begin' | 'commit' | 'autocommit' | 'other') => ({ n: b[k].n - a[k].n, ms: b[k].ms - a[k].ms });
  const req = b.requests - a.requests;
  const cpu = b.cpuMs - a.cpuMs;
  const win = ls.filter((l) => l.t > a.t && l.t <= b.t);
  const loopMax = Math.max(0, ...win.map((l) => l.loop.max));
  const loopP99 = Math.max(0, ...win.map((l) => l.loop.p99));
  const beg = d('begin');
  const com = d('commit');
  const auto = d('autocommit');
  const oth = d('other');
  const perReq = (ms: number) => (req ? f1(ms / req) : '-');
  console.log(
    `pid ${b.pid} (${b.worker}): ${req} requests, CPU ${f1(cpu)} ms = ${f1((100 * cpu) / (secs * 1000))} % of a core, ${perReq(cpu)} ms/request`,
  );
  console.log(
    `  BEGIN ${beg.n}× ${f1(beg.ms)} ms (${f1((100 * beg.ms) / (secs * 1000))} % of the window, ${perReq(beg.ms)} ms/request, max ${f1(b.begin.max)})` +
      ` · COMMIT ${com.n}× ${f1(com.ms)} ms · autocommit writes ${auto.n}× ${f1(auto.ms)} ms (${f1((100 * auto.ms) / (secs * 1000))} %, max ${f1(b.autocommit.max)})` +
      ` · other statements ${oth.n}× ${f1(oth.ms)} ms`,
  );
  console.log(
    `  SQLITE_BUSY ${b.busy - a.busy} · calls blocking ≥ 5 ms ${b.blocked5 - a.blocked5}, ≥ 50 ms ${b.blocked50 - a.blocked50} · event loop delay p99 ≤ ${f1(loopP99)} ms, max ${f1(loopMax)} ms`,
  );
  for (const [k, s] of b.autocommitTop.slice(0, 4))
    console.log(`    autocommit (cumulative) ${s.n}× ${f1(s.ms)} ms max ${f1(s.max)}: ${k}`);
}
