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
import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import type { ContestEntriesTable } from '~/db/schema/contest-entries';
import { galleryChanged } from '~/domain/contests/cache.server';
import { moderateEntry } from '~/domain/contests/entries.server';
import { GALLERY_PAGE_SIZE } from '~/domain/contests/entries-pages.server';
import { castVote } from '~/domain/contests/votes.server';

import { loadBuiltApp, makeVisitors, servedApp } from '../helpers/built-app';
import { contestWorld, withoutCountsTime } from '../helpers/contests';
import { dialects } from '../helpers/db';
import { ESTABLISHED_ACCOUNT } from '../helpers/users';

const DAY = 86_400_000;
const built = loadBuiltApp();

const VOTED = 'Bạn đã bình chọn';
/** Six pages: five full ones and a last one of five. */
const ENTRIES = GALLERY_PAGE_SIZE * 5 + 5;
const DEEP = 5;
const title = (i: number) => `Bài đọc ${String(i).padStart(4, '0')}`;

describe.each(dialects)('a deep page of the read-aloud gallery, shared for signed-in visitors (%s)', (dialect) => {
  let db: DB;
  let w: Awaited<ReturnType<typeof contestWorld>>;
  let gallery = '';
  let roundId = '';
  let contestId = '';
  const entryIds: string[] = [];
  const cookies: string[] = [];

  const site = servedApp(
    built,
    dialect,
    async (d) => {
      db = d;
      const v = await makeVisitors(db, { one: 'Trần Văn Một', two: 'Lê Thị Hai' }, () => ({
        createdAt: ESTABLISHED_ACCOUNT,
        locale: 'vi',
      }));
      cookies.push(v.one.cookie, v.two.cookie);
      w = await contestWorld(db, new Date(Date.now() - 30 * DAY));
      const r = await w.galleryRound({ voting: true, closed: true });
      contestId = r.contest.id;
      roundId = r.roundId;
      gallery = `/contests/${r.contest.slug}/gallery/${roundId}`;
      for (let i = 0; i < ENTRIES; i++) entryIds.push(await entry(i));
    },
    { serving: true, neutral: withoutCountsTime }, // serving: the data cache keeps (the anchors)
  );

  /** An approved audio entry of a registered entrant (`Bài đọc NNNN`, or as `over` says); its id. */
  const entry = async (i: number, over: Partial<ContestEntriesTable> = {}) => (await w.galleryEntry(contestId, roundId, i, over)).id;

  const get = (p: string, cookie: string) => site.get(p, cookie);
  /** The page rendered for this visitor alone (the shared renders switched off). */
  const rendered = (p: string, cookie: string) => site.fresh(p, cookie);
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
    const { first, fresh, differences } = await site.sharedAndFresh(deep(page), cookie, label);
    expect(fresh.status, label).toBe(200);
    expect(differences).toEqual([]);
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
    const added = await entry(ENTRIES, { code: 'G0000a', title: 'Bài đọc 0000a', moderation: 'pending' });
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
