/**
 * CPU per request of a signed-in page in one process, next to the framework floor, old build
 * against new (issue 12: `/notifications` from a shared render with a personal region). Each build
 * is behind Express as server.ts mounts it (the shared signed-in renders in front, Remix behind),
 * on the database of DATA_DIR / DATABASE_URL, signed in as `RENDER_AS=<email>`. For each path,
 * interleaved round by round:
 * - `floor`: `/bench/floor` of the new build;
 * - `old`: the page from `OLD_BUILD=<dir>` (a copy of the build before the change, inside the
 *   repository so that its imports find node_modules), as it serves it;
 * - `rendered`: the new build with the shared renders off (`PAGE_SHELL=0`, read per request);
 * - `shared`: the new build from its shared render (`X-Page-Cache: shell`, checked).
 * The CPU (user + system) per request of the serving process only — a child process running both
 * builds, asked for its `process.cpuUsage()` before and after each batch, as a server worker
 * would spend it; the HTTP client runs in this process (sequential requests, kept-alive).
 *
 *   DATA_DIR=… RENDER_AS=nguoidan@demo.hoctap.vn OLD_BUILD=tests/.tmp/build-old \
 *     node [--cpu-prof] --import tsx tests/bench/tools/page-cpu-ab.ts [n=300] [rounds=5] [path…]
 *
 * Without paths: `/notifications`. `PAGE_CPU_ONLY=shared` (or other modes, `old,shared`) measures the
 * floor and those modes only (for a profile of one). `PAGE_CPU_ACCEPT=identity` asks for the page as the
 * bench's autocannon does (no compression); the default accepts gzip as a browser does.
 */
import '../../../app/lib/serve-mode.server';

import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import express, { type RequestHandler } from 'express';

const [nArg, roundsArg, ...paths] = process.argv.slice(2);
const N = Number(nArg ?? 300);
const ROUNDS = Number(roundsArg ?? 5);
const ONLY = process.env.PAGE_CPU_ONLY;
// What the client accepts: `identity` as the bench's autocannon (no Accept-Encoding), or `gzip` as a browser.
const ACCEPT = process.env.PAGE_CPU_ACCEPT ?? 'gzip, deflate';

type AppBuild = ServerBuild & { entry: { module: { pageCacheMiddleware: (b: ServerBuild) => RequestHandler } } };
type Mode = 'floor' | 'old' | 'rendered' | 'shared';

async function serve(dir: string): Promise<{ base: string; close: () => void }> {
  const build = (await import(pathToFileURL(path.resolve(dir, 'index.js')).href)) as AppBuild;
  const app = express();
  app.use(build.entry.module.pageCacheMiddleware(build));
  app.all('*', createRequestHandler({ build, mode: 'production' }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

type FromChild = { ready: { current: string; old: string | null; cookie: string } } | { cpu: number };

/** The child: both builds served, the session made, its CPU reported when asked; PAGE_SHELL set as asked. */
async function child() {
  const email = process.env.RENDER_AS;
  if (!email) throw new Error('RENDER_AS=<email> of the database in DATA_DIR');
  const { getDb } = await import('../../../app/lib/db.server');
  const { startPageCacheSync } = await import('../../../app/lib/page-cache.server');
  const { createSessionCookie } = await import('../../../app/lib/auth.server');
  const db = getDb();
  await startPageCacheSync(db);
  const user = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const cookie = (await createSessionCookie(user.id)).split(';')[0]!;
  const current = await serve(process.env.RENDER_BUILD ?? 'build');
  const old = process.env.OLD_BUILD ? await serve(process.env.OLD_BUILD) : null;
  process.on('message', (m: { shell?: boolean; cpu?: true; exit?: true }) => {
    if (m.exit) {
      current.close();
      old?.close();
      void db.destroy().then(() => process.exit(0));
      return;
    }
    if (m.shell === false) process.env.PAGE_SHELL = '0';
    else if (m.shell === true) delete process.env.PAGE_SHELL;
    const c = process.cpuUsage();
    process.send!({ cpu: (c.user + c.system) / 1000 } satisfies FromChild);
  });
  process.send!({ ready: { current: current.base, old: old?.base ?? null, cookie } } satisfies FromChild);
}

async function main() {
  process.env.SESSION_SECRET ??= 'bench-session-secret-0123456789abcdefghijkl';
  process.env.PUBLIC_URL ??= 'http://127.0.0.1';
  const server = fork(import.meta.filename, process.argv.slice(2), {
    env: { ...process.env, PAGE_CPU_CHILD: '1' },
    execArgv: process.execArgv,
  });
  let waiting: ((m: FromChild) => void) | null = null;
  server.on('message', (m: FromChild) => waiting?.(m));
  const ask = (m: object) =>
    new Promise<FromChild>((resolve) => {
      waiting = resolve;
      server.send(m);
    });
  const ready = await new Promise<FromChild>((resolve) => (waiting = resolve));
  if (!('ready' in ready)) throw new Error('the server did not start');
  const { cookie } = ready.ready;
  const current = { base: ready.ready.current };
  const old = ready.ready.old ? { base: ready.ready.old } : null;
  const pages = paths.length ? paths : ['/notifications'];
  const cpu = async (shell?: boolean) => {
    const r = await ask({ shell, cpu: true });
    return 'cpu' in r ? r.cpu : NaN;
  };

  const once = async (p: string, mode: Mode) => {
    const base = mode === 'old' ? old!.base : current.base;
    const res = await fetch(`${base}${p}`, { headers: { Cookie: cookie, 'Accept-Encoding': ACCEPT } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${p} (${mode}): ${res.status}`);
    const via = res.headers.get('x-page-cache');
    if (mode === 'shared' && via !== 'shell') throw new Error(`${p}: not served from a shared render (${via ?? 'rendered'})`);
    return body.length;
  };
  const measure = async (p: string, mode: Mode) => {
    const c0 = await cpu(mode !== 'rendered');
    for (let i = 0; i < N; i++) await once(p, mode);
    return ((await cpu()) - c0) / N;
  };
  try {
    for (const p of pages) {
      const modes = (['floor', 'old', 'rendered', 'shared'] as const).filter(
        (m) => (m !== 'old' || old) && (!ONLY || m === 'floor' || ONLY.split(',').includes(m)),
      );
      const url = (m: Mode) => (m === 'floor' ? '/bench/floor' : p);
      for (const m of modes) {
        await cpu(m !== 'rendered');
        const bytes = await once(url(m), m);
        for (let i = 0; i < 50; i++) await once(url(m), m); // warm-up
        console.log(`${url(m)} (${m}): ${(bytes / 1024).toFixed(1)} K chars`);
      }
      const ms: Record<string, number[]> = {};
      // The floor first, then the pages in turn, their order reversed every other round (the one
      // measured right after the floor's build is not always the same).
      const pagesOnly = modes.filter((m) => m !== 'floor');
      for (let r = 0; r < ROUNDS; r++)
        for (const m of ['floor' as const, ...(r % 2 ? [...pagesOnly].reverse() : pagesOnly)])
          (ms[m] ??= []).push(await measure(url(m), m));
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const floor = med(ms.floor!);
      for (const m of modes)
        console.log(
          `${p} ${m.padEnd(8)} median ${med(ms[m]!).toFixed(3)} ms CPU/request (×${(med(ms[m]!) / floor).toFixed(2)} floor); rounds ${ms[m]!.map((x) => x.toFixed(2)).join(' / ')}`,
        );
      // Under a drifting load: each round's page against that round's floor, the median of those.
      for (const m of modes.filter((x) => x !== 'floor'))
        console.log(`${p} ${m.padEnd(8)} median of each round's ×floor: ${med(ms[m]!.map((x, i) => x / ms.floor![i]!)).toFixed(2)}`);
      if (ms.old && ms.shared)
        console.log(`${p} shared ÷ old, median of each round's: ${med(ms.shared.map((x, i) => x / ms.old![i]!)).toFixed(2)}`);
      console.log(`(N=${N} a round, ${ROUNDS} rounds, interleaved; medians)`);
    }
  } finally {
    server.send({ exit: true });
  }
}

void (process.env.PAGE_CPU_CHILD ? child() : main()).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
