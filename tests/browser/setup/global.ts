/**
 * Vitest globalSetup of the 'browser' project: starts the BUILT site (build/index.js, built by
 * `npm test` or here when missing) with `node --import tsx server.ts` on a free port, a fresh
 * DATA_DIR under tests/.tmp/ and the demo seed; waits for /healthz; hands the base URL to the
 * tests (`inject('baseUrl')`, and process.env.LLW_BASE_URL); kills the server at teardown.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import type { TestProject } from 'vitest/node';
import webpush from 'web-push';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One server per test worker: a file uses the one of its worker (setup/browser.ts `server()`). */
    baseUrls: string[];
    dataDirs: string[];
  }
}

const ROOT = path.resolve(import.meta.dirname, '../../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function ensureBuilt(root = ROOT): void {
  if (!fs.existsSync(path.join(root, 'build/index.js'))) {
    console.log('[browser] build/index.js is missing: running `npx remix build`');
    // Vitest sets NODE_ENV=test; a build made under it renders with the development JSX runtime and
    // every page fails ("jsxDEV is not a function"). The served build is always a production one.
    const r = spawnSync('npx', ['remix', 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    if (r.status !== 0) throw new Error('`npx remix build` failed');
  }
  // The service worker lists the build's files: regenerate it for the build in place (a few
  // seconds), since `npx remix build` alone leaves an older public/sw.js behind — unless it was
  // made after this build already (by an earlier test file).
  const built = fs.statSync(path.join(root, 'build/index.js')).mtimeMs;
  const sw0 = fs.statSync(path.join(root, 'public/sw.js'), { throwIfNoEntry: false });
  if (sw0 && sw0.mtimeMs > built) return;
  const sw = spawnSync('npm', ['run', '--silent', 'build:sw'], { cwd: root, stdio: 'inherit' });
  if (sw.status !== 0) throw new Error('`npm run build:sw` failed');
}

/** Polls `url` until it answers 200, the process exits, or the timeout passes. */
export async function waitForHealthy(url: string, child: ChildProcess, log: () => string, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server did not become healthy at ${url} within ${timeoutMs} ms:\n${log()}`);
}

export interface StartedServer {
  baseUrl: string;
  child: ChildProcess;
  stop: () => Promise<void>;
  log: () => string;
}

/** Starts server.ts on the built site with the given environment (shared with tests/bench). */
export async function startServer(env: Record<string, string>, root = ROOT, timeoutMs = 240_000): Promise<StartedServer> {
  const port = await freePort();
  // A production server refuses to start without its public origin (the bench runs one).
  const origin = env.APP_ENV === 'production' && !env.PUBLIC_URL ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {};
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...origin, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The last megabyte of output: with one JSON log line per request, tests that count startup
  // lines after hundreds of requests (speed-server's restart) need more than a screenful. Kept as
  // chunks, cut back to a megabyte past 4: a string rebuilt and sliced per chunk cost ~4.7 ms of this
  // process's event loop per chunk once past a megabyte — in the bench, the same loop as autocannon,
  // which stalled while measuring the server (cached `/` 3,124 → 10,910 req/s once fixed).
  let chunks: string[] = [];
  let size = 0;
  const log = () => {
    const last = chunks.join('').slice(-1_000_000);
    chunks = [last];
    size = last.length;
    return last;
  };
  const keep = (b: Buffer) => {
    const text = b.toString();
    chunks.push(text);
    size += text.length;
    if (size > 4_000_000) log();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  };
  try {
    await waitForHealthy(`${baseUrl}/healthz`, child, log, timeoutMs);
  } catch (e) {
    await stop();
    throw e;
  }
  return { baseUrl, child, stop, log };
}

/** One built server with its own DATA_DIR and freshly seeded demo database. */
async function startTestServer(n: number): Promise<{ server: StartedServer; dataDir: string }> {
  const dataDir = path.join(ROOT, 'tests/.tmp', `browser-${process.pid}-${Date.now()}-${n}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const vapid = webpush.generateVAPIDKeys();
  const server = await startServer(
    {
      NODE_ENV: 'test',
      SEED_DEMO: '1',
      DATA_DIR: dataDir,
      DATABASE_URL: path.join(dataDir, 'app.sqlite'),
      SESSION_SECRET: 'browser-tests-session-secret-0123456789abcdef',
      // Every browser signs in from 127.0.0.1 and the demo accounts sign in hundreds of times.
      RATE_LIMIT_SHARED_FACTOR: '1000',
      WEB_CONCURRENCY: '1', // one process per server: the tests share the 2 cores (speed-server.test.ts covers workers)
      // Web push on, so the settings page offers it (no browser here can reach a real push service).
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
    },
    ROOT,
    240_000, // the demo seed builds 13 EPUBs before the server listens: slow on a loaded machine
  );
  return { server, dataDir };
}

/**
 * Starts one server per test worker of the browser project (its `maxWorkers`), so that files run
 * at the same time never share a server's state (sign-ins, rate limits, demo rows they change).
 */
export default async function setup(project: TestProject) {
  ensureBuilt();
  const count = Math.max(1, Number(project.config.maxWorkers) || 1);
  const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => startTestServer(i + 1)));
  const ok = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stopAll = async () => {
    await Promise.all(ok.map((s) => s.server.stop()));
    if (process.env.LLW_KEEP_DATA !== '1') for (const s of ok) fs.rmSync(s.dataDir, { recursive: true, force: true });
  };
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await stopAll();
    throw (failed as PromiseRejectedResult).reason;
  }
  process.env.LLW_BASE_URL = ok[0]!.server.baseUrl;
  process.env.LLW_DATA_DIR = ok[0]!.dataDir;
  project.provide(
    'baseUrls',
    ok.map((s) => s.server.baseUrl),
  );
  project.provide(
    'dataDirs',
    ok.map((s) => s.dataDir),
  );
  return stopAll;
}
