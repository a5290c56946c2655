import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { createThread, reply } from '~/domain/discussion/posts.server';
import { sendDailyDigests, sendPendingMail, unsubscribe, unsubscribeToken, unsubscribeUrl } from '~/domain/notifications/mail.server';
import {
  emailPreferences,
  listNotifications,
  markRead,
  notify,
  setEmailPreferences,
  unreadCount,
} from '~/domain/notifications/notify.server';

import { dialects, freshDb } from '../helpers/db';
import { communityWorld } from './community-fixtures';

const T0 = new Date('2026-11-10T03:00:00Z'); // 10:00 in Vietnam
const NEXT_DAY = new Date('2026-11-11T01:00:00Z'); // 08:00 the next morning in Vietnam

describe.each(dialects)('community: notification centre (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let w: Awaited<ReturnType<typeof communityWorld>>;
  beforeEach(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    w = await communityWorld(db, T0);
  });
  afterEach(async () => cleanup());

  async function conversation(a: string, b: string, title = 'Thư viện số của phường') {
    const t = await createThread(db, { userId: a }, w.pub, { title, body: 'Mọi người đã dùng thử chưa?' }, T0);
    if (!t.ok) throw new Error(t.code);
    const r = await reply(db, { userId: b }, t.value.threadId, { body: 'Rồi, rất tiện.' }, T0);
    if (!r.ok) throw new Error(r.code);
    return t.value;
  }

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
