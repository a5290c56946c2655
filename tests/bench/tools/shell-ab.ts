/**
 * CPU per signed-in request of the same pages served by two builds — e.g. a copy of the build from
 * before a change and the current one — on one existing database: two one-worker servers, the
 * worker's CPU ticks (utime + stime from /proc/<pid>/stat) over N requests of a signed-in reader
 * (`RENDER_AS=<email>`), the servers interleaved round by round so that both see the same machine,
 * `/bench/floor` first as the reference. Each server runs with its page cache and shared signed-in
 * renders as deployed (`X-Page-Cache` is printed: `shell` is the shared render). The old build
 * needs a directory of its own holding `build` and links to the rest of the repository:
 *
 *   mkdir -p tests/.tmp/oldroot && cd tests/.tmp/oldroot && for f in app db content node_modules \
 *     public server.ts package.json tsconfig.json remix.config.js; do ln -s ../../../$f $f; done && \
 *     ln -s ../build-old build
 *   DATA_DIR=<dir with app.sqlite> RENDER_AS=<email> SHELL_AB_OLD=tests/.tmp/oldroot \
 *     node --import tsx tests/bench/tools/shell-ab.ts /weeks/2024/stats /weeks/2025/stats
 */
import path from 'node:path';

import autocannon from 'autocannon';

import { createSessionCookie } from '../../../app/lib/auth.server';
import { getDb } from '../../../app/lib/db.server';
import { type StartedServer, startServer } from '../../browser/setup/global';
import { cpuTicks as ticks } from './proc-cpu';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const N = Number(process.env.SHELL_AB_N ?? 600);
const ROUNDS = Number(process.env.SHELL_AB_ROUNDS ?? 3);
const TICK_US = 1_000_000 / 100; // USER_HZ

function workerPid(s: StartedServer): number {
  const m = /\(pid (\d+)\)/.exec(s.log());
  if (!m) throw new Error('no worker pid in the server log');
  return Number(m[1]);
}

function run(url: string, cookie: string, amount: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) =>
    autocannon({ url, connections: 10, amount, timeout: 60, headers: { Cookie: cookie } }, (e, r) => (e ? reject(e) : resolve(r))),
  );
}

async function main() {
  const dir = process.env.DATA_DIR;
  const as = process.env.RENDER_AS;
  const oldRoot = process.env.SHELL_AB_OLD;
  if (!dir || !as || !oldRoot) throw new Error('DATA_DIR, RENDER_AS and SHELL_AB_OLD are required');
  const db = getDb();
  const user = await db.selectFrom('users').select('id').where('email', '=', as).executeTakeFirstOrThrow();
  const cookie = (await createSessionCookie(user.id)).split(';')[0]!;
  const env = {
    APP_ENV: 'production',
    SEED_DEMO: '0',
    DATA_DIR: dir,
    DATABASE_URL: path.join(dir, 'app.sqlite'),
    SESSION_SECRET: process.env.SESSION_SECRET ?? 'bench-session-secret-0123456789abcdefghijkl',
    WEB_CONCURRENCY: '1',
  };
  const servers = { old: await startServer(env, path.resolve(oldRoot)), new: await startServer(env, ROOT) };
  const pids = { old: workerPid(servers.old), new: workerPid(servers.new) };
  try {
    for (const p of ['/bench/floor', ...process.argv.slice(2)]) {
      const us: Record<string, number[]> = { old: [], new: [] };
      for (const [name, s] of Object.entries(servers)) {
        const res = await fetch(`${s.baseUrl}${p}`, { headers: { Cookie: cookie } });
        const bytes = Buffer.byteLength(await res.text());
        console.log(`${p} ${name}: ${res.status}, X-Page-Cache ${res.headers.get('x-page-cache') ?? '-'}, ${(bytes / 1024).toFixed(1)} KB`);
        await run(`${s.baseUrl}${p}`, cookie, 100); // warm up
      }
      for (let r = 0; r < ROUNDS; r++)
        for (const [name, s] of Object.entries(servers)) {
          const pid = pids[name as keyof typeof pids];
          const t0 = ticks(pid);
          const res = await run(`${s.baseUrl}${p}`, cookie, N);
          if (res.non2xx || res.errors) throw new Error(`${p} ${name}: ${res.non2xx} non-2xx, ${res.errors} errors`);
          us[name]!.push(((ticks(pid) - t0) * TICK_US) / N);
        }
      const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ');
      console.log(`${p}: old ${fmt(us.old!)} µs CPU a request; new ${fmt(us.new!)} µs (N=${N} per round)`);
    }
  } finally {
    await servers.old.stop();
    await servers.new.stop();
    await db.destroy();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
