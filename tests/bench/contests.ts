/**
 * Contests (issue #14). Scale with BENCH_CONTEST_ENTRANTS (default 2,000; the full target
 * is 500,000 registered entrants, 3 rounds, 1,000,000 attempts — `BENCH_CONTEST_ENTRANTS=500000
 * npm run bench -- contests` on a machine with the time). Steps:
 *  1. a contest on the bench hierarchy with the demo 60-question bank, 3 rounds (two closed, one
 *     open now) and N registered entrants spread over the units, and one submitted attempt per
 *     entrant in each closed round (2 × N attempts: 1,000,000 at full scale), all bulk-inserted;
 *  2. the opening-minute rush through the domain on the shared database file: BENCH_CONTEST_RUSH
 *     entrants (default 2,000, the figure, at most N − the HTTP entrants) start the open
 *     round at once and submit within its limit — ASSERTS every attempt stored exactly once, all
 *     submitted, every answer kept (throws otherwise);
 *  3. over HTTP at BENCH_CONTEST_CONCURRENCY (default 200) entrants: start, save answers (as the
 *     page's autosave posts them to …/rounds/<id>/attempt: the whole form after each change; each
 *     entrant's 12 answers given warm up, then it changes each answer twice; measured: the saves
 *     while all 200 are changing answers), the server's CPU per save and per submit,
 *     submit — rates, p50/p99, and ASSERTS none lost; then the contest page with live counters and
 *     the unit leaderboard with autocannon, next to the framework floor;
 *  4. publishing a closed round's results over its N attempts (compute the prediction's figure,
 *     rank, propose, confirm): wall time, target < 30 s at 500,000 — ASSERTS every attempt
 *     ranked; then the open round is closed and published (the leaderboard needs it).
 */
import fs from 'node:fs';
import http from 'node:http';
import { performance, PerformanceObserver } from 'node:perf_hooks';

import { sql } from 'kysely';

import { readDemoBank } from '~/db/seed/contests';
import { attemptView, startAttempt, submitAttempt } from '~/domain/contests/attempts.server';
import { addRows } from '~/domain/contests/bank.server';
import { addRound, createContest } from '~/domain/contests/contests.server';
import { publishResults } from '~/domain/contests/results.server';
import { newId, nowIso } from '~/lib/ids.server';

import type { BenchContext, BenchResult } from './run';
import { seedEntrants, seedSubmittedAttempts } from './tools/contest-seed';
import { treeCpuMs } from './tools/proc-cpu';
import { timeStatements } from './tools/sqlite-statements';

const N = Number(process.env.BENCH_CONTEST_ENTRANTS ?? 2_000);
const C = Number(process.env.BENCH_CONTEST_CONCURRENCY ?? 200);
const RUSH = Number(process.env.BENCH_CONTEST_RUSH ?? 2_000);
/**
 * How the HTTP step posts: `http` (default: node:http on a keep-alive agent) or `fetch` (undici).
 * The load generator shares the server's 2 cores; fetch spent 1.0–1.4 ms of CPU a save there, more
 * than the server's own save, so it measured the client as much as the server.
 */
const CLIENT = process.env.BENCH_CONTEST_CLIENT === 'fetch' ? 'fetch' : 'http';

function pct(sorted: number[], p: number): number {
  return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!) : 0;
}
function asResult(latencies: number[], wallMs: number, failures: number): BenchResult {
  const s = latencies.slice().sort((a, b) => a - b);
  return { reqPerSec: (latencies.length * 1000) / wallMs, p50: pct(s, 50), p99: pct(s, 99), non2xx: failures, errors: 0, bytesPerReq: 0 };
}
async function timed<T>(lat: number[], fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await fn();
  } finally {
    lat.push(performance.now() - t);
  }
}
/**
 * Runs `fn` and logs the server's CPU per request over it, and this process's (the load generator
 * sharing the machine's cores: fetch costs about 1 ms of CPU a request, more than a save's server CPU).
 */
async function cpuPer<T>(ctx: BenchContext, what: string, requests: number, fn: () => Promise<T>): Promise<T> {
  const before = treeCpuMs(ctx.serverPid);
  const own = process.cpuUsage();
  const out = await fn();
  const after = treeCpuMs(ctx.serverPid);
  const client = process.cpuUsage(own);
  if (before != null && after != null)
    ctx.log(
      `contests: server CPU per ${what}: ${((after - before) / requests).toFixed(2)} ms (${Math.round(after - before)} ms / ${requests});` +
        ` the bench's own (${CLIENT === 'http' ? 'node:http' : 'fetch'}): ${((client.user + client.system) / 1000 / requests).toFixed(2)} ms`,
    );
  return out;
}
function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(`contests bench: ${message}`);
}

export async function bench(ctx: BenchContext): Promise<void> {
  const { db } = ctx;
  const root = await db.selectFrom('units').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow();
  const organiser = ctx.userIds[0]!;
  await db
    .insertInto('role_grants')
    .values({ id: newId(), user_id: organiser, unit_id: root.id, role: 'organiser', granted_by: null, created_at: nowIso() })
    .onConflict((oc) => oc.columns(['user_id', 'unit_id', 'role']).doNothing())
    .execute();
  const slug = `bench-${newId(6)}`;
  const c = await createContest(db, organiser, {
    unitId: root.id,
    weekYear: null,
    slug,
    title: 'Bench contest',
    rulesMd: '',
    minAge: null,
    maxAge: null,
    maxAttempts: 1,
    predictionKind: 'perfect',
  });
  if (!c.ok) throw new Error(c.code);
  const contestId = c.value.id;
  await addRows(db, contestId, await readDemoBank());
  const quota = (['easy', 'medium', 'hard'] as const).map((difficulty) => ({ topic: null, difficulty, count: 1 }));
  const now = Date.now();
  const rounds: string[] = [];
  for (const [i, [o, cl]] of [
    [-30, -20],
    [-10, -5],
    [-1, 24 * 60],
  ].entries()) {
    const r = await addRound(db, organiser, contestId, {
      title: `Tuần ${i + 1}`,
      opensAt: new Date(now + o * 3_600_000).toISOString(),
      closesAt: new Date(now + cl * 3_600_000).toISOString(),
      timeLimitS: 20 * 60,
      quota,
    });
    if (!r.ok) throw new Error(r.code);
    rounds.push(r.value);
  }
  const open = rounds[2]!;
  // Registered entrants: the bench users first, then extra accounts up to N.
  const units = [...ctx.units.values()];
  const people = ctx.userIds.slice(1, N + 1);
  for (let i = people.length; i < N; i++) people.push(newId());
  const extra = people.slice(ctx.userIds.length - 1);
  let t = performance.now();
  const entrantIds = await seedEntrants(db, contestId, people, units, extra);
  // The closed rounds: one submitted attempt per entrant each.
  const questionIds = (
    await db.selectFrom('contest_questions').select('question_id').where('contest_id', '=', contestId).limit(3).execute()
  ).map((q) => q.question_id);
  for (const [ri, roundId] of rounds.slice(0, 2).entries())
    await seedSubmittedAttempts(db, {
      roundId,
      opensMs: now + (ri === 0 ? -30 : -10) * 3_600_000,
      people,
      entrantIds,
      questionIds,
      salt: ri,
    });
  ctx.log(
    `contests: ${people.length} entrants registered, 60 questions, 3 rounds, ${2 * people.length} submitted attempts in the closed rounds ` +
      `(seeded in ${Math.round(performance.now() - t)} ms)`,
  );
  ctx.log(`contests: the seed checkpointed and flushed to disk in ${Math.round(await ctx.settle())} ms`);

  // 2. The rush through the domain: RUSH entrants start at once, then every one of them submits.
  const rushUsers = people.slice(C, C + RUSH); // the first C are kept for the HTTP part
  const startLat: number[] = [];
  t = performance.now();
  const started = await Promise.all(rushUsers.map((u) => timed(startLat, () => startAttempt(db, open, u))));
  const startWall = performance.now() - t;
  assert(
    started.every((s) => s.ok),
    `${started.filter((s) => !s.ok).length} starts refused`,
  );
  ctx.report(`contest rush: ${rushUsers.length} starts at once (domain)`, asResult(startLat, startWall, 0));
  const submitLat: number[] = [];
  t = performance.now();
  await Promise.all(
    rushUsers.map(async (u, i) => {
      const s = started[i]!;
      if (!s.ok) return;
      const v = (await attemptView(db, s.value.attemptId, u))!;
      const responses = new Map(v.questions.map((q) => [q.id, q.options[0]?.id ?? 'true']));
      await timed(submitLat, () => submitAttempt(db, s.value.attemptId, u, { responses, prediction: i % 50 }));
    }),
  );
  const submitWall = performance.now() - t;
  ctx.report(`contest rush: ${rushUsers.length} submits (domain)`, asResult(submitLat, submitWall, 0));
  const stored = await db
    .selectFrom('contest_attempts')
    .select([
      sql<number>`count(*)`.as('n'),
      sql<number>`count(distinct user_id)`.as('u'),
      sql<number>`sum(case when status = 'submitted' then 1 else 0 end)`.as('s'),
    ])
    .where('round_id', '=', open)
    .executeTakeFirstOrThrow();
  assert(
    Number(stored.n) === rushUsers.length && Number(stored.u) === rushUsers.length && Number(stored.s) === rushUsers.length,
    `rush stored ${JSON.stringify(stored)} for ${rushUsers.length}`,
  );
  const answers = await db
    .selectFrom('contest_answers as a')
    .innerJoin('contest_attempts as t', 't.id', 'a.attempt_id')
    .select(sql<number>`count(*)`.as('n'))
    .where('t.round_id', '=', open)
    .executeTakeFirstOrThrow();
  assert(Number(answers.n) === rushUsers.length * 12, `answers stored ${answers.n}, expected ${rushUsers.length * 12}`);
  ctx.log(`contests: rush OK — ${rushUsers.length} attempts stored exactly once, ${answers.n} answers`);

  // 3. Over HTTP: C entrants at once start, save three times, submit.
  const httpUsers = people.slice(0, C);
  const cookies = await Promise.all(httpUsers.map((u) => ctx.cookieFor(u)));
  const roundPath = `${ctx.baseUrl}/contests/${slug}/rounds/${open}`;
  // The page's autosave posts the answer form to the round's own save route (204 when saved:
  // app/routes/contests.$slug.rounds.$roundId.attempt.ts); nothing is reloaded after it.
  const savePath = `${roundPath}/attempt`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: C });
  const post = async (cookie: string, body: URLSearchParams, to = roundPath): Promise<{ status: number }> => {
    const headers = { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' };
    if (CLIENT === 'fetch') {
      const r = await fetch(to, { method: 'POST', headers, body, redirect: 'manual' });
      await r.arrayBuffer();
      return r;
    }
    const payload = body.toString();
    return new Promise((resolve, reject) => {
      const req = http.request(to, { method: 'POST', agent, headers: { ...headers, 'Content-Length': Buffer.byteLength(payload) } });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode! }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  };
  let bad = 0;
  const httpStart: number[] = [];
  t = performance.now();
  await Promise.all(
    cookies.map((cookie) =>
      timed(httpStart, async () => ((await post(cookie, new URLSearchParams({ intent: 'start' }))).status >= 400 ? bad++ : 0)),
    ),
  );
  ctx.report(`POST start a round (${C} at once)`, asResult(httpStart, performance.now() - t, bad));
  const attempts = await db
    .selectFrom('contest_attempts')
    .select(['id', 'user_id', 'question_ids_json'])
    .where('round_id', '=', open)
    .where('user_id', 'in', httpUsers)
    .execute();
  assert(attempts.length === C, `HTTP starts stored ${attempts.length} of ${C}`);
  const byUser = new Map(attempts.map((a) => [a.user_id, a]));
  // Saves as the round page posts them (useAnswerAutosave): after each answer, the whole form —
  // the attempt, every question's `present.<id>` and the answers given so far. Every entrant answers
  // its 12 questions in order (option b), one save each: the warm-up, logged, not reported — a
  // fresh worker's first few hundred saves run unoptimised code at ~4 ms of CPU each and it takes a
  // few thousand to reach its steady ~0.5 ms (tests/bench/tools/contest-save-tail.ts, round by
  // round), as every autocannon row here is measured after 2 s at full rate (~3,000–5,000 requests).
  // Then, straight on without waiting for the others as people answering do, it changes its 12
  // answers one by one, twice (to a, then back to b), the whole form (all 12 answered) after each.
  // Measured: the saves made while all 200 entrants were changing answers — from the moment the
  // last one ended its warm-up to the moment the first one made its last change — 200 entrants in
  // flight throughout, none still warming up, none gone. Every change's save (both passes, the
  // window's ends included) is logged too. (Lining the 200 up after the warm-up, as this bench did, sent 200 saves at one
  // instant: the last of that burst waited for the whole queue, 300–395 ms, the p99 of runs
  // otherwise at p50 ~130 ms; and a window opened by the first entrant to end its warm-up mixed the
  // others' slower warm-up into it — p99 177–365 ms over four runs. The round's start, every entrant
  // at once, is the start row above.) The server's CPU is read at both ends of the window.
  /** Every change's save (both passes): start (ms, this process's clock), latency, entrant, for BENCH_CONTEST_SAVE_TRACE. */
  const traceSaves: Array<{ at: number; ms: number; entrant: number }> = [];
  const warmLat: number[] = [];
  const passLat: number[] = [];
  let warming = C;
  type Mark = { at: number; cpu: number | null; own: NodeJS.CpuUsage };
  const mark = (): Mark => ({ at: performance.now(), cpu: treeCpuMs(ctx.serverPid), own: process.cpuUsage() });
  let allIn: Mark | null = null;
  let firstOut: Mark | null = null;
  // This process's own garbage-collection pauses while it measures: a pause holds back every
  // response it has received, so the client's latency counts it (the bench's heap holds the
  // seeded world).
  const gcPauses: number[] = [];
  const gc = new PerformanceObserver((list) => void gcPauses.push(...list.getEntries().map((e) => e.duration)));
  gc.observe({ entryTypes: ['gc'] });
  bad = 0;
  t = performance.now();
  await Promise.all(
    httpUsers.map(async (u, i) => {
      const ids: string[] = JSON.parse(byUser.get(u)!.question_ids_json);
      const n = Math.min(12, ids.length);
      for (let k = 0; k < 3 * n; k++) {
        if (k === n && --warming === 0) allIn = mark();
        const pass = Math.floor(k / n);
        const m = k % n;
        const body = new URLSearchParams({ attemptId: byUser.get(u)!.id });
        for (const q of ids) body.append(`present.${q}`, '1');
        // Pass 0: answers 0..m given (b). Pass 1: all given, 0..m changed to a. Pass 2: 0..m back to b.
        ids.slice(0, pass === 0 ? m + 1 : n).forEach((q, j) => body.append(`q.${q}`, (pass === 1) === j <= m ? 'a' : 'b'));
        const at = performance.now();
        const r = await post(cookies[i]!, body, savePath);
        if (r.status !== 204) bad++;
        const ms = performance.now() - at;
        (k < n ? warmLat : passLat).push(ms);
        if (k >= n) traceSaves.push({ at, ms, entrant: i });
      }
      firstOut ??= mark();
    }),
  );
  gc.disconnect();
  const warm = asResult(warmLat, 1, 0);
  ctx.log(`contests: warm-up, each entrant's answers given: p50 ${warm.p50} ms, p99 ${warm.p99} ms (${warmLat.length} saves)`);
  const whole = asResult(passLat, 1, 0);
  ctx.log(
    `contests: every change (both passes, from each entrant's end of warm-up): p50 ${whole.p50} ms, p99 ${whole.p99} ms (${passLat.length} saves)`,
  );
  const a = allIn as Mark | null;
  const b = firstOut as Mark | null;
  if (!a || !b || b.at <= a.at) throw new Error('contests bench: no moment with every entrant changing answers');
  const inWindow = traceSaves.filter((x) => x.at >= a.at && x.at + x.ms <= b.at);
  const saveLat = inWindow.map((x) => x.ms);
  if (a.cpu != null && b.cpu != null) {
    const client = (b.own.user + b.own.system - a.own.user - a.own.system) / 1000;
    ctx.log(
      `contests: server CPU per save: ${((b.cpu - a.cpu) / inWindow.length).toFixed(2)} ms (${Math.round(b.cpu - a.cpu)} ms / ${inWindow.length} saves ` +
        `in the ${Math.round(b.at - a.at)} ms with all ${C} entrants changing answers); the bench's own (node:http): ${(client / inWindow.length).toFixed(2)} ms`,
    );
  }
  ctx.log(
    `contests: the bench's own GC during the saves: ${gcPauses.length} pauses, ${Math.round(gcPauses.reduce((a, b) => a + b, 0))} ms in all, the longest ${Math.round(Math.max(0, ...gcPauses))} ms`,
  );
  if (process.env.BENCH_CONTEST_SAVE_TRACE) {
    fs.writeFileSync(
      process.env.BENCH_CONTEST_SAVE_TRACE,
      traceSaves.map((x) => `${(performance.timeOrigin + x.at).toFixed(1)} ${x.ms.toFixed(1)} ${x.entrant}`).join('\n') + '\n',
    );
    ctx.log(
      `contests: every change's save (start ms since the epoch, latency ms, entrant) written to ${process.env.BENCH_CONTEST_SAVE_TRACE}`,
    );
  }
  ctx.report(`POST save answers, whole form (${C} entrants changing answers)`, asResult(saveLat, b.at - a.at, bad));
  const subLat: number[] = [];
  bad = 0;
  t = performance.now();
  await cpuPer(ctx, 'submit', C, () =>
    Promise.all(
      httpUsers.map((u, i) =>
        timed(subLat, async () => {
          const r = await post(cookies[i]!, new URLSearchParams({ intent: 'submit', attemptId: byUser.get(u)!.id, prediction: '7' }));
          if (r.status !== 302 && r.status !== 204) bad++;
        }),
      ),
    ),
  );
  ctx.report(`POST submit (${C} at once)`, asResult(subLat, performance.now() - t, bad));
  const httpStored = await db
    .selectFrom('contest_attempts')
    .select(['status', 'prediction'])
    .where('round_id', '=', open)
    .where('user_id', 'in', httpUsers)
    .execute();
  assert(
    httpStored.length === C && httpStored.every((a) => a.status === 'submitted' && a.prediction === 7),
    'HTTP submits lost or duplicated',
  );
  const httpAnswers = await db
    .selectFrom('contest_answers')
    .select(sql<number>`count(*)`.as('n'))
    .where(
      'attempt_id',
      'in',
      attempts.map((a) => a.id),
    )
    .executeTakeFirstOrThrow();
  assert(Number(httpAnswers.n) === C * 12, `HTTP answers stored ${httpAnswers.n}, expected ${C * 12}`);
  ctx.log(`contests: HTTP OK — ${C} attempts submitted once each, ${httpAnswers.n} answers kept`);

  // The contest page while the round is open (kept in the page cache; its script polls the counters).
  ctx.report(`GET /contests/<slug> (live counters, ${people.length} entrants)`, await ctx.autocannon(`/contests/${slug}`), 'cached');
  ctx.report(`GET /contests/<slug>/counters (polled by the page)`, await ctx.autocannon(`/contests/${slug}/counters`));
  // 4. Publishing a closed round over its N attempts (the "< 30 s over 500,000 attempts").
  // BENCH_PUBLISH_STATS=1: the wall time of every SQLite statement publishing runs, slowest first.
  let publishing = true;
  const publishStats = process.env.BENCH_PUBLISH_STATS === '1' ? timeStatements(() => publishing) : null;
  t = performance.now();
  const closed = await publishResults(db, organiser, rounds[0]!);
  const closedMs = performance.now() - t;
  publishing = false;
  for (const [q, st] of [...(publishStats ?? [])].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12))
    ctx.log(`  ${st.ms.toFixed(0).padStart(6)} ms ${String(st.calls).padStart(6)}× ${q.replace(/\s+/g, ' ').slice(0, 240)}`);
  assert(
    closed.ok && closed.value.ranked === people.length,
    `publish of a closed round ranked ${closed.ok ? closed.value.ranked : closed.code}`,
  );
  ctx.log(`contests: publishing a round over ${people.length} attempts took ${Math.round(closedMs)} ms (target < 30,000 ms at 500,000)`);
  // The open round (results must exist for the leaderboard): close it now, then compute and confirm.
  await db
    .updateTable('contest_rounds')
    .set({ closes_at: new Date(Date.now() - 1000).toISOString() })
    .where('id', '=', open)
    .execute();
  t = performance.now();
  const pub = await publishResults(db, organiser, open);
  const pubMs = performance.now() - t;
  const taken = rushUsers.length + httpUsers.length;
  assert(pub.ok && pub.value.ranked === taken, `publish ranked ${pub.ok ? pub.value.ranked : pub.code}, expected ${taken}`);
  ctx.log(`contests: publishing the open round's ${taken} attempts took ${Math.round(pubMs)} ms`);
  ctx.report('GET /contests/<slug>/leaderboard', await ctx.autocannon(`/contests/${slug}/leaderboard`));
}
