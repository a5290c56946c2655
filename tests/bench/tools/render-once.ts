/**
 * The set-up render-loop.ts and sql-loop.ts share: the built Remix handler in this process (as a
 * serving process has it: following page-cache bumps, so the data cache is on unless
 * `DATA_CACHE=0`), signed in as `RENDER_AS=<email>` when set, and one render of `target`.
 * `RENDER_BUILD=<dir>` renders another build (default `build`), e.g. a copy of the build before a
 * change, to compare both in the same conditions (the copy must stay inside the repository so that
 * its imports find node_modules). Each render runs in a request context, as server.ts's
 * `observeRequests` runs every request (the root and route loaders then share one session lookup,
 * as they do when served); `RENDER_CONTEXT=0` renders without it, as this tool did before.
 */
import '../../../app/lib/serve-mode.server';

import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { createRequestHandler, type ServerBuild } from '@remix-run/node';

export async function renderer(target: string, as = process.env.RENDER_AS): Promise<() => Promise<void>> {
  const build = (await import(pathToFileURL(path.resolve(process.env.RENDER_BUILD ?? 'build', 'index.js')).href)) as ServerBuild;
  const handle = createRequestHandler(build, 'production');
  const { getDb } = await import('../../../app/lib/db.server');
  if (process.env.DATA_CACHE !== '0') {
    const { startPageCacheSync } = await import('../../../app/lib/page-cache.server');
    await startPageCacheSync(getDb());
  }
  let cookie = '';
  if (as) {
    const { createSessionCookie } = await import('../../../app/lib/auth.server');
    const user = await getDb().selectFrom('users').select('id').where('email', '=', as).executeTakeFirstOrThrow();
    cookie = (await createSessionCookie(user.id)).split(';')[0]!;
  }
  const { runWithRequestContext } = await import('../../../app/lib/observability/log.server');
  const inContext = process.env.RENDER_CONTEXT !== '0';
  let n = 0;
  return async () => {
    const request = new Request(`http://localhost${target}`, { headers: cookie ? { Cookie: cookie } : {} });
    const res = await (inContext ? runWithRequestContext({ reqId: `render-${++n}` }, () => handle(request)) : handle(request));
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${target}: ${res.status}`);
  };
}
