/** Foundation pages at scale: home, the Week with 2,000 published plans, one plan, a signed-in page. */
import type { BenchContext } from './run';

export async function bench(ctx: BenchContext & { planPaths?: string[] }): Promise<void> {
  ctx.report('GET /', await ctx.autocannon('/'));
  ctx.report('GET /weeks/2024', await ctx.autocannon('/weeks/2024'));
  const plan = ctx.planPaths?.[Math.floor((ctx.planPaths.length ?? 1) / 2)] ?? '/weeks/2024/plans/bien-giang';
  ctx.report(`GET plan page`, await ctx.autocannon(plan));
  const cookie = await ctx.cookieFor(ctx.userIds[42]!);
  ctx.report('GET / signed in', await ctx.autocannon({ path: '/', headers: { Cookie: cookie } }));
  ctx.report('GET /healthz', await ctx.autocannon('/healthz'), 'other');
}
