/**
 * A database for measuring the statistics pages in process (issue 16): the bench's scratch DB
 * (BENCH_USERS, BENCH_PROVINCES, BENCH_PLANS shrink it) with the national hierarchy and the stats
 * bench's activity (BENCH_NAT_WARDS, BENCH_NAT_SCHOOLS, BENCH_STATS_LOGS), both Weeks computed,
 * and no server: `npm run bench -- stats` without its HTTP rows. Prints the DATA_DIR, e.g.
 *
 *   node --import tsx tests/bench/tools/stats-scale.ts
 *   DATA_DIR=<dir> node --import tsx tests/bench/tools/render-loop.ts /weeks/2024/stats
 */
import fs from 'node:fs';
import path from 'node:path';

import { optimizeStatistics } from '~/db/dialect';
import { createSessionCookie } from '~/lib/auth.server';

import { createScaleDb } from '../run';
import { bench } from '../stats';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const log = (...a: unknown[]) => console.log('[stats-scale]', ...a);

async function main() {
  const dir = path.join(ROOT, 'tests/.tmp', `stats-scale-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  const { db, units, userIds } = await createScaleDb(path.join(dir, 'app.sqlite'));
  const none = { reqPerSec: 0, p50: 0, p99: 0, non2xx: 0, errors: 0 };
  await bench({
    db,
    units,
    userIds,
    log,
    baseUrl: '',
    dataDir: dir,
    serverPid: undefined,
    cookieFor: async (id: string) => (await createSessionCookie(id, db)).split(';')[0]!,
    autocannon: async () => none,
    report: () => undefined,
  } as unknown as Parameters<typeof bench>[0]);
  await optimizeStatistics(db);
  const reader = await db.selectFrom('users').select('email').where('id', '=', userIds[1]!).executeTakeFirstOrThrow();
  await db.destroy();
  log(`DATA_DIR=${dir}`);
  log(`signed in: RENDER_AS=${reader.email}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
