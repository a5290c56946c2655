/**
 * Posting throughput through the server (issue 12, "≥ 500 posts/s accepted"): seeds a scratch
 * database as `npm run bench -- community` does (BENCH_USERS, BENCH_PROVINCES, BENCH_PLANS,
 * BENCH_COMMUNITY_SCALE), starts the built server on it (its workers and the jobs process,
 * TRUST_PROXY=1), then POSTs replies from BENCH_POST_CONNECTIONS connections (default 16) for
 * BENCH_POST_SECONDS (default 8) as BENCH_POST_POSTERS members (default 1,000), and waits for the
 * follower notices (the outbox) to arrive.
 *
 *   BENCH_USERS=3000 BENCH_PROVINCES=4 BENCH_PLANS=100 BENCH_COMMUNITY_SCALE=0.02 \
 *     node --import tsx tests/bench/tools/post-http.ts
 */
import fs from 'node:fs';
import path from 'node:path';

import { createSessionCookie } from '~/lib/auth.server';

import { startServer } from '../../browser/setup/global';
import { postingOverHttp, seedCommunity } from '../community';
import { createScaleDb } from '../run';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const log = (...a: unknown[]) => console.log('[post-http]', ...a);

async function main() {
  const dir = path.join(ROOT, 'tests/.tmp', `post-http-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'app.sqlite');
  const { db, units, userIds } = await createScaleDb(file);
  const data = await seedCommunity({ db, units, userIds, log });
  const server = await startServer(
    {
      APP_ENV: 'production',
      SEED_DEMO: '0',
      DATA_DIR: dir,
      DATABASE_URL: file,
      TRUST_PROXY: '1',
      SESSION_SECRET: 'bench-session-secret-0123456789abcdefghijkl',
    },
    ROOT,
  );
  try {
    await postingOverHttp(
      {
        db,
        userIds,
        log,
        baseUrl: server.baseUrl,
        cookieFor: async (u) => (await createSessionCookie(u, db)).split(';')[0]!,
      },
      data.longThread,
      { firstPoster: Math.min(1_000, Math.floor(userIds.length / 3)) },
    );
  } finally {
    await server.stop();
    await db.destroy();
    if (process.env.BENCH_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
