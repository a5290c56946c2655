import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import {
  addWatchedWord,
  escalateQueue,
  flagPost,
  HIDE_THRESHOLD,
  moderate,
  moderationLog,
  reviewQueue,
} from '~/domain/discussion/moderation.server';
import { createThread, editPost, markThreadRead, postHistory, removePost, toggleReaction } from '~/domain/discussion/posts.server';
import { placeThreads, threadAccess, threadPage } from '~/domain/discussion/read.server';
import { setCategorySlowMode } from '~/domain/forums/forums.server';
import { listNotifications, unreadCount } from '~/domain/notifications/notify.server';
import { search } from '~/domain/search/index.server';

import { dialects } from '../helpers/db';
import { eachFreshWorld } from '../helpers/world';
import { type CommunityWorld, communityWorld, isInert, reply, XSS_PAYLOADS } from './community-fixtures';

const HOUR = 3600_000;
const T0 = new Date('2026-11-10T03:00:00Z');

describe.each(dialects)('community: discussion engine and moderation (%s)', (dialect) => {
  let db: DB;
  let w: CommunityWorld;
  eachFreshWorld(
    dialect,
    (db) => communityWorld(db, T0),
    (fresh) => ({ db, w } = fresh),
  );

  async function thread(author: string, title = 'Sống số an toàn', body = 'Chúng ta nên làm gì để giữ an toàn trên mạng?', place = w.pub) {
    const r = await createThread(db, { userId: author }, place, { title, body }, T0);
    if (!r.ok) throw new Error(r.code);
    return r.value;
  }

  it('asks the place who may read and post: a members-only category is 404 to outsiders and stays out of search', async () => {
    const member = await w.established({ homeUnitId: w.ward.id });
    const outsider = await w.established({ homeUnitId: w.other.id });
    const t = await thread(member, 'Họp tổ dân phố tuần này', 'Nội dung riêng của phường', w.members);
    expect(t.status).toBe('visible');
    expect((await threadAccess(db, outsider, t.threadId)).status).toBe('missing');
    expect((await threadAccess(db, null, t.threadId)).status).toBe('missing');
    expect(await threadPage(db, outsider, t.threadId)).toBeNull();
    expect(await placeThreads(db, outsider, w.members)).toBeNull();
    expect(await reply(db, { userId: outsider }, t.threadId, { body: 'xin chào' }, T0)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await createThread(db, { userId: outsider }, w.members, { title: 'x', body: 'y' }, T0)).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect((await threadPage(db, member, t.threadId))!.posts).toHaveLength(1);
    // The public thread is in the shared search (folded: without marks, đ → d); the private one is not.
    const pubT = await thread(member, 'Đọc sách cùng con', 'Văn hóa đọc bắt đầu từ gia đình');
    expect((await search(db, 'doc sach cung con')).hits.map((h) => h.url)).toContain(`/forums/t/${pubT.threadId}`);
    expect((await search(db, 'hop to dan pho')).hits).toHaveLength(0);
    // A reply mentioning the outsider does not notify them: they cannot read the place.
    await db.updateTable('users').set({ display_name: 'Ngoài Cuộc' }).where('id', '=', outsider).execute();
    const member2 = await w.established({ homeUnitId: w.ward.id });
    await reply(db, { userId: member2 }, t.threadId, { body: 'Hỏi @Ngoài Cuộc nhé' }, T0);
    expect(await unreadCount(db, outsider)).toBe(0);
  });

  it('replies, quotes, edits with history, soft deletes, reactions once per member, follows and read marks', async () => {
    const [a, b, c] = [await w.established({ name: 'Trần Văn An' }), await w.established({ name: 'Lê Thị Bình' }), await w.established()];
    const t = await thread(a);
    const r1 = await reply(db, { userId: b }, t.threadId, { body: 'Không chia sẻ mật khẩu.', quoteOf: t.postId }, T0);
    if (!r1.ok) throw new Error(r1.code);
    expect(r1.value.postNo).toBe(2);
    // The thread's author follows it and hears of the reply; the bell counts it.
    expect(await unreadCount(db, a)).toBe(1);
    const [n] = await listNotifications(db, a);
    expect(n!.type).toBe('community.reply');
    expect(n!.params).toMatchObject({ name: 'Lê Thị Bình', title: 'Sống số an toàn' });
    expect(n!.url).toBe(`/forums/t/${t.threadId}?post=2#post-2`);

    const page = (await threadPage(db, c, t.threadId))!;
    expect(page.posts[1]!.quote).toMatchObject({ no: 1, author: 'Trần Văn An' });
    expect(page.firstUnread).toBe(1);

    // Edit history is visible; only the author (or a moderator) may edit.
    expect(await editPost(db, { userId: c }, r1.value.postId, 'sửa trộm', T0)).toMatchObject({ ok: false, code: 'forbidden' });
    expect((await editPost(db, { userId: b }, r1.value.postId, 'Không bao giờ chia sẻ mật khẩu.', T0)).ok).toBe(true);
    const h = (await postHistory(db, c, r1.value.postId))!;
    expect(h.versions.map((v) => v.html)).toEqual(['<p>Không chia sẻ mật khẩu.</p>\n']);
    expect(h.current.html).toContain('Không bao giờ');

    // Reactions: fixed set; one per member, post and reaction; not on one's own post.
    expect(await toggleReaction(db, c, r1.value.postId, 'like')).toEqual({ ok: true, value: { on: true } });
    expect(await toggleReaction(db, a, r1.value.postId, 'like')).toEqual({ ok: true, value: { on: true } });
    expect(await toggleReaction(db, c, r1.value.postId, 'like')).toEqual({ ok: true, value: { on: false } });
    expect(await toggleReaction(db, c, r1.value.postId, 'love')).toMatchObject({ ok: false, code: 'invalid' });
    expect(await toggleReaction(db, b, r1.value.postId, 'like')).toMatchObject({ ok: false, code: 'forbidden' });
    await expect(
      db
        .insertInto('disc_reactions')
        .values({ post_id: r1.value.postId, user_id: a, reaction: 'like', created_at: T0.toISOString() })
        .execute(),
    ).rejects.toThrow();
    expect((await threadPage(db, c, t.threadId))!.posts[1]!.reactions.like).toBe(1);

    // Read marks never move back; unread counts in the list follow them.
    expect((await markThreadRead(db, c, t.threadId, 2)).ok).toBe(true);
    await markThreadRead(db, c, t.threadId, 1);
    expect((await threadPage(db, c, t.threadId))!.lastRead).toBe(2);
    expect((await placeThreads(db, c, w.pub))!.threads.find((x) => x.id === t.threadId)!.unread).toBe(0);

    // Soft delete: "removed" placeholder, no text, out of search.
    expect((await removePost(db, { userId: b }, r1.value.postId, T0)).ok).toBe(true);
    const after = (await threadPage(db, c, t.threadId))!;
    expect(after.posts[1]).toMatchObject({ status: 'removed', html: null });
  });

  it('keeps the reader’s place across pages: ?post=N opens the page holding post N', async () => {
    const users = [await w.established(), await w.established(), await w.established()];
    const t = await thread(users[0]!);
    for (let i = 0; i < 24; i++) {
      const r = await reply(
        db,
        { userId: users[i % 3]! },
        t.threadId,
        { body: `Ý kiến số ${i + 2}` },
        new Date(T0.getTime() + i * 60_000 + 60_000),
      );
      if (!r.ok) throw new Error(`${i}: ${r.code}`);
    }
    const p = (await threadPage(db, users[0]!, t.threadId, { post: 23 }))!;
    expect(p.page).toBe(2);
    expect(p.pages).toBe(2);
    expect(p.posts.map((x) => x.no)).toContain(23);
    expect((await threadPage(db, users[0]!, t.threadId, { page: 99 }))!.page).toBe(2);
  });

  it('hides a post once flags from established members reach the threshold; new members’ flags do not count', async () => {
    const author = await w.established();
    const t = await thread(author, 'Quảng cáo', 'Mua ngay hàng giảm giá');
    for (let i = 0; i < HIDE_THRESHOLD + 1; i++) {
      const fresh = await w.user();
      expect((await flagPost(db, { userId: fresh }, t.postId, { reason: 'spam' }, T0)).ok).toBe(true);
    }
    expect((await threadPage(db, null, t.threadId))!.posts[0]!.status).toBe('visible');
    const flaggers = [await w.established(), await w.established(), await w.established()];
    expect(await flagPost(db, { userId: flaggers[0]! }, t.postId, { reason: 'nonsense' }, T0)).toMatchObject({ ok: false, code: 'reason' });
    expect(await flagPost(db, { userId: flaggers[0]! }, t.postId, { reason: 'other', note: ' ' }, T0)).toMatchObject({
      ok: false,
      code: 'note_required',
    });
    expect(await flagPost(db, { userId: author }, t.postId, { reason: 'spam' }, T0)).toMatchObject({ ok: false, code: 'own_post' });
    expect(await flagPost(db, { userId: flaggers[0]! }, t.postId, { reason: 'spam' }, T0)).toEqual({ ok: true, value: { hidden: false } });
    expect(await flagPost(db, { userId: flaggers[0]! }, t.postId, { reason: 'spam' }, T0)).toMatchObject({ ok: false, code: 'already' });
    expect(await flagPost(db, { userId: flaggers[1]! }, t.postId, { reason: 'offensive' }, T0)).toEqual({
      ok: true,
      value: { hidden: false },
    });
    expect(await flagPost(db, { userId: flaggers[2]! }, t.postId, { reason: 'spam' }, T0)).toEqual({ ok: true, value: { hidden: true } });
    // Hidden: not viewable at all by others (the thread is gone for them), out of search.
    expect((await threadAccess(db, null, t.threadId)).status).toBe('missing');
    expect((await search(db, 'quang cao')).hits).toHaveLength(0);
    // The ward's queue shows it to the ward organiser, not to a member.
    const q = (await reviewQueue(db, w.wardOrganiser, w.ward.id, T0))!;
    expect(q.map((i) => i.postId)).toEqual([t.postId]);
    expect(q[0]!.flags.length).toBe(HIDE_THRESHOLD + 4);
    expect(await reviewQueue(db, flaggers[0]!, w.ward.id, T0)).toBeNull();
  });

  it('escalates an item nobody handles within 48 h to the parent unit’s queue', async () => {
    const author = await w.established();
    const t = await thread(author);
    await flagPost(db, { userId: await w.established() }, t.postId, { reason: 'off_topic' }, T0);
    expect(await escalateQueue(db, new Date(T0.getTime() + 47 * HOUR))).toBe(0);
    expect((await reviewQueue(db, w.provinceOrganiser, w.province.id, T0))!).toHaveLength(0);
    expect(await escalateQueue(db, new Date(T0.getTime() + 49 * HOUR))).toBe(1);
    expect((await reviewQueue(db, w.wardOrganiser, w.ward.id, T0))!).toHaveLength(0);
    const q = (await reviewQueue(db, w.provinceOrganiser, w.province.id, T0))!;
    expect(q).toHaveLength(1);
    expect(q[0]!.escalated).toBe(true);
    // Handled from the province queue; logged; the author is told.
    const r = await moderate(db, w.provinceOrganiser, t.postId, { action: 'warn', reason: 'Lạc đề, xin giữ đúng chủ đề' }, T0);
    expect(r.ok).toBe(true);
    expect((await reviewQueue(db, w.provinceOrganiser, w.province.id, T0))!).toHaveLength(0);
    const log = (await moderationLog(db, w.provinceOrganiser, w.province.id))!;
    expect(log.map((l) => l.action)).toEqual(expect.arrayContaining(['escalate', 'warn']));
    expect(log.find((l) => l.action === 'warn')).toMatchObject({ actor: 'Tổ chức Tỉnh', reason: 'Lạc đề, xin giữ đúng chủ đề' });
    const [n] = await listNotifications(db, author, { prefix: 'community.moderation' });
    expect(n!.params).toMatchObject({ action: 'nhắc nhở', reason: 'Lạc đề, xin giữ đúng chủ đề' });
  });

  it('moderator actions: silence for a period, lock, slow mode with a logged reason, move; others are refused', async () => {
    const author = await w.established();
    const other = await w.established();
    const t = await thread(author);
    expect(await moderate(db, other, t.postId, { action: 'lock', reason: 'x' }, T0)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await moderate(db, w.wardOrganiser, t.postId, { action: 'silence', reason: '', amount: 3 }, T0)).toMatchObject({
      ok: false,
      code: 'reason_required',
    });
    expect((await moderate(db, w.wardOrganiser, t.postId, { action: 'silence', reason: 'Công kích cá nhân', amount: 3 }, T0)).ok).toBe(
      true,
    );
    expect(await reply(db, { userId: author }, t.threadId, { body: 'tôi vẫn muốn nói' }, new Date(T0.getTime() + HOUR))).toMatchObject({
      ok: false,
      code: 'silenced',
    });
    expect((await reply(db, { userId: author }, t.threadId, { body: 'Tôi xin lỗi.' }, new Date(T0.getTime() + 73 * HOUR))).ok).toBe(true);
    expect((await moderate(db, w.wardOrganiser, t.postId, { action: 'lock', reason: 'Đã đủ ý kiến' }, T0)).ok).toBe(true);
    expect(await reply(db, { userId: other }, t.threadId, { body: 'Thêm một ý' }, T0)).toMatchObject({ ok: false, code: 'locked' });
    await moderate(db, w.wardOrganiser, t.postId, { action: 'unlock', reason: '' }, T0);
    // Slow mode on the thread: a second post within the window is refused with the wait.
    expect((await moderate(db, w.wardOrganiser, t.postId, { action: 'slow', reason: 'Tranh luận nóng', amount: 600 }, T0)).ok).toBe(true);
    expect((await reply(db, { userId: other }, t.threadId, { body: 'Một' }, T0)).ok).toBe(true);
    expect(await reply(db, { userId: other }, t.threadId, { body: 'Hai' }, new Date(T0.getTime() + 60_000))).toMatchObject({
      ok: false,
      code: 'slow_mode',
      detail: { seconds: 540 },
    });
    // Slow mode on a category, reason logged.
    expect((await setCategorySlowMode(db, w.wardOrganiser, w.pub.id, 120, 'Quá nhiều bài trùng lặp', T0)).ok).toBe(true);
    const third = await w.established();
    const t2 = await thread(third, 'Chủ đề khác', 'Nội dung khác');
    expect(await createThread(db, { userId: third }, w.pub, { title: 'Nữa', body: 'Nữa' }, new Date(T0.getTime() + 10_000))).toMatchObject({
      ok: false,
      code: 'slow_mode',
    });
    expect(t2.status).toBe('visible');
    const log = (await moderationLog(db, w.wardOrganiser, w.ward.id))!;
    expect(log.map((l) => `${l.action}:${l.reason}`)).toEqual(
      expect.arrayContaining([
        'silence:Công kích cá nhân (3d)',
        'lock:Đã đủ ý kiến',
        'slow:Tranh luận nóng (600s)',
        'slow_category:Quá nhiều bài trùng lặp (120s, Công dân số)',
      ]),
    );
    // Move to the members-only category: the thread leaves the public search.
    expect(
      (await moderate(db, w.wardOrganiser, t.postId, { action: 'move', reason: 'Đúng chỗ hơn', targetPlaceId: w.members.id }, T0)).ok,
    ).toBe(true);
    expect((await threadAccess(db, null, t.threadId)).status).toBe('missing');
    expect((await search(db, 'song so an toan')).hits).toHaveLength(0);
  });

  it('new-member limits: at most 2 links, no images, 3 threads a day; limits lift with age and reading', async () => {
    const fresh = await w.user();
    const links = 'Xem https://a.vn, https://b.vn và https://c.vn';
    expect(await createThread(db, { userId: fresh }, w.pub, { title: 'Liên kết', body: links }, T0)).toMatchObject({
      ok: false,
      code: 'too_many_links',
    });
    expect(await createThread(db, { userId: fresh }, w.pub, { title: 'Ảnh', body: '![x](https://a.vn/x.png)' }, T0)).toMatchObject({
      ok: false,
      code: 'no_images',
    });
    for (let i = 0; i < 3; i++)
      expect((await createThread(db, { userId: fresh }, w.pub, { title: `Bài ${i}`, body: 'Xin chào' }, T0)).ok).toBe(true);
    expect(await createThread(db, { userId: fresh }, w.pub, { title: 'Bài 4', body: 'Xin chào' }, T0)).toMatchObject({
      ok: false,
      code: 'daily_limit',
    });
    // Everybody: 30 links is too many; empty and 100,000-character posts are refused.
    const old = await w.established();
    expect((await createThread(db, { userId: old }, w.pub, { title: 'Ba liên kết', body: links }, T0)).ok).toBe(true);
    const thirty = Array.from({ length: 30 }, (_, i) => `https://x${i}.vn`).join(' ');
    expect(await createThread(db, { userId: old }, w.pub, { title: '30', body: thirty }, T0)).toMatchObject({
      ok: false,
      code: 'too_many_links',
    });
    expect(await createThread(db, { userId: old }, w.pub, { title: 'Rỗng', body: '   ' }, T0)).toMatchObject({ ok: false, code: 'empty' });
    expect(await createThread(db, { userId: old }, w.pub, { title: 'Dài', body: 'a'.repeat(100_000) }, T0)).toMatchObject({
      ok: false,
      code: 'too_long',
    });
  });

  it('watched words in Vietnamese variants: block, hold for review, flag', async () => {
    expect((await addWatchedWord(db, w.provinceOrganiser, w.province.id, 'đm', 'block', T0)).ok).toBe(true);
    expect((await addWatchedWord(db, w.wardOrganiser, w.ward.id, 'lừa đảo', 'hold', T0)).ok).toBe(true);
    expect((await addWatchedWord(db, w.wardOrganiser, w.ward.id, 'đồ ngốc', 'flag', T0)).ok).toBe(true);
    expect(await addWatchedWord(db, w.wardOrganiser, w.ward.id, 'Lừa Đảo', 'hold', T0)).toMatchObject({ ok: false, code: 'duplicate' });
    const u = await w.established();
    for (const body of ['d.m', 'Đ M thật', 'đ-m', 'DM'])
      expect(await createThread(db, { userId: u }, w.pub, { title: 'Chửi', body }, T0)).toMatchObject({ ok: false, code: 'blocked_word' });
    const held = await thread(u, 'Cảnh báo', 'Trang này là LUA-DAO đấy');
    expect(held.status).toBe('held');
    const other = await w.established();
    expect((await threadAccess(db, other, held.threadId)).status).toBe('missing');
    expect((await threadAccess(db, u, held.threadId)).status).toBe('ok');
    const flagged = await thread(u, 'Ý kiến', 'Ai nói vậy là do ngoc');
    expect(flagged.status).toBe('visible');
    const q = (await reviewQueue(db, w.wardOrganiser, w.ward.id, T0))!;
    expect(q.map((i) => i.reason).sort()).toEqual(['watched_flag', 'watched_hold']);
    // Approving the held thread publishes it.
    expect((await moderate(db, w.wardOrganiser, held.postId, { action: 'approve', reason: '' }, T0)).ok).toBe(true);
    expect((await threadAccess(db, other, held.threadId)).status).toBe('ok');
  });

  it('minors: given name only, posts in public forums held for review, never mentioned by outsiders there', async () => {
    const year = T0.getUTCFullYear();
    const kid = await w.established({ name: 'Nguyễn Thị Lan', birthYear: year - 12 });
    const adult = await w.established({ name: 'Phạm Minh Đức' });
    const t = await thread(kid, 'Em thích đọc truyện', 'Em đọc Dế Mèn phiêu lưu ký');
    expect(t.status).toBe('held');
    expect((await reviewQueue(db, w.wardOrganiser, w.ward.id, T0))!.map((i) => [i.reason, i.author])).toEqual([['minor', 'Lan']]);
    await moderate(db, w.wardOrganiser, t.postId, { action: 'approve', reason: '' }, T0);
    const page = (await threadPage(db, adult, t.threadId))!;
    expect(page.posts[0]!.author).toBe('Lan');
    const r = await reply(db, { userId: adult }, t.threadId, { body: 'Chào @Nguyễn Thị Lan và @Phạm Minh Đức' }, T0);
    expect(r.ok).toBe(true);
    const kidNotes = await listNotifications(db, kid);
    // The kid hears of the reply in her own thread (she follows it), but no mention notice.
    expect(kidNotes.map((n) => n.type)).toContain('community.reply');
    expect(kidNotes.map((n) => n.type)).not.toContain('community.mention');
    const third = await w.established({ name: 'Võ Văn Tám' });
    await reply(db, { userId: adult }, t.threadId, { body: 'Mời @Võ Văn Tám cùng đọc' }, new Date(T0.getTime() + 1000));
    expect((await listNotifications(db, third)).map((n) => n.type)).toEqual(['community.mention']);
  });

  it('refuses a burst of 50 posts a minute after the limit, writing nothing for the refused ones', async () => {
    const u = await w.established();
    const t = await thread(u);
    const results = [];
    for (let i = 0; i < 50; i++) results.push(await reply(db, { userId: u, ip: '10.0.0.9' }, t.threadId, { body: `Bài ${i}` }, T0));
    const accepted = results.filter((r) => r.ok).length;
    expect(accepted).toBe(9); // 10 a minute per account, the thread itself was the first
    expect(results.slice(9).every((r) => !r.ok && r.code === 'rate_limited')).toBe(true);
    const n = await db.selectFrom('disc_posts').select('id').where('thread_id', '=', t.threadId).execute();
    expect(n).toHaveLength(10);
    const th = await db
      .selectFrom('disc_threads')
      .select(['last_post_no', 'reply_count'])
      .where('id', '=', t.threadId)
      .executeTakeFirstOrThrow();
    expect(th).toEqual({ last_post_no: 10, reply_count: 9 });
  });

  it('renders a corpus of stored-XSS payloads inert in posts, quotes, search snippets and notices', async () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(30);
    const authors = [];
    for (let k = 0; k < 7; k++) authors.push(await w.established());
    const t = await thread(authors[0]!, 'XSS', 'Bắt đầu');
    let i = 0;
    for (const payload of XSS_PAYLOADS) {
      const who = authors[(i++ % 6) + 1]!;
      const r = await reply(db, { userId: who }, t.threadId, { body: payload, quoteOf: t.postId }, new Date(T0.getTime() + i * 7_000));
      if (!r.ok) expect(['too_many_links', 'no_images']).toContain(r.code);
    }
    const posts = await db.selectFrom('disc_posts').select(['body_html']).where('thread_id', '=', t.threadId).execute();
    expect(posts.length).toBeGreaterThan(25);
    for (const p of posts) expect(isInert(p.body_html), p.body_html).toBe(true);
    const q = await reply(
      db,
      { userId: authors[0]! },
      t.threadId,
      {
        body: 'Trích dẫn',
        quoteOf: (
          await db
            .selectFrom('disc_posts')
            .select('id')
            .where('thread_id', '=', t.threadId)
            .where('post_no', '=', 2)
            .executeTakeFirstOrThrow()
        ).id,
      },
      new Date(T0.getTime() + HOUR),
    );
    expect(q.ok).toBe(true);
    const page = (await threadPage(db, authors[0]!, t.threadId, { page: 2 }))!;
    for (const p of page.posts) if (p.quote) expect(p.quote.text).not.toMatch(/<[a-z]/i);
    const hits = (await search(db, 'alert')).hits;
    for (const h of hits) for (const part of h.snippet) expect(typeof part.text).toBe('string');
    // Notices hold plain-text params only; they are rendered as text by React and the mailer.
    for (const n of await listNotifications(db, authors[0]!, { limit: 100 }))
      for (const v of Object.values(n.params)) expect(typeof v === 'string' || typeof v === 'number').toBe(true);
  });
});
