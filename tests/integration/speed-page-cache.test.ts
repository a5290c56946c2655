/**
 * The rendered-page cache (app/lib/page-cache.server.ts) in one process: an Express app with the
 * cache in front of a renderer that counts its renders, and the shared versions table on both
 * dialects. The built server's end-to-end behaviour is in speed-server.test.ts.
 */
import type { AddressInfo } from 'node:net';

import express from 'express';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { resetEnvCache } from '~/lib/env.server';
import {
  bumpCache,
  cachedData,
  clearPageCache,
  pageCache,
  pageCacheStats,
  pollPageCacheVersions,
  startPageCacheSync,
  stopPageCacheSync,
} from '~/lib/page-cache.server';

import { dialects, freshDb } from '../helpers/db';

let renders = 0;
let nextStatus = 200;
let setCookie = false;
let version = 1;
let bodyBytes = 2_000;

async function render(request: Request): Promise<Response> {
  renders++;
  await new Promise((r) => setTimeout(r, 20)); // a render takes a while: concurrent misses overlap
  const url = new URL(request.url);
  const lang = request.headers.get('accept-language')?.startsWith('en') ? 'en' : 'vi';
  const large = /textsize=large/.test(request.headers.get('cookie') ?? '');
  const html = `<html lang="${lang}" class="${large ? 'large-text' : ''}"><body>v${version} ${url.pathname}${url.search} ${'x'.repeat(bodyBytes)}</body></html>`;
  const headers = new Headers({ 'Content-Type': 'text/html; charset=utf-8' });
  if (setCookie) headers.append('Set-Cookie', 'flash=; Path=/');
  return new Response(html, { status: nextStatus, headers });
}

let base = '';
let close: () => void = () => undefined;

beforeAll(async () => {
  process.env.PAGE_CACHE_MAX_MB = '1';
  const app = express();
  app.use(pageCache(render));
  app.use((_req, res) => {
    res.setHeader('X-Page-Cache', 'bypass');
    res.send('rendered without the cache');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => {
  close();
  delete process.env.PAGE_CACHE_MAX_MB;
});
beforeEach(() => {
  clearPageCache();
  renders = 0;
  nextStatus = 200;
  setCookie = false;
  bodyBytes = 2_000;
  version++;
});

describe('page cache in front of a renderer', () => {
  it('renders a public page once, then answers from the cache with an ETag and a 304', async () => {
    const a = await fetch(`${base}/library`);
    expect(a.headers.get('x-page-cache')).toBe('miss');
    const b = await fetch(`${base}/library`);
    expect(b.headers.get('x-page-cache')).toBe('hit');
    expect(await b.text()).toBe(await a.text());
    expect(renders).toBe(1);
    const etag = b.headers.get('etag')!;
    expect(b.headers.get('cache-control')).toMatch(/s-maxage=\d+, stale-while-revalidate=\d+/);
    const c = await fetch(`${base}/library`, { headers: { 'If-None-Match': etag } });
    expect(c.status).toBe(304);
  });

  it('keeps gzip and brotli bytes', async () => {
    await fetch(`${base}/courses`);
    const res = await fetch(`${base}/courses`, { headers: { 'Accept-Encoding': 'br' }, decompress: false } as RequestInit);
    expect(res.headers.get('content-encoding')).toBe('br');
    const gz = await fetch(`${base}/courses`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(await gz.text()).toContain('/courses');
  });

  it('keeps two languages and two text sizes apart', async () => {
    const vi = await (await fetch(`${base}/resources`)).text();
    const en = await (await fetch(`${base}/resources`, { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } })).text();
    const large = await (await fetch(`${base}/resources`, { headers: { Cookie: 'textsize=large' } })).text();
    const enCookie = await fetch(`${base}/resources`, { headers: { Cookie: 'lang=en' } });
    expect(vi).toContain('lang="vi"');
    expect(en).toContain('lang="en"');
    expect(large).toContain('large-text');
    expect(enCookie.headers.get('x-page-cache')).toBe('hit'); // the cookie and the header name the same language
    expect(renders).toBe(3);
  });

  it('never serves or stores for a signed-in visitor (any other cookie)', async () => {
    const res = await fetch(`${base}/library`, { headers: { Cookie: 'llw_session=abc' } });
    expect(res.headers.get('x-page-cache')).toBe('bypass');
    expect(pageCacheStats().entries).toBe(0);
  });

  it('never stores a response that sets a cookie, nor an error', async () => {
    setCookie = true;
    const a = await fetch(`${base}/weeks`);
    expect(a.headers.get('set-cookie')).toContain('flash=');
    expect(a.headers.get('x-page-cache')).toBe('bypass');
    setCookie = false;
    nextStatus = 404;
    const b = await fetch(`${base}/library/no-such-book`);
    expect(b.status).toBe(404);
    nextStatus = 500;
    await fetch(`${base}/library/no-such-book`);
    expect(pageCacheStats().entries).toBe(0);
  });

  it('does not cache pages outside the public list', async () => {
    const res = await fetch(`${base}/account`);
    expect(res.headers.get('x-page-cache')).toBe('bypass');
    expect(renders).toBe(0);
  });

  it('renders once per key for a cold burst (single flight)', async () => {
    const all = await Promise.all(Array.from({ length: 60 }, () => fetch(`${base}/weeks/2024`).then((r) => r.text())));
    expect(new Set(all).size).toBe(1);
    expect(renders).toBe(1);
  });

  it('stays within its byte limit under a large crawl (LRU)', async () => {
    bodyBytes = 20_000; // incompressible enough: each entry ~ raw + gzip + brotli
    for (let i = 0; i < 300; i++) await fetch(`${base}/search?q=${i}-${Math.random()}`);
    const { bytes, entries } = pageCacheStats();
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(entries).toBeGreaterThan(5);
    expect(entries).toBeLessThan(300);
    // The most recent page is still there.
  });
});

describe.each(dialects)('shared versions (%s)', (dialect) => {
  it('a bump makes the cached page render again, in this and in another reader of the table', async () => {
    const { db, cleanup } = await freshDb(dialect);
    clearPageCache();
    try {
      await fetch(`${base}/library`);
      expect((await fetch(`${base}/library`)).headers.get('x-page-cache')).toBe('hit');
      await bumpCache(db, 'oer'); // another area: still a hit
      expect((await fetch(`${base}/library`)).headers.get('x-page-cache')).toBe('hit');
      await bumpCache(db, 'library', 'some-title');
      expect((await fetch(`${base}/library`)).headers.get('x-page-cache')).toBe('miss');
      // Another process's bump arrives through the table: written here with raw SQL, read by polling.
      const row = await db.selectFrom('page_cache_versions').select('seq').where('name', '=', '#seq').executeTakeFirstOrThrow();
      const seq = Number(row.seq) + 1;
      await db.updateTable('page_cache_versions').set({ seq }).where('name', '=', '#seq').execute();
      await db
        .insertInto('page_cache_versions')
        .values({ name: 'weeks:2024', seq })
        .onConflict((oc) => oc.column('name').doUpdateSet({ seq }))
        .execute();
      await fetch(`${base}/weeks/2024`);
      await fetch(`${base}/weeks/2024`);
      await pollPageCacheVersions(db);
      expect((await fetch(`${base}/weeks/2024`)).headers.get('x-page-cache')).toBe('miss');
    } finally {
      await cleanup();
    }
  });

  it('keeps a public part of signed-in pages until one of its areas is bumped — for the serving database only', async () => {
    const { db, url: dbUrl, cleanup } = await freshDb(dialect);
    const other = await freshDb(dialect);
    const saved = process.env.DATABASE_URL;
    if (dialect === 'postgres') process.env.DATABASE_URL = dbUrl;
    resetEnvCache();
    clearPageCache();
    let loads = 0;
    const load = async () => ++loads;
    const deps = ['plans:2024', 'units'];
    try {
      // A database the process does not serve (a script, another test): always read afresh.
      expect(await cachedData(db, 'tree', deps, load)).toBe(1);
      expect(await cachedData(db, 'tree', deps, load)).toBe(2);
      await startPageCacheSync(db);
      expect(await cachedData(db, 'tree', deps, load)).toBe(3);
      expect(await cachedData(db, 'tree', deps, load)).toBe(3);
      await bumpCache(db, 'plans', 2023); // another Week's plans: still kept
      await bumpCache(db, 'oer');
      expect(await cachedData(db, 'tree', deps, load)).toBe(3);
      await bumpCache(db, 'plans', 2024);
      expect(await cachedData(db, 'tree', deps, load)).toBe(4);
      await bumpCache(db, 'units');
      expect(await cachedData(db, 'tree', deps, load)).toBe(5);
      await bumpCache(db, 'plans'); // the whole area
      expect(await cachedData(db, 'tree', deps, load)).toBe(6);
      expect(await cachedData(other.db, 'tree', deps, load)).toBe(7);
      // Inside a transaction: read afresh (it may see its own uncommitted writes).
      expect(await db.transaction().execute((trx) => cachedData(trx, 'tree', deps, load))).toBe(8);
      // A failed read is not kept.
      await expect(cachedData(db, 'failing', deps, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
      expect(await cachedData(db, 'failing', deps, load)).toBe(9);
    } finally {
      await stopPageCacheSync();
      process.env.DATABASE_URL = saved;
      resetEnvCache();
      await other.cleanup();
      await cleanup();
    }
  });
});

describe.runIf(dialects.includes('postgres'))('LISTEN/NOTIFY (postgres)', () => {
  it("another instance's bump arrives by NOTIFY, without waiting for a poll", async () => {
    const { db, url: dbUrl, cleanup } = await freshDb('postgres');
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = dbUrl;
    process.env.PAGE_CACHE_POLL_MS = '600000'; // no backstop poll in time: only NOTIFY can deliver
    resetEnvCache();
    clearPageCache();
    try {
      await startPageCacheSync(db);
      await fetch(`${base}/courses`);
      expect((await fetch(`${base}/courses`)).headers.get('x-page-cache')).toBe('hit');
      // Another instance: the counter and the area row changed, then NOTIFY — as bumpCache does there.
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('page_cache_versions')
          .set({ seq: sql`seq + 1` })
          .where('name', '=', '#seq')
          .returning('seq')
          .executeTakeFirstOrThrow();
        const seq = Number(row.seq);
        await trx
          .insertInto('page_cache_versions')
          .values({ name: 'courses', seq })
          .onConflict((oc) => oc.column('name').doUpdateSet({ seq }))
          .execute();
        await sql`select pg_notify('llw_page_cache', ${String(seq)})`.execute(trx);
      });
      const t0 = Date.now();
      while ((await fetch(`${base}/courses`)).headers.get('x-page-cache') === 'hit') {
        await new Promise((r) => setTimeout(r, 20));
        if (Date.now() - t0 > 5_000) throw new Error('the bump never arrived');
      }
      expect(Date.now() - t0).toBeLessThan(2_000);
    } finally {
      await stopPageCacheSync();
      process.env.DATABASE_URL = saved;
      delete process.env.PAGE_CACHE_POLL_MS;
      resetEnvCache();
      await cleanup();
    }
  });
});
