/**
 * Bulk seeding of a quiz contest at the scale (issue #14: 500,000 registered entrants,
 * 1,000,000 attempts), shared by the contests benches (tests/bench/contests.ts, contests-quiz.ts):
 * multi-row inserts of BATCH rows, PER_TX rows per write transaction (one commit per 25,000 rows).
 */
import type { DB } from '~/db/connection';
import { writeTransaction } from '~/db/dialect';
import { newId, nowIso } from '~/lib/ids.server';

const BATCH = 500;
/** Rows per seeding transaction: one commit (one WAL sync) per 25,000 rows, not per statement. */
const PER_TX = 25_000;

/** Inserts `items` as multi-row inserts of BATCH rows, PER_TX rows per transaction. */
export async function seedRows<T>(db: DB, items: readonly T[], insert: (trx: DB, slice: readonly T[], offset: number) => Promise<unknown>) {
  for (let t = 0; t < items.length; t += PER_TX)
    await writeTransaction(db, async (trx) => {
      for (let i = t; i < Math.min(t + PER_TX, items.length); i += BATCH)
        await insert(trx, items.slice(i, Math.min(i + BATCH, t + PER_TX, items.length)), i);
    });
}

/**
 * Registers `people` (user ids) in the contest, spread over `units`; accounts for the ids in
 * `newAccounts` are created first (password '!': they never sign in). Returns the entrant ids, in
 * the order of `people`.
 */
export async function seedEntrants(
  db: DB,
  contestId: string,
  people: readonly string[],
  units: readonly string[],
  newAccounts: readonly string[] = [],
): Promise<string[]> {
  await seedRows(db, newAccounts, (trx, slice) =>
    trx
      .insertInto('users')
      .values(
        slice.map((id) => ({
          id,
          email: `${id}@bench-contest.vn`,
          password_hash: '!',
          display_name: 'Thí sinh',
          birth_year: 1990,
          home_unit_id: null,
          locale: 'vi' as const,
          created_at: nowIso(),
        })),
      )
      .execute(),
  );
  const entrantIds = people.map(() => newId());
  await seedRows(db, people, (trx, slice, i) =>
    trx
      .insertInto('contest_entrants')
      .values(
        slice.map((userId, k) => ({
          id: entrantIds[i + k]!,
          contest_id: contestId,
          user_id: userId,
          full_name: `Thí sinh ${i + k}`,
          birth_year: 1990,
          unit_id: units[(i + k) % units.length]!,
          phone: null,
          registered_at: nowIso(),
        })),
      )
      .execute(),
  );
  return entrantIds;
}

/**
 * One submitted attempt per entrant in a (closed) round that opened at `opensMs`, with scores,
 * predictions and times spread so that ranking has ties to break at every step (`salt` varies them
 * between rounds).
 */
export async function seedSubmittedAttempts(
  db: DB,
  o: {
    roundId: string;
    opensMs: number;
    people: readonly string[];
    entrantIds: readonly string[];
    questionIds: readonly string[];
    salt: number;
  },
): Promise<void> {
  const qJson = JSON.stringify(o.questionIds);
  await seedRows(db, o.people, (trx, slice, i) =>
    trx
      .insertInto('contest_attempts')
      .values(
        slice.map((userId, k) => {
          const n = i + k;
          const started = o.opensMs + (n % 3600) * 1000;
          const duration = 60_000 + ((n * 7919 + o.salt) % 1_000_000);
          return {
            id: newId(),
            round_id: o.roundId,
            entrant_id: o.entrantIds[n]!,
            user_id: userId,
            attempt_no: 1,
            seed: newId(8),
            question_ids_json: qJson,
            status: 'submitted' as const,
            started_at: new Date(started).toISOString(),
            deadline_at: new Date(started + 20 * 60_000).toISOString(),
            submitted_at: new Date(started + duration).toISOString(),
            duration_ms: duration,
            score: (n * 31 + o.salt * 7) % 13,
            max_score: 12,
            prediction: (n * 17) % 5000,
            answers_sig: null,
            disqualified_at: null,
            disqualified_reason: null,
          };
        }),
      )
      .execute(),
  );
}
