/**
 * The shared signed-in renders (app/lib/page-shell.server.ts, issue 10) are the page a fresh render
 * gives: for every page opted in (`shellPagePatterns()` of app/lib/page-cache-routes.server.ts, one
 * concrete URL each) and readers of every variant — no roles, a role holder where the page is
 * shared with them, unread 0 / 1 / many, Vietnamese and English (cookie and Accept-Language),
 * large text, a name that needs escaping — the body served from the shared render is compared
 * byte for byte (the CSP nonce aside) with a fresh render of the same request, the feature off
 * (PAGE_SHELL=0, read per request). Again after writes that change the pages (the bumpCache
 * path) and after a reader's own notice count changes. The BUILT app (build/index.js) behind
 * Express as server.ts mounts it, on a real database of each dialect.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { grantRole } from '~/domain/accounts.server';
import { addLesson, addModule, createCourse, publishCourse } from '~/domain/courses/courses.server';
import { notify } from '~/domain/notifications/notify.server';
import { createResource, reviewResource, submitResource } from '~/domain/oer/resources.server';
import { createUnit } from '~/domain/units.server';
import { updateWeek } from '~/domain/weeks.server';
import { bumpCache } from '~/lib/page-cache.server';
import { shellPagePatterns } from '~/lib/page-cache-routes.server';
import { shellStats } from '~/lib/page-shell.server';
import { unwrap } from '~/lib/result';

import { firstDifference, freshAppDb, loadBuiltApp, serveBuilt, setAppDb, withoutNonce, withoutShell } from '../helpers/built-app';
import { courseInput, ownerEditor } from '../helpers/courses';
import { dialects } from '../helpers/db';
import { resourceInput } from '../helpers/oer';
import { makeUser, sessionCookie } from '../helpers/users';
import { insertWeek } from '../helpers/weeks';

const built = loadBuiltApp();

/** A concrete URL for each shared page; every pattern of the list must find one here. */
const CANDIDATES = [
  '/',
  '/weeks/2024',
  '/library',
  '/library?sort=title',
  '/resources',
  '/courses',
  '/weeks/2024/stats',
  '/weeks/2024/stats/tinh-a',
];

describe.each(dialects)('signed-in shared renders equal a fresh render (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let base = '';
  let close: () => void = () => undefined;
  type Reader = { id: string; session: string };
  const r: Record<string, Reader> = {};
  let pages: string[] = [];

  beforeAll(async () => {
    ({ db, cleanup } = await freshAppDb(dialect));
    await insertWeek(db, 2024);
    const ministry = await createUnit(db, { name: 'Bộ Giáo dục', kind: 'ministry', slug: 'bo', parentId: null });
    const province = await createUnit(db, { name: 'Tỉnh A', kind: 'province', slug: 'tinh-a', parentId: ministry.id });
    const school = await createUnit(db, { name: 'Trường THCS A', kind: 'school', slug: 'truong-a', parentId: province.id });
    const people: Array<[string, string, { locale?: 'vi' | 'en' }]> = [
      ['plain', 'Lê Bình', {}],
      ['one', 'Nguyễn Một', {}],
      ['many', 'Trần <b>Ánh</b> & "Tú" \'x\' \u2028', {}],
      ['lots', 'Phạm Nhiều Thư', {}],
      ['english', 'Mary Nguyen', { locale: 'en' }],
      ['organiser', 'Hoàng Tổ Chức', {}],
    ];
    for (const [k, name, o] of people) {
      const id = await makeUser(db, name, o);
      r[k] = { id, session: await sessionCookie(db, id) };
    }
    await grantRole(db, { userId: r.organiser!.id, role: 'organiser', unitId: ministry.id, grantedBy: null });
    // Some content on the pages: a published resource and a published course.
    const teacher = await makeUser(db, 'Cô Giáo Hà');
    await grantRole(db, { userId: teacher, role: 'teacher', unitId: school.id, grantedBy: null });
    const resource = unwrap(await createResource(db, teacher, resourceInput(school.id, { years: [2024] })));
    unwrap(await submitResource(db, teacher, resource));
    unwrap(await reviewResource(db, r.organiser!.id, resource, 'publish', ''));
    const course = await createCourse(db, teacher, courseInput(school.id, { weekYear: 2024 }));
    const ed = await ownerEditor(db, course.id);
    const moduleId = await addModule(db, ed, 'Mô-đun 1');
    await addLesson(db, ed, moduleId, { title: 'Bài 1', bodyMd: 'x', videoUrl: null, completionRule: 'read' });
    await publishCourse(db, ed);
    const notice = (userId: string) => notify(db, { userId, type: 'community.reply', params: { title: 'x', name: 'y' } });
    await notice(r.one!.id);
    for (let i = 0; i < 3; i++) await notice(r.many!.id);
    for (let i = 0; i < 12; i++) await notice(r.lots!.id);
    await notice(r.organiser!.id);

    // As server.ts mounts them: the shared renders in front, Remix behind.
    ({ base, close } = await serveBuilt(built.build, 'guarded'));

    pages = shellPagePatterns().map((re) => {
      const url = CANDIDATES.find((u) => re.test(u.split('?')[0]!));
      if (!url) throw new Error(`no concrete URL for the shared page ${re}: add one to CANDIDATES`);
      return url;
    });
    // Query strings are part of the key: one page is visited with one as well.
    pages.push('/library?sort=title');
  }, 120_000);
  afterAll(async () => {
    delete process.env.PAGE_SHELL;
    close();
    setAppDb(undefined);
    await cleanup();
  });

  /** The body with its CSP nonce (from the header) made neutral, and how it was served. */
  async function fetchPage(url: string, cookie: string, headers: Record<string, string>) {
    const res = await fetch(`${base}${url}`, { headers: { ...headers, Cookie: cookie } });
    const body = await res.text();
    // The home page's data carries the instant it was rendered (`now`): a kept render's is older,
    // as the anonymous page cache's is (bounded by the same TTL and invalidation).
    const neutral = withoutNonce(body, res.headers.get('content-security-policy')).replace(/"now":"[0-9T:.-]+Z"/g, '"now":"NOW"');
    return { status: res.status, via: res.headers.get('x-page-cache'), body: neutral };
  }

  type Visit = { who: string; cookie: string; headers?: Record<string, string>; shared: 'all' | 'stats' };
  const visits = (): Visit[] => [
    { who: 'no roles, unread 0', cookie: r.plain!.session, shared: 'all' },
    { who: 'no roles, unread 1', cookie: r.one!.session, shared: 'all' },
    { who: 'no roles, unread 3, a name to escape', cookie: r.many!.session, shared: 'all' },
    { who: 'no roles, unread 12', cookie: r.lots!.session, shared: 'all' },
    { who: 'English by cookie, large text', cookie: `${r.plain!.session}; lang=en; textsize=large`, shared: 'all' },
    { who: 'English by Accept-Language', cookie: r.one!.session, headers: { 'Accept-Language': 'en-US,en;q=0.9' }, shared: 'all' },
    { who: 'an English-speaking account', cookie: r.english!.session, shared: 'all' },
    { who: 'large text, many unread', cookie: `textsize=large; ${r.lots!.session}`, shared: 'all' },
    { who: 'an organiser (role holder), unread 1', cookie: r.organiser!.session, shared: 'stats' },
    { who: 'an organiser in English', cookie: `${r.organiser!.session}; lang=en`, shared: 'stats' },
  ];

  /** Every page for every visitor: shared (twice: the render, then the kept one) against fresh. */
  async function compareAll(): Promise<{ differences: string[]; compared: number }> {
    const differences: string[] = [];
    let compared = 0;
    for (const v of visits()) {
      for (const url of pages) {
        const first = await fetchPage(url, v.cookie, v.headers ?? {});
        const kept = await fetchPage(url, v.cookie, v.headers ?? {});
        const fresh = await withoutShell(() => fetchPage(url, v.cookie, v.headers ?? {}));
        expect(fresh.via, `${url} for ${v.who}: rendered fresh`).toBeNull();
        expect([first.status, kept.status, fresh.status], `${url} for ${v.who}`).toEqual([200, 200, 200]);
        expect(fresh.body, `${url} for ${v.who}: their own header`).toContain('href="/account"');
        const sharedHere = v.shared === 'all' || /\/stats/.test(url);
        expect([first.via, kept.via], `${url} for ${v.who}`).toEqual(sharedHere ? ['shell', 'shell'] : [null, null]);
        for (const [label, got] of [
          ['shared render', first],
          ['kept shared render', kept],
        ] as const) {
          const d = firstDifference(got.body, fresh.body);
          if (d) differences.push(`${url} for ${v.who} (${label}) ${d}`);
        }
        compared++;
      }
    }
    return { differences, compared };
  }

  it('serves every shared page, for every kind of reader, exactly as a fresh render', async () => {
    // The comparison itself is sound: two fresh renders of one request are equal.
    for (const url of pages) {
      const [a, b] = await withoutShell(async () => [await fetchPage(url, r.many!.session, {}), await fetchPage(url, r.many!.session, {})]);
      expect(firstDifference(a.body, b.body), url).toBeNull();
    }
    // The pages have content to compare, and the reader's own values in place.
    expect((await fetchPage('/resources', r.plain!.session, {})).body).toContain('Con đường tự học');
    expect((await fetchPage('/courses', r.plain!.session, {})).body).toContain('Kỹ năng số cho người lớn tuổi');
    expect((await fetchPage('/library', r.lots!.session, {})).body).toMatch(/data-testid="bell-count"[^>]*>12</);
    const { differences, compared } = await compareAll();
    expect(compared).toBe(visits().length * pages.length);
    expect(shellStats().renders).toBeGreaterThan(0);
    expect(differences).toEqual([]);
  });

  it('never serves a shared render to a reader with a pending flash message (its cookie is `flash`)', async () => {
    const flash = `flash=${encodeURIComponent(JSON.stringify({ kind: 'success', message: 'common.saved' }))}`;
    for (const url of pages) {
      const res = await fetch(`${base}${url}`, { headers: { Cookie: `${r.plain!.session}; ${flash}` } });
      expect(res.headers.get('x-page-cache'), url).toBeNull();
      expect(res.headers.get('set-cookie'), url).toMatch(/(^|, )flash=;/);
      expect(await res.text(), url).toMatch(/<p class="flash flash-success" data-flash="common.saved">Đã lưu.<\/p>/);
    }
  });

  it('still does after writes that change the pages (bumpCache)', async () => {
    const w = (await db.selectFrom('weeks').selectAll().where('year', '=', 2024).executeTakeFirstOrThrow()) as Record<string, unknown>;
    const { year: _y, origin: _o, content_hash: _c, updated_at: _u, ...input } = w;
    await updateWeek(db, 2024, { ...(input as Parameters<typeof updateWeek>[2]), theme_vi: 'Chủ đề sau khi sửa' });
    // A unit renamed (every shared page depends on the unit tree).
    await db.updateTable('units').set({ name: 'Tỉnh A Mới' }).where('slug', '=', 'tinh-a').execute();
    await bumpCache(db, 'units');
    const week = await fetchPage('/weeks/2024', r.plain!.session, {});
    expect(week.via).toBe('shell');
    expect(week.body).toContain('Chủ đề sau khi sửa');
    const stats = await fetchPage('/weeks/2024/stats/tinh-a', r.plain!.session, {});
    expect(stats.body).toContain('Tỉnh A Mới');
    const { differences } = await compareAll();
    expect(differences).toEqual([]);
  });

  it("still does after a reader's own notice count changes (0 → 1 → many, and back to 0)", async () => {
    const notice = () => notify(db, { userId: r.plain!.id, type: 'community.reply', params: { title: 'x', name: 'y' } });
    const check = async () => {
      const out: string[] = [];
      for (const url of pages) {
        for (const cookie of [r.plain!.session, `${r.plain!.session}; lang=en`]) {
          const shared = await fetchPage(url, cookie, {});
          const fresh = await withoutShell(() => fetchPage(url, cookie, {}));
          expect(shared.via).toBe('shell');
          const d = firstDifference(shared.body, fresh.body);
          if (d) out.push(`${url} ${cookie.includes('lang=en') ? 'en' : 'vi'} ${d}`);
        }
      }
      return out;
    };
    await notice();
    expect(await check()).toEqual([]);
    await notice();
    expect(await check()).toEqual([]);
    for (let i = 0; i < 9; i++) await notice();
    expect(await check()).toEqual([]);
    await db.updateTable('notif_notifications').set({ read_at: new Date().toISOString() }).where('user_id', '=', r.plain!.id).execute();
    expect(await check()).toEqual([]);
  });
});
