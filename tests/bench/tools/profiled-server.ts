import { spawn } from 'node:child_process';

import { startServer, waitForHealthy } from '../../browser/setup/global';

/** The server under `node --cpu-prof` (not allowed in NODE_OPTIONS): its profile lands in `dir` when it stops. */
export async function profiledServer(env: Record<string, string>, root: string, dir: string) {
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', 'server.ts'], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-1_000_000)));
  child.stderr.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-1_000_000)));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealthy(`${baseUrl}/healthz`, child, () => output);
  return {
    baseUrl,
    child,
    log: () => output,
    stop: async () => {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A production server of the posting tools on the bench folder `dir` (its database `file`); under
 * --cpu-prof when BENCH_SERVER_PROF names a folder for the profiles (one a process, written when it stops).
 */
export function postingServer(dir: string, file: string, root: string) {
  const env: Record<string, string> = {
    APP_ENV: 'production',
    SEED_DEMO: '0',
    DATA_DIR: dir,
    DATABASE_URL: file,
    TRUST_PROXY: '1',
    SESSION_SECRET: 'bench-session-secret-0123456789abcdefghijkl',
  };
  const prof = process.env.BENCH_SERVER_PROF;
  return prof ? profiledServer(env, root, prof) : startServer(env, root);
}
