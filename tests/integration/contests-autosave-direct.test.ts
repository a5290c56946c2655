/**
 * The round page's autosave answered before Express and Remix (issue #14,
 * app/lib/contests-autosave.server.ts), over real HTTP on a Node server in this process, both
 * dialects: a save is stored and read back when the entrant resumes on another device; every
 * refusal (a malformed form, another entrant's attempt, another round or contest, a submitted
 * attempt, past the deadline + grace, signed out, the save limit) answers exactly what the Remix
 * route answers for the same form; and everything Express's guard or the route must decide (a
 * cross-site post, JSON, multipart, chunked or too large, a query string, no session) is passed on
 * untouched — its body unread.
 */
import http from 'node:http';

import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';

import { attemptView, startAttempt, submitAttempt } from '~/domain/contests/attempts.server';
import { answerAutosaveDirectly } from '~/lib/contests-autosave.server';
import { logger } from '~/lib/observability/log.server';

import { loader as roundLoader } from '../../app/routes/contests.$slug.rounds.$roundId._index';
import { action } from '../../app/routes/contests.$slug.rounds.$roundId.attempt';
import { contestWorld } from '../helpers/contests';
import { type DirectServer, startDirectServer } from '../helpers/direct-server';
import { callRoute } from '../helpers/routes';
import { sessionCookie } from '../helpers/users';
import { describeWorld } from '../helpers/world';

describeWorld('contests: the autosave answered before Express', (w) => {
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
    logger().level = 'warn'; // no request line per save in the test's output
    cw = await contestWorld(w.db, new Date(Date.now() - 60_000));
    const c = await cw.contest();
    contestId = c.id;
    slug = c.slug;
    await cw.bank(c.id, ['T'], 3);
    roundId = await cw.quizRound(c.id, 'Tuần 1', 0);
    await w.db.updateTable('contests').set({ status: 'published' }).where('id', '=', c.id).execute();
    // Express and Remix stand-in: records what reached it, body included.
    server = await startDirectServer(answerAutosaveDirectly);
    ({ base, passedOn } = server);
  });
  afterAll(async () => {
    logger().level = level;
    await server.close();
  });
  beforeEach(() => {
    (globalThis as unknown as { __appDb?: unknown }).__appDb = w.db; // the application's database is this world's
    server.reset();
  });

  let n = 0;
  /** A registered entrant with a started attempt, a session cookie, and the form the page posts (first option each). */
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
    const chosen = Object.fromEntries(v.questions.map((q) => [q.id, q.options[1]!.id]));
    return { userId, attemptId: v.id, form, chosen, cookie: await sessionCookie(w.db, userId) };
  }
  const savePath = (round = roundId, contest = slug) => `/contests/${contest}/rounds/${round}/attempt`;
  const post = (path: string, body: string, headers: Record<string, string>) => server.post(path, body, headers);
  /** The direct path's answer and the Remix route's for the same form and user: status and JSON. */
  async function both(userId: string, form: Record<string, string>, round = roundId, contest = slug) {
    const direct = await post(savePath(round, contest), new URLSearchParams(form).toString(), {
      Cookie: await sessionCookie(w.db, userId),
    });
    const viaRemix = await callRoute(action, {
      db: w.db,
      userId,
      path: savePath(round, contest),
      params: { slug: contest, roundId: round },
      form,
    });
    const read = async (r: Response) => ({ status: r.status, body: r.status === 204 ? '' : await r.json() });
    return { direct: await read(direct), remix: await read(viaRemix) };
  }
  const stored = async (attemptId: string) =>
    (await w.db.selectFrom('contest_answers').select('question_id').where('attempt_id', '=', attemptId).execute()).length;

  it('saves with 204 and the security headers; the entrant resumes on another device with the answers saved', async () => {
    const e = await entrant();
    const r = await post(savePath(), new URLSearchParams(e.form).toString(), { Cookie: e.cookie });
    expect(r.status).toBe(204);
    expect(await r.text()).toBe('');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(passedOn).toEqual([]);
    // Another device: a new session of the same account opens the round page.
    const page = await callRoute(roundLoader, {
      db: w.db,
      userId: e.userId,
      path: `/contests/${slug}/rounds/${roundId}`,
      params: { slug, roundId },
    });
    const data = (await page.json()) as { view: { id: string; responses: Record<string, unknown> } };
    expect(data.view.id).toBe(e.attemptId);
    expect(data.view.responses).toEqual(e.chosen);
  });

  it('refuses exactly as the Remix route does: a malformed form, another entrant’s attempt, round or contest', async () => {
    const e = await entrant();
    const other = await entrant();
    const round2 = await cw.quizRound(contestId, 'Tuần 2', 7200);
    const c2 = await cw.contest();
    const cases: Array<[string, Record<string, string>, string, string, number, string]> = [
      ['no attempt', { 'present.x': '1' }, roundId, slug, 400, 'errors.invalid'],
      ['an empty attempt', { attemptId: '' }, roundId, slug, 400, 'errors.invalid'],
      ['an attempt id too long', { attemptId: 'x'.repeat(200) }, roundId, slug, 400, 'errors.invalid'],
      ['another entrant’s attempt', other.form, roundId, slug, 404, 'contests.errors.not_found'],
      ['another round', e.form, round2, slug, 404, 'contests.errors.not_found'],
      ['another contest', e.form, roundId, c2.slug, 404, 'contests.errors.not_found'],
    ];
    for (const [what, form, round, contest, status, message] of cases) {
      const { direct, remix } = await both(e.userId, form, round, contest);
      expect(direct, what).toEqual(remix);
      expect(direct, what).toEqual({ status, body: { ok: false, message } });
    }
    expect(await stored(e.attemptId)).toBe(0);
    expect(await stored(other.attemptId)).toBe(0);
    expect(passedOn).toEqual([]);
  });

  it('refuses a submitted attempt, and past the deadline + grace submits it as it stands, as the route does', async () => {
    const e = await entrant();
    expect((await submitAttempt(w.db, e.attemptId, e.userId, { responses: new Map(), prediction: 1 })).ok).toBe(true);
    const { direct, remix } = await both(e.userId, e.form);
    expect(direct).toEqual(remix);
    expect(direct).toEqual({ status: 409, body: { ok: false, message: 'contests.errors.already_submitted' } });

    const late = await entrant();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    await w.db.updateTable('contest_attempts').set({ deadline_at: past }).where('id', '=', late.attemptId).execute();
    const r = await post(savePath(), new URLSearchParams(late.form).toString(), { Cookie: late.cookie });
    expect(r.status).toBe(409);
    expect(await r.json()).toEqual({ ok: false, message: 'contests.errors.past_deadline' });
    const a = await w.db.selectFrom('contest_attempts').select('status').where('id', '=', late.attemptId).executeTakeFirstOrThrow();
    expect(a.status).toBe('submitted');
    expect(await stored(late.attemptId)).toBe(0);
  });

  it('sends a signed-out entrant (an unknown session) to sign in, as the route does', async () => {
    const e = await entrant();
    const r = await post(savePath(), new URLSearchParams(e.form).toString(), { Cookie: 'llw_session=nosuchsession' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe(`/login?redirectTo=${encodeURIComponent(savePath())}`);
    const viaRemix = await callRoute(action, { db: w.db, path: savePath(), params: { slug, roundId }, form: e.form });
    expect(viaRemix.headers.get('location')).toBe(r.headers.get('location'));
    expect(await stored(e.attemptId)).toBe(0);
  });

  it('answers 429 with its message past the account’s save limit', async () => {
    const e = await entrant();
    const statuses: number[] = [];
    let body: unknown = null;
    for (let i = 0; i < 125; i++) {
      const r = await post(savePath(), new URLSearchParams(e.form).toString(), { Cookie: e.cookie });
      statuses.push(r.status);
      if (r.status === 429) body = await r.json();
      else await r.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 204).length).toBe(120);
    expect(statuses.slice(120)).toEqual([429, 429, 429, 429, 429]);
    expect(body).toEqual({ ok: false, message: 'contests.errors.rate_limited' });
  });

  it('passes on, body unread, what Express’s guard or the route decides', async () => {
    const e = await entrant();
    const form = new URLSearchParams(e.form).toString();
    const cookie = e.cookie;
    const cases: Array<[string, string, RequestInit]> = [
      [
        'a cross-site post',
        savePath(),
        { headers: { Cookie: cookie, Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' }, body: form },
      ],
      [
        'Origin "null"',
        savePath(),
        { headers: { Cookie: cookie, Origin: 'null', 'Content-Type': 'application/x-www-form-urlencoded' }, body: form },
      ],
      [
        'no Origin, cross-site fetch',
        savePath(),
        { headers: { Cookie: cookie, 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/x-www-form-urlencoded' }, body: form },
      ],
      ['JSON', savePath(), { headers: { Cookie: cookie, Origin: base, 'Content-Type': 'application/json' }, body: JSON.stringify(e.form) }],
      [
        'multipart',
        savePath(),
        { headers: { Cookie: cookie, Origin: base, 'Content-Type': 'multipart/form-data; boundary=xyz' }, body: '--xyz--' },
      ],
      [
        'too large',
        savePath(),
        {
          headers: { Cookie: cookie, Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: `${form}&pad=${'x'.repeat(70_000)}`,
        },
      ],
      [
        'a query string',
        `${savePath()}?x=1`,
        { headers: { Cookie: cookie, Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form },
      ],
      [
        'a trailing slash',
        `${savePath()}/`,
        { headers: { Cookie: cookie, Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form },
      ],
      [
        'no session cookie',
        savePath(),
        { headers: { Cookie: 'lang=en', Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form },
      ],
    ];
    for (const [what, path, init] of cases) {
      const r = await fetch(base + path, { method: 'POST', redirect: 'manual', ...init });
      expect(r.status, what).toBe(299);
      expect(await r.text(), what).toBe('express');
      expect(passedOn.at(-1), what).toEqual({ url: path, body: String(init.body) });
    }
    // A chunked body (no declared length) too.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request(base + savePath(), {
        method: 'POST',
        headers: { Cookie: cookie, Origin: base, 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.write(form.slice(0, 10));
      req.end(form.slice(10));
    });
    expect(chunked).toBe(299);
    expect(passedOn.at(-1)).toEqual({ url: savePath(), body: form });
    const get = await fetch(base + savePath(), { headers: { Cookie: cookie } });
    expect(get.status).toBe(299);
    expect(await stored(e.attemptId)).toBe(0);
  });

  it('loses no answer when 30 entrants save three times each at once', async () => {
    const people = await Promise.all(Array.from({ length: 30 }, () => entrant()));
    const statuses = await Promise.all(
      people.flatMap((p) =>
        [0, 1, 2].map(async (k) => {
          const ids = Object.keys(p.chosen);
          const form: Record<string, string> = { attemptId: p.attemptId };
          for (const q of ids.slice(0, Math.ceil(((k + 1) * ids.length) / 3))) {
            form[`present.${q}`] = '1';
            form[`q.${q}`] = p.chosen[q]!;
          }
          const r = await post(savePath(), new URLSearchParams(form).toString(), { Cookie: p.cookie });
          await r.arrayBuffer();
          return r.status;
        }),
      ),
    );
    expect(statuses.every((s) => s === 204)).toBe(true);
    for (const p of people) expect((await attemptView(w.db, p.attemptId, p.userId))!.responses).toEqual(p.chosen);
  });
});
