/**
 * In-process measure of publishing a quiz round and the live counters (issue #14), without the
 * server: `BENCH_QUIZ_ENTRANTS=50000 node --import tsx [--cpu-prof] tests/bench/quiz-publish-profile.ts`.
 * Seeds a contest with N entrants and one submitted attempt each in a scratch SQLite file
 * (tests/.tmp), then times publishResults and a cold liveCounters call. `PUBLISH_STATS=1` prints
 * the wall time of every SQLite statement publishing ran (tools/sqlite-statements.ts), slowest first.
 */
import { performance } from 'node:perf_hooks';

import { sql } from 'kysely';

import { writeTransaction } from '~/db/dialect';
import { addPrize, addRound } from '~/domain/contests/contests.server';
import { liveCounters, publishResults } from '~/domain/contests/results.server';
import { newId, nowIso } from '~/lib/ids.server';

import { contestWorld } from '../helpers/contests';
import { freshSqlite } from '../helpers/db';
import { type StatementStats, timeStatements } from './tools/sqlite-statements';

let counting = false;
const stats: StatementStats = process.env.PUBLISH_STATS === '1' ? timeStatements(() => counting) : new Map();

const N = Number(process.env.BENCH_QUIZ_ENTRANTS ?? 50_000);
const { db, cleanup } = await freshSqlite();
const w = await contestWorld(db);
const contestId = (await w.contest()).id;
await w.bank(contestId, ['a'], 3);
const quota = (['easy', 'medium', 'hard'] as const).map((difficulty) => ({ topic: null, difficulty, count: 1 }));
const now = Date.now();
const rounds: string[] = [];
for (const [o, cl] of [
  [-72, -48],
  [-1, 24],
]) {
  const r = await addRound(db, w.organiser, contestId, {
    title: `R${o}`,
    opensAt: new Date(now + o * 3_600_000).toISOString(),
    closesAt: new Date(now + cl * 3_600_000).toISOString(),
    timeLimitS: 1200,
    quota,
  });
  if (!r.ok) throw new Error(r.code);
  rounds.push(r.value);
}
await addPrize(db, w.organiser, contestId, { roundId: rounds[0]!, label: 'Nhất', rankFrom: 1, rankTo: 3, points: 10 });
await addPrize(db, w.organiser, contestId, {
  roundId: rounds[0]!,
  label: 'Đông',
  rankFrom: 1,
  rankTo: 2,
  points: 0,
  basis: 'entrants',
  unitDepth: 1,
});
const units = [w.schoolA.id, w.schoolB.id, w.wardA.id];
const ids = Array.from({ length: N }, () => ({ user: newId(), entrant: newId() }));
let t = performance.now();
for (let s = 0; s < N; s += 25_000)
  await writeTransaction(db, async (trx) => {
    for (let i = s; i < Math.min(s + 25_000, N); i += 500) {
      const slice = ids.slice(i, Math.min(i + 500, N));
      await trx
        .insertInto('users')
        .values(
          slice.map((p) => ({
            id: p.user,
            email: `${p.user}@x.vn`,
            password_hash: '!',
            display_name: 'T',
            birth_year: 1990,
            home_unit_id: null,
            locale: 'vi' as const,
            created_at: nowIso(),
          })),
        )
        .execute();
      await trx
        .insertInto('contest_entrants')
        .values(
          slice.map((p, k) => ({
            id: p.entrant,
            contest_id: contestId,
            user_id: p.user,
            full_name: `T ${i + k}`,
            birth_year: 1990,
            unit_id: units[(i + k) % 3]!,
            phone: null,
            registered_at: nowIso(),
          })),
        )
        .execute();
      for (const [ri, roundId] of rounds.entries())
        await trx
          .insertInto('contest_attempts')
          .values(
            slice.map((p, k) => {
              const n = i + k;
              const started = now - (ri === 0 ? 72 : 1) * 3_600_000 + (n % 3600) * 1000;
              const duration = 60_000 + ((n * 7919) % 1_000_000);
              return {
                id: newId(),
                round_id: roundId,
                entrant_id: p.entrant,
                user_id: p.user,
                attempt_no: 1,
                seed: 's',
                question_ids_json: '[]',
                status: 'submitted' as const,
                started_at: new Date(started).toISOString(),
                deadline_at: new Date(started + 1_200_000).toISOString(),
                submitted_at: new Date(started + duration).toISOString(),
                duration_ms: duration,
                score: (n * 31) % 13,
                max_score: 12,
                prediction: (n * 17) % 5000,
                answers_sig: null,
                disqualified_at: null,
                disqualified_reason: null,
              };
            }),
          )
          .execute();
    }
  });
console.log(`seeded ${N} entrants, ${2 * N} attempts in ${Math.round(performance.now() - t)} ms`);
t = performance.now();
counting = true;
const pub = await publishResults(db, w.organiser, rounds[0]!);
counting = false;
if (!pub.ok || pub.value.ranked !== N) throw new Error(`publish: ${JSON.stringify(pub)}`);
console.log(`publishResults over ${N} attempts: ${Math.round(performance.now() - t)} ms`);
for (const [q, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15))
  console.log(`${s.ms.toFixed(0).padStart(7)} ms ${String(s.calls).padStart(6)}× ${q.replace(/\s+/g, ' ').slice(0, 300)}`);
// PUBLISH_AGAIN="<pragma>;<pragma>|<pragma>": publishes the round again once per group, with those
// pragmas set first (e.g. "cache_size=-65536;temp_store=MEMORY|cache_size=-2000;temp_store=DEFAULT").
for (const group of (process.env.PUBLISH_AGAIN ?? '').split('|').filter(Boolean)) {
  for (const p of group.split(';')) await sql.raw(`PRAGMA ${p}`).execute(db);
  stats.clear();
  t = performance.now();
  counting = true;
  const again = await publishResults(db, w.organiser, rounds[0]!);
  counting = false;
  if (!again.ok) throw new Error('publish again');
  console.log(`again with ${group}: ${Math.round(performance.now() - t)} ms`);
  for (const [q, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 5))
    console.log(`${s.ms.toFixed(0).padStart(7)} ms ${String(s.calls).padStart(6)}× ${q.replace(/\s+/g, ' ').slice(0, 120)}`);
}
t = performance.now();
const lc = await liveCounters(db, rounds[1]!);
console.log(`liveCounters (cold) over ${N} attempts: ${Math.round(performance.now() - t)} ms (${lc.entrants} entrants)`);
await cleanup();
