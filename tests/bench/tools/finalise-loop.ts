/**
 * Issue #14: closing the attempts left open when a round closes (`finaliseExpired`, run first by
 * publishing), in process on a scratch SQLite file (tests/.tmp):
 *
 *   node --import tsx tests/bench/tools/finalise-loop.ts [open attempts, default 2000]
 *
 * Seeds a contest whose round closed an hour ago with N registered entrants, each with an attempt
 * left open past its deadline + grace (bulk-inserted), then times `finaliseExpired` and checks every
 * attempt submitted. Run from an older checkout too (copy this file there) to compare the code.
 */
import { performance } from 'node:perf_hooks';

import { writeTransaction } from '~/db/dialect';
import { finaliseExpired } from '~/domain/contests/attempts.server';
import { addRound } from '~/domain/contests/contests.server';
import { newId, nowIso } from '~/lib/ids.server';

import { contestWorld } from '../../helpers/contests';
import { freshSqlite } from '../../helpers/db';

const N = Number(process.argv[2] ?? 2000);
const { db, cleanup } = await freshSqlite();
const w = await contestWorld(db);
const contestId = (await w.contest()).id;
await w.bank(contestId, ['a'], 3);
const now = Date.now();
const r = await addRound(db, w.organiser, contestId, {
  title: 'R',
  opensAt: new Date(now - 48 * 3_600_000).toISOString(),
  closesAt: new Date(now - 3_600_000).toISOString(),
  timeLimitS: 1200,
  quota: (['easy', 'medium', 'hard'] as const).map((difficulty) => ({ topic: null, difficulty, count: 1 })),
});
if (!r.ok) throw new Error(r.code);
const roundId = r.value;
const ids = Array.from({ length: N }, () => ({ user: newId(), entrant: newId() }));
await writeTransaction(db, async (trx) => {
  for (let i = 0; i < N; i += 500) {
    const slice = ids.slice(i, i + 500);
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
          unit_id: w.schoolA.id,
          phone: null,
          registered_at: nowIso(),
        })),
      )
      .execute();
    await trx
      .insertInto('contest_attempts')
      .values(
        slice.map((p) => ({
          id: newId(),
          round_id: roundId,
          entrant_id: p.entrant,
          user_id: p.user,
          attempt_no: 1,
          seed: 's',
          question_ids_json: '[]',
          status: 'in_progress' as const,
          started_at: new Date(now - 30 * 3_600_000).toISOString(),
          deadline_at: new Date(now - 30 * 3_600_000 + 1_200_000).toISOString(),
          submitted_at: null,
          duration_ms: null,
          score: null,
          max_score: null,
          prediction: null,
          answers_sig: null,
          disqualified_at: null,
          disqualified_reason: null,
        })),
      )
      .execute();
  }
});
const t = performance.now();
const c0 = process.cpuUsage();
const n = await finaliseExpired(db, roundId);
const c = process.cpuUsage(c0);
const ms = performance.now() - t;
const open = await db
  .selectFrom('contest_attempts')
  .select('id')
  .where('round_id', '=', roundId)
  .where('status', '=', 'in_progress')
  .execute();
console.log(
  `finaliseExpired: ${n} open attempts closed in ${Math.round(ms)} ms wall, ${Math.round((c.user + c.system) / 1000)} ms CPU; still open: ${open.length}`,
);
await cleanup();
process.exit(open.length ? 1 : 0);
