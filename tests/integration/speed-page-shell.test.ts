/**
 * Shared renders of public pages for signed-in visitors (app/lib/page-shell.server.ts, issue 10):
 * the BUILT app (build/index.js, Remix and React as served) in this process behind Express, on a
 * real database of each dialect. Each reader gets their own name, id and unread count in the HTML
 * and in the hydration data, never another's; role holders and readers with a flash message get an
 * ordinary render; a bump, a new notice, a sign-out and a language change show on the next request.
 */

import http from 'node:http';
import zlib from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { grantRole } from '~/domain/accounts.server';
import { notify } from '~/domain/notifications/notify.server';
import { createUnit } from '~/domain/units.server';
import { updateWeek } from '~/domain/weeks.server';
import { escapeHtmlText, escapeJsonInScript, fillTemplate, makeTemplate, shellStats } from '~/lib/page-shell.server';

import { freshAppDb, loadBuiltApp, serveBuilt, setAppDb, withoutNonce } from '../helpers/built-app';
import { dialects } from '../helpers/db';
import { makeUser, sessionCookie } from '../helpers/users';
import { insertWeek } from '../helpers/weeks';

const built = loadBuiltApp();

/** The hydration data of a page: `window.__remixContext`'s root loader data. */
function rootData(html: string): { user: { id: string; displayName: string } | null; unread: number; roles: string[] } {
  const m = /window\.__remixContext = (\{.*?\});/s.exec(html);
  if (!m) throw new Error('no hydration data in the page');
  const ctx = JSON.parse(m[1]!) as { state: { loaderData: { root: ReturnType<typeof rootData> } } };
  return ctx.state.loaderData.root;
}

describe('placeholders: context checks and escaping', () => {
  const p = { name: 'ZqNAME', id: 'zqID', count: null, nonce: null };
  const ctx = (root: string) => `<script>window.__remixContext = {"root":${root}};</script>`;
  it('fills text, attributes and the hydration script, each with its own escaping', () => {
    const html = `<a href="/account" title="ZqNAME">ZqNAME</a>${ctx('{"displayName":"ZqNAME","id":"zqID"}')}`;
    const t = makeTemplate(html, p)!;
    expect(t.holes).toEqual(['name-html', 'name-html', 'name-json', 'id-json']);
    const name = `</script><script>alert("x")</script>&'\u2028`;
    const out = fillTemplate(t.parts, t.holes, { name, id: 'u1', count: 0, nonce: 'n' });
    expect(out).toContain(`title="${escapeHtmlText(name)}">${escapeHtmlText(name)}</a>`);
    expect(out).not.toContain('<script>alert');
    expect(out).toContain(escapeJsonInScript(name));
    const json = /window\.__remixContext = (\{.*\});/s.exec(out)![1]!;
    expect((JSON.parse(json) as { root: { displayName: string } }).root.displayName).toBe(name);
  });
  it('refuses a placeholder in a URL, an event handler, another script or a style', () => {
    const data = ctx('{"displayName":"ZqNAME","id":"zqID"}');
    expect(makeTemplate(`<a href="/u/ZqNAME">x</a>${data}`, p)).toBeNull();
    expect(makeTemplate(`<b onclick="ZqNAME">x</b>${data}`, p)).toBeNull();
    expect(makeTemplate(`<script>var n = "ZqNAME";</script>${data}`, p)).toBeNull();
    expect(makeTemplate(`<style>.ZqNAME{}</style>${data}`, p)).toBeNull();
    expect(makeTemplate(`<b title='ZqNAME'>x</b>${data}`, p)).toBeNull();
    // The stand-in must be in the hydration data, or the page is not the one expected.
    expect(makeTemplate(`<b>ZqNAME</b>`, p)).toBeNull();
  });
  it('refuses a render that shows a placeholder in another form (cut short, a grouped count)', () => {
    const q = { name: 'Zq0123456789abcdefName', id: 'zq0123456789abcdefid', count: '712345678901234', nonce: null };
    const data = ctx('{"displayName":"Zq0123456789abcdefName","id":"zq0123456789abcdefid","unread":712345678901234}');
    expect(makeTemplate(`<b>712345678901234</b>${data}`, q)).not.toBeNull();
    expect(makeTemplate(`<b>Zq0123456789ab…</b>${data}`, q)).toBeNull();
    expect(makeTemplate(`<b>712.345.678.901.234</b>${data}`, q)).toBeNull();
  });
});

describe.each(dialects)('signed-in visitors share one render per variant (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let base = '';
  let close: () => void = () => undefined;
  const users: Record<'a' | 'b' | 'organiser', { id: string; cookie: string; name: string }> = {} as never;

  beforeAll(async () => {
    ({ db, cleanup } = await freshAppDb(dialect));
    await insertWeek(db, 2024);
    const ministry = await createUnit(db, { name: 'Bộ Giáo dục', kind: 'ministry', slug: 'bo', parentId: null });
    const names = { a: 'Trần <b>Ánh</b> & "Tú"', b: 'Lê Bình', organiser: 'Phạm Tổ Chức' };
    for (const k of ['a', 'b', 'organiser'] as const) {
      const id = await makeUser(db, names[k]);
      users[k] = { id, name: names[k], cookie: await sessionCookie(db, id) };
    }
    await grantRole(db, { userId: users.organiser.id, role: 'organiser', unitId: ministry.id, grantedBy: null });
    ({ base, close } = await serveBuilt(built.build, (_req, res) => res.status(599).send('not answered by the middleware')));
  }, 120_000);
  afterAll(async () => {
    close();
    setAppDb(undefined);
    await cleanup();
  });

  const get = (p: string, cookie?: string) => fetch(`${base}${p}`, { headers: cookie ? { Cookie: cookie } : {} });

  it("gives each reader their own name and id, never another reader's, from one render", async () => {
    const before = shellStats().renders;
    for (const p of ['/library', '/resources', '/courses', '/', '/weeks/2024']) {
      const [ra, rb] = [await get(p, users.a.cookie), await get(p, users.b.cookie)];
      expect(ra.status).toBe(200);
      expect(ra.headers.get('x-page-cache')).toBe('shell');
      expect(rb.headers.get('x-page-cache')).toBe('shell');
      expect(ra.headers.get('cache-control')).toBe('private, no-cache');
      const [a, b] = [await ra.text(), await rb.text()];
      expect(a).toContain(`>${escapeHtmlText(users.a.name)}</a>`);
      expect(a).not.toContain(users.b.name);
      expect(b).toContain(`>${users.b.name}</a>`);
      expect(b).not.toContain('Ánh');
      expect(rootData(a).user).toEqual({ id: users.a.id, displayName: users.a.name });
      expect(rootData(b).user).toEqual({ id: users.b.id, displayName: users.b.name });
      expect(a).not.toMatch(/Zq[0-9a-f]{18}Name|zq[0-9a-f]{18}id/);
      // A fresh CSP nonce per response, the same in the header and the page.
      const nonce = /'nonce-([^']+)'/.exec(ra.headers.get('content-security-policy')!)![1]!;
      expect(a).toContain(`nonce="${nonce}"`);
      expect(rb.headers.get('content-security-policy')).not.toContain(nonce);
    }
    expect(shellStats().renders - before).toBe(5); // one per page for both readers
  });

  /** The raw response (no decoding by the client), asking for `encoding`. */
  const rawGet = (p: string, cookie: string, encoding: string) =>
    new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .get(`${base}${p}`, { headers: { Cookie: cookie, 'Accept-Encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });

  it('sends the shared render gzipped to a browser that accepts it: the same page once inflated', async () => {
    for (const p of ['/library', '/weeks/2024']) {
      const plain = await rawGet(p, users.a.cookie, 'identity');
      const gz = await rawGet(p, users.a.cookie, 'gzip, deflate, br');
      expect(plain.headers['x-page-cache']).toBe('shell');
      expect(gz.headers['x-page-cache']).toBe('shell');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers.vary).toMatch(/Accept-Encoding/);
      expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
      expect(gz.body.length).toBeLessThan(plain.body.length / 2);
      const inflated = zlib.gunzipSync(gz.body).toString('utf8'); // checks the CRC and length too
      const html = plain.body.toString('utf8');
      expect(html).toContain(`>${escapeHtmlText(users.a.name)}</a>`);
      expect(withoutNonce(inflated, String(gz.headers['content-security-policy']))).toBe(
        withoutNonce(html, String(plain.headers['content-security-policy'])),
      );
    }
    // No Accept-Encoding at all, or none of ours: the page as it is.
    const none = await rawGet('/library', users.b.cookie, '');
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.body.toString('utf8')).toContain(`>${users.b.name}</a>`);
  });

  it('shows a new notice at once: the count in the bell and in the data', async () => {
    const count = async (cookie: string) => {
      const res = await get('/library', cookie);
      expect(res.headers.get('x-page-cache')).toBe('shell');
      const html = await res.text();
      const bell = /data-testid="bell-count"[^>]*>(\d+)</.exec(html)?.[1];
      return { bell: bell ? Number(bell) : 0, data: rootData(html).unread };
    };
    expect(await count(users.b.cookie)).toEqual({ bell: 0, data: 0 });
    await notify(db, { userId: users.b.id, type: 'community.reply', params: { title: 'x', name: 'y' } });
    expect(await count(users.b.cookie)).toEqual({ bell: 1, data: 1 });
    for (let i = 0; i < 2; i++) await notify(db, { userId: users.b.id, type: 'community.reply', params: { title: 'x', name: 'y' } });
    expect(await count(users.b.cookie)).toEqual({ bell: 3, data: 3 });
    await notify(db, { userId: users.a.id, type: 'community.reply', params: { title: 'x', name: 'y' } });
    for (let i = 0; i < 4; i++) await notify(db, { userId: users.a.id, type: 'community.reply', params: { title: 'x', name: 'y' } });
    expect(await count(users.a.cookie)).toEqual({ bell: 5, data: 5 }); // the same "many" render, another count
    expect(await count(users.b.cookie)).toEqual({ bell: 3, data: 3 });
  });

  it("renders a role holder's page for them (their staff links), never the readers' shared one", async () => {
    const res = await get('/library', users.organiser.cookie);
    expect(res.headers.get('x-page-cache')).toBe(null);
    expect(res.status).toBe(599); // handed on to Remix (here: the stand-in handler)
    const reader = await (await get('/library', users.a.cookie)).text();
    expect(reader).not.toContain('href="/organise"');
    expect(rootData(reader).roles).toEqual([]);
    // A role granted shows at once: the next request is rendered for them.
    const newcomer = await makeUser(db, 'Người Mới Được Giao');
    const cookie = await sessionCookie(db, newcomer);
    expect((await get('/library', cookie)).headers.get('x-page-cache')).toBe('shell');
    const unit = await db.selectFrom('units').select('id').executeTakeFirstOrThrow();
    await grantRole(db, { userId: newcomer, role: 'librarian', unitId: unit.id, grantedBy: null });
    expect((await get('/library', cookie)).status).toBe(599);
  });

  it('shares the statistics page with role holders too, each with their own staff links', async () => {
    const [r, o] = [await get('/weeks/2024/stats', users.a.cookie), await get('/weeks/2024/stats', users.organiser.cookie)];
    expect([r.status, o.status]).toEqual([200, 200]);
    expect([r.headers.get('x-page-cache'), o.headers.get('x-page-cache')]).toEqual(['shell', 'shell']);
    const [reader, organiser] = [await r.text(), await o.text()];
    expect(organiser).toContain(`>${users.organiser.name}</a>`);
    expect(organiser).toContain('href="/organise"');
    expect(rootData(organiser).roles).not.toEqual([]);
    expect(reader).not.toContain(users.organiser.name);
    expect(reader).not.toContain('href="/organise"');
    expect(rootData(reader).roles).toEqual([]);
  });

  it('shows a write to the Week on the signed-in page at the next request (exact invalidation)', async () => {
    expect(await (await get('/weeks/2024', users.a.cookie)).text()).not.toContain('Chủ đề mới cho người đã đăng nhập');
    const w = (await db.selectFrom('weeks').selectAll().where('year', '=', 2024).executeTakeFirstOrThrow()) as Record<string, unknown>;
    const { year: _y, origin: _o, content_hash: _c, updated_at: _u, ...input } = w;
    await updateWeek(db, 2024, { ...(input as Parameters<typeof updateWeek>[2]), theme_vi: 'Chủ đề mới cho người đã đăng nhập' });
    const res = await get('/weeks/2024', users.a.cookie);
    expect(res.headers.get('x-page-cache')).toBe('shell');
    expect(await res.text()).toContain('Chủ đề mới cho người đã đăng nhập');
  });

  it('keeps languages apart and sends flash messages, other cookies and signed-out sessions to Remix', async () => {
    const en = await get('/library', `${users.a.cookie}; lang=en`);
    expect(en.headers.get('x-page-cache')).toBe('shell');
    const html = await en.text();
    expect(html).toContain('lang="en"');
    expect(rootData(html).user?.id).toBe(users.a.id);
    expect((await get('/library', `${users.a.cookie}; llw_flash=x`)).status).toBe(599);
    const signedOut = await makeUser(db, 'Đã Đăng Xuất');
    const cookie = await sessionCookie(db, signedOut);
    expect((await get('/library', cookie)).headers.get('x-page-cache')).toBe('shell');
    await db.deleteFrom('sessions').where('user_id', '=', signedOut).execute();
    expect((await get('/library', cookie)).status).toBe(599);
    // A page not opted in is never shared.
    expect((await get('/weeks', users.a.cookie)).status).toBe(599);
  });
});
