/**
 * Public club pages in the rendered-page cache (app/lib/page-cache-routes.server.ts): an anonymous
 * visitor's /clubs, /clubs/<slug> and a public thread are stored, and every kind of club write
 * (joining, a meeting and its RSVPs, a post) makes the next request render again and show it.
 * The renderer here answers from the real page queries on the test database.
 */
import '~/domain/places.server';

import type { AddressInfo } from 'node:net';

import express from 'express';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';

import { createClub, decideMember, joinClub, leaveClub, listClubs } from '~/domain/clubs/clubs.server';
import { discussionPage } from '~/domain/clubs/discussion.server';
import { createMeeting, rsvp } from '~/domain/clubs/meetings.server';
import { clubMembersPage, clubPage } from '~/domain/clubs/pages.server';
import { CLUB_PLACE } from '~/domain/clubs/schedule.server';
import { createThread, reply } from '~/domain/discussion/posts.server';
import { resetEnvCache } from '~/lib/env.server';
import { clearPageCache, pageCache, startPageCacheSync, stopPageCacheSync } from '~/lib/page-cache.server';
import { pageDependencies as pageDependenciesFor } from '~/lib/page-cache-routes.server';
import { unwrap } from '~/lib/result';

import { describeWorld, makeUser } from '../helpers/world';

describeWorld('clubs: public pages in the page cache', (w) => {
  let base = '';
  let close = () => undefined as void;
  let renders = 0;

  beforeAll(async () => {
    const app = express();
    app.use(
      pageCache(async (request) => {
        renders++;
        const path = new URL(request.url).pathname;
        let body: unknown = null;
        const m = /^\/clubs\/([^/]+)(\/discussion)?$/.exec(path);
        if (path === '/clubs') body = (await listClubs(w.db, {})).clubs.map((c) => `${c.name}:${c.members}`);
        else if (m?.[2]) body = await discussionPage(w.db, m[1]!, null);
        else if (m) body = await clubPage(w.db, m[1]!, null);
        return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => void server.close();
  });
  afterAll(() => close());
  beforeEach(() => clearPageCache());

  async function get(path: string) {
    const r = await fetch(`${base}${path}`);
    return { cache: r.headers.get('x-page-cache'), text: await r.text() };
  }

  it('lists the club pages as cacheable, and never the forms or private feeds', () => {
    expect(pageDependenciesFor('/clubs')).toEqual(['clubs', 'units']);
    expect(pageDependenciesFor('/clubs/doc-sach')).toEqual(['clubs:doc-sach', 'units']);
    expect(pageDependenciesFor('/clubs/doc-sach/t/abc123')).toEqual(['clubs:doc-sach', 'units']);
    for (const p of [
      '/clubs/new',
      '/clubs/doc-sach/schedule',
      '/clubs/doc-sach/meetings/new',
      '/clubs/calendar/x.ics',
      '/clubs/challenges',
      '/clubs/challenges/abc',
      '/clubs/schools/thcs',
    ])
      expect(pageDependenciesFor(p)).toBeNull();
  });

  it('a member joining, a meeting, an RSVP and a post each show on the next request', async () => {
    const club = unwrap(
      await createClub(w.db, w.users.teacher, {
        unitId: w.units.school,
        name: `CLB cache ${w.dialect}`,
        descriptionMd: '',
        language: 'vi',
        audience: 'all',
        visibility: 'public',
        intergenerational: false,
      }),
    );
    const page = `/clubs/${club.slug}`;
    const first = await get(page);
    expect(first.cache).toBe('miss');
    expect((await get(page)).cache).toBe('hit');
    await get('/clubs');
    expect((await get('/clubs')).cache).toBe('hit');

    const reader = await makeUser(w.db, 'Bạn đọc mới');
    unwrap(await joinClub(w.db, reader, club.id));
    const afterJoin = await get(page);
    expect(afterJoin.cache).toBe('miss');
    // The page counts the members (their names are on /clubs/:slug/members).
    const mixOf = (text: string) => Object.values((JSON.parse(text) as { mix: Record<string, number> }).mix).reduce((a, b) => a + b, 0);
    expect(mixOf(afterJoin.text)).toBe(2);
    expect((await get('/clubs')).text).toContain(`CLB cache ${w.dialect}:2`);

    const start = new Date(Date.now() + 3 * 86_400_000);
    const meeting = unwrap(
      await createMeeting(w.db, w.users.teacher, club.id, {
        title: 'Buổi gặp đầu tiên',
        mode: 'in_person',
        place: 'Thư viện trường',
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
        agendaMd: '',
        capacity: 5,
      }),
    );
    expect((await get(page)).text).toContain('Buổi gặp đầu tiên');
    expect((await get(page)).cache).toBe('hit');
    unwrap(await rsvp(w.db, reader, meeting.id, 'yes'));
    const afterRsvp = JSON.parse((await get(page)).text) as { meetings: Array<{ confirmed: number }> };
    expect(afterRsvp.meetings[0]!.confirmed).toBe(1);

    const discussion = `${page}/discussion`;
    await get(discussion);
    expect((await get(discussion)).cache).toBe('hit');
    const t = unwrap(
      await createThread(w.db, { userId: reader }, { type: CLUB_PLACE, id: club.id }, { title: 'Cảm nhận chương một', body: 'Hay quá' }),
    );
    expect((await get(discussion)).text).toContain('Cảm nhận chương một');
    await reply(w.db, { userId: w.users.teacher }, t.threadId, { body: 'Đồng ý' });
    expect((await get(discussion)).cache).toBe('miss');
    expect(renders).toBeGreaterThan(0);
  });

  it("signed in, the directory and a club's members and generation mix come from the data cache and change with every join", async () => {
    const saved = process.env.DATABASE_URL;
    if (w.dialect === 'postgres') process.env.DATABASE_URL = w.url;
    resetEnvCache();
    await startPageCacheSync(w.db); // w.db is now the serving database: cachedData keeps
    try {
      const club = unwrap(
        await createClub(w.db, w.users.teacher, {
          unitId: w.units.school,
          name: `CLB dữ liệu ${w.dialect}`,
          descriptionMd: '',
          language: 'vi',
          audience: 'all',
          visibility: 'request',
          intergenerational: false,
        }),
      );
      const first = await makeUser(w.db, 'Thành viên một');
      unwrap(await joinClub(w.db, first, club.id));
      unwrap(await decideMember(w.db, w.users.teacher, club.id, first, true));
      // The club page sums the members up (the mix, waiting requests for moderators); the list is /clubs/:slug/members.
      const names = async (userId: string) => {
        const [p, list] = [await clubPage(w.db, club.slug, userId), await clubMembersPage(w.db, club.slug, userId)];
        if (p.status !== 'ok') throw new Error(p.status);
        if (list.status !== 'ok') throw new Error(list.status);
        return {
          members: list.members.map((m) => `${m.name}:${m.status}`),
          total: Object.values(p.mix).reduce((a, b) => a + b, 0),
          waiting: p.pendingRequests,
        };
      };
      expect(await names(first)).toEqual(await names(first));
      expect((await names(first)).total).toBe(2);

      const second = await makeUser(w.db, 'Thành viên hai');
      unwrap(await joinClub(w.db, second, club.id)); // a request: pending
      expect((await names(first)).members).not.toContain('Thành viên hai:pending');
      expect((await names(w.users.teacher)).members).toContain('Thành viên hai:pending'); // moderators see requests
      expect((await names(w.users.teacher)).waiting).toBe(1);
      expect((await names(first)).waiting).toBe(0);
      unwrap(await decideMember(w.db, w.users.teacher, club.id, second, true));
      expect((await names(first)).members).toContain('Thành viên hai:active');
      expect((await names(first)).total).toBe(3);
      const listed = (await listClubs(w.db, {})).clubs.find((c) => c.slug === club.slug);
      expect(listed?.members).toBe(3);
      unwrap(await leaveClub(w.db, second, club.id));
      expect((await names(first)).total).toBe(2);
      expect((await listClubs(w.db, {})).clubs.find((c) => c.slug === club.slug)?.members).toBe(2);
    } finally {
      await stopPageCacheSync();
      clearPageCache();
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
      resetEnvCache();
    }
  });
});
