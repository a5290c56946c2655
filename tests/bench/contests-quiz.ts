/**
 * Quiz contests at the scale (issue #14): a contest with BENCH_QUIZ_ENTRANTS registered
 * entrants (default 2,000; the target is 500,000 — `BENCH_QUIZ_ENTRANTS=500000 npm run bench
 * -- contests-quiz` on a machine with the time) and 3 rounds, two of them closed with one submitted
 * attempt per entrant each (2 × N attempts: 1,000,000 at full scale), bulk-inserted. Measures:
 *  1. publishing a closed round's results over N attempts (compute, rank, propose, confirm): wall
 *     time (target < 30 s at 500,000);
 *  2. the contest-wide prizes over both rounds (overall ranking of N entrants, unit prizes): wall time;
 *  3. the public pages with autocannon, next to the framework floor: the contest page while the
 *     third round is open (live counters), then — the third round closed and published — the unit
 *     leaderboard, a round's results and the contest-wide results (target ≥ 50 % of the floor).
 * Starting, saving and submitting under load are measured by tests/bench/contests.ts.
 */
import { performance } from 'node:perf_hooks';

import { readDemoBank } from '~/db/seed/contests';
import { addRows } from '~/domain/contests/bank.server';
import { addPrize, addRound, createContest } from '~/domain/contests/contests.server';
import { confirmOverall, proposeOverall } from '~/domain/contests/overall.server';
import { publishResults } from '~/domain/contests/results.server';
import { newId, nowIso } from '~/lib/ids.server';

import type { BenchContext } from './run';
import { seedEntrants, seedSubmittedAttempts } from './tools/contest-seed';

const N = Number(process.env.BENCH_QUIZ_ENTRANTS ?? 2_000);

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(`contests-quiz bench: ${message}`);
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
  const slug = `bench-quiz-${newId(6)}`;
  const c = await createContest(db, organiser, {
    unitId: root.id,
    weekYear: null,
    slug,
    title: 'Bench quiz contest',
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
  const questionIds = (
    await db.selectFrom('contest_questions').select('question_id').where('contest_id', '=', contestId).limit(12).execute()
  ).map((q) => q.question_id);
  const now = Date.now();
  const rounds: string[] = [];
  for (const [i, [o, cl]] of [
    [-72, -48],
    [-40, -20],
    [-1, 24],
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
  for (const [label, from, to] of [
    ['Giải Nhất', 1, 1],
    ['Giải Nhì', 2, 3],
    ['Giải Ba', 4, 10],
  ] as const) {
    await addPrize(db, organiser, contestId, { roundId: rounds[0]!, label, rankFrom: from, rankTo: to, points: 10 });
    await addPrize(db, organiser, contestId, { roundId: rounds[1]!, label, rankFrom: from, rankTo: to, points: 10 });
    await addPrize(db, organiser, contestId, { roundId: null, label: `${label} toàn cuộc`, rankFrom: from, rankTo: to, points: 0 });
  }
  await addPrize(db, organiser, contestId, {
    roundId: null,
    label: 'Đông nhất',
    rankFrom: 1,
    rankTo: 3,
    points: 0,
    basis: 'entrants',
    unitDepth: 1,
  });
  // Each closed round's own unit prize ("giải tập thể" per round), decided when its results are published.
  for (const roundId of rounds.slice(0, 2))
    await addPrize(db, organiser, contestId, {
      roundId,
      label: 'Đông nhất tuần',
      rankFrom: 1,
      rankTo: 3,
      points: 0,
      basis: 'entrants',
      unitDepth: 1,
    });

  // Entrants: the bench users first, then extra accounts up to N, spread over the units.
  const units = [...ctx.units.values()];
  const people = ctx.userIds.slice(1, N + 1);
  for (let i = people.length; i < N; i++) people.push(newId());
  const extra = people.slice(ctx.userIds.length - 1);
  let t = performance.now();
  const entrantIds = await seedEntrants(db, contestId, people, units, extra);
  // Two closed rounds with one submitted attempt per entrant (scores, predictions and times spread).
  for (const [ri, roundId] of rounds.slice(0, 2).entries())
    await seedSubmittedAttempts(db, {
      roundId,
      opensMs: now + (ri === 0 ? -72 : -40) * 3_600_000,
      people,
      entrantIds,
      questionIds,
      salt: ri,
    });
  const seededMs = performance.now() - t;
  ctx.log(
    `contests-quiz: ${people.length} entrants, ${2 * people.length} attempts inserted in ${Math.round(seededMs)} ms ` +
      `(${Math.round(((extra.length + 3 * people.length) * 1000) / seededMs)} rows/s)`,
  );

  // 1. Publishing each closed round over N attempts.
  for (const roundId of rounds.slice(0, 2)) {
    t = performance.now();
    const pub = await publishResults(db, organiser, roundId);
    const ms = performance.now() - t;
    assert(pub.ok && pub.value.ranked === people.length, `publish ranked ${pub.ok ? pub.value.ranked : pub.code}`);
    ctx.log(`contests-quiz: publishing a round over ${people.length} attempts took ${Math.round(ms)} ms (target < 30,000 ms at 500,000)`);
  }
  // The contest page while round 3 is open (live counters), then round 3 closes (no attempts) and is published.
  ctx.report(`GET /contests/<slug> (live counters, ${people.length})`, await ctx.autocannon(`/contests/${slug}`), 'cached');
  await db
    .updateTable('contest_rounds')
    .set({ closes_at: new Date(Date.now() - 1000).toISOString() })
    .where('id', '=', rounds[2]!)
    .execute();
  assert((await publishResults(db, organiser, rounds[2]!)).ok, 'round 3 not published');
  // 2. Contest-wide prizes over the rounds (every quiz round's results must be published first).
  t = performance.now();
  const prop = await proposeOverall(db, organiser, contestId);
  assert(prop.ok && prop.value.ranked === people.length, `overall ranked ${prop.ok ? prop.value.ranked : prop.code}`);
  const conf = await confirmOverall(db, organiser, contestId);
  assert(conf.ok, 'overall not confirmed');
  ctx.log(`contests-quiz: contest-wide prizes over ${2 * people.length} round results took ${Math.round(performance.now() - t)} ms`);

  // 3. Public pages next to the floor (anonymous: the page cache answers what it may).
  ctx.report(
    `GET /contests/<slug>/leaderboard (${people.length} entrants)`,
    await ctx.autocannon(`/contests/${slug}/leaderboard`),
    'cached',
  );
  ctx.report(
    `GET /contests/<slug>/rounds/<id>/results (${people.length})`,
    await ctx.autocannon(`/contests/${slug}/rounds/${rounds[0]}/results`),
    'cached',
  );
  ctx.report(`GET /contests/<slug>/results (contest-wide, ${people.length})`, await ctx.autocannon(`/contests/${slug}/results`), 'cached');
  // A signed-in entrant sees their own rank and why.
  const cookie = await ctx.cookieFor(people[Math.floor(people.length / 2)]!);
  ctx.report(
    'GET /contests/<slug>/results (signed-in entrant: own rank)',
    await ctx.autocannon({ path: `/contests/${slug}/results`, headers: { Cookie: cookie } }),
    'signed-in',
  );
}
