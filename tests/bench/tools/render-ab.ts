/**
 * `node --import tsx tests/bench/tools/render-ab.ts <build A> <build B> <path> [n] [rounds]`: the CPU
 * of one page's render through two builds in the SAME process (no HTTP, no page cache), round by
 * round interleaved with each other and with the framework floor (`/bench/floor`, through build B),
 * so that both see the same machine — e.g. a copy of the build before a change
 * (`tests/.tmp/build-before`, inside the repository so that its imports find node_modules) against
 * `build`. Needs a database (DATA_DIR / DATABASE_URL). Signed in as `RENDER_AS=<email>`, or as the
 * first province organiser with `RENDER_AS=province-organiser` (the reports bench's visitor).
 */
import '../../../app/lib/serve-mode.server';

import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { createRequestHandler, type ServerBuild } from '@remix-run/node';

const [buildA, buildB, target, nArg, roundsArg] = process.argv.slice(2);
if (!buildA || !buildB || !target) throw new Error('usage: render-ab.ts <build A> <build B> <path> [n] [rounds]');
const N = Number(nArg ?? 300);
const ROUNDS = Number(roundsArg ?? 5);

async function main() {
  process.env.SESSION_SECRET ??= 'bench-session-secret-0123456789abcdefghijkl';
  process.env.PUBLIC_URL ??= 'http://127.0.0.1';
  const handler = async (dir: string) =>
    createRequestHandler((await import(pathToFileURL(path.resolve(dir, 'index.js')).href)) as ServerBuild, 'production');
  const handlers = { A: await handler(buildA!), B: await handler(buildB!) };
  const { getDb } = await import('../../../app/lib/db.server');
  const { startPageCacheSync } = await import('../../../app/lib/page-cache.server');
  const { createSessionCookie } = await import('../../../app/lib/auth.server');
  const db = getDb();
  await startPageCacheSync(db);
  let cookie = '';
  const as = process.env.RENDER_AS;
  if (as) {
    const userId =
      as === 'province-organiser'
        ? (
            await db
              .selectFrom('role_grants as g')
              .innerJoin('units as u', 'u.id', 'g.unit_id')
              .select('g.user_id')
              .where('g.role', '=', 'organiser')
              .where('u.kind', '=', 'province')
              .executeTakeFirstOrThrow()
          ).user_id
        : (await db.selectFrom('users').select('id').where('email', '=', as).executeTakeFirstOrThrow()).id;
    cookie = (await createSessionCookie(userId)).split(';')[0]!;
  }
  const once = async (h: (r: Request) => Promise<Response>, p: string) => {
    const res = await h(new Request(`http://localhost${p}`, { headers: cookie ? { Cookie: cookie } : {} }));
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
  };
  const runs: Array<[string, () => Promise<void>]> = [
    ['floor', () => once(handlers.B, '/bench/floor')],
    ['A', () => once(handlers.A, target!)],
    ['B', () => once(handlers.B, target!)],
  ];
  for (const [, f] of runs) for (let i = 0; i < 50; i++) await f(); // warm-up
  const ms: Record<string, number[]> = {};
  for (let r = 0; r < ROUNDS; r++)
    for (const [name, f] of runs) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < N; i++) await f();
      const c = process.cpuUsage(c0);
      (ms[name] ??= []).push((c.user + c.system) / 1000 / N);
    }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const floor = med(ms.floor!);
  for (const [name] of runs)
    console.log(
      `${name === 'floor' ? '/bench/floor' : `${target} ${name} (${name === 'A' ? buildA : buildB})`}: median ${med(ms[name]!).toFixed(2)} ms CPU a render (${ms[name]!.map((x) => x.toFixed(2)).join(' / ')}), ×${(med(ms[name]!) / floor).toFixed(1)} the floor`,
    );
  await db.destroy();
  process.exit(0);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
