/**
 * The posting tools' scratch database (post-http.ts, post-loop.ts): a folder under tests/.tmp with a
 * scale database seeded as `npm run bench -- community` seeds it (BENCH_USERS, BENCH_PROVINCES,
 * BENCH_PLANS, BENCH_COMMUNITY_SCALE), the built server started on it, and the folder removed at
 * the end (kept with BENCH_KEEP=1).
 */
import fs from 'node:fs';
import path from 'node:path';

import { startServer } from '../../browser/setup/global';
import { seedCommunity } from '../community';
import { createScaleDb } from '../run';

const ROOT = path.resolve(import.meta.dirname, '../../..');

export async function postScratch(tool: string) {
  const log = (...a: unknown[]) => console.log(`[${tool}]`, ...a);
  const dir = path.join(ROOT, 'tests/.tmp', `${tool}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'app.sqlite');
  const { db, units, userIds } = await createScaleDb(file);
  const ctx = { db, units, userIds, log };
  const data = await seedCommunity(ctx);
  return {
    ctx,
    file,
    data,
    /** The built server on the scratch database, as in production; `env` added. */
    startServer: (env: Record<string, string> = {}) =>
      startServer(
        {
          APP_ENV: 'production',
          SEED_DEMO: '0',
          DATA_DIR: dir,
          DATABASE_URL: file,
          ...env,
          SESSION_SECRET: 'bench-session-secret-0123456789abcdefghijkl',
        },
        ROOT,
      ),
    /** Closes the database and removes the folder (unless BENCH_KEEP=1). */
    done: async () => {
      await db.destroy();
      if (process.env.BENCH_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs a tool's `main` and exits with 0, or 1 after printing what it threw. */
export function runTool(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
