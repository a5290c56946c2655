/**
 * A club's schedule in the shared signed-in renders (issue 13 on the engine of issue 10:
 * app/lib/page-shell.server.ts, `clubScheduleVariant` in app/domain/clubs/shell.server.ts), the
 * BUILT app in this process behind Express, on each dialect. A library book in three parts by the
 * reader's chapters, the first part due in the past:
 * - every visitor's shared page is byte for byte the page rendered for them alone (the CSP nonce
 *   aside): members ahead and behind (by their mark, by the reader's saved chapter), a moderator,
 *   the creator, an outsider, a grandparent and grandchild pair, a child, English and large text;
 *   an organiser of the club's unit and an outsider of a private club (403) get their own render;
 * - what the page shows of other members (their progress, names) and of the visitor (their
 *   progress, the parts they may open) changes on the very next request after each write: a mark,
 *   a reader moving to another chapter (through the library's `savePosition`), a new part, a
 *   reveal, joining and leaving, a new name; and "who is behind" changes when the day does,
 *   within the page-cache TTL and with no write.
 */
import '~/domain/places.server';

import { afterAll, describe, expect, it, vi } from 'vitest';

import type { DB } from '~/db/connection';
import { grantRole, updateProfile } from '~/domain/accounts.server';
import { joinClub, leaveClub, promoteMember } from '~/domain/clubs/clubs.server';
import { invitePair, respondPair } from '~/domain/clubs/pairs.server';
import { addMilestone, markProgress, revealMilestone } from '~/domain/clubs/schedule.server';
import { savePosition } from '~/domain/library/reading.server';
import { todayInVietnam } from '~/lib/dates';
import { clearShellPages, escapeHtmlText, shellStats } from '~/lib/page-shell.server';

import { firstDifference, loadBuiltApp, makeVisitors, rootUser, servedApp, type Visitor } from '../helpers/built-app';
import { readingClub, threePartBook, wardTree } from '../helpers/clubs';
import { dialects } from '../helpers/db';
import { insertTitleRow } from '../helpers/library';
import { ESTABLISHED_ACCOUNT } from '../helpers/users';

const built = loadBuiltApp();

const CHILD_YEAR = new Date().getUTCFullYear() - 9;
const PEOPLE = {
  teacher: ['Cô Giáo Hạnh', 1980],
  m1: ['Trần <i>Mười</i> & "Một"', 1990],
  m2: ['Lê Thị Hai', 1985],
  behind: ['Bà Lan Đọc Chậm', 1950],
  reader: ['Ông Tư Đọc Sách', 1948],
  mod: ['Phạm Văn Điều Hành', 1975],
  grandma: ['Bà Năm', 1952],
  child: ['Bé Minh Con', CHILD_YEAR],
  out: ['Người Ngoài Câu Lạc Bộ', 1970],
  organiser: ['Tổ Chức Phường', 1970],
} as const;
type Who = keyof typeof PEOPLE;

/** A member's row of the progress table: [parts done, parts in all, behind]. */
function progressRow(html: string, name: string): [number, number, boolean] | null {
  const m = new RegExp(
    `<tr><td>${escapeHtmlText(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</td><td>(\\d+)/(\\d+) phần</td><td>(.*?)</td></tr>`,
  ).exec(html);
  return m ? [Number(m[1]), Number(m[2]), m[3]!.includes('<strong>')] : null;
}

/** The part the "my progress" form has chosen (null: no form). */
function myMark(html: string): string | null {
  const select = /<select[^>]*name="finished"[^>]*>(.*?)<\/select>/s.exec(html);
  if (!select) return null;
  return (
    /<option[^>]*value="(\d+)"[^>]*selected=""/.exec(select[1]!)?.[1] ??
    /<option selected=""[^>]*value="(\d+)"/.exec(select[1]!)?.[1] ??
    null
  );
}

/** How many parts show their thread as locked. */
const locks = (html: string) => (html.match(/class="spoiler-lock"/g) ?? []).length;

describe.each(dialects)('club schedule shared per variant (%s)', (dialect) => {
  let db: DB;
  let u = {} as Record<Who, Visitor>;
  let club = { id: '', slug: '' };
  let secret = { id: '', slug: '' };
  let titleId = '';
  let wardId = '';
  const parts: Array<{ id: string; threadId: string }> = [];
  const name = (who: Who) => PEOPLE[who][0];

  const site = servedApp(built, dialect, async (d) => {
    db = d;
    const { ward } = await wardTree(db);
    wardId = ward.id;
    u = await makeVisitors(db, Object.fromEntries((Object.keys(PEOPLE) as Who[]).map((k) => [k, name(k)])) as Record<Who, string>, (k) => ({
      homeUnitId: ward.id,
      createdAt: ESTABLISHED_ACCOUNT,
      birthYear: PEOPLE[k][1],
    }));
    await grantRole(db, { userId: u.teacher.id, role: 'teacher', unitId: ward.id, grantedBy: null });
    await grantRole(db, { userId: u.organiser.id, role: 'organiser', unitId: ward.id, grantedBy: null });
    club = await readingClub(db, u.teacher.id, ward.id);
    for (const k of ['m1', 'm2', 'behind', 'reader', 'mod', 'grandma', 'child'] as const)
      expect((await joinClub(db, u[k].id, club.id)).ok).toBe(true);
    expect((await promoteMember(db, u.teacher.id, club.id, u.mod.id)).ok).toBe(true);
    // A grandmother and her grandchild read as a pair.
    const pair = await invitePair(db, u.grandma.id, club.id, u.child.id);
    if (!pair.ok) throw new Error('pair');
    expect((await respondPair(db, u.child.id, pair.value.id, 'accept')).ok).toBe(true);

    // The current book: a library title in three parts, by the reader's chapters; part 1 was due long ago.
    titleId = await insertTitleRow(db, { title: 'Dế Mèn phiêu lưu ký', author: 'Tô Hoài' });
    parts.push(...(await threePartBook(db, u.teacher.id, club.id, titleId)));
    await db.updateTable('club_milestones').set({ target_on: '2020-01-31' }).where('id', '=', parts[0]!.id).execute();
    // m1 finished two parts, m2 one, `behind` and the pair none; `reader` is at chapter 5 in the reader (two parts done).
    expect((await markProgress(db, u.m1.id, club.id, 2)).ok).toBe(true);
    expect((await markProgress(db, u.m2.id, club.id, 1)).ok).toBe(true);
    expect(await savePosition(db, u.reader.id, titleId, 'epubcfi(/6/12!/4/2)', 'Chương 5')).toBe(true);

    // A private club (joined on request) with no book yet.
    secret = await readingClub(db, u.teacher.id, ward.id, { name: 'CLB Kín', visibility: 'request', intergenerational: false });
  });
  afterAll(() => vi.useRealTimers());

  const get = (p: string, cookie: string) => site.get(p, cookie);
  const as = (who: Who, p = schedule()) => get(p, u[who].cookie);
  /** The page rendered for this visitor alone (the shared renders switched off). */
  const fresh = (p: string, cookie: string) => site.fresh(p, cookie);
  /** A visitor's page, asserted to come from a shared render. */
  const shared = async (who: Who, p = schedule()) => {
    const r = await as(who, p);
    expect(r.via, `${p} for ${who}`).toBe('shell');
    expect(r.status).toBe(200);
    return r.html;
  };
  const schedule = (slug = club.slug) => `/clubs/${slug}/schedule`;

  /** Shared (the render, then the kept one) against fresh, for each visitor and page: the differences. */
  const compare = (visits: Array<[string, string]>, urls: string[]) => site.differences(visits, urls);

  it('serves each visitor exactly the page rendered for them alone', async () => {
    // The comparison itself is sound: two fresh renders of one request are equal.
    const [a, b] = [await fresh(schedule(), u.m1.cookie), await fresh(schedule(), u.m1.cookie)];
    expect(firstDifference(a.body, b.body)).toBeNull();
    const visits: Array<[string, string]> = [
      ...(['m1', 'm2', 'behind', 'reader', 'mod', 'teacher', 'grandma', 'child', 'out'] as const).map((k): [string, string] => [
        k,
        u[k].cookie,
      ]),
      ['m1 in English, large text', `${u.m1.cookie}; lang=en; textsize=large`],
    ];
    expect(await compare(visits, [schedule(), schedule(secret.slug)])).toEqual([]);
    // What they were served: every member's progress, the child unnamed, who is behind.
    const html = await shared('out');
    expect(progressRow(html, name('m1'))).toEqual([2, 3, false]);
    expect(progressRow(html, name('m2'))).toEqual([1, 3, false]);
    expect(progressRow(html, name('reader'))).toEqual([2, 3, false]);
    expect(progressRow(html, name('behind'))).toEqual([0, 3, true]);
    expect(html).not.toContain(name('child'));
    expect(progressRow(html, 'Một bạn nhỏ')).toEqual([0, 3, true]);
    expect(myMark(html)).toBeNull(); // an outsider marks no progress
    expect(myMark(await shared('m1'))).toBe('2');
    expect(myMark(await shared('reader'))).toBe('2'); // by the reader's saved chapter
    expect(locks(await shared('m2'))).toBe(2);
    expect(locks(await shared('mod'))).toBe(0);
    // An organiser of the club's unit (a moderator there): rendered for them, with the moderators' forms.
    const org = await as('organiser');
    expect([org.status, org.via]).toEqual([200, null]);
    expect(org.html).toContain('name="intent" value="milestone"');
    // An outsider of a private club: 403, rendered for them; a member of it: shared.
    expect([(await as('out', schedule(secret.slug))).status, (await as('out', schedule(secret.slug))).via]).toEqual([403, null]);
    expect((await as('teacher', schedule(secret.slug))).via).toBe('shell');
  });

  it('lets visitors seen the same way share one render, each with their own name', async () => {
    clearShellPages();
    // The grandmother and `behind`: members with nothing finished, nothing revealed.
    const [x, y] = [await shared('grandma'), await shared('behind')];
    expect(shellStats().renders).toBe(1);
    expect(rootUser(x)).toEqual({ id: u.grandma.id, displayName: name('grandma') });
    expect(rootUser(y)).toEqual({ id: u.behind.id, displayName: name('behind') });
    expect(y.slice(0, y.indexOf('<main'))).not.toContain(name('grandma'));
    expect(y).not.toMatch(/Zq[0-9a-f]{18}Name|zq[0-9a-f]{18}id/);
    // m1 (two parts done) is seen another way.
    await shared('m1');
    expect(shellStats().renders).toBe(2);
  });

  it('shows each write on the very next request', async () => {
    // Another member's reader moves back to chapter 1: their row on everyone's schedule at once.
    expect(progressRow(await shared('m1'), name('reader'))).toEqual([2, 3, false]);
    expect(progressRow(await shared('out'), name('reader'))).toEqual([2, 3, false]);
    expect(await savePosition(db, u.reader.id, titleId, 'epubcfi(/6/2!/4/2)', 'Chương 1')).toBe(true);
    expect(progressRow(await shared('m1'), name('reader'))).toEqual([0, 3, true]);
    expect(progressRow(await shared('out'), name('reader'))).toEqual([0, 3, true]);
    expect(myMark(await shared('reader'))).toBe('0');
    expect(locks(await shared('reader'))).toBe(3);
    // A page turn within the chapter changes nothing the schedule shows: nothing is rendered again.
    const renders = shellStats().renders;
    expect(await savePosition(db, u.reader.id, titleId, 'epubcfi(/6/2!/4/8)', 'Chương 1')).toBe(true);
    expect(progressRow(await shared('m1'), name('reader'))).toEqual([0, 3, true]);
    expect(shellStats().renders).toBe(renders);
    // Forward to chapter 3: one part done.
    expect(await savePosition(db, u.reader.id, titleId, 'epubcfi(/6/6!/4/2)', 'Chương 3')).toBe(true);
    expect(progressRow(await shared('m1'), name('reader'))).toEqual([1, 3, false]);
    expect(myMark(await shared('reader'))).toBe('1');
    expect(locks(await shared('reader'))).toBe(2);
    // A member's own mark: their form and their row for everyone.
    expect((await markProgress(db, u.m2.id, club.id, 3)).ok).toBe(true);
    expect(myMark(await shared('m2'))).toBe('3');
    expect(locks(await shared('m2'))).toBe(0);
    expect(progressRow(await shared('behind'), name('m2'))).toEqual([3, 3, false]);
    // A reveal opens a part for that member only.
    expect(locks(await shared('behind'))).toBe(3);
    expect((await revealMilestone(db, u.behind.id, parts[2]!.id)).ok).toBe(true);
    expect(locks(await shared('behind'))).toBe(2);
    expect(locks(await shared('grandma'))).toBe(3);
    // A new part: everyone's table counts four.
    const p4 = await addMilestone(db, u.mod.id, club.id, { label: 'Chương 7–8', startChapter: 'Chương 7', targetOn: '2099-12-31' });
    expect(p4.ok).toBe(true);
    const after = await shared('m1');
    expect(after).toContain('Chương 7–8');
    expect(progressRow(after, name('m1'))).toEqual([2, 4, false]);
    expect(progressRow(after, name('m2'))).toEqual([3, 4, false]);
    // An outsider joins (their form and their row), then leaves.
    expect(myMark(await shared('out'))).toBeNull();
    expect((await joinClub(db, u.out.id, club.id)).ok).toBe(true);
    const joined = await shared('out');
    expect(myMark(joined)).toBe('0');
    expect(progressRow(joined, name('out'))).toEqual([0, 4, true]);
    expect(progressRow(await shared('m1'), name('out'))).toEqual([0, 4, true]);
    expect((await leaveClub(db, u.out.id, club.id)).ok).toBe(true);
    expect(myMark(await shared('out'))).toBeNull();
    expect(progressRow(await shared('m1'), name('out'))).toBeNull();
    // A member renames themself: the new name at once.
    await updateProfile(db, u.m2.id, { displayName: 'Lê Thị Hai Đổi Tên', birthYear: 1985, homeUnitId: wardId, locale: 'vi' });
    expect(progressRow(await shared('m1'), 'Lê Thị Hai Đổi Tên')).toEqual([3, 4, false]);
    // After all of it, still each visitor's own fresh page.
    const visits = (['m1', 'm2', 'reader', 'behind', 'out', 'mod', 'child'] as const).map((k): [string, string] => [k, u[k].cookie]);
    expect(await compare(visits, [schedule()])).toEqual([]);
  });

  it('shows who is behind as the day changes, with no write', async () => {
    // Part 2 due on a day to come: at 23:59:30 of that day (Vietnam) nobody is behind for it; 40 s
    // later, the next day, within the page-cache TTL, members with one part done are.
    const day = todayInVietnam(new Date(Date.now() + 3 * 86_400_000));
    await db.updateTable('club_milestones').set({ target_on: day }).where('id', '=', parts[1]!.id).execute();
    expect((await markProgress(db, u.m1.id, club.id, 1)).ok).toBe(true); // a write: the change above is seen
    try {
      vi.useFakeTimers({ toFake: ['Date'], now: new Date(`${day}T23:59:30+07:00`) });
      expect(progressRow(await shared('m2'), name('m1'))).toEqual([1, expect.any(Number), false]);
      vi.setSystemTime(new Date(Date.parse(`${day}T23:59:30+07:00`) + 40_000));
      expect(progressRow(await shared('m2'), name('m1'))).toEqual([1, expect.any(Number), true]);
      expect(await compare([['m2', u.m2.cookie]], [schedule()])).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
