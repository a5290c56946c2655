/**
 * Issue #14: the answer saves' latency tail (p99 < 300 ms at 200 entrants) on a scratch contest, as
 * the round page's autosave posts them (the whole form after each answer) from 200 entrants at once,
 * so that a change can be tried in a minute instead of the 500,000-entrant bench.
 *
 *   node --import tsx tests/bench/tools/contest-save-tail.ts [rounds]
 *
 * Seeds tests/.tmp with TAIL_ENTRANTS (default 200) entrants of a 12-question round (TAIL_BULK=N:
 * in a copy of a database also holding another contest with N entrants and N attempts, seeded once),
 * starts the built `server.ts` (production, WEB_CONCURRENCY default 2, jobs on), then runs rounds:
 * in each, every entrant answers its 12 questions in order (the option alternating between rounds,
 * so that every save writes), the first TAIL_WARM (default 3) of each unmeasured. Prints per round
 * saves/s, p50/p90/p99/max, the server's CPU per save, and where the slowest saves (≥ the round's
 * p99) started (100 ms buckets since the round began). With SQLITE_BATCH_TRACE=<file> the server
 * also writes every group-commit batch and GC pause there (db/dialect.ts). A fresh server's saves
 * get cheaper for its first few thousand (round 1 ~1.1 ms of CPU a save, rounds 2+ ~0.45–0.6 at
 * 500,000): the JIT warming up.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { sql } from 'kysely';

import { type DB, openDatabase } from '~/db/connection';
import { addRound } from '~/domain/contests/contests.server';
import { newId } from '~/lib/ids.server';

import { startServer } from '../../browser/setup/global';
import { contestWorld } from '../../helpers/contests';
import { freshSqlite } from '../../helpers/db';
import { seedEntrants, seedSubmittedAttempts } from './contest-seed';
import { treeCpuMs } from './proc-cpu';
import { scratchServerEnv } from './scratch-server-env';

const ROUNDS = Number(process.argv[2] ?? 4);
const ENTRANTS = Number(process.env.TAIL_ENTRANTS ?? 200);
const WARM = Number(process.env.TAIL_WARM ?? 3);
const ROOT = path.resolve(import.meta.dirname, '../../..');

/**
 * TAIL_BULK=N: the database also holds another contest with N registered entrants (new accounts)
 * and a closed round with N submitted attempts — the bench's 500,000-entrant tables, whose size
 * changes what a save costs. Seeded once into tests/.tmp/tail-bulk-N.sqlite and copied per run.
 */
const BULK = Number(process.env.TAIL_BULK ?? 0);
async function scratch(): Promise<{ db: DB; file: string }> {
  if (!BULK) return freshSqlite();
  const template = path.join(ROOT, 'tests/.tmp', `tail-bulk-${BULK}.sqlite`);
  if (!fs.existsSync(template)) {
    const { db, file } = await freshSqlite();
    const w = await contestWorld(db);
    const contestId = (await w.contest({ slug: `bulk-${Date.now()}` })).id;
    await w.bank(contestId, ['a'], 1);
    const opens = Date.now() - 72 * 3_600_000;
    const round = await addRound(db, w.organiser, contestId, {
      title: 'Bulk',
      opensAt: new Date(opens).toISOString(),
      closesAt: new Date(opens + 24 * 3_600_000).toISOString(),
      timeLimitS: 1200,
      quota: (['easy', 'medium', 'hard'] as const).map((difficulty) => ({ topic: null, difficulty, count: 1 })),
    });
    if (!round.ok) throw new Error(round.code);
    const people = Array.from({ length: BULK }, () => newId());
    const entrantIds = await seedEntrants(db, contestId, people, [w.schoolA.id, w.schoolB.id, w.wardA.id], people);
    await seedSubmittedAttempts(db, { roundId: round.value, opensMs: opens, people, entrantIds, questionIds: [], salt: 1 });
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    await db.destroy();
    fs.renameSync(file, template);
    console.log(`seeded ${BULK} entrants and attempts into ${template}`);
  }
  const file = path.join(ROOT, 'tests/.tmp', `tail-${process.pid}.sqlite`);
  fs.copyFileSync(template, file);
  return { db: openDatabase(file), file };
}

const { db, file } = await scratch();
process.env.DATABASE_URL = file;
const { seedSaveWorld } = await import('./contest-save-world');
const world = await seedSaveWorld(db, ENTRANTS);
await db.destroy();

const server = await startServer(scratchServerEnv(file, 2), ROOT);
const { baseUrl, child } = server;

const savePath = `${baseUrl}/contests/${world.slug}/rounds/${world.roundId}/attempt`;
const agent = new http.Agent({ keepAlive: true, maxSockets: ENTRANTS });
function post(cookie: string, body: URLSearchParams): Promise<number> {
  const payload = body.toString();
  return new Promise((resolve, reject) => {
    const req = http.request(savePath, {
      method: 'POST',
      agent,
      headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(payload) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
let failed = 0;
for (let r = 0; r < ROUNDS; r++) {
  const option = String.fromCharCode(97 + (r % 2));
  const samples: Array<{ at: number; ms: number }> = [];
  const begin = performance.now();
  let cpu0 = 0;
  let measuredFrom = 0;
  let warmLeft = ENTRANTS;
  await Promise.all(
    world.people.map(async (p) => {
      for (let k = 0; k < Math.min(12, p.ids.length); k++) {
        if (k === WARM) {
          if (--warmLeft === 0) {
            cpu0 = treeCpuMs(child.pid!) ?? 0;
            measuredFrom = samples.length;
          }
        }
        const body = new URLSearchParams({ attemptId: p.attemptId });
        for (const q of p.ids) body.append(`present.${q}`, '1');
        for (const q of p.ids.slice(0, k + 1)) body.append(`q.${q}`, option);
        const at = performance.now();
        const status = await post(p.cookie, body);
        if (status !== 204) failed++;
        if (k >= WARM) samples.push({ at: at - begin, ms: performance.now() - at });
      }
    }),
  );
  const wall = performance.now() - begin - Math.min(...samples.map((x) => x.at));
  const cpu = (treeCpuMs(child.pid!) ?? 0) - cpu0;
  const s = samples.map((x) => x.ms).sort((a, b) => a - b);
  const p99 = pct(s, 99);
  const slow = new Map<number, number>();
  for (const x of samples) if (x.ms >= p99) slow.set(Math.floor(x.at / 100), (slow.get(Math.floor(x.at / 100)) ?? 0) + 1);
  console.log(
    `round ${r}: ${samples.length} saves, ${Math.round((samples.length * 1000) / wall)}/s, p50 ${Math.round(pct(s, 50))} p90 ${Math.round(pct(s, 90))} ` +
      `p99 ${Math.round(p99)} max ${Math.round(s.at(-1) ?? 0)} ms; server CPU ${(cpu / Math.max(1, samples.length - measuredFrom)).toFixed(2)} ms/save; ` +
      `slowest started at (100 ms buckets): ${[...slow].map(([b, n]) => `${b}:${n}`).join(' ')}`,
  );
}
console.log(`failed: ${failed}`);
await server.stop();
for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-llw-wait`]) fs.rmSync(f, { force: true });
process.exit(0);
