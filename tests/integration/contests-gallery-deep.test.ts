/**
 * A deep page of the read-aloud gallery for signed-in visitors (issue 15): a page is a key range of
 * the gallery index between kept anchors (`galleryAnchors` in app/domain/contests/entries-pages.server.ts,
 * in the data cache), not an OFFSET. The BUILT app in this process behind Express, as server.ts
 * mounts it, with the test database as the serving one (the data cache keeps), on each dialect:
 * - a deep page's shared render is byte for byte a fresh render, and lists exactly the entries an
 *   OFFSET of the same page gives;
 * - an entry leaving the gallery (rejected) or coming into it (approved), before the page, shows on
 *   the very next request of the deep page (the pages after it shift by one);
 * - a write behind the domain's back (no bump) is not seen: the anchors are kept between views.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import express, { type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { galleryChanged } from '~/domain/contests/cache.server';
import { addSubmissionRound, moderateEntry } from '~/domain/contests/entries.server';
import { GALLERY_PAGE_SIZE } from '~/domain/contests/entries-pages.server';
import { castVote } from '~/domain/contests/votes.server';
import { createSessionCookie } from '~/lib/auth.server';
import { resetEnvCache } from '~/lib/env.server';
import { newId } from '~/lib/ids.server';
import { clearPageCache, startPageCacheSync, stopPageCacheSync } from '~/lib/page-cache.server';
import { clearShellPages } from '~/lib/page-shell.server';

import { ensureBuilt } from '../browser/setup/global';
import { contestWorld } from '../helpers/contests';
import { dialects, freshDb } from '../helpers/db';
import { ESTABLISHED_ACCOUNT, makeUser } from '../helpers/users';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DAY = 86_400_000;
type AppBuild = ServerBuild & {
  entry: { module: { pageCacheMiddleware: (b: ServerBuild) => RequestHandler; guardActions: (b: ServerBuild) => ServerBuild } };
};

let build: AppBuild;
const SET_ENV = { SESSION_SECRET: 'page-shell-test-secret-of-at-least-32-characters', PUBLIC_URL: 'http://127.0.0.1' };
beforeAll(async () => {
  ensureBuilt(ROOT);
  for (const [k, v] of Object.entries(SET_ENV)) process.env[k] ??= v;
  build = (await import(pathToFileURL(path.join(ROOT, 'build/index.js')).href)) as AppBuild;
}, 240_000);
afterAll(() => {
  for (const [k, v] of Object.entries(SET_ENV)) if (process.env[k] === v) delete process.env[k];
});

/** The first place two strings differ, with some context, for a readable failure. */
function firstDifference(a: string, b: string): string | null {
  if (a === b) return null;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const at = Math.max(0, i - 120);
  return `at ${i} of ${a.length}/${b.length}:\n  shared: …${a.slice(at, i + 160)}…\n  fresh:  …${b.slice(at, i + 160)}…`;
}

const VOTED = 'Bạn đã bình chọn';
/** Six pages: five full ones and a last one of five. */
const ENTRIES = GALLERY_PAGE_SIZE * 5 + 5;
const DEEP = 5;
const title = (i: number) => `Bài đọc ${String(i).padStart(4, '0')}`;

describe.each(dialects)('a deep page of the read-aloud gallery, shared for signed-in visitors (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let base = '';
  let close: () => void = () => undefined;
  let w: Awaited<ReturnType<typeof contestWorld>>;
  let gallery = '';
  let roundId = '';
  let contestId = '';
  const entryIds: string[] = [];
  const cookies: string[] = [];
  let savedUrl: string | undefined;

  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    (globalThis as unknown as { __appDb?: DB }).__appDb = db;
    savedUrl = process.env.DATABASE_URL;
    if (dialect === 'postgres') process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
    resetEnvCache();
    clearPageCache(); // versions seen on other tests' databases would outrank this one's
    clearShellPages();
    await startPageCacheSync(db); // db is now the serving database: the data cache keeps
    w = await contestWorld(db, new Date(Date.now() - 30 * DAY));
    for (const name of ['Trần Văn Một', 'Lê Thị Hai']) {
      const id = await makeUser(db, name, { createdAt: ESTABLISHED_ACCOUNT, locale: 'vi' });
      cookies.push((await createSessionCookie(id, db)).split(';')[0]!);
    }
    const c = await w.contest();
    contestId = c.id;
    const now = Date.now();
    const r = await addSubmissionRound(db, w.organiser, c.id, {
      title: 'Vòng trường',
      opensAt: new Date(now - 3 * DAY).toISOString(),
      closesAt: new Date(now - DAY).toISOString(),
      entryKind: 'audio',
      passageTitle: 'Tre Việt Nam',
      passageText: 'Tre xanh, xanh tự bao giờ?',
      minSeconds: 2,
      maxSeconds: 3,
      stageLevel: 'school',
      advanceCount: 1,
      gallery: true,
      voting: true,
      voteOpensAt: new Date(now - DAY).toISOString(),
      voteClosesAt: new Date(now + DAY).toISOString(),
    });
    if (!r.ok) throw new Error(r.code);
    roundId = r.value;
    gallery = `/contests/${c.slug}/gallery/${roundId}`;
    for (let i = 0; i < ENTRIES; i++) entryIds.push(await entry(i, String(i).padStart(4, '0'), 'approved'));

    const app = express();
    app.use(build.entry.module.pageCacheMiddleware(build));
    app.all('*', createRequestHandler({ build: build.entry.module.guardActions(build), mode: 'production' }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((res) => server.once('listening', res));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  }, 180_000);
  afterAll(async () => {
    close();
    delete process.env.PAGE_SHELL;
    await stopPageCacheSync();
    clearPageCache();
    clearShellPages();
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = savedUrl;
    resetEnvCache();
    (globalThis as unknown as { __appDb?: DB }).__appDb = undefined;
    await cleanup();
  });

  /** An audio entry of a registered entrant, written as the bench writes them; its id. */
  async function entry(i: number, code: string, moderation: 'approved' | 'pending'): Promise<string> {
    const unitId = i % 2 ? w.schoolB.id : w.schoolA.id;
    const userId = await w.entrant(contestId, `Thí sinh ${code}`, unitId);
    const n = await db
      .selectFrom('contest_entrants')
      .select('id')
      .where('contest_id', '=', contestId)
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    const id = newId();
    const t = new Date().toISOString();
    await db
      .insertInto('contest_entries')
      .values({
        id,
        round_id: roundId,
        entrant_id: n.id,
        user_id: userId,
        unit_id: unitId,
        code: `G${code}`,
        title: `Bài đọc ${code}`,
        body_text: '',
        blob_key: null,
        mime: 'audio/webm',
        size_bytes: 1000,
        duration_s: 2.5,
        minor: 0,
        moderation,
        parental_consent: 0,
        promoted_from: null,
        votes_counted: 0,
        submitted_at: t,
        updated_at: t,
        replaced_count: 0,
      })
      .execute();
    return id;
  }

  const get = async (p: string, cookie: string) => {
    const res = await fetch(`${base}${p}`, { headers: { Cookie: cookie } });
    const html = await res.text();
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
    const neutral = (nonce ? html.split(nonce).join('NONCE') : html)
      .replace(/"asOf":"[0-9T:.-]+Z"/g, '"asOf":"AS_OF"')
      .replace(/(Số phiếu tính đến|Vote counts as of) [^<]*?\./g, '$1 TIME.');
    return { status: res.status, via: res.headers.get('x-page-cache'), html, neutral };
  };
  /** The page rendered for this visitor alone (the shared renders switched off). */
  const rendered = async (p: string, cookie: string) => {
    process.env.PAGE_SHELL = '0';
    try {
      return await get(p, cookie);
    } finally {
      delete process.env.PAGE_SHELL;
    }
  };
  /** The entry titles a page shows, in order. */
  const titles = (html: string) => [...html.matchAll(/<h2>(Bài đọc [^<]+)<\/h2>/g)].map((m) => m[1]!);
  /** The titles of a page as an OFFSET over the round's visible entries gives them (the reference). */
  const byOffset = async (page: number) =>
    (
      await db
        .selectFrom('contest_entries')
        .select('title')
        .where('round_id', '=', roundId)
        .where('moderation', '=', 'approved')
        .orderBy('code')
        .limit(GALLERY_PAGE_SIZE)
        .offset((page - 1) * GALLERY_PAGE_SIZE)
        .execute()
    ).map((r) => r.title);
  const deep = (page = DEEP) => `${gallery}?page=${page}`;
  /** Shared (twice: the render, then the kept one) against a fresh render, byte for byte, and against the OFFSET. */
  async function expectPage(page: number, cookie: string, label: string) {
    const first = await get(deep(page), cookie);
    const kept = await get(deep(page), cookie);
    const fresh = await rendered(deep(page), cookie);
    expect([first.status, kept.status, fresh.status], label).toEqual([200, 200, 200]);
    expect([first.via, kept.via, fresh.via], label).toEqual(['shell', 'shell', null]);
    expect(firstDifference(first.neutral, fresh.neutral), `${label} (shared render)`).toBeNull();
    expect(firstDifference(kept.neutral, fresh.neutral), `${label} (kept shared render)`).toBeNull();
    const want = await byOffset(page);
    expect(want.length, label).toBeGreaterThan(0);
    expect(titles(first.html), label).toEqual(want);
    return first.html;
  }

  it("a deep page's shared render is byte for byte a fresh render, with the entries an OFFSET gives", async () => {
    const html = await expectPage(DEEP, cookies[0]!, 'page 5');
    expect(titles(html)).toEqual(Array.from({ length: GALLERY_PAGE_SIZE }, (_, k) => title((DEEP - 1) * GALLERY_PAGE_SIZE + k)));
    expect(html).toContain('Trang 5/6');
    const last = await expectPage(6, cookies[1]!, 'the last page');
    expect(titles(last)).toEqual([120, 121, 122, 123, 124].map(title));
    await expectPage(3, cookies[1]!, 'page 3');
    // past the end: the last page, as the pager clamps it
    expect(titles((await get(deep(99), cookies[0]!)).html)).toEqual(titles(last));

    // a vote on the deep page shows on the next request: the voter's "you voted", everyone's count
    const votedFor = (DEEP - 1) * GALLERY_PAGE_SIZE + 3;
    const voter = await db.selectFrom('users').select('id').where('display_name', '=', 'Trần Văn Một').executeTakeFirstOrThrow();
    expect(await castVote(db, { userId: voter.id, entryId: entryIds[votedFor]!, ip: '10.0.0.1' })).toMatchObject({ ok: true });
    const mine = await expectPage(DEEP, cookies[0]!, 'page 5 after a vote, the voter');
    const theirs = await expectPage(DEEP, cookies[1]!, 'page 5 after a vote, another visitor');
    const card = (html: string) =>
      html.slice(html.indexOf(`<h2>${title(votedFor)}</h2>`), html.indexOf('</li>', html.indexOf(`<h2>${title(votedFor)}</h2>`)));
    expect(card(mine)).toContain(VOTED);
    expect(card(mine)).toContain('1 phiếu');
    expect(card(theirs)).not.toContain(VOTED);
    expect(card(theirs)).toContain('1 phiếu');
  });

  it('an entry leaving or joining the gallery before a deep page shows on the next request of that page', async () => {
    const start = (DEEP - 1) * GALLERY_PAGE_SIZE;
    const before = await expectPage(DEEP, cookies[0]!, 'before');
    expect(titles(before)[0]).toBe(title(start));

    // rejected (it leaves the gallery): the deep page starts one entry later
    expect(await moderateEntry(db, w.organiser, entryIds[10]!, 'rejected', false)).toEqual({ ok: true, value: undefined });
    const after = await expectPage(DEEP, cookies[0]!, 'after a rejection');
    expect(titles(after)[0]).toBe(title(start + 1));
    expect(titles(after).at(-1)).toBe(title(start + GALLERY_PAGE_SIZE));
    const last = await expectPage(6, cookies[1]!, 'the last page after a rejection');
    expect(titles(last)).toEqual([121, 122, 123, 124].map(title));

    // approved again: back as it was
    expect(await moderateEntry(db, w.organiser, entryIds[10]!, 'approved', false)).toEqual({ ok: true, value: undefined });
    expect(titles(await expectPage(DEEP, cookies[0]!, 'approved again'))[0]).toBe(title(start));

    // a new entry, sorted between the first two, approved: the deep page starts one entry earlier
    const added = await entry(ENTRIES, '0000a', 'pending');
    expect(titles(await expectPage(DEEP, cookies[1]!, 'a new entry waiting'))[0]).toBe(title(start));
    expect(await moderateEntry(db, w.organiser, added, 'approved', false)).toEqual({ ok: true, value: undefined });
    const joined = await expectPage(DEEP, cookies[1]!, 'a new entry approved');
    expect(titles(joined)[0]).toBe(title(start - 1));
    expect(titles(await expectPage(6, cookies[0]!, 'the last page after an approval'))).toEqual([119, 120, 121, 122, 123, 124].map(title));
    expect(titles(await get(gallery, cookies[0]!).then((r) => r.html)).slice(0, 2)).toEqual([title(0), 'Bài đọc 0000a']);
  });

  it("keeps the page anchors between views: a write behind the domain's back is seen only once the gallery is bumped", async () => {
    const first = titles((await get(deep(), cookies[0]!)).html);
    // Entry 1 taken out of the gallery without `galleryChanged`: the kept anchors still say where
    // page 5 starts (the page's count is one short of the OFFSET's for a moment, nothing else).
    await db.updateTable('contest_entries').set({ moderation: 'pending' }).where('id', '=', entryIds[1]!).execute();
    expect(titles((await rendered(deep(), cookies[0]!)).html)).toEqual(first);
    await galleryChanged(db, roundId);
    const now = await expectPage(DEEP, cookies[0]!, 'after the bump');
    expect(titles(now)[0]).toBe(first[1]);
    await db.updateTable('contest_entries').set({ moderation: 'approved' }).where('id', '=', entryIds[1]!).execute();
    await galleryChanged(db, roundId);
    expect(titles(await expectPage(DEEP, cookies[0]!, 'restored'))).toEqual(first);
  });
});
