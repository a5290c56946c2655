/**
 * Issue #14: the server's CPU per answer save and per submit over HTTP, for each way the round page
 * can post them, interleaved in one server (the machine is shared: CPU per request, not req/s).
 *
 *   node --import tsx tests/bench/tools/contest-save-http.ts [saves per block] [blocks]
 *
 * Seeds a scratch SQLite file (tests/.tmp) with a contest, a 12-question round open now and
 * SAVE_ENTRANTS entrants (default 200) each with a started attempt, starts the built `server.ts`
 * on it (production, one worker unless WEB_CONCURRENCY says otherwise, jobs on), then posts, from
 * SAVE_CONNECTIONS concurrent clients (default 20), blocks of saves (4 answers each) alternately
 *  - `action`: the round page's action as a fetcher posts it (`?_data=<route id>`, `autosave=1`),
 *  - `lean`:   the autosave's own resource route (`/contests/<slug>/rounds/<id>/attempt`), as the page
 *              posts it (answered before Express since app/lib/contests-autosave.server.ts),
 *  - `remix`:  the same route with a query string (`…/attempt?via=remix`), which the direct path
 *              leaves to Express and the Remix route (what every autosave cost before it),
 * reading the server's CPU (user + system of the process tree, /proc) around each block; then
 * submits every attempt through the page's action. Prints ms of CPU per request and the ratio.
 * Needs a built site (`npx remix build`). `SAVE_MODES=action` measures one path only;
 * `SAVE_CPU_PROF=<dir>` runs the server under `node --cpu-prof` (one worker). SAVE_WARMUP requests per
 * path first (default 1,000); each path's figure is its median block.
 *
 * Old and new code: `SAVE_BASE=<dir>` (a checkout of the old code with its own build, e.g.
 * .cache/save-base — see contest-save-ab.ts) starts a second server from that directory on the same
 * database, and the `lean` blocks alternate between the two servers (`lean@base`, `lean`): before →
 * after under the same machine load. The framework floor (`/bench/floor`) is measured on the new
 * server in every round of blocks.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';

import { freePort, waitForHealthy } from '../../browser/setup/global';
import { freshSqlite } from '../../helpers/db';
import { treeCpuMs } from './proc-cpu';
import { scratchServerEnv } from './scratch-server-env';

/** The server's CPU so far (ms; 0 once it has gone). */
const cpuOf = (pid: number) => treeCpuMs(pid) ?? 0;

const perBlock = Number(process.argv[2] ?? 600);
const blocks = Number(process.argv[3] ?? 4);
const ENTRANTS = Number(process.env.SAVE_ENTRANTS ?? 200);
const CONNECTIONS = Number(process.env.SAVE_CONNECTIONS ?? 20);
const BASE = process.env.SAVE_BASE ? path.resolve(process.env.SAVE_BASE) : null;
type Mode = 'action' | 'lean' | 'remix';
const MODES = (process.env.SAVE_MODES ?? (BASE ? 'lean' : 'action,lean')).split(',') as Mode[];
const ROOT = path.resolve(import.meta.dirname, '../../..');
const WARMUP = Number(process.env.SAVE_WARMUP ?? 1000);
/** SAVE_FLOOR=0 leaves the floor out (a profile of saves only). */
const FLOOR = process.env.SAVE_FLOOR !== '0';

const { db, file } = await freshSqlite();
process.env.DATABASE_URL = file;
const { saveForm, seedSaveWorld } = await import('./contest-save-world');
const world = await seedSaveWorld(db, ENTRANTS);
const { people, slug } = world;

interface Server {
  baseUrl: string;
  pid: number;
  stop: () => Promise<void>;
}
async function startServer(cwd: string): Promise<Server> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const prof = process.env.SAVE_CPU_PROF;
  const child: ChildProcess = spawn(
    process.execPath,
    [...(prof ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(prof)}`] : []), '--import', 'tsx', 'server.ts'],
    {
      cwd,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: baseUrl,
        ...scratchServerEnv(file, 1),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (b: Buffer) => void (output = (output + b.toString()).slice(-100_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  await waitForHealthy(`${baseUrl}/healthz`, child, () => output);
  return {
    baseUrl,
    pid: child.pid!,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const server = await startServer(ROOT);
const base = BASE ? await startServer(BASE) : null;
const pathOf = `/contests/${slug}/rounds/${world.roundId}`;
/**
 * One POST: its status and body. SAVE_CLIENT=http sends it with node:http on a keep-alive agent
 * (SAVE_CONNECTIONS sockets) instead of fetch, whose own CPU per request is about a save's on the
 * server (the client's figure is printed: the load generator shares the machine's cores).
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
async function post(s: Server, url: string, cookie: string, body: URLSearchParams): Promise<{ status: number; text: string }> {
  const headers = { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: s.baseUrl };
  if (process.env.SAVE_CLIENT !== 'http') {
    const r = await fetch(s.baseUrl + url, { method: 'POST', headers, body, redirect: 'manual' });
    return { status: r.status, text: await r.text() };
  }
  const payload = body.toString();
  return new Promise((resolve, reject) => {
    const req = http.request(s.baseUrl + url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'Content-Length': Buffer.byteLength(payload) },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

interface Target {
  name: string;
  server: Server;
  mode: Mode;
}
const targets: Target[] = [
  ...(base ? MODES.map((mode): Target => ({ name: `${mode}@base`, server: base, mode })) : []),
  ...MODES.map((mode): Target => ({ name: mode, server, mode })),
];

let n = 0;
/** This process's own CPU per save (the load generator's), per target and block. */
const client = new Map<string, number[]>(targets.map((t) => [t.name, []]));
async function saves(t: Target, count: number): Promise<number> {
  let next = 0;
  const url =
    t.mode === 'action'
      ? `${pathOf}?_data=${encodeURIComponent('routes/contests.$slug.rounds.$roundId._index')}`
      : `${pathOf}/attempt${t.mode === 'remix' ? '?via=remix' : ''}`;
  const one = async () => {
    for (let i = next++; i < count; i = next++) {
      const { person: p, body } = saveForm(world, n + i);
      if (t.mode === 'action') {
        body.set('intent', 'save');
        body.set('autosave', '1');
      }
      const r = await post(t.server, url, p.cookie, body);
      const text = r.text;
      if (t.mode !== 'action' ? r.status !== 204 : r.status !== 200 || !text.includes('savedAt'))
        throw new Error(`${t.name} save: ${r.status} ${text.slice(0, 200)}`);
    }
  };
  const c0 = cpuOf(t.server.pid);
  const u0 = process.cpuUsage();
  await Promise.all(Array.from({ length: CONNECTIONS }, one));
  n += count;
  const u = process.cpuUsage(u0);
  client.get(t.name)!.push((u.user + u.system) / 1000 / count);
  return (cpuOf(t.server.pid) - c0) / count;
}
async function floor(count: number): Promise<number> {
  let next = 0;
  const one = async () => {
    for (let i = next++; i < count; i = next++) {
      const r = await fetch(`${server.baseUrl}/bench/floor`);
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`floor: ${r.status}`);
    }
  };
  const c0 = cpuOf(server.pid);
  await Promise.all(Array.from({ length: CONNECTIONS }, one));
  return (cpuOf(server.pid) - c0) / count;
}

try {
  for (const t of targets) await saves(t, WARMUP); // warm-up (the JIT's, and the statement caches')
  if (FLOOR) await floor(WARMUP);
  // With SAVE_CPU_PROF: the monotonic clock (µs) the profiles' timestamps use, to keep the measured blocks only.
  if (process.env.SAVE_CPU_PROF) console.log(`measuring from ${process.hrtime.bigint() / 1000n} µs`);
  const cpu = new Map<string, number[]>([...targets.map((t) => t.name), 'floor'].map((m) => [m, []]));
  for (let b = 0; b < blocks; b++) {
    if (FLOOR) cpu.get('floor')!.push(await floor(perBlock));
    for (const t of b % 2 ? [...targets].reverse() : targets) cpu.get(t.name)!.push(await saves(t, perBlock));
  }
  const median = (xs: number[]) => {
    // The median block: one block that met a burst of other work on the shared machine does not move it.
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const floorMs = FLOOR ? median(cpu.get('floor')!) : NaN;
  for (const [m, xs] of cpu)
    console.log(
      `${m === 'floor' ? 'GET /bench/floor' : `save via ${m}`}: ${median(xs).toFixed(2)} ms CPU per request (median block)` +
        (m === 'floor' ? '' : ` (${(median(xs) / floorMs).toFixed(1)}× the floor, ${Math.round(2000 / median(xs))}/s on 2 cores)`) +
        ` (blocks: ${xs.map((x) => x.toFixed(2)).join(', ')})`,
    );
  for (const [m, xs] of client)
    if (xs.length > 1)
      console.log(
        `client (this process, ${process.env.SAVE_CLIENT === 'http' ? 'node:http' : 'fetch'}) CPU per save via ${m}: ${median(xs.slice(1)).toFixed(2)} ms`,
      );
  // Each round of blocks ran every target back to back: the median of the rounds' own ratios
  // follows the machine's load less than the ratio of the medians.
  const perRound = (a: string, b: string) => median(cpu.get(a)!.map((x, i) => x / cpu.get(b)![i]!)).toFixed(2);
  if (base)
    console.log(
      `ratio lean/lean@base: ${(median(cpu.get('lean')!) / median(cpu.get('lean@base')!)).toFixed(2)} (median of the rounds' ratios: ${perRound('lean', 'lean@base')})`,
    );
  else if (MODES.includes('lean'))
    for (const m of MODES.filter((x) => x !== 'lean'))
      console.log(
        `ratio lean/${m}: ${(median(cpu.get('lean')!) / median(cpu.get(m)!)).toFixed(2)} (median of the rounds' ratios: ${perRound('lean', m)})`,
      );
  // Submits (the page's form, with or without JavaScript: the page's action), each attempt once.
  {
    let next = 0;
    const c0 = cpuOf(server.pid);
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        for (let i = next++; i < people.length; i = next++) {
          const p = people[i]!;
          const r = await post(
            server,
            pathOf,
            p.cookie,
            new URLSearchParams({ intent: 'submit', attemptId: p.attemptId, prediction: '3' }),
          );
          if (r.status !== 302) throw new Error(`submit: ${r.status}`);
        }
      }),
    );
    console.log(`submit: ${((cpuOf(server.pid) - c0) / people.length).toFixed(2)} ms CPU per submit (${people.length})`);
  }
  const left = await db
    .selectFrom('contest_attempts')
    .select('id')
    .where('status', '=', 'in_progress')
    .where('round_id', '=', world.roundId)
    .execute();
  console.log(`attempts still open: ${left.length} (expected 0)`);
} finally {
  await server.stop();
  await base?.stop();
  await db.destroy();
}
process.exit(0);
