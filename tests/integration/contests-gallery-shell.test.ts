/**
 * The read-aloud gallery for signed-in visitors, shared per variant (issue 15 on the shared
 * signed-in renders of app/lib/page-shell.server.ts; the variant in
 * app/domain/contests/gallery-shell.server.ts): the BUILT app in this process behind Express, as
 * server.ts mounts it, on each dialect. Visitors with the same votes on a page share one render;
 * a shared page is byte for byte the page rendered for that visitor alone (but for the CSP nonce
 * and the "counts as of" time); one voter's votes never show in another's page; a vote — through
 * the form without JavaScript, through the domain, by someone else — shows on the very next request.
 */

import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { GALLERY_PAGE_SIZE } from '~/domain/contests/entries-pages.server';
import { castVote } from '~/domain/contests/votes.server';
import { escapeHtmlText, shellStats } from '~/lib/page-shell.server';

import { firstDifference, loadBuiltApp, makeVisitors, rootUser, servedApp, type Visitor } from '../helpers/built-app';
import { contestWorld, withoutCountsTime } from '../helpers/contests';
import { dialects } from '../helpers/db';
import { ESTABLISHED_ACCOUNT, sessionCookie } from '../helpers/users';

const DAY = 86_400_000;
const built = loadBuiltApp();

const NAMES = {
  v1: 'Trần <i>Một</i> & "Bình"',
  v2: 'Lê Thị Hai',
  v3: 'Phạm Văn Ba',
  en: 'Mary Nguyen',
} as const;
type Who = keyof typeof NAMES;
const VOTED = 'Bạn đã bình chọn';
const ENTRIES = GALLERY_PAGE_SIZE + 6;

describe.each(dialects)('the read-aloud gallery shared per variant for signed-in visitors (%s)', (dialect) => {
  let db: DB;
  let u = {} as Record<Who, Visitor>;
  let w: Awaited<ReturnType<typeof contestWorld>>;
  let gallery = '';
  let draftGallery = '';
  const entryIds: string[] = [];

  const site = servedApp(
    built,
    dialect,
    async (d) => {
      db = d;
      w = await contestWorld(db, new Date(Date.now() - 30 * DAY));
      // accounts older than the voting window (younger ones may not vote)
      u = await makeVisitors(db, NAMES, (k) => ({ createdAt: ESTABLISHED_ACCOUNT, locale: k === 'en' ? 'en' : 'vi' }));
      const open = await w.galleryRound({ voting: true, closed: true });
      gallery = `/contests/${open.contest.slug}/gallery/${open.roundId}`;
      for (let i = 0; i < ENTRIES; i++) entryIds.push((await w.galleryEntry(open.contest.id, open.roundId, i)).id);
      const draft = await w.galleryRound({ voting: true, closed: true });
      draftGallery = `/contests/${draft.contest.slug}/gallery/${draft.roundId}`;
      await w.galleryEntry(draft.contest.id, draft.roundId, 0);
      // taken back to a draft (registration needs a published contest)
      await db.updateTable('contests').set({ status: 'draft' }).where('id', '=', draft.contest.id).execute();
    },
    { neutral: withoutCountsTime },
  );

  const get = (p: string, cookie: string) => site.get(p, cookie);
  const as = (who: Who, p = gallery) => get(p, u[who].cookie);
  /** The page rendered for this visitor alone (the shared renders switched off, read per request). */
  const rendered = (p: string, cookie: string) => site.fresh(p, cookie);
  /** The card of entry `i` (its <li>), from its heading to the end of the item. */
  const card = (html: string, i: number) => {
    const at = html.indexOf(`<h2>Bài đọc ${String(i).padStart(4, '0')}</h2>`);
    if (at < 0) throw new Error(`no card for entry ${i}`);
    return html.slice(at, html.indexOf('</li>', at));
  };
  const buttons = (html: string) => (html.match(/name="entry_id"/g) ?? []).length;
  /** Shared (twice: the render, then the kept one) against a fresh render, byte for byte. */
  async function expectSameAsFresh(p: string, cookie: string, label: string) {
    const r = await site.sharedAndFresh(p, cookie, label);
    expect(r.fresh.status, label).toBe(200);
    expect(r.differences).toEqual([]);
  }

  it('two visitors with the same votes share one render, each with their own name; byte for byte a fresh render', async () => {
    // The comparison is sound: two fresh renders of one request are equal once neutral.
    const [a, b] = [await rendered(gallery, u.v1.cookie), await rendered(gallery, u.v1.cookie)];
    expect(firstDifference(a.body, b.body)).toBeNull();

    const before = shellStats().renders;
    const [one, two] = [await as('v1'), await as('v2')];
    expect([one.via, two.via]).toEqual(['shell', 'shell']);
    expect(shellStats().renders - before).toBe(1);
    expect(rootUser(one.html)).toEqual({ id: u.v1.id, displayName: NAMES.v1 });
    expect(rootUser(two.html)).toEqual({ id: u.v2.id, displayName: NAMES.v2 });
    expect(one.html).toContain(`>${escapeHtmlText(NAMES.v1)}</a>`);
    expect(two.html).not.toContain(escapeHtmlText(NAMES.v1));
    expect(two.html).not.toMatch(/Zq[0-9a-f]{18}Name|zq[0-9a-f]{18}id/);
    expect(buttons(two.html)).toBe(GALLERY_PAGE_SIZE);
    expect(two.html).not.toContain(VOTED);

    for (const [p, cookie, label] of [
      [gallery, u.v1.cookie, 'page 1, a name to escape'],
      [gallery, u.v2.cookie, 'page 1'],
      [`${gallery}?page=2`, u.v2.cookie, 'page 2'],
      [`${gallery}?page=99`, u.v2.cookie, 'a page past the end'],
      [gallery, `${u.v2.cookie}; lang=en; textsize=large`, 'English by cookie, large text'],
      [gallery, u.en.cookie, 'an English-speaking account'],
    ] as const)
      await expectSameAsFresh(p, cookie, label);
  });

  it("never shows one voter's votes in another's page, on either page of the round", async () => {
    const deep = GALLERY_PAGE_SIZE + 2; // on page 2
    expect(await castVote(db, { userId: u.v1.id, entryId: entryIds[0]!, ip: '10.0.0.1' })).toMatchObject({ ok: true });
    expect(await castVote(db, { userId: u.v1.id, entryId: entryIds[deep]!, ip: '10.0.0.1' })).toMatchObject({ ok: true });
    const [mine, theirs] = [await as('v1'), await as('v2')];
    expect([mine.via, theirs.via]).toEqual(['shell', 'shell']);
    expect(card(mine.html, 0)).toContain(VOTED);
    expect(card(mine.html, 0)).not.toContain('name="entry_id"');
    expect(buttons(mine.html)).toBe(GALLERY_PAGE_SIZE - 1);
    // the other voter: the count includes the vote, the vote is not theirs
    expect(card(theirs.html, 0)).toContain('1 phiếu');
    expect(card(theirs.html, 0)).not.toContain(VOTED);
    expect(buttons(theirs.html)).toBe(GALLERY_PAGE_SIZE);
    const [mine2, theirs2] = [await as('v1', `${gallery}?page=2`), await as('v2', `${gallery}?page=2`)];
    expect(card(mine2.html, deep)).toContain(VOTED);
    expect(theirs2.html).not.toContain(VOTED);
    expect(card(theirs2.html, deep)).toContain('1 phiếu');
    for (const who of ['v1', 'v2'] as const)
      for (const p of [gallery, `${gallery}?page=2`]) await expectSameAsFresh(p, u[who].cookie, `${who} ${p}`);
  });

  it('a vote shows on the very next request: through the form without JavaScript, and in the pages of others', async () => {
    const third = 3;
    // v3 has a kept render of the page before anyone votes for entry 3
    const before = await as('v3');
    expect(before.via).toBe('shell');
    expect(card(before.html, third)).toContain('0 phiếu');

    // v2 votes with the page's form (no JavaScript): a redirect with the thank-you flash
    const res = await fetch(`${site.base}${gallery}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: u.v2.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ entry_id: entryIds[third]! }).toString(),
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(gallery);
    const flash = /(?:^|,\s*)(flash=[^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    expect(flash).toBeTruthy();
    // the redirect's page (with the flash: rendered for them), then the next one (shared again)
    const after = await get(gallery, `${u.v2.cookie}; ${flash}`);
    expect(after.via).toBe(null);
    expect(after.html).toContain('Cảm ơn bạn đã bình chọn.');
    expect(card(after.html, third)).toContain(VOTED);
    expect(card(after.html, third)).toContain('1 phiếu');
    const next = await as('v2');
    expect(next.via).toBe('shell');
    expect(card(next.html, third)).toContain(VOTED);
    expect(card(next.html, third)).toContain('1 phiếu');
    // a script's data request after the vote (JavaScript on) is the loader's, for them alone
    const data = await fetch(`${site.base}${gallery}?_data=${encodeURIComponent('routes/contests.$slug.gallery.$roundId')}`, {
      headers: { Cookie: u.v2.cookie },
    });
    expect(data.headers.get('x-page-cache')).toBe(null);
    const json = (await data.json()) as { entries: Array<{ id: string; votes: number; voted: boolean }> };
    expect(json.entries.find((e) => e.id === entryIds[third])).toMatchObject({ votes: 1, voted: true });

    // v3's next request: the new count (the counts are part of the key), not their vote
    const v3 = await as('v3');
    expect(v3.via).toBe('shell');
    expect(card(v3.html, third)).toContain('1 phiếu');
    expect(card(v3.html, third)).not.toContain(VOTED);
    // a vote through the domain (another device, the bench): the same
    expect(await castVote(db, { userId: u.v1.id, entryId: entryIds[third]!, ip: '10.0.0.1' })).toMatchObject({ ok: true });
    expect(card((await as('v3')).html, third)).toContain('2 phiếu');
    expect(card((await as('v1')).html, third)).toContain(VOTED);
    for (const who of ['v1', 'v2', 'v3'] as const) await expectSameAsFresh(gallery, u[who].cookie, who);

    // the same vote again is refused as before (the fraud rules are castVote's, unchanged)
    const again = await fetch(`${site.base}${gallery}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: u.v2.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ entry_id: entryIds[third]! }).toString(),
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Bạn đã bình chọn cho bài này rồi.');
    expect(card((await as('v2')).html, third)).toContain('2 phiếu');
  });

  it("renders a contest not yet published (its organisers' preview) and a missing round for the visitor alone", async () => {
    const organiser = await sessionCookie(db, w.organiser);
    const preview = await get(draftGallery, organiser);
    expect([preview.status, preview.via]).toEqual([200, null]);
    expect(preview.html).toContain('Bài đọc 0000');
    const outsider = await as('v1', draftGallery);
    expect([outsider.status, outsider.via]).toEqual([404, null]);
    const missing = await as('v1', `${gallery.slice(0, gallery.lastIndexOf('/'))}/no-such-round`);
    expect([missing.status, missing.via]).toEqual([404, null]);
  });
});
