/**
 * Bytes and CPU per request of the clubs bench's pages, two builds side by side (issue 13, "make the
 * signed-in club page and threads smaller"):
 *
 *   1. a scaled-down clubs world: the scale database of `run.ts` (BENCH_USERS…), then the clubs
 *      bench's own seeding (`tests/bench/clubs.ts`, BENCH_CLUBS_SCALE, default 0.01) run against a
 *      built server with its load generation replaced by a recorder of the paths and cookies it
 *      would measure; with CLUBS_AB_COMMUNITY=1 also the community bench's seeding
 *      (BENCH_COMMUNITY_SCALE, default 0.002) and its 500-post thread's last page, anonymous and
 *      signed in. CLUBS_AB_DIR=<dir> reuses a world made before (it is kept and its dir printed).
 *   2. two built servers of one worker each on that database, with the shared signed-in renders on:
 *      `old` from CLUBS_AB_OLD (a directory holding a copy of an older `build/` and `public/build/`,
 *      inside the repository so that its imports find node_modules; this server.ts is copied in) and
 *      `new` from this worktree. For the floor and each page: the bytes each sends, then the worker's
 *      CPU over CLUBS_AB_N requests (10 connections, no Accept-Encoding), round by round interleaved;
 *      CLUBS_AB_ONLY=3,5 measures only those of the recorded pages (indexes of targets.json). The
 *      worker also runs the periodic jobs (one worker: no separate jobs process), so a cheap page's
 *      figure carries their share: compare builds on the same page, and the floor at both ends.
 *
 *   CLUBS_AB_OLD=tests/.tmp/old-root BENCH_USERS=500 BENCH_PLANS=200 BENCH_PROVINCES=8 \
 *     node --import tsx tests/bench/tools/clubs-ab.ts
 *
 * Without CLUBS_AB_OLD only `new` runs (bytes and CPU of the current build against the floor).
 */
import fs from 'node:fs';
import path from 'node:path';

import autocannon from 'autocannon';

import { createSessionCookie } from '../../../app/lib/auth.server';
import { ensureBuilt, type StartedServer, startServer } from '../../browser/setup/global';
import { type BenchContext, createScaleDb } from '../run';
import { cpuTicks as ticks } from './proc-cpu';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const N = Number(process.env.CLUBS_AB_N ?? 600);
const ROUNDS = Number(process.env.CLUBS_AB_ROUNDS ?? 3);
const TICK_US = 1_000_000 / 100; // USER_HZ

interface Target {
  name: string;
  path: string;
  cookie: string;
}

function workerPid(s: StartedServer): number {
  const m = /\(pid (\d+)\)/.exec(s.log());
  if (!m) throw new Error('no worker pid in the server log');
  return Number(m[1]);
}

function run(url: string, cookie: string, amount: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) =>
    autocannon({ url, connections: 10, amount, headers: cookie ? { Cookie: cookie } : {} }, (e, r) => (e ? reject(e) : resolve(r))),
  );
}

const serverEnv = (dir: string) => ({
  APP_ENV: 'production',
  SEED_DEMO: '0',
  DATA_DIR: dir,
  DATABASE_URL: path.join(dir, 'app.sqlite'),
  SESSION_SECRET: 'bench-session-secret-0123456789abcdefghijkl',
  WEB_CONCURRENCY: '1',
});

/** The clubs bench's world, its autocannon calls recorded instead of run. */
async function makeWorld(dir: string): Promise<Target[]> {
  process.env.BENCH_CLUBS_SCALE ??= '0.01';
  process.env.BENCH_CLUBS_LOG_INSERTS ??= '10';
  process.env.BENCH_COMMUNITY_SCALE ??= '0.002';
  const { db, units, userIds } = await createScaleDb(path.join(dir, 'app.sqlite'));
  const server = await startServer(serverEnv(dir), ROOT);
  const targets: Target[] = [];
  const pending = new Map<object, Omit<Target, 'name'>>();
  const ctx: BenchContext = {
    db,
    baseUrl: server.baseUrl,
    dataDir: dir,
    units,
    userIds,
    cookieFor: async (userId) => (await createSessionCookie(userId, db)).split(';')[0]!,
    settle: async () => 0,
    autocannon: async (o) => {
      const opts = typeof o === 'string' ? { path: o } : o;
      const r = { reqPerSec: 0, p50: 0, p99: 0, non2xx: 0, errors: 0, bytesPerReq: 0 };
      const headers = (opts.headers ?? {}) as Record<string, string>;
      if (opts.path && !opts.url) pending.set(r, { path: opts.path, cookie: headers.cookie ?? headers.Cookie ?? '' });
      return r;
    },
    report: (name, r) => {
      const t = pending.get(r);
      if (t && !t.path.endsWith('.ics')) targets.push({ name, ...t });
    },
    log: (...a) => console.log('[world]', ...a),
  };
  try {
    const clubs = await import('../clubs');
    await clubs.bench(ctx);
    if (process.env.CLUBS_AB_COMMUNITY === '1') {
      const { seedCommunity } = await import('../community');
      const { longThread, reader } = await seedCommunity(ctx);
      const cookie = await ctx.cookieFor(reader);
      const last = `/forums/t/${longThread}?page=25`;
      targets.push({ name: 'forum thread, last page of 500 posts, anonymous', path: last, cookie: '' });
      targets.push({ name: 'forum thread, last page of 500 posts, signed in', path: last, cookie });
    }
  } finally {
    await server.stop();
    await db.destroy();
  }
  fs.writeFileSync(path.join(dir, 'targets.json'), JSON.stringify(targets, null, 1));
  return targets;
}

async function main() {
  ensureBuilt(ROOT);
  let dir = process.env.CLUBS_AB_DIR;
  let targets: Target[];
  if (dir) targets = JSON.parse(fs.readFileSync(path.join(dir, 'targets.json'), 'utf8')) as Target[];
  else {
    dir = path.join(ROOT, 'tests/.tmp', `clubs-ab-${Date.now()}`);
    fs.mkdirSync(dir, { recursive: true });
    targets = await makeWorld(dir);
    console.log(`world kept in ${dir} (CLUBS_AB_DIR=${dir} to reuse it)`);
  }
  const only = process.env.CLUBS_AB_ONLY?.split(',');
  if (only) targets = targets.filter((t, i) => only.includes(String(i)));
  const roots: Record<string, string> = {};
  const old = process.env.CLUBS_AB_OLD;
  if (old) {
    const oldRoot = path.resolve(old);
    // This worktree's server.ts, its app imports pointed back here (a link would fail its "run as main" check).
    const rel = path.relative(oldRoot, ROOT).split(path.sep).join('/');
    const server = fs.readFileSync(path.join(ROOT, 'server.ts'), 'utf8').replaceAll("from './app/", `from '${rel}/app/`);
    fs.rmSync(path.join(oldRoot, 'server.ts'), { force: true });
    fs.writeFileSync(path.join(oldRoot, 'server.ts'), server.replaceAll("import './app/", `import '${rel}/app/`));
    roots.old = oldRoot;
  }
  roots.new = ROOT;
  const servers: Record<string, StartedServer> = {};
  const pids: Record<string, number> = {};
  try {
    for (const [name, root] of Object.entries(roots)) {
      servers[name] = await startServer(serverEnv(dir), root);
      pids[name] = workerPid(servers[name]);
    }
    // A one-worker server also runs the periodic jobs, whose start-up work would count in the first
    // page's CPU: let them settle, then warm every page up before the first measure.
    await new Promise((r) => setTimeout(r, Number(process.env.CLUBS_AB_SETTLE_S ?? 15) * 1000));
    const floor = { name: 'floor /bench/floor', path: '/bench/floor', cookie: '' };
    for (const t of [floor, ...targets]) for (const s of Object.values(servers)) await run(`${s.baseUrl}${t.path}`, t.cookie, 300);
    // The floor first and last: the jobs' share of a cheap request shows as the two differ.
    const all: Target[] = [floor, ...targets, { ...floor, name: 'floor /bench/floor (again)' }];
    for (const t of all) {
      const us: Record<string, number[]> = {};
      const sizes: string[] = [];
      for (const [name, s] of Object.entries(servers)) {
        const res = await fetch(`${s.baseUrl}${t.path}`, { headers: t.cookie ? { Cookie: t.cookie } : {} });
        const bytes = Buffer.byteLength(await res.text());
        sizes.push(`${name} ${res.status} ${res.headers.get('x-page-cache') ?? '-'} ${(bytes / 1024).toFixed(1)} KB`);
        await run(`${s.baseUrl}${t.path}`, t.cookie, 100);
        us[name] = [];
      }
      for (let r = 0; r < ROUNDS; r++)
        for (const [name, s] of Object.entries(servers)) {
          const t0 = ticks(pids[name]!);
          const res = await run(`${s.baseUrl}${t.path}`, t.cookie, N);
          if (res.non2xx || res.errors) throw new Error(`${t.path} ${name}: ${res.non2xx} non-2xx, ${res.errors} errors`);
          us[name]!.push(((ticks(pids[name]!) - t0) * TICK_US) / N);
        }
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      console.log(`\n${t.name}\n  ${t.path}\n  ${sizes.join('; ')}`);
      console.log(
        `  µs CPU a request: ${Object.entries(us)
          .map(([k, xs]) => `${k} ${xs.map((x) => x.toFixed(0)).join(' / ')} (median ${med(xs).toFixed(0)})`)
          .join('; ')}`,
      );
    }
  } finally {
    for (const s of Object.values(servers)) await s.stop();
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
