/**
 * Issue #14: the server's CPU per round submit over HTTP (a plain form POST to the round page, as
 * a browser without JavaScript and the contests bench send it: 302 to the round page), old and new
 * code interleaved on one database (the machine is shared: CPU per request, not req/s).
 *
 *   node --import tsx tests/bench/tools/contest-submit-http.ts [submits per block] [blocks]
 *
 * Seeds a scratch SQLite file (tests/.tmp) with a contest, a 12-question round open now and enough
 * entrants, each with a started attempt (every submit closes a fresh attempt: (blocks + 1) ×
 * submits per block × servers), starts the built `server.ts` on it (production, one worker unless
 * WEB_CONCURRENCY says otherwise) and, with `SUBMIT_BASE=<dir>` (a checkout of the old code with its
 * own build, node_modules linked — see contest-save-ab.ts), the old server beside it on the same
 * database. Then blocks of submits from SUBMIT_CONNECTIONS clients (default 20, node:http
 * keep-alive), alternately to each server, reading each server's CPU (user + system, /proc) around
 * its blocks; the framework floor (`/bench/floor`, new server) in every round of blocks.
 * SUBMIT_ANSWERS=1 posts the whole form as a browser does (12 answers with `present.*`), else the
 * bench's form (intent, attemptId, prediction). Checks every attempt submitted once with its
 * prediction. Prints ms of CPU per submit (median block) and the ratio of the rounds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { freePort, waitForHealthy } from '../../browser/setup/global';
import { freshSqlite } from '../../helpers/db';
import { treeCpuMs } from './proc-cpu';
import { scratchServerEnv } from './scratch-server-env';

const perBlock = Number(process.argv[2] ?? 200);
const blocks = Number(process.argv[3] ?? 4);
const CONNECTIONS = Number(process.env.SUBMIT_CONNECTIONS ?? 20);
const BASE = process.env.SUBMIT_BASE ? path.resolve(process.env.SUBMIT_BASE) : null;
const ANSWERS = process.env.SUBMIT_ANSWERS === '1';
const ROOT = path.resolve(import.meta.dirname, '../../..');

/** The server's CPU so far (ms; 0 once it has gone). */
const cpuOf = (pid: number) => treeCpuMs(pid) ?? 0;

const servers = BASE ? 2 : 1;
const entrants = (blocks + 1) * perBlock * servers;
const { db, file } = await freshSqlite();
process.env.DATABASE_URL = file;
const { seedSaveWorld } = await import('./contest-save-world');
const t0 = performance.now();
const world = await seedSaveWorld(db, entrants);
console.log(`seeded ${entrants} entrants with a started attempt in ${Math.round(performance.now() - t0)} ms`);
const { people, slug } = world;

interface Server {
  name: string;
  baseUrl: string;
  pid: number;
  stop: () => Promise<void>;
}
async function startServer(name: string, cwd: string): Promise<Server> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const prof = process.env.SUBMIT_CPU_PROF;
  const child: ChildProcess = spawn(
    process.execPath,
    [...(prof && cwd === ROOT ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(prof)}`] : []), '--import', 'tsx', 'server.ts'],
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
    name,
    baseUrl,
    pid: child.pid!,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const targets: Server[] = [];
if (BASE) targets.push(await startServer('base', BASE));
const server = await startServer('new', ROOT);
targets.push(server);
const pathOf = `/contests/${slug}/rounds/${world.roundId}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function post(s: Server, url: string, cookie: string, payload: string): Promise<{ status: number; location?: string; cookie?: string[] }> {
  return new Promise((resolve, reject) => {
    const req = http.request(s.baseUrl + url, {
      method: 'POST',
      agent,
      headers: {
        Cookie: cookie,
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: s.baseUrl,
        'Content-Length': Buffer.byteLength(payload),
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location, cookie: res.headers['set-cookie'] }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

let used = 0;
async function submits(s: Server, count: number): Promise<number> {
  const mine = people.slice(used, used + count);
  used += count;
  let next = 0;
  const one = async () => {
    for (let i = next++; i < mine.length; i = next++) {
      const p = mine[i]!;
      const body = new URLSearchParams({ attemptId: p.attemptId });
      if (ANSWERS)
        for (const q of p.ids) {
          body.append(`present.${q}`, '1');
          body.append(`q.${q}`, 'a');
        }
      body.set('prediction', '7');
      body.set('intent', 'submit');
      const r = await post(s, pathOf, p.cookie, body.toString());
      if (r.status !== 302 || r.location !== pathOf || !r.cookie?.some((c) => c.startsWith('flash=')))
        throw new Error(`${s.name} submit: ${r.status} ${r.location} ${String(r.cookie)}`);
    }
  };
  const c0 = cpuOf(s.pid);
  await Promise.all(Array.from({ length: CONNECTIONS }, one));
  return (cpuOf(s.pid) - c0) / count;
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

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
try {
  for (const s of targets) await submits(s, perBlock); // warm-up
  await floor(1000);
  const cpu = new Map<string, number[]>([...targets.map((s) => s.name), 'floor'].map((m) => [m, []]));
  for (let b = 0; b < blocks; b++) {
    cpu.get('floor')!.push(await floor(perBlock * 2));
    for (const s of b % 2 ? [...targets].reverse() : targets) cpu.get(s.name)!.push(await submits(s, perBlock));
  }
  const floorMs = median(cpu.get('floor')!);
  for (const [m, xs] of cpu)
    console.log(
      `${m === 'floor' ? 'GET /bench/floor' : `submit (${m})`}: ${median(xs).toFixed(2)} ms CPU per request (median block)` +
        (m === 'floor' ? '' : ` (${(median(xs) / floorMs).toFixed(2)}× the floor)`) +
        ` (blocks: ${xs.map((x) => x.toFixed(2)).join(', ')})`,
    );
  if (BASE) {
    const ratios = cpu.get('new')!.map((x, i) => x / cpu.get('base')![i]!);
    console.log(
      `ratio new/base: ${(median(cpu.get('new')!) / median(cpu.get('base')!)).toFixed(2)} (median of the rounds' ratios: ${median(ratios).toFixed(2)})`,
    );
  }
  const stored = await db
    .selectFrom('contest_attempts')
    .select(['status', 'prediction'])
    .where('round_id', '=', world.roundId)
    .where(
      'id',
      'in',
      people.slice(0, used).map((p) => p.attemptId),
    )
    .execute();
  const okCount = stored.filter((a) => a.status === 'submitted' && a.prediction === 7).length;
  console.log(`submitted with the prediction: ${okCount} of ${used}${okCount === used ? '' : ' — LOST OR WRONG'}`);
  const ld = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`load average: ${ld}`);
} finally {
  for (const s of targets) await s.stop();
  await db.destroy();
}
process.exit(0);
