/**
 * A forum reply answered before Express and Remix (issue #12, app/lib/community-reply.server.ts),
 * over real HTTP on a Node server in this process, both dialects: a plain form POST of
 * `intent=reply` from a signed-in member is posted once and answered with the Remix route's
 * redirect to the new post and its flash cookie, counted on the thread and found in the search (a
 * minor's reply in a public category: held, back to the thread with the held flash; a long reply
 * sent slowly in pieces: read whole); everything the route must answer itself — another intent, an
 * empty post, signed out, a query string, a cross-site post, JSON, a thread the member may not
 * read — reaches Express with its body intact and nothing posted; a reply the engine refuses
 * (locked, silenced, a blocked word, the rate limit) reaches Express with the refusal in Remix's
 * load context, and the route answers that refusal with the text kept, without a second attempt
 * (no second rate-limit allowance taken); FORUM_REPLY_DIRECT=0 leaves every request to Express
 * unread.
 */
import http from 'node:http';

import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';

import { addWatchedWord, moderate } from '~/domain/discussion/moderation.server';
import { createThread, reply } from '~/domain/discussion/posts.server';
import { search } from '~/domain/search/index.server';
import { type KnownReply, knownReplyIn } from '~/lib/community-http.server';
import { answerReplyDirectly, directLoadContext } from '~/lib/community-reply.server';
import { logger } from '~/lib/observability/log.server';

import { action } from '../../app/routes/forums.t.$id';
import { type DirectServer, startDirectServer } from '../helpers/direct-server';
import { sessionCookie } from '../helpers/users';
import { describeWorld } from '../helpers/world';
import { type CommunityWorld, communityWorld } from './community-fixtures';

describeWorld('community: a forum reply answered before Express', (w) => {
  let server: DirectServer<{ url: string; body: string; context: { knownReply?: KnownReply } }>;
  let base = '';
  /** What the stand-in for Express saw of each request passed on: its path, body and Remix load context. */
  let passedOn: Array<{ url: string; body: string; context: { knownReply?: KnownReply } }> = [];
  /** What `answerReplyDirectly` returned for each request (false: left to Express unread). */
  let taken: boolean[] = [];
  let cw: CommunityWorld;

  let level = 'info';
  beforeAll(async () => {
    level = logger().level;
    logger().level = 'warn';
    cw = await communityWorld(w.db);
    // Express and Remix stand-in: records what reached it, body and load context included.
    server = await startDirectServer(answerReplyDirectly, directLoadContext);
    ({ base, passedOn, taken } = server);
  });
  afterAll(async () => {
    logger().level = level;
    await server.close();
  });
  beforeEach(() => {
    (globalThis as unknown as { __appDb?: unknown }).__appDb = w.db;
    server.reset();
  });

  /** A thread in the ward's public category (or `place`), opened by an established member of the ward. */
  async function thread(place = cw.pub, title = 'Học tập suốt đời ở phường') {
    const author = await cw.established({ homeUnitId: cw.ward.id });
    const r = await createThread(w.db, { userId: author }, place, { title, body: 'Mọi người học gì trong tuần này?' });
    if (!r.ok) throw new Error(r.code);
    return { id: r.value.threadId, postId: r.value.postId, author };
  }
  const threadPath = (id: string) => `/forums/t/${id}`;
  const post = (path: string, body: string, headers: Record<string, string>) => server.post(path, body, headers);
  const replyForm = (body: string) => new URLSearchParams({ intent: 'reply', body, quoteOf: '' }).toString();
  const posts = (threadId: string) =>
    w.db
      .selectFrom('disc_posts')
      .select(['post_no', 'author_id', 'body_md', 'status'])
      .where('thread_id', '=', threadId)
      .orderBy('post_no')
      .execute();
  const counters = (threadId: string) =>
    w.db.selectFrom('disc_threads').select(['last_post_no', 'reply_count']).where('id', '=', threadId).executeTakeFirstOrThrow();
  const flashOf = (r: Response) => decodeURIComponent(r.headers.get('set-cookie') ?? '');
  /** The route's action, as Remix calls it with the load context `server.ts` gives it. */
  async function routeAction(userId: string, threadId: string, form: string, context: Record<string, unknown>): Promise<Response> {
    const request = new Request(`http://localhost${threadPath(threadId)}`, {
      method: 'POST',
      headers: {
        Origin: 'http://localhost',
        Cookie: await sessionCookie(w.db, userId),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: form,
    });
    try {
      return await action({ request, params: { id: threadId }, context });
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  }

  it('posts a plain reply once: the route’s redirect to the new post and its flash, counted, searchable, Express untouched', async () => {
    const t = await thread();
    const member = await cw.established();
    const before = await counters(t.id);
    const r = await post(threadPath(t.id), replyForm('Tôi học đan lát cùng hội phụ nữ phường'), {
      Cookie: await sessionCookie(w.db, member),
    });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe(`${threadPath(t.id)}?post=2#post-2`);
    expect(flashOf(r)).toContain('"message":"community.flash.replied"');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(passedOn).toEqual([]);
    expect(taken).toEqual([true]);
    expect((await posts(t.id)).at(-1)).toMatchObject({
      post_no: 2,
      author_id: member,
      body_md: 'Tôi học đan lát cùng hội phụ nữ phường',
      status: 'visible',
    });
    expect(await counters(t.id)).toEqual({ last_post_no: before.last_post_no + 1, reply_count: before.reply_count + 1 });
    expect((await search(w.db, 'dan lat hoi phu nu')).hits.map((h) => h.url)).toContain(`${threadPath(t.id)}?post=2#post-2`);
    // The same form through the Remix route answers the same flash cookie, to the next post.
    const twin = await cw.established();
    const viaRemix = await routeAction(twin, t.id, replyForm('Tôi cũng vậy'), {});
    expect(viaRemix.status).toBe(302);
    expect(viaRemix.headers.get('location')).toBe(`${threadPath(t.id)}?post=3#post-3`);
    expect(viaRemix.headers.get('set-cookie')).toBe(r.headers.get('set-cookie'));
  });

  it('holds a minor’s reply in a public category: back to the thread with the held flash, not counted or searchable', async () => {
    const t = await thread();
    const kid = await cw.established({ name: 'Nguyễn Thị Mai', birthYear: new Date().getUTCFullYear() - 12 });
    const before = await counters(t.id);
    const r = await post(threadPath(t.id), replyForm('Em thích đọc truyện cổ tích buổi tối'), { Cookie: await sessionCookie(w.db, kid) });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe(threadPath(t.id));
    expect(flashOf(r)).toContain('"message":"community.flash.held"');
    expect(passedOn).toEqual([]);
    expect((await posts(t.id)).at(-1)).toMatchObject({ author_id: kid, status: 'held' });
    expect((await counters(t.id)).reply_count).toBe(before.reply_count);
    expect((await search(w.db, 'truyen co tich buoi toi')).hits).toHaveLength(0);
  });

  it('passes on, body intact and nothing posted, what the route answers itself', async () => {
    const t = await thread();
    const member = await cw.established();
    const cookie = await sessionCookie(w.db, member);
    const path = threadPath(t.id);
    const headers = { Cookie: cookie, Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' };
    const good = replyForm('Một ý kiến hay');
    const cases: Array<[string, string, RequestInit]> = [
      ['follow', path, { headers, body: new URLSearchParams({ intent: 'follow', on: '1' }).toString() }],
      ['an empty post', path, { headers, body: 'intent=reply&body=' }],
      ['a post of spaces only', path, { headers, body: 'intent=reply&body=%20%20' }],
      ['no intent', path, { headers, body: 'body=xin+ch%C3%A0o' }],
      ['two intents', path, { headers, body: `${good}&intent=follow` }],
      ['signed out', path, { headers: { ...headers, Cookie: 'llw_session=nosuchsession' }, body: good }],
      ['no session cookie', path, { headers: { ...headers, Cookie: 'lang=en' }, body: good }],
      ['a query string (the JavaScript page)', `${path}?index`, { headers, body: good }],
      ['a cross-site post', path, { headers: { ...headers, Origin: 'https://evil.example' }, body: good }],
      ['JSON', path, { headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ intent: 'reply', body: 'x' }) }],
      ['a trailing slash', `${path}/`, { headers, body: good }],
    ];
    for (const [what, p, init] of cases) {
      const r = await fetch(base + p, { method: 'POST', redirect: 'manual', ...init });
      expect(r.status, what).toBe(299);
      expect(await r.text(), what).toBe('express');
      expect(passedOn.at(-1), what).toEqual({ url: p, body: String(init.body), context: {} });
    }
    expect(passedOn).toHaveLength(cases.length);
    expect(await posts(t.id)).toHaveLength(1);
    // The route re-renders the empty post with the message next to the field.
    const empty = await routeAction(member, t.id, 'intent=reply&body=', {});
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ ok: false, errors: { body: 'community.errors.empty' }, values: { body: '' } });
    expect(await posts(t.id)).toHaveLength(1);
  });

  it('hands a refused reply to the route with the refusal, which answers it with the text kept and posts nothing', async () => {
    const t = await thread(cw.pub, 'Chủ đề đã khóa');
    expect((await moderate(w.db, cw.wardOrganiser, t.postId, { action: 'lock', reason: 'Đã đủ ý kiến' })).ok).toBe(true);
    const member = await cw.established();
    const form = replyForm('Cho tôi nói thêm một ý');
    const r = await post(threadPath(t.id), form, { Cookie: await sessionCookie(w.db, member) });
    expect(r.status).toBe(299);
    expect(passedOn).toHaveLength(1);
    const seen = passedOn[0]!;
    expect(seen).toMatchObject({ url: threadPath(t.id), body: form });
    expect(seen.context).toEqual({ knownReply: { userId: member, threadId: t.id, result: { ok: false, code: 'locked' } } });
    // The route answers the refusal it is handed (409, the message, the text kept) without posting.
    const answer = await routeAction(member, t.id, form, seen.context);
    expect(answer.status).toBe(409);
    expect(await answer.json()).toMatchObject({
      ok: false,
      message: 'community.errors.locked',
      values: { intent: 'reply', body: 'Cho tôi nói thêm một ý' },
    });
    expect(await posts(t.id)).toHaveLength(1);

    // A silenced member: the same, with the silence's refusal.
    const loud = await thread(cw.pub, 'Tranh luận');
    expect((await moderate(w.db, cw.wardOrganiser, loud.postId, { action: 'silence', reason: 'Công kích', amount: 3 })).ok).toBe(true);
    const again = await post(threadPath(loud.id), replyForm('Tôi vẫn muốn nói'), {
      Cookie: await sessionCookie(w.db, loud.author),
    });
    expect(again.status).toBe(299);
    expect(passedOn.at(-1)!.context.knownReply).toMatchObject({
      userId: loud.author,
      threadId: loud.id,
      result: { ok: false, code: 'silenced' },
    });
    const silenced = await routeAction(loud.author, loud.id, replyForm('Tôi vẫn muốn nói'), passedOn.at(-1)!.context);
    expect(silenced.status).toBe(403);
    expect(await silenced.json()).toMatchObject({ message: 'community.errors.silenced', values: { body: 'Tôi vẫn muốn nói' } });
    expect(await posts(loud.id)).toHaveLength(1);
  });

  it('takes one rate-limit allowance for a refused reply, not a second one when the route answers it', async () => {
    const word = 'tucamthuxyz';
    expect((await addWatchedWord(w.db, cw.wardOrganiser, cw.ward.id, word, 'block')).ok).toBe(true);
    const t = await thread(cw.pub, 'Giới hạn đăng bài');
    const member = await cw.established();
    const cookie = await sessionCookie(w.db, member);
    // Refused after the allowance is taken (a blocked word): one of the member's 10 a minute.
    const blocked = replyForm(`Có chữ ${word} ở đây`);
    const r = await post(threadPath(t.id), blocked, { Cookie: cookie });
    expect(r.status).toBe(299);
    const { context } = passedOn.at(-1)!;
    expect(context.knownReply?.result).toMatchObject({ ok: false, code: 'blocked_word' });
    const answer = await routeAction(member, t.id, blocked, context);
    expect(answer.status).toBe(422);
    expect(await answer.json()).toMatchObject({ message: 'community.errors.blocked_word', values: { body: `Có chữ ${word} ở đây` } });
    // Nine more allowances are left (one attempt was counted, not two); the tenth is refused.
    for (let i = 0; i < 9; i++) expect((await reply(w.db, { userId: member }, t.id, { body: `Ý kiến ${i}` })).ok, `reply ${i}`).toBe(true);
    const over = replyForm('Một ý nữa');
    const limited = await post(threadPath(t.id), over, { Cookie: cookie });
    expect(limited.status).toBe(299);
    const known = passedOn.at(-1)!;
    expect(known).toMatchObject({ url: threadPath(t.id), body: over });
    expect(known.context.knownReply?.result).toMatchObject({ ok: false, code: 'rate_limited' });
    const tooMany = await routeAction(member, t.id, over, known.context);
    expect(tooMany.status).toBe(429);
    expect(await tooMany.json()).toMatchObject({ message: 'community.errors.rate_limited', values: { body: 'Một ý nữa' } });
    expect((await posts(t.id)).filter((p) => p.author_id === member)).toHaveLength(9);
  });

  it('reads a long reply sent slowly, in pieces, whole: posted when a reply, passed on whole when not', async () => {
    const t = await thread();
    const member = await cw.established();
    const cookie = await sessionCookie(w.db, member);
    // ~45 kB urlencoded (Vietnamese letters are 9 bytes each): more than the stream's 16 kB buffer.
    const text = `Bài dài ${'Người học suốt đời được mở rộng tầm nhìn. '.repeat(360)}`.trim();
    const send = (body: string, c: string) =>
      new Promise<{ status: number; location?: string }>((resolve, reject) => {
        const req = http.request(base + threadPath(t.id), {
          method: 'POST',
          headers: {
            Cookie: c,
            Origin: base,
            'Content-Type': 'application/x-www-form-urlencoded',
            'Content-Length': Buffer.byteLength(body),
          },
        });
        req.on('response', (res) => {
          res.resume();
          resolve({ status: res.statusCode!, location: res.headers.location });
        });
        req.on('error', reject);
        const third = Math.floor(body.length / 3);
        req.write(body.slice(0, third));
        setTimeout(() => req.write(body.slice(third, 2 * third)), 20);
        setTimeout(() => req.end(body.slice(2 * third)), 40);
      });
    const form = replyForm(text);
    expect(Buffer.byteLength(form)).toBeGreaterThan(40_000);
    expect(await send(form, cookie)).toEqual({ status: 302, location: `${threadPath(t.id)}?post=2#post-2` });
    expect((await posts(t.id)).at(-1)).toMatchObject({ post_no: 2, author_id: member, body_md: text });
    expect(passedOn).toEqual([]);
    expect(await send(form, 'llw_session=nosuchsession')).toEqual({ status: 299 });
    expect(passedOn).toEqual([{ url: threadPath(t.id), body: form, context: {} }]);
    expect(await posts(t.id)).toHaveLength(2);
  });

  it('knownReplyIn takes a refusal only for the same member and thread', () => {
    const known: KnownReply = { userId: 'u1', threadId: 't1', result: { ok: false, code: 'locked' } };
    expect(knownReplyIn({ knownReply: known }, 'u1', 't1')).toBe(known);
    expect(knownReplyIn({ knownReply: known }, 'u2', 't1')).toBeUndefined();
    expect(knownReplyIn({ knownReply: known }, 'u1', 't2')).toBeUndefined();
    expect(knownReplyIn({}, 'u1', 't1')).toBeUndefined();
    expect(knownReplyIn(undefined, 'u1', 't1')).toBeUndefined();
    expect(knownReplyIn(null, 'u1', 't1')).toBeUndefined();
  });

  it('leaves an outsider’s reply to a members-only category to the route (its 404), nothing posted', async () => {
    const t = await thread(cw.members, 'Họp tổ dân phố');
    const outsider = await cw.established({ homeUnitId: cw.other.id });
    const form = replyForm('Tôi ở phường khác');
    const r = await post(threadPath(t.id), form, { Cookie: await sessionCookie(w.db, outsider) });
    expect(r.status).toBe(299);
    const seen = passedOn.at(-1)!;
    expect(seen).toMatchObject({ url: threadPath(t.id), body: form });
    expect(seen.context.knownReply?.result).toMatchObject({ ok: false, code: 'not_found' });
    expect((await routeAction(outsider, t.id, form, seen.context)).status).toBe(404);
    expect(await posts(t.id)).toHaveLength(1);
  });

  it('FORUM_REPLY_DIRECT=0 leaves every reply to Express, unread', async () => {
    const t = await thread();
    const member = await cw.established();
    const form = replyForm('Khi tắt đường tắt');
    const saved = process.env.FORUM_REPLY_DIRECT;
    process.env.FORUM_REPLY_DIRECT = '0';
    try {
      const r = await post(threadPath(t.id), form, { Cookie: await sessionCookie(w.db, member) });
      expect(r.status).toBe(299);
    } finally {
      if (saved === undefined) delete process.env.FORUM_REPLY_DIRECT;
      else process.env.FORUM_REPLY_DIRECT = saved;
    }
    expect(taken).toEqual([false]);
    expect(passedOn).toEqual([{ url: threadPath(t.id), body: form, context: {} }]);
    expect(await posts(t.id)).toHaveLength(1);
  });
});
