/**
 * Scale-out on PostgreSQL (issue 17): TWO instances of the built server, each with its own
 * DATA_DIR (two machines), on one fresh PostgreSQL database, with Debian's nginx in front as a
 * round-robin load balancer — all on 127.0.0.1. Through nginx (and, where the instance matters,
 * straight to each instance):
 *
 * - the lending race: 200 concurrent borrows of a 3-copy title → exactly 3 loans;
 * - a quiz-contest burst: every entrant starts twice and submits twice at once (a double click
 *   whose requests land on different instances) → one attempt each, submitted once, its answers stored;
 * - a session opened on one instance is valid on the other (and signing out on one ends it on both);
 * - the sign-in rate limit is one limit across the instances;
 * - a book uploaded through one instance is served by the other from the shared object store
 *   (s3rver, a local S3 test double), with range requests;
 * - a page-cache invalidation made on one instance is seen by the other;
 * - the periodic jobs run once: both instances start together and tick every job at start, and
 *   each start-up run is counted (llw_job_runs_total on each instance's /metrics) by exactly one.
 *
 * nginx's access log records the upstream of every request, so the test checks that each burst
 * really was split across both instances. Needs TEST_DATABASE_URL and /usr/sbin/nginx (`.ci/run`
 * installs it); skipped with the reason otherwise. `tests/drill/scale-out.ts` holds the harness.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildEpub, loadBooks } from '~/db/seed/build-epubs';

import { METRICS_TOKEN, type ScaleOut, scaleOutSkipReason, startScaleOut } from '../drill/scale-out';
import { cookieFrom, postForm, waitUntil } from '../helpers/app-process';

const skip = scaleOutSkipReason();
if (skip) console.warn(`[ops-scale-out] skipped: ${skip}`);

const LENDING = (slug: string) => `/library/${slug}?_data=${encodeURIComponent('routes/library.$slug')}`;

describe.skipIf(!!skip)(`two app instances behind nginx on one PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let s: ScaleOut;
  beforeAll(async () => {
    s = await startScaleOut({ readers: 200, entrants: 40, log: (l) => console.log(`[scale-out] ${l}`) });
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  }, 60_000);

  it('nginx spreads requests over both instances, each ready on the same database', async () => {
    for (let i = 0; i < 6; i++) expect((await fetch(`${s.lb}/readyz?round-robin=${i}`)).status).toBe(200);
    const seen = await s.upstreams(/ GET \/readyz\?round-robin=/, 6);
    expect(seen.get(s.a.port)).toBe(3);
    expect(seen.get(s.b.port)).toBe(3);
  });

  it('the periodic jobs run once across the instances: each start-up run is done by exactly one of them', async () => {
    // Jobs run at start and then hourly or daily (none runs twice during this file).
    const hourly = ['sessions:expire', 'notifications:digest', 'reports:reminders', 'db:optimize', 'contests:uploads-expire'];
    const runs = async (base: string) => {
      const res = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(res.status).toBe(200);
      const byJob = new Map<string, number>();
      for (const m of (await res.text()).matchAll(/^llw_job_runs_total\{job="([^"]+)",outcome="[^"]+"\} (\d+)$/gm))
        byJob.set(m[1]!, (byJob.get(m[1]!) ?? 0) + Number(m[2]));
      return byJob;
    };
    const [a, b] = await Promise.all([runs(s.a.baseUrl), runs(s.b.baseUrl)]);
    for (const job of hourly) expect({ job, runs: (a.get(job) ?? 0) + (b.get(job) ?? 0) }).toEqual({ job, runs: 1 });
    // Who ran each is recorded in the shared table, one of the two instances.
    const claims = await s.db.selectFrom('ops_job_runs').select(['name', 'claimed_by']).where('name', 'in', hourly).execute();
    expect(claims).toHaveLength(hourly.length);
    const instances = new Set(claims.map((c) => c.claimed_by));
    expect(instances.size).toBeGreaterThanOrEqual(1);
    expect(instances.size).toBeLessThanOrEqual(2);
  });

  it('the lending race: 200 concurrent borrows of a 3-copy title through nginx make exactly 3 loans', async () => {
    const t0 = Date.now();
    const answers = await Promise.all(
      s.world.readers.map(async (cookie) => {
        const res = await postForm(
          s.lb,
          LENDING(s.world.raceSlug),
          { intent: 'borrow', holdingId: s.world.raceHoldingId },
          { Cookie: cookie },
        );
        // 200 with the loan, or 409 with the translated "no copy left" message: never an error.
        const body = (await res.json()) as { ok?: boolean };
        return `${res.status} ${body.ok === true ? 'ok' : 'refused'}`;
      }),
    );
    s.figures.raceMs = Date.now() - t0;
    expect(answers.filter((a) => a === '200 ok')).toHaveLength(3);
    expect(answers.filter((a) => a === '409 refused')).toHaveLength(197);
    expect(await s.activeLoans(s.world.raceHoldingId)).toBe(3);
    const seen = await s.upstreams(/ POST \/library\/sach-dua-tranh\?/, 200);
    // Round-robin: each instance took about half of the 200 borrows.
    expect(seen.get(s.a.port)).toBeGreaterThanOrEqual(80);
    expect(seen.get(s.b.port)).toBeGreaterThanOrEqual(80);
    expect((seen.get(s.a.port) ?? 0) + (seen.get(s.b.port) ?? 0)).toBe(200);
  }, 60_000);

  it('a quiz-contest burst split across the instances stores every submission once', async () => {
    const { entrants, contestSlug, roundId } = s.world;
    const here = `/contests/${contestSlug}/rounds/${roundId}`;
    const t0 = Date.now();
    // Every entrant presses "start" twice at once: one attempt each.
    const starts = await Promise.all(
      entrants.flatMap((e) => [0, 1].map(() => postForm(s.lb, here, { intent: 'start' }, { Cookie: e.cookie }))),
    );
    for (const r of starts) expect([302, 303]).toContain(r.status);
    const attempts = await s.attemptsOf(roundId);
    expect(attempts).toHaveLength(entrants.length);
    // …then "submit" twice at once, each with every question answered (option 1).
    const submits = await Promise.all(
      entrants.flatMap((e) => {
        const a = attempts.find((x) => x.userId === e.userId)!;
        const form: Record<string, string> = { intent: 'submit', attemptId: a.id, prediction: '120' };
        for (const q of a.questions) {
          form[`present.${q.id}`] = '1';
          form[`q.${q.id}`] = q.firstOption;
        }
        return [0, 1].map(() => postForm(s.lb, here, form, { Cookie: e.cookie }));
      }),
    );
    s.figures.quizMs = Date.now() - t0;
    for (const r of submits) expect([302, 303]).toContain(r.status);
    const after = await s.attemptsOf(roundId);
    expect(after).toHaveLength(entrants.length);
    for (const a of after) {
      expect(a.status).toBe('submitted');
      expect(a.answers).toBe(a.questions.length);
      expect(a.maxScore).toBeGreaterThan(0);
    }
    const seen = await s.upstreams(new RegExp(` POST ${here}$`), entrants.length * 4);
    expect(seen.get(s.a.port)).toBeGreaterThanOrEqual(entrants.length);
    expect(seen.get(s.b.port)).toBeGreaterThanOrEqual(entrants.length);
  }, 60_000);

  it('a session opened on one instance is valid on the other; signing out on one ends it on both', async () => {
    const login = await postForm(s.a.baseUrl, '/login', {
      email: s.world.sessionEmail,
      password: s.world.password,
      redirectTo: '/account',
    });
    expect(login.status).toBe(302);
    const cookie = cookieFrom(login, 'llw_session');
    expect(cookie).toBeTruthy();
    const onB = await fetch(`${s.b.baseUrl}/account`, { headers: { Cookie: cookie! }, redirect: 'manual' });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain('Người dùng phiên chung');
    const out = await postForm(s.b.baseUrl, '/logout', {}, { Cookie: cookie! });
    expect(out.status).toBe(302);
    const onA = await fetch(`${s.a.baseUrl}/account`, { headers: { Cookie: cookie! }, redirect: 'manual' });
    expect(onA.status).toBe(302);
    expect(onA.headers.get('location')).toMatch(/^\/login/);
  });

  it('the sign-in rate limit is one limit across both instances', async () => {
    const statuses: number[] = [];
    // One after another through nginx: the wrong guesses alternate between the instances.
    for (let i = 0; i < 6; i++)
      statuses.push((await postForm(s.lb, '/login', { email: s.world.limitEmail, password: 'sai-mat-khau-123', redirectTo: '/' })).status);
    const seen = await s.upstreams(/ POST \/login$/, 6);
    expect(seen.get(s.a.port)).toBe(3);
    expect(seen.get(s.b.port)).toBe(3);
    // 5 guesses per account and address, counted together: each instance alone saw only 3.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Even the right password now waits, on either instance.
    for (const base of [s.a.baseUrl, s.b.baseUrl]) {
      const r = await postForm(base, '/login', { email: s.world.limitEmail, password: s.world.password, redirectTo: '/' });
      expect(r.status).toBe(429);
    }
  });

  it('a book uploaded through one instance is read from the shared object store on the other, by byte ranges', async () => {
    const epub = await buildEpub(loadBooks()[0]!);
    const fd = new FormData();
    fd.set('file', new Blob([new Uint8Array(epub)], { type: 'application/epub+zip' }), 'sach.epub');
    fd.set('library_id', s.world.libraryId);
    fd.set('access', 'open');
    fd.set('copies', '0');
    const up = await fetch(`${s.a.baseUrl}/library/upload`, {
      method: 'POST',
      body: fd,
      redirect: 'manual',
      headers: { Cookie: s.world.librarian, Origin: s.a.baseUrl },
    });
    expect(up.status).toBe(302);
    const slug = /^\/library\/([^/]+)\/edit$/.exec(up.headers.get('location') ?? '')?.[1];
    expect(slug).toBeTruthy();
    // Instance B has never seen the file on its own disk: it reads it from the store.
    for (const base of [s.b.baseUrl, s.a.baseUrl, s.lb]) {
      const whole = await fetch(`${base}/library/${slug}/file`);
      expect(whole.status).toBe(200);
      expect(Buffer.from(await whole.arrayBuffer()).equals(epub)).toBe(true);
      const part = await fetch(`${base}/library/${slug}/file`, { headers: { Range: 'bytes=1000-1999' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${epub.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(epub.subarray(1000, 2000))).toBe(true);
    }
  });

  it('a page-cache invalidation made on one instance is seen by the other', async () => {
    const page = `/library/${s.world.cacheSlug}`;
    const get = async (base: string) => {
      const r = await fetch(base + page);
      return { status: r.status, cache: r.headers.get('x-page-cache'), body: await r.text() };
    };
    // Both instances hold the anonymous page in their own cache.
    for (const base of [s.a.baseUrl, s.b.baseUrl]) {
      await get(base);
      const warm = await get(base);
      expect(warm.cache).toBe('hit');
      expect(warm.body).toContain('Còn 2/2 bản');
    }
    // A reader borrows on instance A: the availability on the public page changes.
    const res = await postForm(
      s.a.baseUrl,
      LENDING(s.world.cacheSlug),
      { intent: 'borrow', holdingId: s.world.cacheHoldingId },
      {
        Cookie: s.world.cacheReader,
      },
    );
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
    const t0 = Date.now();
    expect((await get(s.a.baseUrl)).body).toContain('Còn 1/2 bản');
    // Instance B learns of it through PostgreSQL (LISTEN/NOTIFY, a 1 s poll as backstop).
    await waitUntil(async () => (await get(s.b.baseUrl)).body.includes('Còn 1/2 bản'), 10_000, 'instance B drops its stale page');
    s.figures.invalidationMs = Date.now() - t0;
    const again = await get(s.b.baseUrl);
    expect(again.body).toContain('Còn 1/2 bản');
    expect(again.body).not.toContain('Còn 2/2 bản');
    for (let i = 0; i < 4; i++) expect((await get(s.lb)).body).toContain('Còn 1/2 bản');
    console.log(`[scale-out] figures: ${JSON.stringify(s.figures)}`);
  });
});
