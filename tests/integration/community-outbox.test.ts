/**
 * The discussion outbox (issue 12, posting throughput): a forum reply writes the post, the thread's
 * counters, its search row, the page-cache bump and one outbox row in one transaction; the
 * follower and mention notices come when the `community:outbox` job runs — durably, exactly once,
 * even with two instances racing. The same outbox carries a held post's notices when a moderator
 * approves it, and the mentions of a new thread's opening post.
 */
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { isPostgres } from '~/db/dialect';
import { addWatchedWord, moderate } from '~/domain/discussion/moderation.server';
import { MAX_ATTEMPTS, outboxBacklog, processOutbox, readOutboxBatch, writeOutboxBatch } from '~/domain/discussion/outbox.server';
import { registerPlace } from '~/domain/discussion/places.server';
import { createThread, removePost, reply, setFollow } from '~/domain/discussion/posts.server';
import { forumPolicy } from '~/domain/forums/forums.server';
import { listNotifications, unreadCount } from '~/domain/notifications/notify.server';
import { search } from '~/domain/search/index.server';

import { dialects } from '../helpers/db';
import { eachFreshWorld } from '../helpers/world';
import { type CommunityWorld, communityWorld } from './community-fixtures';

const T0 = new Date('2026-11-10T03:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

// A place like a public forum whose description fails on demand: a crash while the job works.
let crashing = false;
registerPlace('outbox-test', {
  ...forumPolicy,
  access: undefined,
  changedIn: undefined,
  async describe(db, id) {
    if (crashing) throw new Error('the place could not be read');
    return forumPolicy.describe(db, id);
  },
});

describe.each(dialects)('community: the reply outbox (%s)', (dialect) => {
  let db: DB;
  let w: CommunityWorld;
  eachFreshWorld(
    dialect,
    (db) => communityWorld(db, T0),
    (fresh) => ({ db, w } = fresh),
  );
  beforeEach(() => {
    crashing = false;
  });

  async function thread(author: string, place = w.pub, title = 'Đọc sách cùng con') {
    const t = await createThread(db, { userId: author }, place, { title, body: 'Mỗi tối mười lăm phút.' }, T0);
    if (!t.ok) throw new Error(t.code);
    return t.value.threadId;
  }

  it('a reply by A reaches follower B once the outbox runs; the post, its search row and page bump are there at once', async () => {
    const a = await w.established({ name: 'Lê Văn An' });
    const b = await w.established();
    const id = await thread(b, w.pub, 'Truyện tranh lịch sử');
    const bells = await unreadCount(db, b);
    const r = await reply(db, { userId: a }, id, { body: 'Bộ Lịch sử Việt Nam bằng tranh rất hay.' }, at(10));
    expect(r.ok && r.value.status).toBe('visible');
    // Committed with the post: the thread's counters, the search row, the cache bump, the outbox row.
    const t = await db.selectFrom('disc_threads').select(['last_post_no', 'reply_count']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(t).toMatchObject({ last_post_no: 2, reply_count: 1 });
    expect((await search(db, 'lich su bang tranh')).hits.map((h) => h.url)).toContain(`/forums/t/${id}?post=2#post-2`);
    const bump = await db.selectFrom('page_cache_versions').select('seq').where('name', '=', `forums:${id}`).executeTakeFirst();
    expect(bump).toBeTruthy();
    expect(await outboxBacklog(db)).toBe(1);
    // Not yet notified: the bell is unchanged until the job runs.
    expect(await unreadCount(db, b)).toBe(bells);
    expect(await processOutbox(db)).toBe(1);
    expect(await unreadCount(db, b)).toBe(bells + 1);
    const [n] = await listNotifications(db, b);
    expect(n).toMatchObject({ type: 'community.reply', params: { name: 'Lê Văn An', title: 'Truyện tranh lịch sử' }, unread: true });
    expect(n!.createdAt).toBe(at(10).toISOString()); // dated when the reply was written
    expect(await outboxBacklog(db)).toBe(0);
    // Running again writes nothing more.
    expect(await processOutbox(db)).toBe(0);
    expect(await unreadCount(db, b)).toBe(bells + 1);
  });

  it('a crash between the post and its notices loses nothing: the row stays until a run succeeds', async () => {
    const a = await w.established();
    const b = await w.established();
    const place = { type: 'outbox-test', id: w.pub.id };
    const id = await thread(b, place, 'Góc an toàn mạng');
    const r = await reply(db, { userId: a }, id, { body: 'Đừng bấm vào đường link lạ.' }, at(5));
    expect(r.ok).toBe(true);
    crashing = true;
    expect(await processOutbox(db)).toBe(0);
    const row = await db.selectFrom('disc_outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain('could not be read');
    expect((await listNotifications(db, b)).filter((n) => n.type === 'community.reply')).toHaveLength(0);
    // Another instance (or the restarted one) later succeeds: the notice arrives once.
    crashing = false;
    expect(await processOutbox(db)).toBe(1);
    expect((await listNotifications(db, b)).filter((n) => n.type === 'community.reply')).toHaveLength(1);
    expect(await outboxBacklog(db)).toBe(0);
  });

  it('a row that keeps failing is set aside after a few runs and does not hold up the others', async () => {
    const a = await w.established();
    const b = await w.established();
    const broken = await thread(b, { type: 'outbox-test', id: w.pub.id }, 'Hỏng');
    const fine = await thread(b, w.pub, 'Bình thường');
    await reply(db, { userId: a }, broken, { body: 'Một' }, at(1));
    crashing = true;
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) await processOutbox(db);
    await reply(db, { userId: a }, fine, { body: 'Hai' }, at(2));
    expect(await processOutbox(db)).toBe(1);
    const notes = await listNotifications(db, b);
    expect(notes.filter((n) => n.type === 'community.reply').map((n) => n.params.title)).toEqual(['Bình thường']);
    const kept = await db.selectFrom('disc_outbox').select('attempts').execute();
    expect(kept.map((k) => k.attempts)).toEqual([MAX_ATTEMPTS]);
  });

  it('two instances working the outbox at once write every notice exactly once', async () => {
    const followers = [await w.established(), await w.established(), await w.established()];
    // Four posters, six replies each: under the per-account rate limit.
    const posters = [await w.established(), await w.established(), await w.established(), await w.established()];
    const ids: string[] = [];
    for (let t = 0; t < 3; t++) {
      const id = await thread(followers[t]!, w.pub, `Chủ đề ${t}`);
      for (const f of followers) await setFollow(db, f, id, true, T0);
      ids.push(id);
    }
    let posted = 0;
    for (let i = 0; i < 24; i++) {
      const r = await reply(db, { userId: posters[i % 4]! }, ids[i % 3]!, { body: `Ý kiến số ${i}` }, at(i * 70));
      if (r.ok) posted++;
    }
    expect(posted).toBe(24);
    expect(await outboxBacklog(db)).toBe(24);
    // Both runners read the same rows and work out their notices before taking the write lock; the
    // one whose DELETE … RETURNING removes a row writes its notices, the other finds it gone.
    // PostgreSQL: two transactions at once on two pool connections (the second DELETE waits on the
    // first's row locks). SQLite: the runs interleave on the one connection, each write under the
    // write lock (two handles in one process cannot race: a waiting writer blocks the process).
    // Whether both runners get work depends on the scheduler (on a loaded machine one can drain the
    // backlog before the other starts), so the test holds them to what must always be true: every
    // notice written once, whoever wrote it.
    const [x, y] = await Promise.all([processOutbox(db, T0, { batch: 5 }), processOutbox(db, T0, { batch: 5 })]);
    expect(x + y).toBe(24);
    // One unread notice per follower and thread, standing for its 8 replies: 24 counted once each.
    for (const f of followers) {
      const n = await db
        .selectFrom('notif_notifications')
        .select([sql<number>`count(*)`.as('notices'), sql<number>`sum(count)`.as('replies')])
        .where('user_id', '=', f)
        .where('type', '=', 'community.reply')
        .executeTakeFirstOrThrow();
      expect({ notices: Number(n.notices), replies: Number(n.replies) }).toEqual({ notices: 3, replies: 24 });
    }
    expect(await outboxBacklog(db)).toBe(0);
  });

  it('a row another runner handled between the read and the write is not notified twice', async () => {
    const a = await w.established();
    const b = await w.established();
    const id = await thread(b, w.pub, 'Sách nói cho ông bà');
    const bells = await unreadCount(db, b);
    expect((await reply(db, { userId: a }, id, { body: 'Ông tôi nghe mỗi sáng.' }, at(5))).ok).toBe(true);
    // The job reads its batch (the notices worked out, no lock taken)…
    const read = await readOutboxBatch(db, 100);
    expect(read?.notices.map((n) => n.user_id)).toEqual([b]);
    // …another runner takes and notifies the same row first…
    expect(await processOutbox(db)).toBe(1);
    expect(await unreadCount(db, b)).toBe(bells + 1);
    // …so the job's write takes nothing and writes nothing.
    expect(await writeOutboxBatch(db, read!)).toBe(0);
    expect(await unreadCount(db, b)).toBe(bells + 1);
  });

  it('a reply removed between the job reading it and writing its notices notifies nobody', async () => {
    const a = await w.established();
    const b = await w.established();
    const id = await thread(b, w.pub, 'Đọc to cho em nghe');
    const bells = await unreadCount(db, b);
    const r = await reply(db, { userId: a }, id, { body: 'Em tôi thích truyện cổ tích.' }, at(5));
    if (!r.ok) throw new Error(r.code);
    const read = await readOutboxBatch(db, 100);
    expect(read?.notices).toHaveLength(1);
    // The author takes the reply back before the job writes.
    expect((await removePost(db, { userId: a }, r.value.postId, at(6))).ok).toBe(true);
    expect(await writeOutboxBatch(db, read!)).toBe(1); // the row is done with…
    expect(await unreadCount(db, b)).toBe(bells); // …and nobody was told of a removed post
    expect(await outboxBacklog(db)).toBe(0);
  });

  it('the bell still costs one query on the partial index of unread notices', async () => {
    const a = await w.established();
    const b = await w.established();
    const id = await thread(b);
    await reply(db, { userId: a }, id, { body: 'Cảm ơn bạn.' }, at(1));
    await processOutbox(db);
    expect(await unreadCount(db, b)).toBe(1);
    if (isPostgres(db)) return; // the plan below is SQLite's
    const plan = await sql<{
      detail: string;
    }>`explain query plan select count(*) from notif_notifications where user_id = ${b} and read_at is null`.execute(db);
    expect(plan.rows.map((r) => r.detail).join(' ')).toMatch(/USING (COVERING )?INDEX notif_unread_idx/);
  });
  /** Notices of one type a member has, oldest first. */
  async function noticesOf(userId: string, type: string) {
    return db
      .selectFrom('notif_notifications')
      .select(['params', 'url', 'created_at', 'count'])
      .where('user_id', '=', userId)
      .where('type', '=', type)
      .orderBy('created_at')
      .execute();
  }

  it('a mention in a new thread’s opening post reaches the member once the outbox runs, dated when it was written', async () => {
    const author = await w.established({ name: 'Lê Văn An' });
    const named = await w.established({ name: 'Võ Văn Tám' });
    const t = await createThread(
      db,
      { userId: author },
      w.pub,
      { title: 'Sách hay tháng này', body: 'Mời @Võ Văn Tám giới thiệu một cuốn.' },
      at(30),
    );
    expect(t.ok && t.value.status).toBe('visible');
    const postId = t.ok ? t.value.postId : '';
    // The row was written with the thread; nothing reaches the member until the job runs.
    expect(await outboxBacklog(db)).toBe(1);
    expect(await noticesOf(named, 'community.mention')).toHaveLength(0);
    expect(await processOutbox(db)).toBe(1);
    const notes = await noticesOf(named, 'community.mention');
    expect(notes).toHaveLength(1);
    expect(JSON.parse(notes[0]!.params)).toEqual({ name: 'Lê Văn An', title: 'Sách hay tháng này' });
    expect(notes[0]!.url).toBe(`/forums/t/${t.ok ? t.value.threadId : ''}?post=1#post-1`);
    expect(notes[0]!.created_at).toBe(at(30).toISOString());
    // The author is not told of their own post; a second run writes nothing more.
    expect((await listNotifications(db, author)).filter((n) => n.type === 'community.mention')).toHaveLength(0);
    expect(await processOutbox(db)).toBe(0);
    expect(await noticesOf(named, 'community.mention')).toHaveLength(1);
    expect(postId).toBeTruthy();
  });

  it('a held reply approved by a moderator notifies followers and mentioned members once, after the job, dated at the approval', async () => {
    expect((await addWatchedWord(db, w.wardOrganiser, w.ward.id, 'lừa đảo', 'hold', T0)).ok).toBe(true);
    const owner = await w.established({ name: 'Chủ Chủ Đề' });
    const follower = await w.established();
    const named = await w.established({ name: 'Võ Văn Tám' });
    const writer = await w.established({ name: 'Lê Văn An' });
    const id = await thread(owner, w.pub, 'Cảnh giác trên mạng');
    await setFollow(db, follower, id, true, T0);
    const r = await reply(db, { userId: writer }, id, { body: 'Trang này là lừa đảo, @Võ Văn Tám xem giúp.' }, at(60));
    expect(r.ok && r.value.status).toBe('held');
    const postId = r.ok ? r.value.postId : '';
    // Held: no outbox row, nobody told.
    expect(await outboxBacklog(db)).toBe(0);
    expect(await processOutbox(db)).toBe(0);
    expect(await noticesOf(follower, 'community.reply')).toHaveLength(0);
    // Two moderators approve at once: the reply is counted and its notices written once.
    const [x, y] = await Promise.all([
      moderate(db, w.wardOrganiser, postId, { action: 'approve', reason: '' }, at(600)),
      moderate(db, w.provinceOrganiser, postId, { action: 'approve', reason: '' }, at(601)),
    ]);
    expect(x.ok && y.ok).toBe(true);
    const t = await db.selectFrom('disc_threads').select('reply_count').where('id', '=', id).executeTakeFirstOrThrow();
    expect(t.reply_count).toBe(1);
    expect(await outboxBacklog(db)).toBe(1);
    expect(await noticesOf(follower, 'community.reply')).toHaveLength(0);
    expect(await processOutbox(db)).toBe(1);
    for (const [user, type] of [
      [owner, 'community.reply'],
      [follower, 'community.reply'],
      [named, 'community.mention'],
    ] as const) {
      const notes = await noticesOf(user, type);
      expect(notes).toHaveLength(1);
      expect([at(600).toISOString(), at(601).toISOString()]).toContain(notes[0]!.created_at);
    }
    // Approving again (or the job running again) writes nothing more.
    expect((await moderate(db, w.wardOrganiser, postId, { action: 'approve', reason: '' }, at(700))).ok).toBe(true);
    expect(await processOutbox(db)).toBe(0);
    expect(await noticesOf(follower, 'community.reply')).toHaveLength(1);
    expect(await noticesOf(named, 'community.mention')).toHaveLength(1);
  });

  it('a held opening post’s mentions are sent when it is approved', async () => {
    expect((await addWatchedWord(db, w.wardOrganiser, w.ward.id, 'lừa đảo', 'hold', T0)).ok).toBe(true);
    const author = await w.established({ name: 'Lê Văn An' });
    const named = await w.established({ name: 'Võ Văn Tám' });
    const t = await createThread(
      db,
      { userId: author },
      w.pub,
      { title: 'Tin nhắn lừa đảo', body: 'Nhờ @Võ Văn Tám cảnh báo mọi người.' },
      at(5),
    );
    expect(t.ok && t.value.status).toBe('held');
    expect(await outboxBacklog(db)).toBe(0);
    expect((await moderate(db, w.wardOrganiser, t.ok ? t.value.postId : '', { action: 'approve', reason: '' }, at(90))).ok).toBe(true);
    expect(await noticesOf(named, 'community.mention')).toHaveLength(0);
    expect(await processOutbox(db)).toBe(1);
    const notes = await noticesOf(named, 'community.mention');
    expect(notes.map((n) => n.created_at)).toEqual([at(90).toISOString()]);
  });

  it('two job runners racing over approvals and new threads deliver each notice once', async () => {
    expect((await addWatchedWord(db, w.wardOrganiser, w.ward.id, 'lừa đảo', 'hold', T0)).ok).toBe(true);
    const named = await w.established({ name: 'Võ Văn Tám' });
    const follower = await w.established();
    const writers = [await w.established(), await w.established(), await w.established()];
    const threadId = await thread(follower, w.pub, 'Chủ đề chung');
    const held: string[] = [];
    for (let i = 0; i < 6; i++) {
      const t = await createThread(
        db,
        { userId: writers[i % 3]! },
        w.pub,
        { title: `Chủ đề ${i}`, body: `Chào @Võ Văn Tám, số ${i}` },
        at(i * 70),
      );
      expect(t.ok && t.value.status).toBe('visible');
      const r = await reply(db, { userId: writers[i % 3]! }, threadId, { body: `Lừa đảo số ${i}` }, at(i * 70 + 1));
      expect(r.ok && r.value.status).toBe('held');
      held.push(r.ok ? r.value.postId : '');
    }
    for (const [i, postId] of held.entries())
      expect((await moderate(db, w.wardOrganiser, postId, { action: 'approve', reason: '' }, at(1000 + i))).ok).toBe(true);
    expect(await outboxBacklog(db)).toBe(12);
    const [x, y] = await Promise.all([processOutbox(db, T0, { batch: 2 }), processOutbox(db, T0, { batch: 2 })]);
    expect(x + y).toBe(12);
    expect(await noticesOf(named, 'community.mention')).toHaveLength(6);
    // The follower's six replies gather in one unread notice of the thread, counted once each.
    expect((await noticesOf(follower, 'community.reply')).map((n) => n.count)).toEqual([6]);
    expect(await outboxBacklog(db)).toBe(0);
  });
});
