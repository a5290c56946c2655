/**
 * Posting throughput through the server (issue 12, "≥ 500 posts/s accepted"): seeds a scratch
 * database as `npm run bench -- community` does (BENCH_USERS, BENCH_PROVINCES, BENCH_PLANS,
 * BENCH_COMMUNITY_SCALE), starts the built server on it (its workers and the jobs process,
 * TRUST_PROXY=1), then POSTs replies from BENCH_POST_CONNECTIONS connections (default 50) for
 * BENCH_POST_SECONDS (default 8) as BENCH_POST_POSTERS members (default 1,000), and waits for the
 * follower notices (the outbox) to arrive. BENCH_SERVER_PROF=<dir>: the server under --cpu-prof;
 * BENCH_POST_WARMUP_S: a warm-up run first.
 *
 *   BENCH_USERS=3000 BENCH_PROVINCES=4 BENCH_PLANS=100 BENCH_COMMUNITY_SCALE=0.02 \
 *     node --import tsx tests/bench/tools/post-http.ts
 */
import path from 'node:path';

import { sessionCookie } from '../../helpers/users';
import { postingOverHttp } from '../community';
import { postScratch, runTool } from './post-scratch';
import { postingServer } from './profiled-server';

runTool(async () => {
  const { ctx, file, data, done } = await postScratch('post-http');
  const { db, userIds, log } = ctx;
  // Under --cpu-prof when BENCH_SERVER_PROF names a folder (./profiled-server.ts).
  const server = await postingServer(path.dirname(file), file, path.resolve(import.meta.dirname, '../../..'));
  try {
    const on = { db, userIds, log, baseUrl: server.baseUrl, serverPid: server.child?.pid, cookieFor: (u: string) => sessionCookie(db, u) };
    const first = Math.min(1_000, Math.floor(userIds.length / 3));
    // BENCH_POST_WARMUP_S: a first run of that many seconds (other members) warms the server up
    // (its start-up jobs done, its code optimised) before the run that is reported.
    const warm = Number(process.env.BENCH_POST_WARMUP_S ?? 0);
    if (warm > 0) {
      log(`warm-up (${warm} s):`);
      await postingOverHttp(on, data.longThread, { firstPoster: first + 1_000, seconds: warm });
    }
    await postingOverHttp(on, data.longThread, { firstPoster: first });
  } finally {
    await server.stop();
    await done();
  }
});
