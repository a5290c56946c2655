/**
 * The round page's autosave route (`/contests/<slug>/rounds/<id>/attempt`, issue #14): 204 when
 * saved, and the same refusals as the page's own form — only the attempt's owner, on its own
 * round of its contest (404 otherwise), never a submitted attempt or one past its deadline + grace
 * (409 with the message; past it the attempt is submitted as it stands), a malformed body 400 with
 * a message (never a 500) — and none lost when many entrants save at once. Both dialects.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { attemptView, startAttempt, submitAttempt } from '~/domain/contests/attempts.server';
import { createSessionCookie } from '~/lib/auth.server';
import { guardActions } from '~/lib/http-guard.server';

import { action, loader } from '../../app/routes/contests.$slug.rounds.$roundId.attempt';
import { contestWorld } from '../helpers/contests';
import { dialects, freshDb } from '../helpers/db';
import { callRoute } from '../helpers/routes';

describe.each(dialects)('contests: the autosave route (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let w: Awaited<ReturnType<typeof contestWorld>>;
  let slug = '';
  let roundId = '';
  let contestId = '';

  beforeEach(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    w = await contestWorld(db, new Date(Date.now() - 60_000));
    const c = await w.contest();
    contestId = c.id;
    slug = c.slug;
    await w.bank(c.id, ['T'], 3);
    roundId = await w.quizRound(c.id, 'Tuần 1', 0);
    await db.updateTable('contests').set({ status: 'published' }).where('id', '=', c.id).execute();
  });
  afterEach(async () => cleanup());

  /** A registered entrant with a started attempt: its id and the form the page would post (the first option of each question). */
  async function entrantWithAttempt(name: string) {
    const userId = await w.entrant(contestId, name, w.schoolA.id);
    const s = await startAttempt(db, roundId, userId);
    if (!s.ok) throw new Error(s.code);
    const v = (await attemptView(db, s.value.attemptId, userId))!;
    const form: Record<string, string> = { attemptId: v.id };
    for (const q of v.questions) {
      form[`present.${q.id}`] = '1';
      form[`q.${q.id}`] = q.options[0]!.id;
    }
    return { userId, attemptId: v.id, form, firstOption: Object.fromEntries(v.questions.map((q) => [q.id, q.options[0]!.id])) };
  }
  const save = (userId: string | undefined, form: Record<string, string>, round = roundId, contest = slug) =>
    callRoute(action, {
      db,
      userId,
      path: `/contests/${contest}/rounds/${round}/attempt`,
      params: { slug: contest, roundId: round },
      form,
    });
  const stored = async (attemptId: string) =>
    (await db.selectFrom('contest_answers').select(['question_id', 'response_json']).where('attempt_id', '=', attemptId).execute()).length;

  it('saves the owner’s answers with 204 and no body; a reload shows them', async () => {
    const e = await entrantWithAttempt('Nguyễn Văn An');
    const r = await save(e.userId, e.form);
    expect(r.status).toBe(204);
    expect(await r.text()).toBe('');
    const v = (await attemptView(db, e.attemptId, e.userId))!;
    expect(v.responses).toEqual(e.firstOption);
  });

  it('saves the whole form again after a change: the changed answer replaces the stored one, the others stay', async () => {
    const e = await entrantWithAttempt('Nguyễn Văn An');
    expect((await save(e.userId, e.form)).status).toBe(204);
    const v0 = (await attemptView(db, e.attemptId, e.userId))!;
    const changed = v0.questions[1]!;
    const form = { ...e.form, [`q.${changed.id}`]: changed.options[1]!.id };
    expect((await save(e.userId, form)).status).toBe(204);
    expect((await attemptView(db, e.attemptId, e.userId))!.responses).toEqual({ ...e.firstOption, [changed.id]: changed.options[1]!.id });
    // The same form once more (the page posts it on every change): nothing changes.
    expect((await save(e.userId, form)).status).toBe(204);
    expect((await attemptView(db, e.attemptId, e.userId))!.responses).toEqual({ ...e.firstOption, [changed.id]: changed.options[1]!.id });
  });

  it('answers 404 for another entrant’s attempt, another round or another contest, and stores nothing', async () => {
    const e = await entrantWithAttempt('Nguyễn Văn An');
    const other = await entrantWithAttempt('Trần Thị Bình');
    const r = await save(other.userId, e.form);
    expect(r.status).toBe(404);
    expect(((await r.json()) as { message: string }).message).toBe('contests.errors.not_found');
    const round2 = await w.quizRound(contestId, 'Tuần 2', 7200);
    expect((await save(e.userId, e.form, round2)).status).toBe(404);
    const c2 = await w.contest();
    expect((await save(e.userId, e.form, roundId, c2.slug)).status).toBe(404);
    expect(await stored(e.attemptId)).toBe(0);
  });

  it('refuses a submitted attempt with 409 and its message, the submitted answers unchanged', async () => {
    const e = await entrantWithAttempt('Nguyễn Văn An');
    expect((await submitAttempt(db, e.attemptId, e.userId, { responses: new Map(), prediction: 1 })).ok).toBe(true);
    const r = await save(e.userId, e.form);
    expect(r.status).toBe(409);
    expect(((await r.json()) as { message: string }).message).toBe('contests.errors.already_submitted');
    expect(await stored(e.attemptId)).toBe(0);
  });

  it('refuses a save after the round closed and the deadline + grace passed, and submits the attempt as it stands', async () => {
    const e = await entrantWithAttempt('Nguyễn Văn An');
    const past = new Date(Date.now() - 3_600_000).toISOString();
    await db.updateTable('contest_rounds').set({ closes_at: past }).where('id', '=', roundId).execute();
    await db.updateTable('contest_attempts').set({ deadline_at: past }).where('id', '=', e.attemptId).execute();
    const r = await save(e.userId, e.form);
    expect(r.status).toBe(409);
    expect(((await r.json()) as { message: string }).message).toBe('contests.errors.past_deadline');
    const a = await db.selectFrom('contest_attempts').select(['status']).where('id', '=', e.attemptId).executeTakeFirstOrThrow();
    expect(a.status).toBe('submitted');
    expect(await stored(e.attemptId)).toBe(0);
  });

  it('answers a malformed body with 400 and a message, never 500; signed out goes to sign-in; a GET to the round page', async () => {
    const e = await entrantWithAttempt('Nguyễn Văn An');
    for (const form of [{}, { attemptId: '' }, { attemptId: 'x'.repeat(200) }] as Array<Record<string, string>>) {
      const r = await save(e.userId, form);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { message: string }).message).toBe('errors.invalid');
    }
    // A broken multipart body, through the server's guard of every action (server.ts): 400, not 500.
    const guarded = guardActions({ routes: { r: { module: { action } } } }).routes.r.module.action;
    const request = new Request(`http://localhost/contests/${slug}/rounds/${roundId}/attempt`, {
      method: 'POST',
      headers: {
        Origin: 'http://localhost',
        Cookie: (await createSessionCookie(e.userId, db)).split(';')[0]!,
        'Content-Type': 'multipart/form-data; boundary=xyz',
      },
      body: '--xyz\r\nContent-Disposition: form-data; name="attemptId"\r\n\r\nbroken',
    });
    const bad = await Promise.resolve(guarded({ request, params: { slug, roundId }, context: {} })).catch((x: unknown) => x);
    expect(bad).toBeInstanceOf(Response);
    expect((bad as Response).status).toBe(400);
    const out = await save(undefined, e.form);
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toMatch(/^\/login/);
    const get = await callRoute(loader, {
      db,
      userId: e.userId,
      path: `/contests/${slug}/rounds/${roundId}/attempt`,
      params: { slug, roundId },
    });
    expect(get.headers.get('location')).toBe(`/contests/${slug}/rounds/${roundId}`);
    expect(await stored(e.attemptId)).toBe(0);
  });

  it('loses no answer when 40 entrants save three times each at once', async () => {
    const people = await Promise.all(Array.from({ length: 40 }, (_, i) => entrantWithAttempt(`Thí sinh ${i}`)));
    const results = await Promise.all(
      people.flatMap((p) =>
        [0, 1, 2].map(async (k) => {
          // The k-th save carries every answer so far (as the page posts the whole form).
          const ids = Object.keys(p.firstOption);
          const form: Record<string, string> = { attemptId: p.attemptId };
          for (const q of ids.slice(0, Math.ceil(((k + 1) * ids.length) / 3))) {
            form[`present.${q}`] = '1';
            form[`q.${q}`] = p.firstOption[q]!;
          }
          return (await save(p.userId, form)).status;
        }),
      ),
    );
    expect(results.every((s) => s === 204)).toBe(true);
    const rows = await db
      .selectFrom('contest_answers')
      .select(['attempt_id'])
      .where(
        'attempt_id',
        'in',
        people.map((p) => p.attemptId),
      )
      .execute();
    expect(rows.length).toBe(people.reduce((n, p) => n + Object.keys(p.firstOption).length, 0));
  });
});
