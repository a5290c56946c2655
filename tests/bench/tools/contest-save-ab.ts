/**
 * Issue #14: CPU per answer save through the autosave route (`…/rounds/<id>/attempt`, 204) of two
 * builds in one process, interleaved block by block, next to the framework floor (`/bench/floor`)
 * in the same blocks — old and new code measured under the same machine load.
 *
 *   node --import tsx [--cpu-prof] tests/bench/tools/contest-save-ab.ts [saves per block] [blocks]
 *
 * SAVE_BUILDS: comma-separated build directories (default `build`; e.g. `.cache/save-base/build,build`
 * with the old code built in .cache/save-base — `git archive <commit> | tar -x -C .cache/save-base`,
 * node_modules linked, `npx remix build` there; outside tests/ so tsc and vitest leave it alone). Each build's request handler is wrapped as
 * server.ts wraps it (route instrumentation, the form-body guard); both share the application's
 * database (one scratch SQLite file in tests/.tmp: a contest, a 12-question round open now and
 * SAVE_ENTRANTS entrants, default 400, each with a started attempt). SAVE_CONCURRENCY saves are in
 * flight at once (default 20, as the server sees them under load: concurrent saves share a commit).
 * Every save posts 4 answers and must answer 204; after the run the stored answers are checked.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import type { ServerBuild } from '@remix-run/node';

import { freshSqlite } from '../../helpers/db';
import { type StatementStats, timeStatements } from './sqlite-statements';

const perBlock = Number(process.argv[2] ?? 1000);
const blocks = Number(process.argv[3] ?? 6);
const ENTRANTS = Number(process.env.SAVE_ENTRANTS ?? 400);
const CONCURRENCY = Number(process.env.SAVE_CONCURRENCY ?? 20);
const BUILDS = (process.env.SAVE_BUILDS ?? 'build').split(',').filter(Boolean);

// SAVE_STATS=1: time every SQLite statement of the measured blocks (wall, in the statement call).
let counting = false;
const stats: StatementStats = process.env.SAVE_STATS === '1' ? timeStatements(() => counting) : new Map();

const { db, file } = await freshSqlite();
process.env.DATABASE_URL = file;
process.env.DATA_DIR = path.dirname(file);
// Many saves per account here: the per-account save limit is not what is measured.
process.env.RATE_LIMIT_SHARED_FACTOR ??= '1000';
// As the production server runs (tests/bench/tools/contest-save-http.ts starts it with these).
process.env.APP_ENV ??= 'production';
process.env.SEED_DEMO ??= '0';
process.env.PUBLIC_URL ??= 'http://localhost';
process.env.SESSION_SECRET ??= 'bench-session-secret-0123456789abcdefghijkl';
const { saveForm, seedSaveWorld } = await import('./contest-save-world');
const world = await seedSaveWorld(db, ENTRANTS);
const { people } = world;

type Wrapped = ServerBuild & {
  entry: { module: { instrumentRoutes: <B>(b: B) => B; guardActions: <B>(b: B) => B } };
};
const { createRequestHandler } = await import('@remix-run/node');
const handlers = new Map<string, (r: Request) => Promise<Response>>();
for (const dir of BUILDS) {
  const build = (await import(pathToFileURL(path.resolve(dir, 'index.js')).href)) as Wrapped;
  const m = build.entry.module;
  handlers.set(dir, createRequestHandler(m.guardActions(m.instrumentRoutes(build)), 'production'));
}
const origin = 'http://localhost';
const saveUrl = `${origin}/contests/${world.slug}/rounds/${world.roundId}/attempt`;
let n = 0;
/** `count` saves through `handle`, CONCURRENCY at once; CPU ms per save. */
async function saves(handle: (r: Request) => Promise<Response>, count: number): Promise<number> {
  let next = 0;
  const one = async () => {
    for (let i = next++; i < count; i = next++) {
      const j = n + i;
      const { person: p, body } = saveForm(world, j);
      const res = await handle(
        new Request(saveUrl, {
          method: 'POST',
          headers: { Cookie: p.cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
          body,
        }),
      );
      const text = await res.text();
      if (res.status !== 204) throw new Error(`save ${j}: ${res.status} ${text.slice(0, 200)}`);
    }
  };
  const c0 = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, one));
  n += count;
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / count;
}
/** The framework floor through the last build's handler, CONCURRENCY at once; CPU ms per request. */
async function floor(count: number): Promise<number> {
  const handle = [...handlers.values()].at(-1)!;
  let next = 0;
  const one = async () => {
    for (let i = next++; i < count; i = next++) {
      const res = await handle(new Request(`${origin}/bench/floor`));
      await res.text();
      if (res.status !== 200) throw new Error(`floor: ${res.status}`);
    }
  };
  const c0 = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, one));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / count;
}

for (const h of handlers.values()) await saves(h, 300); // warm-up
await floor(300);
// For a --cpu-prof of the measured blocks only: the monotonic clock (µs) the profile's timestamps use.
if (process.env.SAVE_MARK === '1') console.log(`measuring from ${process.hrtime.bigint() / 1000n} µs`);
const cpu = new Map<string, number[]>([...handlers.keys(), 'floor'].map((k) => [k, []]));
const order = [...handlers.keys()];
counting = true;
for (let b = 0; b < blocks; b++) {
  cpu.get('floor')!.push(await floor(perBlock));
  for (const dir of b % 2 ? [...order].reverse() : order) cpu.get(dir)!.push(await saves(handlers.get(dir)!, perBlock));
}
counting = false;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const floorMs = median(cpu.get('floor')!);
for (const [k, xs] of cpu)
  console.log(
    `${k === 'floor' ? 'GET /bench/floor' : `save via ${k}`}: median ${median(xs).toFixed(3)} ms CPU per request` +
      `${k === 'floor' ? '' : ` (${(median(xs) / floorMs).toFixed(1)}× the floor; ${Math.round(2000 / median(xs))} saves/s on 2 cores)`}` +
      ` [blocks: ${xs.map((x) => x.toFixed(3)).join(', ')}]`,
  );
if (order.length === 2)
  console.log(`ratio ${order[1]} / ${order[0]}: ${(median(cpu.get(order[1]!)!) / median(cpu.get(order[0]!)!)).toFixed(3)}`);
if (stats.size) {
  const measured = blocks * perBlock * order.length;
  console.log(`SQLite statements per save (${order.join(' + ')} together; wall ms per call, calls per save):`);
  for (const [src, x] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20))
    console.log(`  ${(x.ms / x.calls).toFixed(3)} ms × ${(x.calls / measured).toFixed(2)}  ${src.replace(/\s+/g, ' ').slice(0, 140)}`);
}
// Nothing lost: every attempt holds one answer per question it was sent answers for.
const stored = await db
  .selectFrom('contest_answers')
  .select(['attempt_id'])
  .where(
    'attempt_id',
    'in',
    people.map((p) => p.attemptId),
  )
  .execute();
const expected = people.length * Math.min(3, Math.ceil(n / people.length)) * 4;
console.log(`answers stored: ${stored.length} (expected ${expected}); ${n} saves in all`);
process.exit(stored.length === expected ? 0 : 1);
