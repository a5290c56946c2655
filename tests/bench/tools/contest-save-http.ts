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
 *  - `lean`:   the autosave's own resource route (`/contests/<slug>/rounds/<id>/attempt`),
 * reading the server's CPU (user + system of the process tree, /proc) around each block; then
 * submits every attempt through the page's action. Prints ms of CPU per request and the ratio.
 * Needs a built site (`npx remix build`). `SAVE_MODES=action` measures one path only;
 * `SAVE_CPU_PROF=<dir>` runs the server under `node --cpu-prof` (one worker).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { freePort, waitForHealthy } from '../../browser/setup/global';
import { freshSqlite } from '../../helpers/db';

const perBlock = Number(process.argv[2] ?? 600);
const blocks = Number(process.argv[3] ?? 4);
const ENTRANTS = Number(process.env.SAVE_ENTRANTS ?? 200);
const CONNECTIONS = Number(process.env.SAVE_CONNECTIONS ?? 20);
const MODES = (process.env.SAVE_MODES ?? 'action,lean').split(',') as Array<'action' | 'lean'>;

/** CPU (user + system, ms) of a process and its descendants, from /proc (100 ticks/s). */
function treeCpuMs(pid: number): number {
  let total = 0;
  const visit = (p: number) => {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += ((Number(f[11]) + Number(f[12])) * 1000) / 100;
      for (const tid of fs.readdirSync(`/proc/${p}/task`))
        for (const child of fs.readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean)) visit(Number(child));
    } catch {
      // ended meanwhile
    }
  };
  visit(pid);
  return total;
}

const { db, file } = await freshSqlite();
process.env.DATABASE_URL = file;
const { contestWorld } = await import('../../helpers/contests');
const { addRound } = await import('~/domain/contests/contests.server');
const { startAttempt } = await import('~/domain/contests/attempts.server');
const { createSessionCookie } = await import('~/lib/auth.server');
const w = await contestWorld(db);
const contestId = (await w.contest({ slug: `save-${Date.now()}` })).id;
await w.bank(contestId, ['a', 'b'], 4);
const round = await addRound(db, w.organiser, contestId, {
  title: 'Tuần 1',
  opensAt: new Date(Date.now() - 60_000).toISOString(),
  closesAt: new Date(Date.now() + 3_600_000).toISOString(),
  timeLimitS: 3000,
  quota: (['easy', 'medium', 'hard'] as const).map((difficulty) => ({ topic: null, difficulty, count: 4 })),
});
if (!round.ok) throw new Error(round.code);
const slug = (await db.selectFrom('contests').select('slug').where('id', '=', contestId).executeTakeFirstOrThrow()).slug;
await db.updateTable('contests').set({ status: 'published' }).where('id', '=', contestId).execute();
const people: Array<{ cookie: string; attemptId: string; ids: string[] }> = [];
for (let i = 0; i < ENTRANTS; i++) {
  const u = await w.entrant(contestId, `Thí sinh ${i}`, (i % 2 ? w.schoolA : w.schoolB).id);
  const s = await startAttempt(db, round.value, u);
  if (!s.ok) throw new Error(s.code);
  const a = await db
    .selectFrom('contest_attempts')
    .select('question_ids_json')
    .where('id', '=', s.value.attemptId)
    .executeTakeFirstOrThrow();
  people.push({
    cookie: (await createSessionCookie(u, db)).split(';')[0]!,
    attemptId: s.value.attemptId,
    ids: JSON.parse(a.question_ids_json),
  });
}

const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
const prof = process.env.SAVE_CPU_PROF;
const child = spawn(
  process.execPath,
  [...(prof ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(prof)}`] : []), '--import', 'tsx', 'server.ts'],
  {
    cwd: path.resolve(import.meta.dirname, '../../..'),
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      APP_ENV: 'production',
      NODE_ENV: 'production',
      SEED_DEMO: '0',
      DATA_DIR: path.dirname(file),
      DATABASE_URL: file,
      SESSION_SECRET: 'bench-session-secret-0123456789abcdefghijkl',
      WEB_CONCURRENCY: process.env.WEB_CONCURRENCY ?? '1',
      // 200 entrants save far more often here than a person does: the per-address limits are not measured.
      RATE_LIMIT_SHARED_FACTOR: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
let output = '';
const keep = (b: Buffer) => void (output = (output + b.toString()).slice(-100_000));
child.stdout.on('data', keep);
child.stderr.on('data', keep);
await waitForHealthy(`${baseUrl}/healthz`, child, () => output);
const server = {
  baseUrl,
  stop: async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  },
};
const pid = child.pid!;
const page = `${server.baseUrl}/contests/${slug}/rounds/${round.value}`;
const to = {
  action: `${page}?_data=${encodeURIComponent('routes/contests.$slug.rounds.$roundId._index')}`,
  lean: `${page}/attempt`,
};
const post = (url: string, cookie: string, body: URLSearchParams) =>
  fetch(url, {
    method: 'POST',
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.baseUrl },
    body,
    redirect: 'manual',
  });

let n = 0;
async function saves(mode: 'action' | 'lean', count: number): Promise<number> {
  let next = 0;
  const one = async () => {
    for (let i = next++; i < count; i = next++) {
      const p = people[(n + i) % people.length]!;
      const k = Math.floor((n + i) / people.length) % 3;
      const body = new URLSearchParams({ intent: 'save', attemptId: p.attemptId });
      if (mode === 'action') body.set('autosave', '1');
      for (const q of p.ids.slice(k * 4, k * 4 + 4)) {
        body.append(`present.${q}`, '1');
        body.append(`q.${q}`, String.fromCharCode(97 + ((n + i) % 4)));
      }
      const r = await post(to[mode], p.cookie, body);
      const text = await r.text();
      if (mode === 'lean' ? r.status !== 204 : r.status !== 200 || !text.includes('savedAt'))
        throw new Error(`${mode} save: ${r.status} ${text.slice(0, 200)}`);
    }
  };
  const c0 = treeCpuMs(pid);
  await Promise.all(Array.from({ length: CONNECTIONS }, one));
  n += count;
  return (treeCpuMs(pid) - c0) / count;
}

try {
  for (const m of MODES) await saves(m, 200); // warm-up
  const cpu = new Map<string, number[]>(MODES.map((m) => [m, []]));
  for (let b = 0; b < blocks; b++) for (const m of b % 2 ? [...MODES].reverse() : MODES) cpu.get(m)!.push(await saves(m, perBlock));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  for (const [m, xs] of cpu)
    console.log(`save via ${m}: ${mean(xs).toFixed(2)} ms CPU per save (blocks: ${xs.map((x) => x.toFixed(2)).join(', ')})`);
  if (MODES.length === 2) console.log(`ratio lean/action: ${(mean(cpu.get('lean')!) / mean(cpu.get('action')!)).toFixed(2)}`);
  // Submits (the page's form, with or without JavaScript: the page's action), each attempt once.
  {
    let next = 0;
    const c0 = treeCpuMs(pid);
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        for (let i = next++; i < people.length; i = next++) {
          const p = people[i]!;
          const r = await post(page, p.cookie, new URLSearchParams({ intent: 'submit', attemptId: p.attemptId, prediction: '3' }));
          await r.arrayBuffer();
          if (r.status !== 302) throw new Error(`submit: ${r.status}`);
        }
      }),
    );
    console.log(`submit: ${((treeCpuMs(pid) - c0) / people.length).toFixed(2)} ms CPU per submit (${people.length})`);
  }
  const left = await db
    .selectFrom('contest_attempts')
    .select('id')
    .where('status', '=', 'in_progress')
    .where('round_id', '=', round.value)
    .execute();
  console.log(`attempts still open: ${left.length} (expected 0)`);
} finally {
  await server.stop();
  await db.destroy();
}
process.exit(0);
