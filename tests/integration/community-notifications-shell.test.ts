/**
 * `/notifications` from the shared signed-in renders with a personal region (issue 12;
 * app/lib/page-shell.server.ts, app/lib/shell-region.ts, the page's region in
 * app/components/notifications/): the BUILT app in this process behind Express, as server.ts mounts
 * it, on each dialect. The page is rendered once per variant for a stand-in, and each visitor's list
 * and its hydration data are written per request without React:
 * - the page served so is byte for byte the page rendered for that visitor alone (CSP nonce aside),
 *   for readers of every kind (no notices, one, many, hostile text, English, large text, a role
 *   holder, the newer/older pages);
 * - two visitors who share one render, interleaved, each get their own notices only (the list and
 *   the hydration data), never the other's, and never the stand-in's placeholders;
 * - a new notice and marking read (the page's form, without JavaScript) show on the next request.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { grantRole } from '~/domain/accounts.server';
import { notify } from '~/domain/notifications/notify.server';
import { createUnit } from '~/domain/units.server';
import { newId } from '~/lib/ids.server';
import { shellStats } from '~/lib/page-shell.server';

import { firstDifference, freshAppDb, loadBuiltApp, serveBuilt, setAppDb, withoutNonce, withoutShell } from '../helpers/built-app';
import { dialects } from '../helpers/db';
import { makeUser, sessionCookie } from '../helpers/users';

const built = loadBuiltApp();

/** Text a notice may carry from a member's post title or name: markup, quotes, `&`, U+2028/9. */
const HOSTILE = `<script>alert("x")</script> & 'q' "dq" </script><!-- \u2028\u2029 &amp; <b>b</b>`;

describe.each(dialects)('/notifications shared with a personal region (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let base = '';
  let close: () => void = () => undefined;
  type Reader = { id: string; cookie: string };
  const r: Record<string, Reader> = {};

  /** `n` notices for `userId`, a minute apart from `start`, every third unread, text marked with `tag`. */
  async function seed(userId: string, n: number, tag: string, start = Date.UTC(2026, 10, 1, 3)) {
    await db
      .insertInto('notif_notifications')
      .values(
        Array.from({ length: n }, (_, i) => ({
          id: newId(),
          user_id: userId,
          type: (['community.reply', 'community.mention', 'community.moderation', 'library.hold_ready'] as const)[i % 4]!,
          params: JSON.stringify({
            name: `${tag} ${i}`,
            title: i % 5 === 0 ? HOSTILE : `Chủ đề ${tag}-${i}`,
            action: 'ẩn',
            reason: 'spam',
          }),
          url: i % 7 === 3 ? null : i % 7 === 4 ? `/forums/t/x?a=1&b="${i}"` : `/forums#${tag}-${i}`,
          place_type: null,
          place_id: null,
          created_at: new Date(start + i * 60_000).toISOString(),
          read_at: i % 3 === 0 ? null : new Date(start + 86_400_000).toISOString(),
          email: 'none' as const,
          claim: null,
          emailed_at: null,
        })),
      )
      .execute();
  }

  beforeAll(async () => {
    ({ db, cleanup } = await freshAppDb(dialect));
    const people: Array<[string, string, { locale?: 'vi' | 'en' }]> = [
      ['empty', 'Lê Không', {}],
      ['one', 'Nguyễn Một', {}],
      ['ann', 'Trần <b>Ann</b> & "A"', {}],
      ['bob', 'Phạm Bob', {}],
      ['english', 'Mary Nguyen', { locale: 'en' }],
      ['organiser', 'Hoàng Tổ Chức', {}],
    ];
    for (const [k, name, o] of people) {
      const id = await makeUser(db, name, o);
      r[k] = { id, cookie: await sessionCookie(db, id) };
    }
    const ministry = await createUnit(db, { name: 'Bộ', kind: 'ministry', slug: 'bo', parentId: null });
    await grantRole(db, { userId: r.organiser!.id, role: 'organiser', unitId: ministry.id, grantedBy: null });
    await notify(db, { userId: r.one!.id, type: 'community.reply', params: { name: 'Một', title: 'Chào' }, url: '/forums' });
    await seed(r.ann!.id, 45, 'ANN');
    await seed(r.bob!.id, 37, 'BOB');
    await seed(r.english!.id, 6, 'ENG');
    await seed(r.organiser!.id, 4, 'ORG');
    ({ base, close } = await serveBuilt(built.build, 'guarded'));
  }, 120_000);
  afterAll(async () => {
    delete process.env.PAGE_SHELL;
    close();
    setAppDb(undefined);
    await cleanup();
  });

  async function get(url: string, cookie: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${base}${url}`, { headers: { ...headers, Cookie: cookie } });
    const raw = await res.text();
    return {
      status: res.status,
      via: res.headers.get('x-page-cache'),
      raw,
      body: withoutNonce(raw, res.headers.get('content-security-policy')),
    };
  }

  /** The route's data in the page's hydration script. */
  function pageData(html: string): { notes: Array<{ id: string; text: string }>; older: string | null; newer: string | null } {
    const m = /window\.__remixContext = (\{.*?\});/s.exec(html);
    if (!m) throw new Error('no hydration data');
    const ctx = JSON.parse(m[1]!) as { state: { loaderData: Record<string, { page: never }> } };
    return ctx.state.loaderData['routes/notifications._index']!.page;
  }
  const items = (html: string) => html.match(/<li class="card[^"]*">/g)?.length ?? 0;
  const olderLink = (html: string) => /href="(\/notifications\?before=[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;
  const newerLink = (html: string) => /href="(\/notifications\?after=[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;

  async function expectSameAsFresh(url: string, cookie: string, label: string, headers: Record<string, string> = {}) {
    const shared = await get(url, cookie, headers);
    const fresh = await withoutShell(() => get(url, cookie, headers));
    expect([shared.status, fresh.status], label).toEqual([200, 200]);
    expect(shared.via, `${label}: from the shared render`).toBe('shell');
    expect(fresh.via, `${label}: rendered for the visitor`).toBeNull();
    expect(firstDifference(shared.body, fresh.body), label).toBeNull();
    expect(shared.raw, label).not.toMatch(/Zq[0-9a-f]{18}/); // no placeholder left
    return shared;
  }

  it('serves the page, for every kind of reader and page of the list, exactly as rendered for them', async () => {
    const annFirst = await expectSameAsFresh('/notifications', r.ann!.cookie, 'ann, first page');
    expect(items(annFirst.raw)).toBe(30);
    // Hostile text is text: escaped in the HTML, as React escapes it, and JSON-escaped in the data.
    expect(annFirst.raw).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;');
    expect(annFirst.raw).not.toContain('<script>alert(');
    expect(annFirst.raw).toContain('\\u003cscript\\u003ealert(\\"x\\")\\u003c/script\\u003e \\u0026');
    expect(annFirst.raw).toContain('\u2028'); // raw in HTML text (as React writes it)…
    expect(annFirst.raw).toContain('\\u2028'); // …escaped in the script
    const older = olderLink(annFirst.raw)!;
    expect(older).toBeTruthy();
    const annSecond = await expectSameAsFresh(older, r.ann!.cookie, 'ann, older page');
    expect(items(annSecond.raw)).toBe(15);
    const newer = newerLink(annSecond.raw)!;
    expect(newer).toBeTruthy();
    await expectSameAsFresh(newer, r.ann!.cookie, 'ann, newer page again');

    await expectSameAsFresh('/notifications', r.empty!.cookie, 'no notices');
    expect((await get('/notifications', r.empty!.cookie)).raw).toContain('Chưa có thông báo nào.');
    await expectSameAsFresh('/notifications', r.one!.cookie, 'one unread');
    await expectSameAsFresh('/notifications', r.english!.cookie, 'an English account');
    await expectSameAsFresh('/notifications', `${r.bob!.cookie}; lang=en; textsize=large`, 'English by cookie, large text');
    await expectSameAsFresh('/notifications', r.bob!.cookie, 'English by Accept-Language', { 'Accept-Language': 'en-US,en;q=0.9' });
    await expectSameAsFresh('/notifications', r.organiser!.cookie, 'a role holder');
    // The kept render, a second time.
    await expectSameAsFresh('/notifications', r.ann!.cookie, 'ann again (kept render)');
  });

  it('gives two visitors sharing one render each their own notices only, interleaved', async () => {
    const before = shellStats().renders;
    for (let round = 0; round < 3; round++) {
      for (const [who, mine, theirs] of [
        ['ann', 'ANN', 'BOB'],
        ['bob', 'BOB', 'ANN'],
      ] as const) {
        const page = await get('/notifications', r[who]!.cookie);
        expect(page.via, who).toBe('shell');
        expect(page.raw, who).toContain(`${mine} 3`); // ann: 44…15 shown, bob: 36…7
        expect(page.raw, `${who} never sees the other's notices`).not.toContain(theirs);
        const data = pageData(page.raw);
        expect(data.notes.length).toBe(30);
        expect(data.notes.filter((n) => n.text.includes(mine)).length, who).toBeGreaterThan(10);
        expect(
          data.notes.some((n) => n.text.includes(theirs)),
          who,
        ).toBe(false);
        const ids = await db.selectFrom('notif_notifications').select('id').where('user_id', '=', r[who]!.id).execute();
        const own = new Set(ids.map((x) => x.id));
        expect(
          data.notes.every((n) => own.has(n.id)),
          `${who}: every notice id is theirs`,
        ).toBe(true);
        // The mark-read buttons carry the visitor's own notice ids.
        for (const m of page.raw.matchAll(/name="id" value="([^"]+)"/g)) expect(own.has(m[1]!), who).toBe(true);
      }
    }
    // Ann and Bob have the same variant (no roles, Vietnamese, many unread): one render served both.
    expect(shellStats().renders - before).toBeLessThanOrEqual(1);
  });

  it('shows a new notice and a notice marked read (the form, without JavaScript) on the next request', async () => {
    await notify(db, { userId: r.bob!.id, type: 'community.mention', params: { name: 'Người mới', title: 'Tin vừa đến' }, url: '/forums' });
    const first = await expectSameAsFresh('/notifications', r.bob!.cookie, 'bob after a new notice');
    expect(pageData(first.raw).notes[0]!.text).toContain('Người mới');
    expect(first.raw).toMatch(
      /<li class="card unread"><p><span class="visually-hidden">Chưa đọc<!-- -->: <\/span><a href="\/forums">Người mới/,
    );
    const unreadId = pageData(first.raw).notes[0]!.id;
    const res = await fetch(`${base}/notifications?index`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: r.bob!.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'read', id: unreadId }).toString(),
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/notifications');
    const next = await expectSameAsFresh('/notifications', r.bob!.cookie, 'bob after marking one read');
    expect(next.raw).toMatch(/<li class="card"><p><a href="\/forums">Người mới/);
    expect(next.raw).not.toContain(`value="${unreadId}"`);
    // Mark all: the list shows no unread notice; the bell's count is 0.
    await fetch(`${base}/notifications?index`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: r.bob!.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'read-all' }).toString(),
    });
    const all = await expectSameAsFresh('/notifications', r.bob!.cookie, 'bob after marking all read');
    expect(all.raw).not.toContain('card unread');
  });

  it('renders for the visitor a request with a flash message or a script’s data request', async () => {
    const flash = `flash=${encodeURIComponent(JSON.stringify({ kind: 'success', message: 'community.flash.markedRead' }))}`;
    const withFlash = await get('/notifications', `${r.ann!.cookie}; ${flash}`);
    expect(withFlash.via).toBeNull();
    expect(withFlash.raw).toContain('ANN 4');
    const data = await fetch(`${base}/notifications?_data=routes%2Fnotifications._index`, { headers: { Cookie: r.ann!.cookie } });
    expect(data.headers.get('x-page-cache')).toBeNull();
    const json = (await data.json()) as { page: { notes: Array<{ text: string }> } };
    expect(json.page.notes[0]!.text).toContain('ANN');
  });
});
