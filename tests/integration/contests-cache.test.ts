/**
 * Public contest pages in the rendered-page cache (issue #14; app/lib/page-cache-routes.server.ts):
 * an anonymous visitor's contest page, unit leaderboard and results are stored under the contest's
 * slug, every contest write that changes them (`contestChanged`) makes the next request render
 * again; the contest page is stored while a round is open too, its live counters refreshed by the
 * page's script from `/contests/<slug>/counters` (kept LIVE_COUNTERS_TTL_S per process), and never
 * stored when a round is about to open or close.
 * The renderer here answers from the real page queries on the test database.
 */
import type { AddressInfo } from 'node:net';

import express from 'express';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { startAttempt } from '~/domain/contests/attempts.server';
import { addRound } from '~/domain/contests/contests.server';
import { contestCounters, contestPage, overallPage } from '~/domain/contests/pages.server';
import { LIVE_COUNTERS_TTL_S, publishResults, unitLeaderboard } from '~/domain/contests/results.server';
import { contestPageHeaders } from '~/lib/contests-http.server';
import { clearPageCache, pageCache } from '~/lib/page-cache.server';
import { pageDependencies } from '~/lib/page-cache-routes.server';

import { contestWorld } from '../helpers/contests';
import { dialects, freshDb } from '../helpers/db';

const T0 = new Date(Date.now() - 10 * 86_400_000);

it('lists the public contest pages as cacheable under the slug, never the personal, live or organiser ones', () => {
  expect(pageDependencies('/contests/cong-dan-so')).toEqual(['contests:cong-dan-so', 'units']);
  expect(pageDependencies('/contests/cong-dan-so/leaderboard')).toEqual(['contests:cong-dan-so', 'units']);
  expect(pageDependencies('/contests/cong-dan-so/results')).toEqual(['contests:cong-dan-so', 'units']);
  expect(pageDependencies('/contests/cong-dan-so/rounds/r1/results')).toEqual(['contests:cong-dan-so', 'units']);
  // a round's gallery (issue 15): its vote counts are as of its render, tests/integration/contests-gallery.test.ts
  expect(pageDependencies('/contests/cong-dan-so/gallery/r1')).toEqual(['contests:cong-dan-so', 'contest-gallery:r1', 'units']);
  for (const p of [
    '/contests/new',
    '/contests/template.xlsx',
    '/contests/cong-dan-so/rounds/r1',
    '/contests/cong-dan-so/rounds/r1/submit',
    '/contests/cong-dan-so/manage',
    '/contests/cong-dan-so/export',
    '/contests/cong-dan-so/jury/r1',
    '/contests/cong-dan-so/entries/manage',
  ])
    expect(pageDependencies(p), p).toBeNull();
});

describe.each(dialects)('contest pages in the page cache (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let w: Awaited<ReturnType<typeof contestWorld>>;
  let base = '';
  let close = () => undefined as void;

  beforeAll(async () => {
    const app = express();
    app.use(
      pageCache(async (request) => {
        const path = new URL(request.url).pathname;
        const m = /^\/contests\/([^/]+)(\/leaderboard|\/results)?$/.exec(path);
        if (!m) return new Response('', { status: 404 });
        if (m[2] === '/leaderboard') {
          const c = await db.selectFrom('contests').select('id').where('slug', '=', m[1]!).executeTakeFirstOrThrow();
          const board = await unitLeaderboard(db, c.id);
          return new Response(JSON.stringify(board?.rows.map((r) => `${r.name}:${r.entrants}`)), {
            headers: { 'Content-Type': 'text/html' },
          });
        }
        if (m[2] === '/results') {
          const p = await overallPage(db, m[1]!, null);
          return new Response(JSON.stringify(p.status === 'ok' ? p.contest.overall_status : null), {
            headers: { 'Content-Type': 'text/html' },
          });
        }
        const p = await contestPage(db, m[1]!, null);
        if (p.status !== 'ok') return new Response('', { status: 404 });
        const body = p.rounds.map((r) => `${r.title}:${r.phase}:${r.counters?.entrants ?? '-'}`);
        return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'text/html', ...contestPageHeaders(p.rounds) } });
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => void server.close();
  });
  afterAll(() => close());
  beforeEach(async () => {
    clearPageCache();
    ({ db, cleanup } = await freshDb(dialect));
    w = await contestWorld(db, T0);
  });
  afterEach(async () => cleanup());

  async function get(path: string) {
    const r = await fetch(`${base}${path}`);
    return { cache: r.headers.get('x-page-cache'), text: await r.text() };
  }

  it('stores the contest page and leaderboard, and shows a new round and published results on the next request', async () => {
    const c = await w.contest();
    await w.bank(c.id, ['T'], 3);
    const r1 = await w.quizRound(c.id, 'Tuần 1', 0);
    const u = await w.entrant(c.id, 'Nguyễn Văn An', w.schoolA.id);
    await w.take(r1, u, 2, 10, 100);
    const page = `/contests/${c.slug}`;
    expect((await get(page)).cache).toBe('miss');
    expect((await get(page)).cache).toBe('hit');
    const board = `/contests/${c.slug}/leaderboard`;
    expect((await get(board)).text).toContain('Phường A:0');
    expect((await get(board)).cache).toBe('hit');
    expect((await get(`/contests/${c.slug}/results`)).text).toBe('"none"');

    // A round added by the organiser (far ahead: no phase change within the cache's lifetime).
    const later = await addRound(db, w.organiser, c.id, {
      title: 'Tuần 2',
      opensAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      closesAt: new Date(Date.now() + 6 * 86_400_000).toISOString(),
      timeLimitS: 600,
      quota: [{ topic: null, difficulty: 'easy', count: 2 }],
    });
    expect(later.ok).toBe(true);
    const after = await get(page);
    expect(after.cache).toBe('miss');
    expect(after.text).toContain('Tuần 2:upcoming');

    // Results published: the leaderboard counts the entrant at once.
    expect((await publishResults(db, w.organiser, r1, new Date())).ok).toBe(true);
    const published = await get(board);
    expect(published.cache).toBe('miss');
    expect(published.text).toContain('Phường A:1');
    expect((await get(board)).cache).toBe('hit');
  });

  it('stores the contest page while a round is open; a new entrant moves its counters within LIVE_COUNTERS_TTL_S', async () => {
    const c = await w.contest();
    await w.bank(c.id, ['T'], 3);
    const open = await addRound(db, w.organiser, c.id, {
      title: 'Tuần mở',
      opensAt: new Date(Date.now() - 60_000).toISOString(),
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
      timeLimitS: 600,
      quota: [{ topic: null, difficulty: 'easy', count: 2 }],
    });
    if (!open.ok) throw new Error(open.code);
    const page = `/contests/${c.slug}`;
    const first = await get(page);
    expect(first.cache).toBe('miss');
    expect(first.text).toContain('Tuần mở:open:0');
    expect((await get(page)).cache).toBe('hit');

    // The counters the page polls: kept per process for LIVE_COUNTERS_TTL_S, then counted again.
    const t = Date.now();
    const entrants = async (at: number) => {
      const r = await contestCounters(db, c.slug, null, new Date(at));
      if (r.status !== 'ok') throw new Error(r.status);
      return r.rounds.map((x) => ({ id: x.id, entrants: x.counters.entrants, byUnit: x.counters.byUnit }));
    };
    expect(await entrants(t)).toEqual([{ id: open.value, entrants: 0, byUnit: [] }]);
    const u = await w.entrant(c.id, 'Nguyễn Văn An', w.schoolA.id);
    expect((await startAttempt(db, open.value, u)).ok).toBe(true);
    expect((await entrants(t + 1_000))[0]!.entrants).toBe(0); // kept
    expect(await entrants(t + LIVE_COUNTERS_TTL_S * 1000 + 1)).toEqual([
      { id: open.value, entrants: 1, byUnit: [{ name: 'Phường A', entrants: 1 }] },
    ]);
  });

  it('never stores the contest page when a round opens within the cache lifetime (its phase would go stale)', async () => {
    const c = await w.contest();
    await w.bank(c.id, ['T'], 3);
    const soon = await addRound(db, w.organiser, c.id, {
      title: 'Tuần sắp mở',
      opensAt: new Date(Date.now() + 30_000).toISOString(),
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
      timeLimitS: 600,
      quota: [{ topic: null, difficulty: 'easy', count: 2 }],
    });
    if (!soon.ok) throw new Error(soon.code);
    const page = `/contests/${c.slug}`;
    expect((await get(page)).text).toContain('Tuần sắp mở:upcoming');
    expect((await get(page)).cache).not.toBe('hit');
  });
});
