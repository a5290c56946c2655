/**
 * Club threads and the club's discussion page in the shared signed-in renders (issue 13 on the
 * engine of issue 10: app/lib/page-shell.server.ts, `clubThreadVariant` / `clubDiscussionVariant`
 * in app/domain/clubs/shell.server.ts), the BUILT app in this process behind Express, on each
 * dialect. A 50-post club thread and a library book's three parts, each with its thread:
 * - every visitor's shared page is byte for byte the page rendered for them alone (the CSP nonce
 *   aside): members ahead and behind in the schedule, one ahead by the reader's saved position, a
 *   club moderator, the creator, an outsider, English and large text; pages 1 and 3 and `?post=`;
 * - a member behind the schedule never receives a later part's post text, whoever was served
 *   before them, and their progress, the reader's position or a reveal change it on the next request;
 * - one member's name and own-post tools (edit/remove, no reactions) never show in another's page;
 * - each write that changes a thread page (a reply, an edit, a removal, a reaction, a lock, a pin,
 *   a follow, a read mark, joining, a promotion) shows on the very next request.
 */
import '~/domain/places.server';

import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { grantRole, updateProfile } from '~/domain/accounts.server';
import { bumpClub } from '~/domain/clubs/cache.server';
import { joinClub, leaveClub, promoteMember } from '~/domain/clubs/clubs.server';
import { markProgress, revealMilestone } from '~/domain/clubs/schedule.server';
import { moderate } from '~/domain/discussion/moderation.server';
import { createThread, editPost, markThreadRead, removePost, reply, setFollow, toggleReaction } from '~/domain/discussion/posts.server';
import { newId, nowIso } from '~/lib/ids.server';
import { clearShellPages, escapeHtmlText, shellStats } from '~/lib/page-shell.server';

import { firstDifference, loadBuiltApp, makeVisitors, rootUser, servedApp, type Visitor } from '../helpers/built-app';
import { readingClub, threePartBook, wardTree } from '../helpers/clubs';
import { dialects } from '../helpers/db';
import { insertTitleRow } from '../helpers/library';
import { ESTABLISHED_ACCOUNT } from '../helpers/users';

const built = loadBuiltApp();

const NAMES = {
  teacher: 'Cô Giáo Hạnh',
  m1: 'Trần <i>Mười</i> & "Một"',
  m2: 'Lê Thị Hai',
  behind: 'Bà Lan Đọc Chậm',
  reader: 'Ông Tư Đọc Sách',
  mod: 'Phạm Văn Điều Hành',
  out: 'Người Ngoài Câu Lạc Bộ',
  organiser: 'Tổ Chức Phường',
} as const;
type Who = keyof typeof NAMES;

/** What only readers past part 2 may see. */
const SECRET = 'Bí mật phần hai: Dế Choắt';
/** A post's moderation link (the thread view opens one post's moderation form by `?mod=N`). */
const MOD_LINK = '&amp;mod=';

/** The HTML of post N's article (up to the next post's). */
function article(html: string, no: number): string {
  const from = html.indexOf(`<article id="post-${no}"`);
  if (from < 0) throw new Error(`no post ${no} in the page`);
  const to = html.indexOf('</article>', from);
  return html.slice(from, to);
}

describe.each(dialects)('club threads shared per variant (%s)', (dialect) => {
  let db: DB;
  let u = {} as Record<Who, Visitor>;
  let club = { id: '', slug: '' };
  let titleId = '';
  let wardId = '';
  let thread = '';
  const parts: Array<{ id: string; threadId: string }> = [];
  /** Post number → author, in the 50-post thread. */
  const authorOf = new Map<number, Who>();
  const postId = new Map<number, string>();

  const site = servedApp(built, dialect, async (d) => {
    db = d;
    const { ward } = await wardTree(db);
    wardId = ward.id;
    u = await makeVisitors(db, NAMES, () => ({ homeUnitId: ward.id, createdAt: ESTABLISHED_ACCOUNT, birthYear: 1970 }));
    await grantRole(db, { userId: u.teacher.id, role: 'teacher', unitId: ward.id, grantedBy: null });
    await grantRole(db, { userId: u.organiser.id, role: 'organiser', unitId: ward.id, grantedBy: null });
    club = await readingClub(db, u.teacher.id, ward.id);
    for (const k of ['m1', 'm2', 'behind', 'reader', 'mod'] as const) expect((await joinClub(db, u[k].id, club.id)).ok).toBe(true);
    expect((await promoteMember(db, u.teacher.id, club.id, u.mod.id)).ok).toBe(true);

    // The current book: a library title in three parts, by the reader's chapters.
    titleId = await insertTitleRow(db, { title: 'Dế Mèn phiêu lưu ký', author: 'Tô Hoài' });
    parts.push(...(await threePartBook(db, u.teacher.id, club.id, titleId)));
    // m1 finished two parts, m2 one, `behind` none; `reader` is at chapter 5 in the reader (two parts done).
    expect((await markProgress(db, u.m1.id, club.id, 2)).ok).toBe(true);
    expect((await markProgress(db, u.m2.id, club.id, 1)).ok).toBe(true);
    await db
      .insertInto('lib_reading_state')
      .values({ user_id: u.reader.id, title_id: titleId, cfi: 'epubcfi(/6/12!/4/2)', label: 'Chương 5', updated_at: nowIso() })
      .execute();
    expect((await reply(db, { userId: u.m1.id }, parts[1]!.threadId, { body: `${SECRET} mất rồi, buồn quá.` })).ok).toBe(true);
    expect((await reply(db, { userId: u.m2.id }, parts[0]!.threadId, { body: 'Phần một vui quá!' })).ok).toBe(true);

    // An ordinary thread of 50 posts, written by five members in turn.
    const t = await createThread(db, { userId: u.teacher.id }, { type: 'club', id: club.id }, { title: 'Cảm nhận chung', body: 'Mở đầu' });
    if (!t.ok) throw new Error('thread');
    thread = t.value.threadId;
    authorOf.set(1, 'teacher');
    postId.set(1, t.value.postId);
    const writers: Who[] = ['m1', 'm2', 'mod', 'reader', 'behind'];
    const rows = [];
    for (let no = 2; no <= 50; no++) {
      const who = writers[no % writers.length]!;
      const id = newId();
      authorOf.set(no, who);
      postId.set(no, id);
      rows.push({
        id,
        thread_id: thread,
        post_no: no,
        author_id: u[who].id,
        body_md: `Bài số ${no} của ${who}`,
        body_html: `<p>Bài số ${no} của ${who}</p>\n`,
        quote_of: no === 7 ? t.value.postId : null,
        status: 'visible' as const,
        edit_count: 0,
        created_at: new Date(Date.parse('2026-11-30T00:00:00Z') + no * 60_000).toISOString(),
        edited_at: null,
        removed_at: null,
      });
    }
    await db.insertInto('disc_posts').values(rows).execute();
    await db.updateTable('disc_threads').set({ last_post_no: 50, reply_count: 49 }).where('id', '=', thread).execute();
    await bumpClub(db, club.id);
    // Some personal state: reactions (two by m2 on one of m1's posts), a follow, a read mark.
    const m1Post = [...authorOf].find(([no, w]) => w === 'm1' && no <= 20)![0];
    expect((await toggleReaction(db, u.m2.id, postId.get(m1Post)!, 'thanks')).ok).toBe(true);
    expect((await toggleReaction(db, u.m2.id, postId.get(m1Post)!, 'like')).ok).toBe(true);
    expect((await setFollow(db, u.m1.id, thread, true)).ok).toBe(true);
    expect((await markThreadRead(db, u.m2.id, thread, 10)).ok).toBe(true);
  });

  const get = (p: string, cookie: string) => site.get(p, cookie);
  const as = (who: Who, p: string) => get(p, u[who].cookie);
  /** The page rendered for this visitor alone (the shared renders switched off). */
  const fresh = (p: string, cookie: string) => site.fresh(p, cookie);
  /** A visitor's page, asserted to come from a shared render. */
  const shared = async (who: Who, p: string) => {
    const r = await as(who, p);
    expect(r.via, `${p} for ${who}`).toBe('shell');
    expect(r.status).toBe(200);
    return r.html;
  };
  const threadPath = (q = '') => `/clubs/${club.slug}/t/${thread}${q}`;
  const partPath = (i: number) => `/clubs/${club.slug}/t/${parts[i]!.threadId}`;

  /** Shared (the render, then the kept one) against fresh, for each visitor and page: the differences. */
  const compare = (visits: Array<[string, string]>, urls: string[]) => site.differences(visits, urls);

  it('serves each visitor exactly the page rendered for them alone', async () => {
    const urls = [
      threadPath(),
      threadPath('?page=3'),
      threadPath('?post=25'),
      partPath(0),
      partPath(1),
      partPath(2),
      `/clubs/${club.slug}/discussion`,
    ];
    // The comparison itself is sound: two fresh renders of one request are equal.
    for (const url of urls) {
      const [a, b] = [await fresh(url, u.m1.cookie), await fresh(url, u.m1.cookie)];
      expect(firstDifference(a.body, b.body), url).toBeNull();
    }
    const visits: Array<[string, string]> = [
      ...(['m1', 'm2', 'behind', 'reader', 'mod', 'teacher', 'out'] as const).map((k): [string, string] => [k, u[k].cookie]),
      ['m1 in English, large text', `${u.m1.cookie}; lang=en; textsize=large`],
    ];
    expect(await compare(visits, urls)).toEqual([]);
    // An outsider reads the public club's thread, but no part (404, rendered for them).
    expect((await as('out', partPath(0))).status).toBe(404);
    // A role on the unit's chain (an organiser moderates every club there): rendered for them.
    const org = await as('organiser', threadPath());
    expect(org.via).toBeNull();
    expect(org.html).toContain(MOD_LINK);
  });

  it('never gives a member behind the schedule a later part’s posts; progress, the reader and a reveal show at once', async () => {
    const part2 = partPath(1);
    expect(await shared('m1', part2)).toContain(SECRET); // kept for readers past part 2
    expect(await shared('reader', part2)).toContain(SECRET); // past part 2 by the reader's position
    for (const who of ['behind', 'm2'] as const) {
      const html = await shared(who, part2);
      expect(html).toContain('spoiler-lock');
      expect(html).not.toContain(SECRET);
      expect(html).not.toContain('Dế Choắt');
    }
    const disc = await shared('behind', `/clubs/${club.slug}/discussion`);
    expect(disc).not.toContain(SECRET);
    expect(disc.match(/class="card spoiler-lock"/g)).toHaveLength(3);
    expect((await shared('m1', `/clubs/${club.slug}/discussion`)).match(/class="card spoiler-lock"/g)).toHaveLength(1);

    // Progress marked: the next request is open; marked back (a re-read): locked again.
    expect((await markProgress(db, u.behind.id, club.id, 2)).ok).toBe(true);
    expect(await shared('behind', part2)).toContain(SECRET);
    expect((await markProgress(db, u.behind.id, club.id, 0)).ok).toBe(true);
    expect(await shared('behind', part2)).not.toContain(SECRET);
    // The reader's saved position moves back (a write of the reader, which bumps nothing): locked at once.
    await db
      .updateTable('lib_reading_state')
      .set({ label: 'Chương 1' })
      .where('user_id', '=', u.reader.id)
      .where('title_id', '=', titleId)
      .execute();
    const back = await shared('reader', part2);
    expect(back).toContain('spoiler-lock');
    expect(back).not.toContain(SECRET);
    await db
      .updateTable('lib_reading_state')
      .set({ label: 'Chương 5' })
      .where('user_id', '=', u.reader.id)
      .where('title_id', '=', titleId)
      .execute();
    expect(await shared('reader', part2)).toContain(SECRET);
    // A reveal opens the part for that member only.
    expect((await revealMilestone(db, u.m2.id, parts[1]!.id)).ok).toBe(true);
    expect(await shared('m2', part2)).toContain(SECRET);
    expect(await shared('behind', part2)).not.toContain(SECRET);
    // Leaving the club: the part is a 404 again (rendered for them).
    expect((await leaveClub(db, u.behind.id, club.id)).ok).toBe(true);
    const gone = await as('behind', part2);
    expect([gone.status, gone.via]).toEqual([404, null]);
    expect(gone.html).not.toContain(SECRET);
    expect((await joinClub(db, u.behind.id, club.id)).ok).toBe(true);
    expect(await shared('behind', part2)).not.toContain(SECRET);
    // Members seen the same way share one render: two members before part 3 (locked there).
    clearShellPages();
    const [x, y] = [await shared('behind', partPath(2)), await shared('m2', partPath(2))];
    expect(shellStats().renders).toBe(1);
    expect([x, y].every((h) => h.includes('spoiler-lock'))).toBe(true);
  });

  it("never shows one member's name or own-post tools in another's page", async () => {
    const [a, b] = [await shared('m1', threadPath()), await shared('m2', threadPath())];
    expect(rootUser(a)).toEqual({ id: u.m1.id, displayName: NAMES.m1 });
    expect(rootUser(b)).toEqual({ id: u.m2.id, displayName: NAMES.m2 });
    expect(a.slice(0, a.indexOf('<main'))).toContain(escapeHtmlText(NAMES.m1));
    expect(b.slice(0, b.indexOf('<main'))).not.toContain(escapeHtmlText(NAMES.m1).slice(0, 12));
    expect(b).not.toMatch(/Zq[0-9a-f]{18}Name|zq[0-9a-f]{18}id/);
    for (let no = 1; no <= 20; no++) {
      const who = authorOf.get(no)!;
      for (const [reader, html] of [
        ['m1', a],
        ['m2', b],
      ] as const) {
        const post = article(html, no);
        const own = who === reader;
        expect(post.includes('value="remove"'), `post ${no} by ${who} for ${reader}: remove`).toBe(own);
        expect(post.includes('value="react"'), `post ${no} by ${who} for ${reader}: reactions`).toBe(!own);
      }
    }
    // m2's reactions are pressed on m2's page only.
    const m1Post = [...authorOf].find(([no, w]) => w === 'm1' && no <= 20)![0];
    expect(article(b, m1Post)).toContain('aria-pressed="true"');
    expect(article(a, m1Post)).not.toContain('aria-pressed="true"');
    // The read mark: m2 (read to 10) is offered the first unread post, m1 (never opened) is not.
    expect(b).toContain(`?post=11#post-11`);
    // The moderator's tools for the moderator only: a link per post opens that post's form (?mod=N).
    expect(a).not.toContain(MOD_LINK);
    expect(await shared('mod', threadPath())).toContain(MOD_LINK);
    expect(await shared('mod', threadPath())).not.toContain('value="moderate"');
    const opened = await shared('mod', threadPath(`?page=1&mod=${m1Post}`));
    expect(article(opened, m1Post)).toContain('value="moderate"');
    expect(opened.match(/value="moderate"/g)).toHaveLength(1);
    expect(await shared('m1', threadPath(`?page=1&mod=${m1Post}`))).not.toContain('value="moderate"');
    // The report form likewise (?flag=N), for readers of others' posts.
    expect(article(await shared('m2', threadPath(`?page=1&flag=${m1Post}`)), m1Post)).toContain('value="flag"');
  });

  it('shows each write on the very next request', async () => {
    const page1 = threadPath();
    const page3 = threadPath('?page=3');
    // A reply (post 51, on page 3).
    const r = await reply(db, { userId: u.m2.id }, thread, { body: 'Một bài trả lời mới toanh' });
    expect(r.ok).toBe(true);
    expect(await shared('m1', page3)).toContain('Một bài trả lời mới toanh');
    const mine = await shared('m2', page3);
    expect(article(mine, 51)).toContain('value="remove"');
    // An edit by m1 of their post on page 1, seen by m2.
    const m1Post = [...authorOf].find(([no, w]) => w === 'm1' && no <= 20)![0];
    expect((await editPost(db, { userId: u.m1.id }, postId.get(m1Post)!, 'Đã sửa lại cho rõ')).ok).toBe(true);
    expect(article(await shared('m2', page1), m1Post)).toContain('Đã sửa lại cho rõ');
    // A reaction by m1 on a post of m2: its count for everyone, pressed for m1.
    const m2Post = [...authorOf].find(([no, w]) => w === 'm2' && no <= 20)![0];
    expect(article(await shared('m1', page1), m2Post)).not.toContain('aria-pressed="true"');
    expect((await toggleReaction(db, u.m1.id, postId.get(m2Post)!, 'insightful')).ok).toBe(true);
    expect(article(await shared('m1', page1), m2Post)).toContain('aria-pressed="true"');
    expect(article(await shared('behind', page1), m2Post)).toMatch(/\(<!-- -->1<!-- -->\)|\(1\)/);
    // m1 removes their own post.
    expect((await removePost(db, { userId: u.m1.id }, postId.get(m1Post)!)).ok).toBe(true);
    expect(article(await shared('m2', page1), m1Post)).toContain('Bài đã bị gỡ.');
    // The moderator locks, then unlocks and pins the thread.
    const lock = await moderate(db, u.mod.id, postId.get(1)!, { action: 'lock', reason: 'Tạm dừng' });
    expect(lock.ok).toBe(true);
    const locked = await shared('m2', page1);
    expect(locked).toContain('Đã khoá');
    expect(locked).not.toContain('value="reply"');
    expect(await shared('mod', page1)).toContain('value="reply"');
    expect((await moderate(db, u.mod.id, postId.get(1)!, { action: 'unlock', reason: '' })).ok).toBe(true);
    expect((await moderate(db, u.mod.id, postId.get(1)!, { action: 'pin', reason: 'Quan trọng' })).ok).toBe(true);
    const pinned = await shared('m2', page1);
    expect(pinned).toContain('Được ghim');
    expect(pinned).toContain('value="reply"');
    // Following and the read mark are m2's own.
    expect(await shared('m2', page1)).toContain('name="on" value="0"'); // m2 follows (they replied)
    expect((await setFollow(db, u.m2.id, thread, false)).ok).toBe(true);
    expect(await shared('m2', page1)).toContain('name="on" value="1"');
    expect((await markThreadRead(db, u.m2.id, thread, 51)).ok).toBe(true);
    expect(await shared('m2', page1)).not.toContain('Đến bài chưa đọc đầu tiên');
    // An outsider joins (may reply), is promoted (moderates), leaves (may only read).
    expect(await shared('out', page1)).not.toContain('value="reply"');
    expect((await joinClub(db, u.out.id, club.id)).ok).toBe(true);
    expect(await shared('out', page1)).toContain('value="reply"');
    expect((await promoteMember(db, u.teacher.id, club.id, u.out.id)).ok).toBe(true);
    expect(await shared('out', page1)).toContain(MOD_LINK);
    expect((await leaveClub(db, u.out.id, club.id)).ok).toBe(true);
    const left = await shared('out', page1);
    expect(left).not.toContain(MOD_LINK);
    expect(left).not.toContain('value="reply"');
    // A member renames themself (their profile): their posts carry the new name at once.
    await updateProfile(db, u.m2.id, { displayName: 'Lê Thị Hai Đổi Tên', birthYear: 1970, homeUnitId: wardId, locale: 'vi' });
    expect(article(await shared('m1', page1), m2Post)).toContain('Lê Thị Hai Đổi Tên');
    // After all of it, still each visitor's own fresh page.
    const visits = (['m1', 'm2', 'out', 'mod'] as const).map((k): [string, string] => [k, u[k].cookie]);
    expect(await compare(visits, [page1, page3, `/clubs/${club.slug}/discussion`])).toEqual([]);
  });
});
