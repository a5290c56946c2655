/**
 * Shared signed-in renders per variant (app/lib/page-shell.server.ts, issues 10 and 13): the club
 * directory and a club's page, the BUILT app in this process behind Express, on each dialect.
 * Two members of one club share a render, a member and a moderator do not; joining, leaving, being
 * promoted and an RSVP show on the very next request; a shared page is byte for byte the page
 * rendered for that visitor (but for the CSP nonce); one member's name never shows in another's
 * page; "meets near me" follows each visitor's own home unit.
 */

import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { grantRole } from '~/domain/accounts.server';
import { joinClub, leaveClub, promoteMember } from '~/domain/clubs/clubs.server';
import { createMeeting, rsvp } from '~/domain/clubs/meetings.server';
import { invitePair } from '~/domain/clubs/pairs.server';
import { createUnit } from '~/domain/units.server';
import { newId } from '~/lib/ids.server';
import { escapeHtmlText, shellStats } from '~/lib/page-shell.server';

import { loadBuiltApp, makeVisitors, type Page, rootUser, servedApp, type Visitor } from '../helpers/built-app';
import { readingClub, wardTree } from '../helpers/clubs';
import { dialects } from '../helpers/db';
import { makeUser, sessionCookie } from '../helpers/users';

const built = loadBuiltApp();

const NAMES = {
  teacher: 'Cô Giáo Hạnh',
  m1: 'Trần <i>Mười</i> & "Một"',
  m2: 'Lê Thị Hai',
  mod: 'Phạm Văn Điều Hành',
  out: 'Người Ngoài Câu Lạc Bộ',
  far: 'Người Ở Tỉnh Khác',
} as const;
type Who = keyof typeof NAMES;

describe.each(dialects)('club pages shared per variant (%s)', (dialect) => {
  let db: DB;
  let u = {} as Record<Who, Visitor>;
  let club = { id: '', slug: '' };
  let meetingId = '';
  let wardId = '';

  const site = servedApp(
    built,
    dialect,
    async (d) => {
      db = d;
      const { ministry, ward } = await wardTree(db);
      const other = await createUnit(db, { parentId: ministry.id, kind: 'province', slug: `q-${newId(6)}`, name: 'Tỉnh Khác' });
      wardId = ward.id;
      u = await makeVisitors(db, NAMES, (k) => ({ homeUnitId: k === 'far' ? other.id : ward.id }));
      await grantRole(db, { userId: u.teacher.id, role: 'teacher', unitId: ward.id, grantedBy: null });
      club = await readingClub(db, u.teacher.id, ward.id);
      for (const k of ['m1', 'm2', 'mod'] as const) expect((await joinClub(db, u[k].id, club.id)).ok).toBe(true);
      expect((await promoteMember(db, u.teacher.id, club.id, u.mod.id)).ok).toBe(true);
      const start = new Date(Date.now() + 3 * 86_400_000);
      const m = await createMeeting(db, u.teacher.id, club.id, {
        title: 'Buổi đọc tháng Mười Hai',
        mode: 'in_person',
        place: 'Thư viện phường',
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
        agendaMd: '',
        capacity: 10,
      });
      if (!m.ok) throw new Error('meeting');
      meetingId = m.value.id;
    },
    { behind: 'remix' },
  );

  const get = (p: string, who: Who) => site.get(p, u[who].cookie);
  /** The page rendered for this visitor alone (the shared renders switched off). */
  const rendered = (p: string, who: Who) => site.fresh(p, u[who].cookie);
  const noNonce = (r: Page) => r.body;
  const clubPath = () => `/clubs/${club.slug}`;
  const othersOf = (who: Who) => (Object.keys(NAMES) as Who[]).filter((k) => k !== who);

  it('two members share one render, each with their own name and id; the moderator gets another', async () => {
    const before = shellStats().renders;
    const [a, b, mod] = [await get(clubPath(), 'm1'), await get(clubPath(), 'm2'), await get(clubPath(), 'mod')];
    expect([a.via, b.via, mod.via]).toEqual(['shell', 'shell', 'shell']);
    expect(shellStats().renders - before).toBe(2); // the members' render and the moderator's
    expect(rootUser(a.html)).toEqual({ id: u.m1.id, displayName: NAMES.m1 });
    expect(rootUser(b.html)).toEqual({ id: u.m2.id, displayName: NAMES.m2 });
    expect(a.html).toContain(`>${escapeHtmlText(NAMES.m1)}</a>`);
    expect(b.html).toContain(`>${NAMES.m2}</a>`);
    expect(b.html).not.toMatch(/Zq[0-9a-f]{18}Name|zq[0-9a-f]{18}id/);
    // The page sums the members up and links to the full list (/clubs/:slug/members, per reader).
    expect(a.html).toContain(`href="/clubs/${club.slug}/members"`);
    expect(a.html).not.toContain('value="pair-invite"');
    // Members see "leave"; the moderator also sees the moderation tools.
    expect(a.html).toContain('value="leave"');
    expect(a.html).not.toContain('value="close"');
    expect(mod.html).toContain('value="close"');
    // Byte for byte the page each would get rendered for them alone (but for the nonce).
    for (const who of ['m1', 'm2', 'mod'] as const) {
      const [shared, own] = [await get(clubPath(), who), await rendered(clubPath(), who)];
      expect(own.via).toBe(null);
      expect(noNonce(shared)).toBe(noNonce(own));
    }
  });

  it("never shows one member's header name to another", async () => {
    for (const who of ['m1', 'm2', 'mod', 'out'] as const) {
      const { html } = await get(clubPath(), who);
      const header = html.slice(0, html.indexOf('<main'));
      for (const other of othersOf(who)) expect(header).not.toContain(escapeHtmlText(NAMES[other]).slice(0, 12));
      expect(rootUser(html)?.id).toBe(u[who].id);
    }
  });

  it('joining, leaving, being promoted and an RSVP show on the very next request', async () => {
    const page = async (who: Who) => {
      const r = await get(clubPath(), who);
      expect(r.via).toBe('shell');
      return r.html;
    };
    expect(await page('out')).toContain('value="join"');
    expect((await joinClub(db, u.out.id, club.id)).ok).toBe(true);
    const joined = await page('out');
    expect(joined).not.toContain('value="join"');
    expect(joined).toContain('value="leave"');
    expect(await page('out')).not.toContain('value="close"');
    expect((await promoteMember(db, u.teacher.id, club.id, u.out.id)).ok).toBe(true);
    expect(await page('out')).toContain('value="close"');
    expect((await leaveClub(db, u.out.id, club.id)).ok).toBe(true);
    const left = await page('out');
    expect(left).toContain('value="join"');
    expect(left).not.toContain('value="close"');
    // An RSVP: the member's own "you have a seat", not the other member's.
    const seat = 'aria-pressed="true"';
    expect(await page('m1')).not.toContain(seat);
    expect((await rsvp(db, u.m1.id, meetingId, 'yes')).ok).toBe(true);
    const [m1, m2] = [await page('m1'), await page('m2')];
    expect(m1).toContain(seat);
    expect(m2).not.toContain(seat);
    expect(noNonce(await get(clubPath(), 'm1'))).toBe(noNonce(await rendered(clubPath(), 'm1')));
  });

  it('renders the page for a member with a pair, or with a role on the unit, for them alone', async () => {
    expect((await invitePair(db, u.m1.id, club.id, u.m2.id)).ok).toBe(true);
    const [a, b] = [await get(clubPath(), 'm1'), await get(clubPath(), 'm2')];
    expect([a.via, b.via]).toEqual([null, null]);
    expect(a.html).toContain(escapeHtmlText(NAMES.m2)); // the invitation names the other (their page only)
    expect((await get(clubPath(), 'mod')).via).toBe('shell');
    // The club's discussion page is shared per variant too (speed-page-shell-club-threads.test.ts).
    expect((await get(`${clubPath()}/discussion`, 'mod')).via).toBe('shell');
    const organiser = await makeUser(db, 'Tổ Chức Phường');
    await grantRole(db, { userId: organiser, role: 'organiser', unitId: wardId, grantedBy: null });
    const res = await fetch(`${site.base}${clubPath()}`, { headers: { Cookie: await sessionCookie(db, organiser) } });
    expect(res.headers.get('x-page-cache')).toBe(null);
    expect(await res.text()).toContain('value="close"');
  });

  it("the directory: shared by everyone, 'near me' by each visitor's own unit; my clubs on /clubs/mine", async () => {
    const [a, b] = [await get('/clubs', 'm1'), await get('/clubs', 'far')];
    expect([a.via, b.via]).toEqual(['shell', 'shell']);
    expect(a.html).toContain('CLB Đọc Cùng Nhau');
    expect(a.html).toContain('href="/clubs/mine"');
    const [near, far] = [await get('/clubs?near=province', 'm1'), await get('/clubs?near=province', 'far')];
    expect([near.via, far.via]).toEqual(['shell', 'shell']);
    expect(near.html).toContain('CLB Đọc Cùng Nhau');
    expect(far.html).not.toContain('CLB Đọc Cùng Nhau');
    expect(noNonce(far)).toBe(noNonce(await rendered('/clubs?near=province', 'far')));
    const mine = await get('/clubs/mine', 'm1');
    expect(mine.via).toBe(null);
    expect(mine.html).toContain(`href="/clubs/${club.slug}"`);
    expect(mine.html).toContain('/clubs/calendar/');
    expect((await get('/clubs/mine', 'far')).html).not.toContain('/clubs/calendar/');
  });

  it('offers the provinces first, then the chosen province’s communes and wards (no JavaScript needed)', async () => {
    const all = (await get('/clubs', 'm1')).html;
    expect(all).toContain('Tỉnh Biên Giang');
    expect(all).not.toContain(`value="${wardId}"`);
    const province = await db.selectFrom('units').select('id').where('name', '=', 'Tỉnh Biên Giang').executeTakeFirstOrThrow();
    const chosen = (await get(`/clubs?unit=${province.id}`, 'm1')).html;
    expect(chosen).toContain(`value="${wardId}"`);
    const ward = (await get(`/clubs?unit=${wardId}`, 'm1')).html;
    expect(ward).toMatch(new RegExp(`<option value="${wardId}" selected=""`));
    expect(ward).toContain('CLB Đọc Cùng Nhau');
  });
});
