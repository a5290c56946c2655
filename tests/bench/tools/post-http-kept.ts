/**
 * Posting over HTTP (as `postingOverHttp` in the community bench) on a bench folder kept with
 * BENCH_KEEP=1, so the full-scale data need not be seeded again (~4 minutes) for each measure:
 *
 *   BENCH_DIR=tests/.tmp/bench-… BENCH_FIRST_POSTER=5000 [WEB_CONCURRENCY=1] \
 *     node --import tsx tests/bench/tools/post-http-kept.ts
 *
 * The long thread is the forum thread with the most posts; posters are the bench's `userN@bench.test`
 * members from BENCH_FIRST_POSTER on (pick another range for each run: 10 replies a minute per account).
 */
import path from 'node:path';

import { openDatabase } from '~/db/connection';

import { sessionCookie } from '../../helpers/users';
import { postingOverHttp } from '../community';
import { runTool } from './post-scratch';
import { postingServer } from './profiled-server';

runTool(async () => {
  const dir = path.resolve(process.env.BENCH_DIR ?? '');
  const file = path.join(dir, 'app.sqlite');
  const db = openDatabase(file);
  const log = (...a: unknown[]) => console.log('[post-http-kept]', ...a);
  const users = await db.selectFrom('users').select(['id', 'email']).where('email', 'like', 'user%@bench.test').execute();
  const userIds = users
    .map((u) => ({ id: u.id, n: Number(/^user(\d+)@/.exec(u.email)?.[1] ?? -1) }))
    .sort((a, b) => a.n - b.n)
    .map((u) => u.id);
  const long = await db
    .selectFrom('disc_threads')
    .where('place_type', '=', 'forum')
    .select(['id', 'last_post_no as n'])
    .orderBy('last_post_no', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  log(`${userIds.length} members; long thread ${long.id} (${long.n} posts)`);
  const root = path.resolve(import.meta.dirname, '../../..');
  const server = await postingServer(dir, file, root);
  try {
    const on = { db, userIds, log, baseUrl: server.baseUrl, serverPid: server.child?.pid, cookieFor: (u: string) => sessionCookie(db, u) };
    const first = Number(process.env.BENCH_FIRST_POSTER ?? 5_000);
    // BENCH_POST_WARMUP_S: a first run of that many seconds (the next 1,000 members) warms the server up, as in post-http.ts.
    const warm = Number(process.env.BENCH_POST_WARMUP_S ?? 0);
    if (warm > 0) {
      log(`warm-up (${warm} s):`);
      await postingOverHttp(on, long.id, { firstPoster: first + 1_000, seconds: warm });
    }
    await postingOverHttp(on, long.id, { firstPoster: first });
    if (process.env.BENCH_SERVER_LOG) console.log(server.log().slice(-Number(process.env.BENCH_SERVER_LOG)));
  } finally {
    await server.stop();
    await db.destroy();
  }
});
