import { spawn } from 'node:child_process';

import { waitForHealthy } from '../../browser/setup/global';

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
    log: () => output,
    stop: async () => {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
