/**
 * Submission rounds of contests (issue #15): `npm run bench -- contest-entries`. The scale is a
 * parameter; the defaults are small so a shared machine can run it, the full target is
 * BENCH_ENTRIES=100000 BENCH_JUDGES=200 BENCH_VOTES=1000000.
 *  - BENCH_ENTRIES (default 2,000): approved entries of one read-aloud round, bulk-inserted, each
 *    from its own registered entrant spread over the bench units;
 *  - BENCH_JUDGES (default 20): judges with affiliations across the units (so conflicts from the
 *    unit tree apply), 2 judges per entry;
 *  - BENCH_VOTES (default 20,000): public votes in the round; BENCH_VOTE_LIVE (default 2,000) of
 *    them are cast through the domain's `castVote` (window, account age, rate limits, burst check,
 *    the unique constraint) at BENCH_VOTE_CONCURRENCY (default 200) at once — votes/s, and ASSERTS
 *    every accepted vote is stored exactly once and none is lost; the rest are bulk-inserted so the
 *    gallery counts at scale;
 *  - assignment of every entry to judges (`assignJudges`): wall time (issue target < 30 s at 100,000);
 *  - the gallery page (anonymous, from the page cache; a signed-in voter's, first and deep page) and
 *    a judge's queue page (signed in, paged) with autocannon, next to the framework floor.
 * HTTP votes are not measured here: every bench request comes from 127.0.0.1, which the per-address
 * vote limit (30 a minute) rightly refuses after the first few.
 */
import { performance } from 'node:perf_hooks';

import { sql } from 'kysely';

import { createContest } from '~/domain/contests/contests.server';
import { addSubmissionRound } from '~/domain/contests/entries.server';
import { assignJudges, setRubric } from '~/domain/contests/jury.server';
import { castVote } from '~/domain/contests/votes.server';
import { newId, nowIso } from '~/lib/ids.server';

import type { BenchContext, BenchResult } from './run';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 2_000);
const JUDGES = Number(process.env.BENCH_JUDGES ?? 20);
const VOTES = Number(process.env.BENCH_VOTES ?? 20_000);
const LIVE = Math.min(VOTES, Number(process.env.BENCH_VOTE_LIVE ?? 2_000));
const CONC = Number(process.env.BENCH_VOTE_CONCURRENCY ?? 200);
const BATCH = 500;

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(`contest-entries bench: ${message}`);
}
function pct(sorted: number[], p: number): number {
  return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!) : 0;
}

type SeedContext = Pick<BenchContext, 'db' | 'units' | 'userIds' | 'log'>;

/** `n` accounts created now (before the voting window opens), in batches. */
async function makeUsers(ctx: SeedContext, n: number, label: string): Promise<string[]> {
  const ids = Array.from({ length: n }, () => newId());
  const created = nowIso();
  for (let i = 0; i < ids.length; i += BATCH)
    await ctx.db
      .insertInto('users')
      .values(
        ids.slice(i, i + BATCH).map((id) => ({
          id,
          email: `${id}@bench.vn`,
          password_hash: '!',
          display_name: label,
          birth_year: 1990,
          home_unit_id: null,
          locale: 'vi' as const,
          created_at: created,
        })),
      )
      .execute();
  return ids;
}

/**
 * The round at scale, without votes: a read-aloud contest, ENTRIES approved entries of registered
 * entrants spread over the bench units, JUDGES judges, the voters' accounts (created before the
 * voting window opens) and a rubric. Shared with tools/entries-scale.ts (an in-process profile DB).
 */
export async function seedRound(ctx: SeedContext) {
  const { db } = ctx;
  const root = await db.selectFrom('units').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow();
  const organiser = ctx.userIds[0]!;
  await db
    .insertInto('role_grants')
    .values({ id: newId(), user_id: organiser, unit_id: root.id, role: 'organiser', granted_by: null, created_at: nowIso() })
    .onConflict((oc) => oc.columns(['user_id', 'unit_id', 'role']).doNothing())
    .execute();
  const slug = `bench-readaloud-${newId(6)}`;
  const c = await createContest(db, organiser, {
    unitId: root.id,
    weekYear: null,
    slug,
    title: 'Bench: Giọng đọc hay',
    rulesMd: '',
    minAge: null,
    maxAge: null,
    maxAttempts: 1,
    predictionKind: 'perfect',
  });
  if (!c.ok) throw new Error(c.code);
  const contestId = c.value.id;

  // Accounts first (entrants, judges, voters), so the voting window opens after they exist.
  const t = performance.now();
  const entrants = await makeUsers(ctx, ENTRIES, 'Thí sinh');
  const judges = await makeUsers(ctx, JUDGES, 'Giám khảo');
  // Enough voters for every vote to be a distinct (voter, entry) pair: at most 100 votes each.
  const voterCount = Math.max(LIVE, Math.ceil(VOTES / Math.min(ENTRIES, 100)));
  const voters = await makeUsers(ctx, voterCount, 'Cử tri');
  const now = Date.now();
  const r = await addSubmissionRound(db, organiser, contestId, {
    title: 'Vòng trường',
    opensAt: new Date(now - 10 * 86_400_000).toISOString(),
    closesAt: new Date(now - 86_400_000).toISOString(),
    entryKind: 'audio',
    passageTitle: 'Sách là người bạn hiền',
    passageText: 'Sách là người bạn hiền.',
    minSeconds: 5,
    maxSeconds: 180,
    stageLevel: 'school',
    advanceCount: 3,
    judgesPerEntry: 2,
    gallery: true,
    voting: true,
    voteOpensAt: new Date(now + 1).toISOString(),
    voteClosesAt: new Date(now + 86_400_000).toISOString(),
    burstThreshold: 1_000_000,
  });
  if (!r.ok) throw new Error(r.code);
  const roundId = r.value;
  const rubric = await setRubric(db, organiser, roundId, [
    { label: 'Phát âm', description: '', weight: 2, maxPoints: 10, levels: [] },
    { label: 'Diễn cảm', description: '', weight: 1, maxPoints: 10, levels: [] },
  ]);
  if (!rubric.ok) throw new Error(rubric.code);

  const units = [...ctx.units.values()];
  const entryIds: string[] = [];
  for (let i = 0; i < entrants.length; i += BATCH) {
    const part = entrants.slice(i, i + BATCH).map((userId, k) => ({
      entrantId: newId(),
      entryId: newId(),
      userId,
      unitId: units[(i + k) % units.length]!,
      n: i + k,
    }));
    await db
      .insertInto('contest_entrants')
      .values(
        part.map((p) => ({
          id: p.entrantId,
          contest_id: contestId,
          user_id: p.userId,
          full_name: `Thí sinh ${p.n}`,
          birth_year: 1990,
          unit_id: p.unitId,
          phone: null,
          registered_at: nowIso(),
        })),
      )
      .execute();
    await db
      .insertInto('contest_entries')
      .values(
        part.map((p) => ({
          id: p.entryId,
          round_id: roundId,
          entrant_id: p.entrantId,
          user_id: p.userId,
          unit_id: p.unitId,
          code: `B${p.n.toString(36).toUpperCase().padStart(5, '0')}`,
          title: `Bài đọc ${p.n}`,
          body_text: '',
          blob_key: null,
          mime: 'audio/webm',
          size_bytes: 20_000,
          duration_s: 30,
          minor: 0 as const,
          moderation: 'approved' as const,
          parental_consent: 0 as const,
          promoted_from: null,
          votes_counted: 0,
          submitted_at: nowIso(),
          updated_at: nowIso(),
          replaced_count: 0,
        })),
      )
      .execute();
    entryIds.push(...part.map((p) => p.entryId));
  }
  for (let i = 0; i < judges.length; i += BATCH)
    await db
      .insertInto('contest_judges')
      .values(
        judges.slice(i, i + BATCH).map((userId, k) => ({
          round_id: roundId,
          user_id: userId,
          // every third judge independent, the others affiliated with a unit (conflicts apply)
          unit_id: (i + k) % 3 === 0 ? null : units[((i + k) * 7919) % units.length]!,
          invited_by: organiser,
          created_at: nowIso(),
        })),
      )
      .execute();
  ctx.log(
    `contest-entries: ${ENTRIES} entries, ${JUDGES} judges, ${voters.length} voters set up in ${Math.round(performance.now() - t)} ms`,
  );
  return { slug, roundId, organiser, entryIds, voters, judges };
}

/** `count` more counted votes in bulk (distinct voter × entry pairs not in `have`), so the pages count at scale. */
export async function bulkVotes(
  ctx: SeedContext,
  roundId: string,
  entryIds: string[],
  voters: string[],
  count: number,
  have: Set<string>,
): Promise<number> {
  const { db } = ctx;
  const rows: Array<{
    id: string;
    round_id: string;
    entry_id: string;
    user_id: string;
    ip_hash: string;
    new_account: 0;
    status: 'counted';
    created_at: string;
  }> = [];
  let added = 0;
  for (let i = 0; added < count && i < voters.length * entryIds.length; i++) {
    const userId = voters[i % voters.length]!;
    const entryId = entryIds[Math.floor(i / voters.length) % entryIds.length]!;
    if (have.has(`${userId}|${entryId}`)) continue;
    rows.push({
      id: newId(),
      round_id: roundId,
      entry_id: entryId,
      user_id: userId,
      ip_hash: 'bulk',
      new_account: 0,
      status: 'counted',
      created_at: nowIso(),
    });
    added++;
    if (rows.length === BATCH) await db.insertInto('contest_votes').values(rows.splice(0)).execute();
  }
  if (rows.length) await db.insertInto('contest_votes').values(rows).execute();
  return added;
}

export async function bench(ctx: BenchContext): Promise<void> {
  const { db } = ctx;
  const { slug, roundId, organiser, entryIds, voters } = await seedRound(ctx);

  // Assignment of every entry to 2 judges (balanced, conflicts from the unit tree).
  let t = performance.now();
  const a = await assignJudges(db, organiser, roundId);
  const assignMs = performance.now() - t;
  if (!a.ok) throw new Error(a.code);
  ctx.log(
    `contest-entries: assigning ${ENTRIES} entries to ${JUDGES} judges took ${(assignMs / 1000).toFixed(2)} s (${a.value.created} assignments, ${a.value.understaffed.length} entries short of judges)`,
  );

  // Live votes through the domain, CONC at a time: each voter votes for a few entries.
  await new Promise((res) => setTimeout(res, 5)); // the window opens 1 ms after `now`
  const plan: Array<{ userId: string; entryId: string; ip: string }> = [];
  for (let i = 0; plan.length < LIVE; i++) {
    const userId = voters[i % voters.length]!;
    const entryId = entryIds[(i * 31 + Math.floor(i / voters.length)) % entryIds.length]!;
    plan.push({ userId, entryId, ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
  }
  const limits = { perIpPerMinute: 1_000_000, perAccountPerMinute: 1_000_000 };
  const lat: number[] = [];
  let refused = 0;
  const refusedCodes = new Map<string, number>();
  t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONC, plan.length) }, async () => {
      while (next < plan.length) {
        const v = plan[next++]!;
        const s = performance.now();
        const res = await castVote(db, v, new Date(), limits);
        lat.push(performance.now() - s);
        if (!res.ok) {
          refused++;
          refusedCodes.set(res.code, (refusedCodes.get(res.code) ?? 0) + 1);
        }
      }
    }),
  );
  const wall = performance.now() - t;
  const expected = new Set(plan.map((p) => `${p.userId}|${p.entryId}`)).size;
  const stored = await db
    .selectFrom('contest_votes')
    .select([sql<number>`count(*)`.as('n'), sql<number>`sum(case when status = 'counted' then 1 else 0 end)`.as('counted')])
    .where('round_id', '=', roundId)
    .executeTakeFirstOrThrow();
  assert(
    Number(stored.n) === expected && Number(stored.counted) === expected && plan.length - refused === expected,
    `live votes: ${plan.length} cast, ${refused} refused (${JSON.stringify([...refusedCodes])}), ${stored.n} stored, ${expected} distinct`,
  );
  const sorted = lat.slice().sort((x, y) => x - y);
  const live: BenchResult = {
    reqPerSec: (plan.length * 1000) / wall,
    p50: pct(sorted, 50),
    p99: pct(sorted, 99),
    non2xx: 0,
    errors: 0,
    bytesPerReq: 0,
  };
  ctx.report(`castVote through the domain (${plan.length} votes, ${CONC} at once)`, live, 'other');
  ctx.log(
    `contest-entries: ${live.reqPerSec.toFixed(0)} votes/s; ${expected} stored exactly once, ${refused} refused as duplicates, none lost`,
  );

  // The rest of the votes in bulk (distinct voter × entry pairs), so the gallery counts at scale.
  t = performance.now();
  const have = new Set(plan.map((p) => `${p.userId}|${p.entryId}`));
  const added = await bulkVotes(ctx, roundId, entryIds, voters, VOTES - expected, have);
  ctx.log(`contest-entries: ${added} more votes bulk-inserted in ${Math.round(performance.now() - t)} ms (${expected + added} in all)`);

  // Pages: the public gallery (anonymous: the page cache; a voter: rendered with their own votes,
  // on the first page and deep in the round) and a judge's queue.
  const gallery = `/contests/${slug}/gallery/${roundId}`;
  ctx.report(`GET gallery (${ENTRIES} entries, ${expected + added} votes, anonymous)`, await ctx.autocannon(gallery));
  const voterCookie = await ctx.cookieFor(voters[0]!);
  ctx.report(`GET gallery (signed-in voter)`, await ctx.autocannon({ path: gallery, headers: { Cookie: voterCookie } }));
  const deep = Math.max(1, Math.ceil(ENTRIES / 24) - 1);
  ctx.report(
    `GET gallery page ${deep} (signed-in voter)`,
    await ctx.autocannon({ path: `${gallery}?page=${deep}`, headers: { Cookie: voterCookie } }),
  );
  const busiest = await db
    .selectFrom('contest_assignments')
    .select(['judge_id', sql<number>`count(*)`.as('n')])
    .where('round_id', '=', roundId)
    .groupBy('judge_id')
    .orderBy(sql`count(*)`, 'desc')
    .limit(1)
    .executeTakeFirst();
  if (busiest) {
    const cookie = await ctx.cookieFor(busiest.judge_id);
    ctx.report(
      `GET jury queue (signed in, ${busiest.n} entries assigned)`,
      await ctx.autocannon({ path: `/contests/${slug}/jury/${roundId}`, headers: { Cookie: cookie } }),
    );
  }
}
