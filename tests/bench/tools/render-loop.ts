/**
 * `node --import tsx tests/bench/tools/render-loop.ts [path] [n]`: renders one page n times in
 * this process through the built Remix handler (no HTTP, no page cache) and prints the time per
 * render — the before/after measure of route matching (app/patches/@remix-run+router*.patch).
 * Needs a built site and a database with the demo data (DATA_DIR, as `npm start` leaves it).
 * `RENDER_AS=<email>` renders for that signed-in account (a session is created for it);
 * `DATA_CACHE=0` renders without the data cache (`cachedData`), as before it existed.
 */
import '../../../app/lib/serve-mode.server';

import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { createRequestHandler, type ServerBuild } from '@remix-run/node';

const target = process.argv[2] ?? '/';
const n = Number(process.argv[3] ?? 300);
const build = (await import(pathToFileURL(path.resolve('build/index.js')).href)) as ServerBuild;
const handle = createRequestHandler(build, 'production');
if (process.env.DATA_CACHE !== '0') {
  // As a serving process does (app/boot.server.ts): follows bumps, so the data cache is on.
  const { getDb } = await import('../../../app/lib/db.server');
  const { startPageCacheSync } = await import('../../../app/lib/page-cache.server');
  await startPageCacheSync(getDb());
}
let cookie = '';
if (process.env.RENDER_AS) {
  const { getDb } = await import('../../../app/lib/db.server');
  const { createSessionCookie } = await import('../../../app/lib/auth.server');
  const user = await getDb().selectFrom('users').select('id').where('email', '=', process.env.RENDER_AS).executeTakeFirstOrThrow();
  cookie = (await createSessionCookie(user.id)).split(';')[0]!;
}
const once = async () => {
  const res = await handle(new Request(`http://localhost${target}`, { headers: cookie ? { Cookie: cookie } : {} }));
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${target}: ${res.status}`);
};
for (let i = 0; i < 50; i++) await once(); // warm-up
const t0 = performance.now();
for (let i = 0; i < n; i++) await once();
const ms = (performance.now() - t0) / n;
console.log(`${target}: ${ms.toFixed(2)} ms per render (${n} renders, ${(1000 / ms).toFixed(0)} renders/s in one process)`);
process.exit(0);
