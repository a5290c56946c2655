import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { moderate } from '~/domain/discussion/moderation.server';
import { processOutbox } from '~/domain/discussion/outbox.server';
import { createThread, markThreadRead, reply as postReply } from '~/domain/discussion/posts.server';
import { sendDailyDigests, sendPendingMail, unsubscribe, unsubscribeToken, unsubscribeUrl } from '~/domain/notifications/mail.server';
import {
  emailPreferences,
  listNotifications,
  markRead,
  notify,
  setEmailPreferences,
  unreadCount,
} from '~/domain/notifications/notify.server';
import { action as notificationsAction, loader as notificationsLoader } from '~/routes/notifications._index';

import { dialects } from '../helpers/db';
import { callRoute } from '../helpers/routes';
import { eachFreshWorld } from '../helpers/world';
import { type CommunityWorld, communityWorld, reply } from './community-fixtures';

const T0 = new Date('2026-11-10T03:00:00Z'); // 10:00 in Vietnam
const NEXT_DAY = new Date('2026-11-11T01:00:00Z'); // 08:00 the next morning in Vietnam

describe.each(dialects)('community: notification centre (%s)', (dialect) => {
  let db: DB;
  let w: CommunityWorld;
  eachFreshWorld(
    dialect,
    (db) => communityWorld(db, T0),
    (fresh) => ({ db, w } = fresh),
  );

  async function conversation(a: string, b: string, title = 'Thư viện số của phường') {
    const t = await createThread(db, { userId: a }, w.pub, { title, body: 'Mọi người đã dùng thử chưa?' }, T0);
    if (!t.ok) throw new Error(t.code);
    const r = await reply(db, { userId: b }, t.value.threadId, { body: 'Rồi, rất tiện.' }, T0);
    if (!r.ok) throw new Error(r.code);
    return t.value;
  }

  it('notifies every follower of a thread once, each by their own email choice, in one batch', async () => {
    const a = await w.established();
    const adult = await w.established();
    const quiet = await w.established();
    const child = await w.established({ birthYear: T0.getUTCFullYear() - 12 });
    await setEmailPreferences(db, quiet, { 'community.reply': 'never' }, T0);
    const t = await createThread(db, { userId: a }, w.pub, { title: 'Sách hay tháng này', body: 'Mời mọi người giới thiệu.' }, T0);
    if (!t.ok) throw new Error(t.code);
    const postNo = new Map<string, number>();
    for (const u of [adult, quiet]) {
      const r = await reply(db, { userId: u }, t.value.threadId, { body: 'Tôi theo dõi.' }, T0);
      if (!r.ok) throw new Error(r.code);
      postNo.set(u, r.value.postNo);
    }
    // A child's post in a public forum waits for review; the child follows the thread all the same.
    const c = await reply(db, { userId: child }, t.value.threadId, { body: 'Em cũng theo dõi.' }, T0);
    if (!c.ok) throw new Error(c.code);
    expect(c.value.status).toBe('held');
    const r = await reply(db, { userId: a }, t.value.threadId, { body: 'Cảm ơn mọi người!' }, T0);
    if (!r.ok) throw new Error(r.code);
    // One unread notice per follower and thread: the adult, told of the quiet member's reply
    // already, has that notice's count raised; the quiet member and the child get a notice each.
    const rows = await db
      .selectFrom('notif_notifications')
      .select(['user_id', 'email', 'count', 'url'])
      .where('type', '=', 'community.reply')
      .where('collapse_key', '=', `thread:${t.value.threadId}`)
      .execute();
    const of = new Map(rows.map((n) => [n.user_id, n]));
    // (The thread's author, told of the two first replies, has one notice standing for both.)
    expect(rows.length).toBe(4);
    expect(new Set(of.keys())).toEqual(new Set([a, adult, quiet, child]));
    expect(of.get(a)?.count).toBe(2);
    expect(of.get(adult)?.count).toBe(2);
    expect(of.get(quiet)?.count).toBe(1);
    const [shown] = await listNotifications(db, adult);
    expect(shown?.message).toBe('community.notify.replies');
    expect(shown?.params).toMatchObject({ count: 2, title: 'Sách hay tháng này' });
    const path = `/forums/t/${t.value.threadId}`;
    expect(of.get(quiet)?.url).toBe(`${path}?post=${r.value.postNo}#post-${r.value.postNo}`);
    // The adult's notice opens where their unread replies start: the quiet member's reply.
    const q = postNo.get(quiet);
    expect(of.get(adult)?.url).toBe(`${path}?post=${q}#post-${q}`);
    expect(of.get(adult)?.email).toBe('pending');
    expect(of.get(quiet)?.email).toBe('none');
    expect(of.get(child)?.email).toBe('digest');
  });

  it('pages by keyset, 30 a page: a page stays the same page when new notices arrive; marking one read comes back to it', async () => {
    const a = await w.established();
    const other = await w.established();
    for (let i = 0; i < 65; i++)
      await notify(db, {
        userId: a,
        type: 'community.reply',
        params: { name: 'An', title: `Chủ đề ${i}` },
        url: `/forums/t/x${i}`,
        now: new Date(T0.getTime() + i * 1000),
      });
    type Page = {
      notes: Array<{ id: string; text: string; at: string; unread: boolean; url: string }>;
      older: string | null;
      newer: string | null;
    };
    // The list is the route's `page` data (the personal region of its shared render: app/lib/shell-region.ts).
    const page = async (path: string) =>
      ((await (await callRoute(notificationsLoader, { db, userId: a, path })).json()) as { page: Page }).page;
    const titles = (p: Page) => p.notes.map((n) => /“(.*)”/.exec(n.text)?.[1]);
    const first = await page('/notifications');
    expect(first.notes).toHaveLength(30);
    // Written once on the server as the page shows it: the translated line, dd/MM/yyyy HH:mm in Vietnam.
    expect(first.notes[0]).toMatchObject({
      text: 'An đã trả lời trong “Chủ đề 64”',
      at: '10/11/2026 10:01',
      unread: true,
      url: '/forums/t/x64',
    });
    expect(first.newer).toBeNull();
    expect(first.older).toBeTruthy();
    const secondPath = `/notifications?before=${encodeURIComponent(first.older!)}`;
    const second = await page(secondPath);
    expect(titles(second)).toEqual(Array.from({ length: 30 }, (_, k) => `Chủ đề ${34 - k}`));
    // New notices arrive: the second page is still the same notices (no shift as with offsets).
    for (let i = 65; i < 70; i++)
      await notify(db, {
        userId: a,
        type: 'community.reply',
        params: { name: 'An', title: `Chủ đề ${i}` },
        now: new Date(T0.getTime() + i * 1000),
      });
    expect(titles(await page(secondPath))).toEqual(titles(second));
    const third = await page(`/notifications?before=${encodeURIComponent(second.older!)}`);
    expect(titles(third)).toEqual(['Chủ đề 4', 'Chủ đề 3', 'Chủ đề 2', 'Chủ đề 1', 'Chủ đề 0']);
    expect(third.older).toBeNull();
    // Newer from the third page is the second page; newer from the second reaches the first page.
    expect(titles(await page(`/notifications?after=${encodeURIComponent(third.newer!)}`))).toEqual(titles(second));
    // Newer from the second page: the 30 just before it (35–64), then the five that arrived since,
    // which reach the newest notices — the first page itself.
    const between = await page(`/notifications?after=${encodeURIComponent(second.newer!)}`);
    expect(titles(between)[0]).toBe('Chủ đề 64');
    expect(titles(between).at(-1)).toBe('Chủ đề 35');
    const top = await page(`/notifications?after=${encodeURIComponent(between.newer!)}`);
    expect(titles(top)[0]).toBe('Chủ đề 69');
    expect(top.notes).toHaveLength(30);
    expect(top.newer).toBeNull();
    // Marking one read on the second page: back to that page, the notice in place and read.
    const target = second.notes[3]!;
    const res = await callRoute(notificationsAction, {
      db,
      userId: a,
      path: `${secondPath}&index`,
      form: { intent: 'read', id: target.id },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(secondPath);
    const again = await page(secondPath);
    expect(again.notes.map((n) => n.id)).toEqual(second.notes.map((n) => n.id));
    expect(again.notes[3]).toMatchObject({ id: target.id, unread: false });
    expect(again.notes.filter((n) => !n.unread)).toHaveLength(1);
    // Bad cursors are the first page, never an error; someone else's notices are never shown.
    expect(titles(await page('/notifications?before=nonsense'))[0]).toBe('Chủ đề 69');
    expect((await (await callRoute(notificationsLoader, { db, userId: other, path: secondPath })).json()).page.notes).toEqual([]);
  });

  it('counts unread notices for the bell and marks them read', async () => {
    const a = await w.established();
    const b = await w.established({ name: 'Hoàng Văn Bảy' });
    await conversation(a, b);
    expect(await unreadCount(db, a)).toBe(1);
    const list = await listNotifications(db, a);
    expect(list[0]).toMatchObject({ type: 'community.reply', unread: true, params: { name: 'Hoàng Văn Bảy' } });
    expect(await markRead(db, a, { ids: [list[0]!.id] })).toBe(1);
    expect(await unreadCount(db, a)).toBe(0);
    // Another member cannot mark someone else's notice.
    await notify(db, { userId: a, type: 'community.moderation', params: { action: 'x', title: 'x', reason: 'x' }, now: T0 });
    expect(await markRead(db, b, { ids: (await listNotifications(db, a)).map((n) => n.id) })).toBe(0);
    expect(await unreadCount(db, a)).toBe(1);
  });

  it('a busy thread is one notice while unread: the bell stays at 1, its line counts the replies and opens the first; once read, the next reply is a new notice', async () => {
    const a = await w.established();
    const b = await w.established({ name: 'Hoàng Văn Bảy' });
    const c = await w.established({ name: 'Lý Thị Tám' });
    const t = await conversation(a, b, 'Sách hay cho ông bà');
    for (const [i, u] of [c, b, c].entries()) {
      const r = await reply(db, { userId: u }, t.threadId, { body: `Thêm một ý kiến số ${i}.` }, new Date(T0.getTime() + (i + 1) * 60_000));
      if (!r.ok) throw new Error(r.code);
    }
    expect(await unreadCount(db, a)).toBe(1);
    type Page = { notes: Array<{ id: string; text: string; url: string; unread: boolean }> };
    const page = async () =>
      ((await (await callRoute(notificationsLoader, { db, userId: a, path: '/notifications' })).json()) as { page: Page }).page;
    const [gathered] = (await page()).notes;
    expect(gathered).toMatchObject({
      text: '4 trả lời mới trong “Sách hay cho ông bà”, trả lời đầu tiên của Hoàng Văn Bảy',
      url: `/forums/t/${t.threadId}?post=2#post-2`,
      unread: true,
    });
    expect((await page()).notes).toHaveLength(1);
    expect(await markRead(db, a, { ids: [gathered!.id] })).toBe(1);
    const r = await reply(db, { userId: c }, t.threadId, { body: 'Một ý kiến sau khi đã đọc.' }, new Date(T0.getTime() + 10 * 60_000));
    if (!r.ok) throw new Error(r.code);
    expect(await unreadCount(db, a)).toBe(1);
    const notes = (await page()).notes;
    expect(notes.map((n) => [n.text, n.unread])).toEqual([
      ['Lý Thị Tám đã trả lời trong “Sách hay cho ông bà”', true],
      ['4 trả lời mới trong “Sách hay cho ông bà”, trả lời đầu tiên của Hoàng Văn Bảy', false],
    ]);
  });

  it('one run of the outbox over replies to several threads raises each thread’s own notice by its own replies', async () => {
    const a = await w.established();
    const b = await w.established({ name: 'Hoàng Văn Bảy' });
    const c = await w.established({ name: 'Lý Thị Tám' });
    const first = await conversation(a, b, 'Sách hay cho ông bà');
    const second = await conversation(a, c, 'Góc đọc của phường');
    // Replies to both threads left for one run of the job (postReply: the engine's reply without the run).
    const at = (m: number) => new Date(T0.getTime() + m * 60_000);
    for (const [i, [u, t]] of (
      [
        [c, first],
        [b, second],
        [c, first],
        [c, first],
        [b, second],
      ] as const
    ).entries()) {
      const r = await postReply(db, { userId: u }, t.threadId, { body: `Ý kiến số ${i}.` }, at(i + 1));
      if (!r.ok) throw new Error(r.code);
    }
    await processOutbox(db);
    type Page = { notes: Array<{ text: string; unread: boolean }> };
    const texts = async () =>
      ((await (await callRoute(notificationsLoader, { db, userId: a, path: '/notifications' })).json()) as { page: Page }).page.notes
        .map((n) => n.text)
        .sort();
    expect(await unreadCount(db, a)).toBe(2);
    expect(await texts()).toEqual([
      '3 trả lời mới trong “Góc đọc của phường”, trả lời đầu tiên của Lý Thị Tám',
      '4 trả lời mới trong “Sách hay cho ông bà”, trả lời đầu tiên của Hoàng Văn Bảy',
    ]);
    // And one more run over both: only the counts move.
    for (const [i, [u, t]] of (
      [
        [b, second],
        [b, first],
      ] as const
    ).entries()) {
      const r = await postReply(db, { userId: u }, t.threadId, { body: `Thêm ý kiến ${i}.` }, at(10 + i));
      if (!r.ok) throw new Error(r.code);
    }
    await processOutbox(db);
    expect(await unreadCount(db, a)).toBe(2);
    expect(await texts()).toEqual([
      '4 trả lời mới trong “Góc đọc của phường”, trả lời đầu tiên của Lý Thị Tám',
      '5 trả lời mới trong “Sách hay cho ông bà”, trả lời đầu tiên của Hoàng Văn Bảy',
    ]);
  });
  it('reading a thread to its last post clears its gathered notice; reading part-way keeps it', async () => {
    const a = await w.established();
    const b = await w.established({ name: 'Hoàng Văn Bảy' });
    const t = await conversation(a, b, 'Tủ sách gia đình');
    for (const m of [1, 2]) {
      const r = await reply(db, { userId: b }, t.threadId, { body: `Thêm ý số ${m}.` }, new Date(T0.getTime() + m * 60_000));
      if (!r.ok) throw new Error(r.code);
    }
    expect(await unreadCount(db, a)).toBe(1);
    expect((await markThreadRead(db, a, t.threadId, 3)).ok).toBe(true);
    expect(await unreadCount(db, a)).toBe(1);
    expect((await markThreadRead(db, a, t.threadId, 4)).ok).toBe(true);
    expect(await unreadCount(db, a)).toBe(0);
  });

  it('read to the last post the member can see (a later one waiting for review), the notice ends; a follower who read a reply before the job ran is not told; outsiders mark nothing', async () => {
    const a = await w.established({ homeUnitId: w.ward.id });
    const b = await w.established({ name: 'Hoàng Văn Bảy', homeUnitId: w.ward.id });
    const child = await w.established({ birthYear: T0.getUTCFullYear() - 12 });
    const t = await conversation(a, b, 'Câu lạc bộ đọc sách');
    // A child's reply in a public forum waits for review: the thread's last post, not on a's page.
    const held = await reply(db, { userId: child }, t.threadId, { body: 'Em muốn tham gia ạ.' }, new Date(T0.getTime() + 60_000));
    expect(held.ok && held.value.status).toBe('held');
    expect(await unreadCount(db, a)).toBe(1);
    expect((await markThreadRead(db, a, t.threadId, 2)).ok).toBe(true);
    expect(await unreadCount(db, a)).toBe(0);
    // b's next reply; a reads it before the outbox job gets to it: no notice for what a has seen.
    const r = await postReply(db, { userId: b }, t.threadId, { body: 'Chào mừng em!' }, new Date(T0.getTime() + 120_000));
    if (!r.ok) throw new Error(r.code);
    expect((await markThreadRead(db, a, t.threadId, r.value.postNo)).ok).toBe(true);
    await processOutbox(db);
    expect(await unreadCount(db, a)).toBe(0);
    // A members-only thread: someone from another ward can neither read nor mark it.
    const inside = await createThread(db, { userId: a }, w.members, { title: 'Họp tổ dân phố', body: 'Tối thứ sáu.' }, T0);
    if (!inside.ok) throw new Error(inside.code);
    const outsider = await w.established({ homeUnitId: w.other.id });
    expect((await markThreadRead(db, outsider, inside.value.threadId, 1)).ok).toBe(false);
    expect(
      await db
        .selectFrom('disc_reads')
        .select('user_id')
        .where('user_id', '=', outsider)
        .where('thread_id', '=', inside.value.threadId)
        .execute(),
    ).toEqual([]);
  });

  it('a reply while the notice’s email is being sent sets it going again; a follower who turns email on gets the next reply; a moved thread takes its notice along', async () => {
    const a = await w.established();
    const b = await w.established({ name: 'Hoàng Văn Bảy' });
    const quiet = await w.established();
    await setEmailPreferences(db, quiet, { 'community.reply': 'never' }, T0);
    const t = await conversation(a, b, 'Sách cho thiếu nhi');
    expect((await reply(db, { userId: quiet }, t.threadId, { body: 'Tôi theo dõi.' }, new Date(T0.getTime() + 30_000))).ok).toBe(true);
    // A mail run has claimed a's notice (as `sending`) and not finished when b replies again.
    await db.updateTable('notif_notifications').set({ email: 'sending', claim: 'x' }).where('user_id', '=', a).execute();
    expect((await reply(db, { userId: b }, t.threadId, { body: 'Thêm một cuốn.' }, new Date(T0.getTime() + 60_000))).ok).toBe(true);
    const state = (u: string) =>
      db.selectFrom('notif_notifications').select(['email', 'count', 'place_id']).where('user_id', '=', u).executeTakeFirstOrThrow();
    expect(await state(a)).toMatchObject({ email: 'pending', count: 3 });
    // The quiet follower chose "never", then immediately: the next reply is emailed.
    expect(await state(quiet)).toMatchObject({ email: 'none', count: 1 });
    await setEmailPreferences(db, quiet, { 'community.reply': 'immediate' }, T0);
    expect((await reply(db, { userId: b }, t.threadId, { body: 'Và cuốn nữa.' }, new Date(T0.getTime() + 90_000))).ok).toBe(true);
    expect(await state(quiet)).toMatchObject({ email: 'pending', count: 2 });
    const email = (await db.selectFrom('users').select('email').where('id', '=', quiet).executeTakeFirstOrThrow()).email;
    await sendPendingMail(db, new Date(T0.getTime() + 120_000));
    const mails = await db.selectFrom('outbox').select('body_text').where('to_address', '=', email).execute();
    expect(mails.map((m) => m.body_text.split('\n')[0])).toEqual([
      '2 trả lời mới trong “Sách cho thiếu nhi”, trả lời đầu tiên của Hoàng Văn Bảy',
    ]);
    // Moved to the members' category: the unread notices follow the thread.
    const first = await db
      .selectFrom('disc_posts')
      .select('id')
      .where('thread_id', '=', t.threadId)
      .where('post_no', '=', 1)
      .executeTakeFirstOrThrow();
    expect(
      (await moderate(db, w.wardOrganiser, first.id, { action: 'move', reason: 'Đúng chỗ hơn', targetPlaceId: w.members.id }, T0)).ok,
    ).toBe(true);
    expect((await state(quiet)).place_id).toBe(w.members.id);
  });

  it('a gathered notice already emailed is emailed again with its new count, at most once a mail run; after an hour it moves back to the top', async () => {
    const a = await w.established();
    const b = await w.established({ name: 'Hoàng Văn Bảy' });
    const c = await w.established({ name: 'Lý Thị Tám' });
    const min = (m: number) => new Date(T0.getTime() + m * 60_000);
    const t = await conversation(a, b, 'Đọc sách cùng con');
    const email = (await db.selectFrom('users').select('email').where('id', '=', a).executeTakeFirstOrThrow()).email;
    const mailsToA = async () =>
      (await db.selectFrom('outbox').select('body_text').where('to_address', '=', email).orderBy('created_at').execute()).map(
        (m) => m.body_text,
      );
    await sendPendingMail(db, min(1));
    expect(await mailsToA()).toHaveLength(1);
    for (const [m, u] of [
      [5, c],
      [6, b],
    ] as const) {
      const r = await reply(db, { userId: u }, t.threadId, { body: `Ý kiến lúc ${m} phút.` }, min(m));
      if (!r.ok) throw new Error(r.code);
    }
    // Two replies since the first email: one more email, with the count, not one per reply.
    await sendPendingMail(db, min(7));
    const mails = await mailsToA();
    expect(mails).toHaveLength(2);
    expect(mails[1]).toContain('3 trả lời mới trong “Đọc sách cùng con”, trả lời đầu tiên của Hoàng Văn Bảy');
    await sendPendingMail(db, min(8));
    expect(await mailsToA()).toHaveLength(2);
    // Something else arrives; then, two hours on, a reply brings the thread's notice back above it.
    await notify(db, { userId: a, type: 'community.moderation', params: { action: 'x', title: 'Khác', reason: 'x' }, now: min(60) });
    expect((await listNotifications(db, a)).map((n) => n.type)).toEqual(['community.moderation', 'community.reply']);
    const r = await reply(db, { userId: c }, t.threadId, { body: 'Hai giờ sau.' }, min(120));
    if (!r.ok) throw new Error(r.code);
    const list = await listNotifications(db, a);
    expect(list.map((n) => [n.type, n.params.count ?? 1])).toEqual([
      ['community.reply', 4],
      ['community.moderation', 1],
    ]);
    expect(list[0]!.createdAt).toBe(min(120).toISOString());
    expect(await unreadCount(db, a)).toBe(2);
  });

  it('sends an immediate notice once even when two job runners race', async () => {
    const a = await w.established();
    const b = await w.established();
    await conversation(a, b, 'Chạy đua');
    const [x, y] = await Promise.all([sendPendingMail(db, T0), sendPendingMail(db, T0)]);
    expect(x + y).toBe(1);
    const mail = await db.selectFrom('outbox').selectAll().execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toContain('Chạy đua');
    expect(mail[0]!.body_text).toContain('/notifications/unsubscribe?');
    expect(await sendPendingMail(db, T0)).toBe(0);
  });

  it('gathers digest-mode notices of the previous days into one mail per member, once', async () => {
    const a = await w.established();
    const b = await w.established({ name: 'Đinh Thị Hoa' });
    await setEmailPreferences(db, a, { 'community.reply': 'digest', 'community.mention': 'digest' }, T0);
    await conversation(a, b, 'Góc đọc sách buổi tối');
    await conversation(a, b, 'Kỹ năng nhận diện tin giả');
    expect(await sendPendingMail(db, T0)).toBe(0);
    // Not yet: the digest holds yesterday's notices and is sent after midnight (Vietnam).
    expect(await sendDailyDigests(db, T0)).toBe(0);
    const [x, y] = await Promise.all([sendDailyDigests(db, NEXT_DAY), sendDailyDigests(db, NEXT_DAY)]);
    expect(x + y).toBe(1);
    const mail = await db.selectFrom('outbox').selectAll().execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe('Bản tin hằng ngày: 2 thông báo mới');
    expect(mail[0]!.body_text).toContain('Đinh Thị Hoa đã trả lời trong “Góc đọc sách buổi tối”');
    expect(mail[0]!.body_text).toContain('Kỹ năng nhận diện tin giả');
    expect(mail[0]!.body_text).toContain(unsubscribeUrl(a, 'all'));
    expect(await sendDailyDigests(db, new Date(NEXT_DAY.getTime() + 3600_000))).toBe(0);
  });

  it('drops notices about a place the member can no longer read, in the list and in mail', async () => {
    const a = await w.established({ homeUnitId: w.ward.id });
    const b = await w.established({ homeUnitId: w.ward.id });
    const t = await createThread(db, { userId: a }, w.members, { title: 'Riêng tư', body: 'Chỉ cho phường' }, T0);
    if (!t.ok) throw new Error(t.code);
    await reply(db, { userId: b }, t.value.threadId, { body: 'Đồng ý' }, T0);
    expect(await listNotifications(db, a)).toHaveLength(1);
    await db.updateTable('users').set({ home_unit_id: w.other.id }).where('id', '=', a).execute();
    expect(await listNotifications(db, a)).toHaveLength(0);
    expect(await sendPendingMail(db, T0)).toBe(0);
    expect(await db.selectFrom('outbox').selectAll().execute()).toHaveLength(0);
  });

  it('conservative defaults for minors; one-click unsubscribe with a signed token', async () => {
    const kid = await w.established({ birthYear: T0.getUTCFullYear() - 11 });
    const adult = await w.established();
    const prefs = Object.fromEntries((await emailPreferences(db, kid, T0)).map((p) => [p.type, p.mode]));
    expect(Object.fromEntries(Object.entries(prefs).filter(([t]) => t.startsWith('community.')))).toEqual({
      'community.reply': 'digest',
      'community.mention': 'never',
      'community.moderation': 'digest',
    });
    // No area mails a child the moment something happens.
    expect(Object.entries(prefs).filter(([, m]) => m === 'immediate')).toEqual([]);
    expect(Object.fromEntries((await emailPreferences(db, adult, T0)).map((p) => [p.type, p.mode]))['community.reply']).toBe('immediate');

    // A forged or reused-for-another-member token does nothing.
    expect(await unsubscribe(db, adult, 'community.reply', 'x'.repeat(32))).toMatchObject({ ok: false, code: 'invalid' });
    expect(await unsubscribe(db, adult, 'community.reply', unsubscribeToken(kid, 'community.reply'))).toMatchObject({
      ok: false,
      code: 'invalid',
    });
    expect(await unsubscribe(db, adult, 'library.hold_ready', unsubscribeToken(adult, 'library.hold_ready' as never))).toMatchObject({
      ok: false,
      code: 'invalid',
    });
    expect((await unsubscribe(db, adult, 'community.reply', unsubscribeToken(adult, 'community.reply'))).ok).toBe(true);
    expect(Object.fromEntries((await emailPreferences(db, adult, T0)).map((p) => [p.type, p.mode]))['community.reply']).toBe('never');
    await notify(db, { userId: adult, type: 'community.reply', params: { name: 'A', title: 'B' }, now: T0 });
    expect(await sendPendingMail(db, T0)).toBe(0);
    expect((await unsubscribe(db, adult, 'all', unsubscribeToken(adult, 'all'))).ok).toBe(true);
    expect((await emailPreferences(db, adult, T0)).every((p) => p.mode === 'never')).toBe(true);
  });
});
