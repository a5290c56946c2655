/**
 * Posting throughput with and without the server on the same database (issue 12): seeds a scratch
 * database as `npm run bench -- community` does (BENCH_USERS, BENCH_PROVINCES, BENCH_PLANS,
 * BENCH_COMMUNITY_SCALE), runs the community bench's posting loop alone, then starts the built
 * server on the file (workers and the jobs process, as the bench has it), waits POST_LOOP_SETTLE_S
 * (default 15) and runs the loop again with other members. Each run prints where a reply's time
 * goes (statements by total time).
 *
 *   BENCH_USERS=2000 BENCH_PROVINCES=4 BENCH_PLANS=100 BENCH_COMMUNITY_SCALE=0.02 \
 *     node --import tsx tests/bench/tools/post-loop.ts [count]
 */
import { postingLoop } from '../community';
import { postScratch, runTool } from './post-scratch';

runTool(async () => {
  const count = Number(process.argv[2] ?? 500);
  const { ctx, file, data, startServer, done } = await postScratch('post-loop');
  const { log } = ctx;
  if (process.env.POST_LOOP_ALONE !== '0') {
    log('--- without the server');
    await postingLoop(ctx, file, data.longThread, count, 1);
  }
  log('--- with the server running (workers + jobs)');
  const server = await startServer();
  try {
    await new Promise((r) => setTimeout(r, Number(process.env.POST_LOOP_SETTLE_S ?? 15) * 1000));
    await postingLoop(ctx, file, data.longThread, count, 301);
  } finally {
    await server.stop();
    await done();
  }
});
