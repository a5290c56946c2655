/**
 * Starts the BUILT server (server.ts on build/) as a child process for the operations tests:
 * full stdout kept (JSON log lines), graceful stop or SIGKILL of the whole process group
 * (the cluster primary and its workers), restart on the same data.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

import { freePort, waitForHealthy } from '../browser/setup/global';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface AppProcess {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  stdout: () => string;
  output: () => string;
  /** Parsed JSON lines of stdout (a line that is not JSON throws: every line must be JSON). */
  logLines: () => Array<Record<string, unknown>>;
  stop: () => Promise<void>;
  /** SIGKILL to the primary and every worker at once: a power cut for the processes. */
  kill: () => Promise<void>;
}

export async function startApp(
  env: Record<string, string>,
  opts: { port?: number; timeoutMs?: number; ready?: string } = {},
): Promise<AppProcess> {
  const port = opts.port ?? (await freePort());
  let out = '';
  let all = '';
  // NODE_ENV and APP_ENV empty, as `npm start` leaves them.
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: '',
    APP_ENV: '',
    HOST: '127.0.0.1',
    PORT: String(port),
    ...env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: ROOT,
    env: childEnv as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: kill() reaches the workers too
  });
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
    all += b.toString();
  });
  child.stderr!.on('data', (b: Buffer) => (all += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    group('SIGTERM');
    const t = setTimeout(() => group('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  };
  const kill = async () => {
    group('SIGKILL');
    await exited;
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthy(`${baseUrl}${opts.ready ?? '/healthz'}`, child, () => all.slice(-20_000), opts.timeoutMs ?? 120_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    baseUrl,
    port,
    child,
    stdout: () => out,
    output: () => all,
    logLines: () =>
      out
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    stop,
    kill,
  };
}

/** A form POST as a browser on this site sends it (same Origin), redirects not followed. */
export function postForm(baseUrl: string, p: string, values: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(baseUrl + p, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: baseUrl, ...headers },
    body: new URLSearchParams(values).toString(),
  });
}

/** The `name=value` of a cookie from a response's Set-Cookie headers. */
export function cookieFrom(res: Response, name: string): string | null {
  for (const c of res.headers.getSetCookie()) if (c.startsWith(`${name}=`)) return c.split(';')[0]!;
  return null;
}

export async function waitUntil(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
