/**
 * The round page's submit answered before Express and Remix (issue #14,
 * app/lib/contests-submit.server.ts), over real HTTP on a Node server in this process, both
 * dialects: a plain form POST of `intent=submit` closes the attempt with its answers and the
 * prediction and answers the Remix route's redirect and flash cookie; a retried submit keeps the
 * first result (one attempt, answers kept); past the deadline + grace the late answers and the
 * prediction are not taken (the late flash); and everything the route must answer itself — another
 * intent, a prediction that is not a whole number, an invalid attempt id, signed out, another
 * entrant's attempt, a query string, a cross-site post — reaches Express with its body intact.
 */
import http from 'node:http';

import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';

import { attemptView, startAttempt } from '~/domain/contests/attempts.server';
import { answerSubmitDirectly } from '~/lib/contests-submit.server';
import { logger } from '~/lib/observability/log.server';

import { action } from '../../app/routes/contests.$slug.rounds.$roundId._index';
import { contestWorld } from '../helpers/contests';
import { type DirectServer, startDirectServer } from '../helpers/direct-server';
import { callRoute } from '../helpers/routes';
import { sessionCookie } from '../helpers/users';
import { describeWorld } from '../helpers/world';

describeWorld('contests: the submit answered before Express', (w) => {
  let server: DirectServer<{ url: string; body: string }>;
  let base = '';
  /** What the stand-in for Express saw of each request passed on: its path and body. */
  let passedOn: Array<{ url: string; body: string }> = [];
  let cw: Awaited<ReturnType<typeof contestWorld>>;
  let contestId = '';
  let slug = '';
  let roundId = '';

  let level = 'info';
  beforeAll(async () => {
    level = logger().level;
    logger().level = 'warn';
    cw = await contestWorld(w.db, new Date(Date.now() - 60_000));
    const c = await cw.contest();
    contestId = c.id;
    slug = c.slug;
    await cw.bank(c.id, ['T'], 3);
    roundId = await cw.quizRound(c.id, 'Tuần 1', 0);
    await w.db.updateTable('contests').set({ status: 'published' }).where('id', '=', c.id).execute();
    // Express and Remix stand-in: records what reached it, body included.
    server = await startDirectServer(answerSubmitDirectly);
    ({ base, passedOn } = server);
  });
  afterAll(async () => {
    logger().level = level;
    await server.close();
  });
  beforeEach(() => {
    (globalThis as unknown as { __appDb?: unknown }).__appDb = w.db;
    server.reset();
  });

  let n = 0;
  /** A registered entrant with a started attempt, a session cookie, and the page's submit form (second option each, prediction 12). */
  async function entrant() {
    const userId = await cw.entrant(contestId, `Thí sinh ${++n}`, cw.schoolA.id);
    const s = await startAttempt(w.db, roundId, userId);
    if (!s.ok) throw new Error(s.code);
    const v = (await attemptView(w.db, s.value.attemptId, userId))!;
    const form: Record<string, string> = { attemptId: v.id };
    for (const q of v.questions) {
      form[`present.${q.id}`] = '1';
      form[`q.${q.id}`] = q.options[1]!.id;
    }
    form.prediction = '12';
    form.intent = 'submit';
    const chosen = Object.fromEntries(v.questions.map((q) => [q.id, q.options[1]!.id]));
    return { userId, attemptId: v.id, form, chosen, cookie: await sessionCookie(w.db, userId) };
  }
  const roundPath = (round = roundId, contest = slug) => `/contests/${contest}/rounds/${round}`;
  const post = (path: string, body: string, headers: Record<string, string>) => server.post(path, body, headers);
  const attempt = (id: string) =>
    w.db
      .selectFrom('contest_attempts')
      .select(['status', 'prediction', 'score', 'submitted_at', 'answers_sig'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const redirectOf = (r: Response) => ({ status: r.status, location: r.headers.get('location'), cookie: r.headers.get('set-cookie') });

  it('submits with the route’s redirect and flash; the attempt closes with its answers, score and prediction', async () => {
    const e = await entrant();
    const r = await post(roundPath(), new URLSearchParams(e.form).toString(), { Cookie: e.cookie });
    const twin = await entrant(); // the same form through the Remix route, for the same answer
    const viaRemix = await callRoute(action, {
      db: w.db,
      userId: twin.userId,
      path: roundPath(),
      params: { slug, roundId },
      form: twin.form,
    });
    expect(redirectOf(r)).toEqual(redirectOf(viaRemix));
    expect(redirectOf(r)).toMatchObject({ status: 302, location: roundPath() });
    expect(decodeURIComponent(r.headers.get('set-cookie')!)).toContain('"message":"contests.flash.submitted"');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(passedOn).toEqual([]);
    const a = await attempt(e.attemptId);
    expect(a).toMatchObject({ status: 'submitted', prediction: 12 });
    expect(await attempt(twin.attemptId)).toMatchObject({ status: 'submitted', prediction: 12 });
    expect((await attemptView(w.db, e.attemptId, e.userId))!.responses).toEqual(e.chosen);
  });

  it('keeps the first result when a submit is retried (flaky 3G): one attempt, the answers and prediction kept', async () => {
    const e = await entrant();
    const first = await post(roundPath(), new URLSearchParams(e.form).toString(), { Cookie: e.cookie });
    const before = await attempt(e.attemptId);
    const changed: Record<string, string> = { ...e.form, prediction: '99' };
    for (const q of Object.keys(e.chosen)) changed[`q.${q}`] = 'zz';
    const retries = await Promise.all(
      [0, 1, 2].map(() => post(roundPath(), new URLSearchParams(changed).toString(), { Cookie: e.cookie })),
    );
    for (const r of retries) expect(redirectOf(r)).toEqual(redirectOf(first));
    expect(await attempt(e.attemptId)).toEqual(before);
    expect((await attemptView(w.db, e.attemptId, e.userId))!.responses).toEqual(e.chosen);
    const all = await w.db.selectFrom('contest_attempts').select('id').where('user_id', '=', e.userId).execute();
    expect(all).toHaveLength(1);
  });

  it('past the deadline + grace takes neither the late answers nor the prediction, and says so', async () => {
    const e = await entrant();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    await w.db.updateTable('contest_attempts').set({ deadline_at: past }).where('id', '=', e.attemptId).execute();
    const r = await post(roundPath(), new URLSearchParams(e.form).toString(), { Cookie: e.cookie });
    expect(r.status).toBe(302);
    expect(decodeURIComponent(r.headers.get('set-cookie')!)).toContain('"message":"contests.flash.submittedLate"');
    expect(await attempt(e.attemptId)).toMatchObject({ status: 'submitted', prediction: null, score: 0 });
    expect((await attemptView(w.db, e.attemptId, e.userId))!.responses).toEqual({});
  });

  it('passes on, body intact and nothing written, what the route answers itself', async () => {
    const e = await entrant();
    const other = await entrant();
    const round2 = await cw.quizRound(contestId, 'Tuần 2', 7200);
    const form = (o: Record<string, string>) => new URLSearchParams({ ...e.form, ...o }).toString();
    const headers = { Cookie: e.cookie, Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' };
    const cases: Array<[string, string, RequestInit]> = [
      ['start', roundPath(), { headers, body: new URLSearchParams({ intent: 'start' }).toString() }],
      ['save without JavaScript', roundPath(), { headers, body: form({ intent: 'save' }) }],
      ['a prediction that is not a whole number', roundPath(), { headers, body: form({ prediction: '3,5' }) }],
      ['no prediction', roundPath(), { headers, body: new URLSearchParams({ intent: 'submit', attemptId: e.attemptId }).toString() }],
      ['no attempt', roundPath(), { headers, body: new URLSearchParams({ intent: 'submit', prediction: '1' }).toString() }],
      ['two intents', roundPath(), { headers, body: `${form({})}&intent=start` }],
      ['another entrant’s attempt', roundPath(), { headers, body: form({ attemptId: other.attemptId }) }],
      ['another round', roundPath(round2), { headers, body: form({}) }],
      ['signed out', roundPath(), { headers: { ...headers, Cookie: 'llw_session=nosuchsession' }, body: form({}) }],
      ['no session cookie', roundPath(), { headers: { ...headers, Cookie: 'lang=en' }, body: form({}) }],
      ['a query string (the JavaScript page)', `${roundPath()}?index`, { headers, body: form({}) }],
      ['a cross-site post', roundPath(), { headers: { ...headers, Origin: 'https://evil.example' }, body: form({}) }],
      ['multipart', roundPath(), { headers: { ...headers, 'Content-Type': 'multipart/form-data; boundary=xyz' }, body: '--xyz--' }],
      ['an empty body', roundPath(), { headers, body: '' }],
    ];
    for (const [what, path, init] of cases) {
      const r = await fetch(base + path, { method: 'POST', redirect: 'manual', ...init });
      expect(r.status, what).toBe(299);
      expect(await r.text(), what).toBe('express');
      expect(passedOn.at(-1), what).toEqual({ url: path, body: String(init.body) });
    }
    expect(await attempt(e.attemptId)).toMatchObject({ status: 'in_progress', prediction: null });
    expect(await attempt(other.attemptId)).toMatchObject({ status: 'in_progress' });
    // A body sent in pieces, slowly, is read whole (and passed on whole when not a submit).
    const slow = form({ intent: 'save' });
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(base + roundPath(), { method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(slow) } });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.write(slow.slice(0, 10));
      setTimeout(() => req.end(slow.slice(10)), 50);
    });
    expect(status).toBe(299);
    expect(passedOn.at(-1)).toEqual({ url: roundPath(), body: slow });
  });

  it('stores every one of 30 entrants’ submits exactly once when they submit at once, twice each', async () => {
    const people = await Promise.all(Array.from({ length: 30 }, () => entrant()));
    const statuses = await Promise.all(
      people.flatMap((p) =>
        [0, 1].map(async () => {
          const r = await post(roundPath(), new URLSearchParams(p.form).toString(), { Cookie: p.cookie });
          await r.arrayBuffer();
          return r.status;
        }),
      ),
    );
    expect(statuses.every((s) => s === 302)).toBe(true);
    for (const p of people) {
      expect(await attempt(p.attemptId)).toMatchObject({ status: 'submitted', prediction: 12 });
      expect((await attemptView(w.db, p.attemptId, p.userId))!.responses).toEqual(p.chosen);
    }
  });
});
