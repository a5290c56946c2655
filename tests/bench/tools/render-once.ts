/**
 * The set-up render-loop.ts and sql-loop.ts share: the built Remix handler in this process (as a
 * serving process has it: following page-cache bumps, so the data cache is on unless
 * `DATA_CACHE=0`), signed in as `RENDER_AS=<email>` when set, and one render of `target`.
 * `RENDER_BUILD=<dir>` renders another build (default `build`), e.g. a copy of the build before a
 * change, to compare both in the same conditions (the copy must stay inside the repository so that
 * its imports find node_modules).
 */
import '../../../app/lib/serve-mode.server';

import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { createRequestHandler, type ServerBuild } from '@remix-run/node';

export async function renderer(target: string): Promise<() => Promise<void>> {
  const build = (await import(pathToFileURL(path.resolve(process.env.RENDER_BUILD ?? 'build', 'index.js')).href)) as ServerBuild;
  const handle = createRequestHandler(build, 'production');
  const { getDb } = await import('../../../app/lib/db.server');
  if (process.env.DATA_CACHE !== '0') {
    const { startPageCacheSync } = await import('../../../app/lib/page-cache.server');
    await startPageCacheSync(getDb());
  }
  let cookie = '';
  if (process.env.RENDER_AS) {
    const { createSessionCookie } = await import('../../../app/lib/auth.server');
    const user = await getDb().selectFrom('users').select('id').where('email', '=', process.env.RENDER_AS).executeTakeFirstOrThrow();
    cookie = (await createSessionCookie(user.id)).split(';')[0]!;
  }
  return async () => {
    const res = await handle(new Request(`http://localhost${target}`, { headers: cookie ? { Cookie: cookie } : {} }));
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${target}: ${res.status}`);
  };
}
