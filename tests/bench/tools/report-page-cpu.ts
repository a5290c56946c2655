/**
 * CPU per request of a unit's Week report page (issue 16) in one process, next to the framework
 * floor: the built app behind Express as server.ts mounts it (the shared signed-in renders in
 * front, Remix behind), on a kept reports bench database (`BENCH_KEEP=1 npm run bench -- reports`),
 * signed in as the bench's province organiser. For each page, interleaved round by round:
 * `/bench/floor`, the page rendered for the visitor (`PAGE_SHELL=0`, read per request) and the page
 * from its shared render (`X-Page-Cache: shell`). This process's CPU (user + system) per request,
 * the HTTP client included in all three alike (sequential requests on one kept-alive connection).
 *
 *   DATA_DIR=tests/.tmp/bench-… node [--cpu-prof] --import tsx tests/bench/tools/report-page-cpu.ts [n] [rounds] [path…]
 *
 * Without paths: the province organiser's page of each bench form (2024 and 2025).
 * `REPORT_CPU_ONLY=rendered|shared` measures one mode only (for a profile of that path).
 */
import '../../../app/lib/serve-mode.server';

import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import express, { type RequestHandler } from 'express';

const [nArg, roundsArg, ...paths] = process.argv.slice(2);
const N = Number(nArg ?? 300);
const ROUNDS = Number(roundsArg ?? 3);
const ONLY = process.env.REPORT_CPU_ONLY;

type AppBuild = ServerBuild & { entry: { module: { pageCacheMiddleware: (b: ServerBuild) => RequestHandler } } };

async function main() {
  process.env.SESSION_SECRET ??= 'bench-session-secret-0123456789abcdefghijkl';
  process.env.PUBLIC_URL ??= 'http://127.0.0.1';
  const build = (await import(pathToFileURL(path.resolve(process.env.RENDER_BUILD ?? 'build', 'index.js')).href)) as AppBuild;
  const { getDb } = await import('../../../app/lib/db.server');
  const { startPageCacheSync } = await import('../../../app/lib/page-cache.server');
  const { createSessionCookie } = await import('../../../app/lib/auth.server');
  const db = getDb();
  await startPageCacheSync(db);
  const grant = await db
    .selectFrom('role_grants as g')
    .innerJoin('units as u', 'u.id', 'g.unit_id')
    .select(['g.user_id', 'u.slug'])
    .where('g.role', '=', 'organiser')
    .where('u.kind', '=', 'province')
    .executeTakeFirstOrThrow();
  const cookie = (await createSessionCookie(grant.user_id)).split(';')[0]!;
  const forms = await db
    .selectFrom('report_forms')
    .select(['week_year', 'slug'])
    .where('slug', 'like', 'bench-%')
    .orderBy('week_year')
    .execute();
  const pages = paths.length ? paths : forms.map((f) => `/weeks/${f.week_year}/reports/${f.slug}/${grant.slug}`);

  const app = express();
  app.use(build.entry.module.pageCacheMiddleware(build));
  app.all('*', createRequestHandler({ build, mode: 'production' }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const once = async (p: string, mode: 'floor' | 'rendered' | 'shared') => {
    if (mode === 'rendered') process.env.PAGE_SHELL = '0';
    else delete process.env.PAGE_SHELL;
    const res = await fetch(`${base}${p}`, { headers: { Cookie: cookie } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${p} (${mode}): ${res.status}`);
    const via = res.headers.get('x-page-cache');
    if (mode === 'shared' && via !== 'shell') throw new Error(`${p}: not served from a shared render (${via ?? 'rendered'})`);
    return body.length;
  };
  const measure = async (p: string, mode: 'floor' | 'rendered' | 'shared') => {
    const c0 = process.cpuUsage();
    for (let i = 0; i < N; i++) await once(p, mode);
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000 / N;
  };
  try {
    for (const p of pages) {
      const modes = (['floor', 'rendered', 'shared'] as const).filter((m) => !ONLY || m === 'floor' || m === ONLY);
      const url = (m: string) => (m === 'floor' ? '/bench/floor' : p);
      for (const m of modes) {
        const bytes = await once(url(m), m);
        for (let i = 0; i < 30; i++) await once(url(m), m); // warm-up
        if (m !== 'floor') console.log(`${p} (${m}): ${(bytes / 1024).toFixed(1)} K chars`);
      }
      const ms: Record<string, number[]> = {};
      for (let r = 0; r < ROUNDS; r++) for (const m of modes) (ms[m] ??= []).push(await measure(url(m), m));
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const floor = med(ms.floor!);
      const line = modes
        .map((m) => `${m} ${ms[m]!.map((x) => x.toFixed(2)).join(' / ')} ms CPU (×${(med(ms[m]!) / floor).toFixed(1)} floor)`)
        .join('; ');
      console.log(`${p}: ${line} — N=${N} a round, medians to the floor`);
    }
  } finally {
    server.close();
    await db.destroy();
  }
  process.exit(0);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
