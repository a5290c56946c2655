import os from 'node:os';

import { sql } from 'kysely';
import pg from 'pg';

import { isPostgres, writeTransaction } from '~/db/dialect';

import type { DB } from './db.server';
import { getEnv } from './env.server';
import { observeJob } from './observability/metrics.server';

/**
 * Periodic jobs in the server process (session clean-up, loan expiry, hold hand-over, …).
 * Each job also runs once at start unless it says otherwise; a failing run is logged and
 * retried next interval.
 *
 * Exactly one instance runs each due run:
 * - on PostgreSQL (several app instances) through a PostgreSQL advisory lock per job
 *   (`advisoryRunLock`): the instance holding the job's lock reads whether the run is due, runs it
 *   and moves `next_run_at` forward before letting go; the others skip. The lock lives on one
 *   connection of its own per instance, so a crashed instance (connection dropped) releases it at
 *   once, and a run it had not finished is run by the next instance to tick;
 * - on SQLite (one machine) through one conditional UPDATE (`claimRun`), which only one process
 *   can win.
 */
export interface Job {
  name: string;
  intervalMs: number;
  /** Also run once at start (default true); false for heavy upkeep that can wait a cycle. */
  atStart?: boolean;
  run: (db: DB, now: Date) => Promise<unknown>;
}

/** How an instance wins a due run of a job (one implementation per dialect). */
export interface RunLock {
  /**
   * Runs `fn` if this run of `name` is due and this instance wins it; resolves to whether it ran.
   * A failure of `fn` is thrown after the run is recorded (the next one is an interval later).
   */
  runIfDue(db: DB, name: string, intervalMs: number, now: Date, fn: () => Promise<unknown>): Promise<boolean>;
  close(): Promise<void>;
}

const timers: NodeJS.Timeout[] = [];
const INSTANCE = `${os.hostname()}:${process.pid}`;
let activeLock: RunLock | null = null;

/** A little early, so the winner's own next tick (exactly one interval later) is due. */
const nextRunAt = (now: Date, intervalMs: number) => new Date(now.getTime() + intervalMs - Math.min(5_000, intervalMs / 10)).toISOString();

async function ensureRow(db: Pick<DB, 'insertInto'>, name: string) {
  await db
    .insertInto('ops_job_runs')
    .values({ name, next_run_at: new Date(0).toISOString(), claimed_by: null, claimed_at: null, finished_at: null, failed: 0 })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/**
 * Claims this run of `name` for this instance: one conditional UPDATE moves the job's
 * `next_run_at` forward only if it is due, so among several processes on one SQLite file exactly
 * one wins each run. Returns whether this instance won.
 */
export async function claimRun(db: DB, name: string, intervalMs: number, now: Date, instance = INSTANCE): Promise<boolean> {
  // In a write transaction: on SQLite it joins the process's group commit and waits for the write
  // lock without blocking the process (two autocommit writes each waited in SQLite's busy handler,
  // blocking the worker that runs the jobs up to ~0.4 s under write load: tests/bench/tools/sqlite-wait-probe.ts).
  return writeTransaction(db, async (trx) => {
    await ensureRow(trx, name);
    const r = await trx
      .updateTable('ops_job_runs')
      .set({ next_run_at: nextRunAt(now, intervalMs), claimed_by: instance, claimed_at: now.toISOString() })
      .where('name', '=', name)
      .where('next_run_at', '<=', now.toISOString())
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  });
}

async function recordEnd(db: DB, name: string, failed: boolean) {
  // In a write transaction too, for the same reason as the claim (no blocking wait on SQLite).
  await writeTransaction(db, (trx) =>
    trx
      .updateTable('ops_job_runs')
      .set({ finished_at: new Date().toISOString(), failed: failed ? 1 : 0 })
      .where('name', '=', name)
      .execute(),
  );
}

/** SQLite: the run is claimed (next_run_at moved forward) before it runs; see `claimRun`. */
export function claimRunLock(instance = INSTANCE): RunLock {
  return {
    async runIfDue(db, name, intervalMs, now, fn) {
      if (!(await claimRun(db, name, intervalMs, now, instance))) return false;
      try {
        await fn();
      } catch (e) {
        await recordEnd(db, name, true).catch(() => undefined);
        throw e;
      }
      await recordEnd(db, name, false);
      return true;
    },
    close: async () => undefined,
  };
}

/** What `advisoryRunLock` exposes beyond a RunLock (for tests and the log). */
export interface AdvisoryRunLock extends RunLock {
  /** The server process id of the lock connection (null before the first run). */
  backendPid(): number | null;
}

/**
 * PostgreSQL: a session-level advisory lock per job, `pg_try_advisory_lock(<schema>, <job>)`, taken
 * on a connection of its own (not the pool's: a lock must be released on the connection that took
 * it, and a job holding a pooled connection for its whole run could starve its own queries). While
 * holding it, the instance reads `next_run_at`, runs the job if due, moves `next_run_at` forward,
 * and unlocks. The others' `try` fails at once (or finds the run no longer due after the unlock).
 *
 * A holder that crashes (process killed, connection dropped) releases the lock with its session;
 * `next_run_at` was not moved, so the next instance to tick runs the job. A holder whose lock
 * connection drops while it runs does not record the run (another instance may be running it).
 * The keys are the schema and the job name (`hashtext`), so test schemas on one server do not meet.
 */
export function advisoryRunLock(config: string | pg.ClientConfig, instance = INSTANCE): AdvisoryRunLock {
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let generation = 0;
  let pid: number | null = null;
  const schemas = new WeakMap<DB, string>();
  // One query at a time on the lock connection (pg 9 drops its own queue): jobs tick together at start.
  let queue: Promise<unknown> = Promise.resolve();
  const query = <R extends pg.QueryResultRow>(c: pg.Client, text: string, values: unknown[]): Promise<pg.QueryResult<R>> => {
    const next = queue.then(() => c.query<R>(text, values));
    queue = next.catch(() => undefined);
    return next;
  };

  const connection = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= (async () => {
      const c = new pg.Client(typeof config === 'string' ? { connectionString: config } : config);
      c.on('error', (e) => {
        // The connection dropped (server restart, terminated): its locks are gone with it.
        console.warn(`[jobs] lock connection lost: ${e.message}`);
        if (client === c) client = null;
        generation++;
      });
      c.on('end', () => {
        if (client === c) {
          client = null;
          generation++;
        }
      });
      try {
        await c.connect();
        const r = await c.query<{ pid: number }>('select pg_backend_pid() as pid');
        pid = r.rows[0]!.pid;
        client = c;
        return c;
      } finally {
        connecting = null;
      }
    })();
    return connecting;
  };

  const schemaOf = async (db: DB) => {
    let s = schemas.get(db);
    if (s === undefined) {
      s = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s;
      schemas.set(db, s);
    }
    return s;
  };

  return {
    backendPid: () => pid,
    async runIfDue(db, name, intervalMs, now, fn) {
      const keys = [`llw-jobs:${await schemaOf(db)}`, name];
      const c = await connection();
      const gen = generation;
      const got = await query<{ ok: boolean }>(c, 'select pg_try_advisory_lock(hashtext($1), hashtext($2)) as ok', keys);
      if (!got.rows[0]!.ok) return false;
      try {
        await ensureRow(db, name);
        const row = await db.selectFrom('ops_job_runs').select('next_run_at').where('name', '=', name).executeTakeFirstOrThrow();
        if (row.next_run_at > now.toISOString()) return false; // run already by another instance
        let failure: { e: unknown } | null = null;
        try {
          await fn();
        } catch (e) {
          failure = { e };
        }
        if (generation !== gen) {
          console.warn(`[jobs ${name}] the lock connection dropped during the run: not recorded (another instance may run it again)`);
        } else {
          await db
            .updateTable('ops_job_runs')
            .set({
              next_run_at: nextRunAt(now, intervalMs),
              claimed_by: instance,
              claimed_at: now.toISOString(),
              finished_at: new Date().toISOString(),
              failed: failure ? 1 : 0,
            })
            .where('name', '=', name)
            .execute();
        }
        if (failure) throw failure.e;
        return true;
      } finally {
        // Only on the connection that took it; a dropped one has released it already.
        if (generation === gen && client === c)
          await query(c, 'select pg_advisory_unlock(hashtext($1), hashtext($2))', keys).catch(() => undefined);
      }
    },
    async close() {
      const c = client ?? (connecting ? await connecting.catch(() => null) : null);
      client = null;
      generation++;
      await c?.end().catch(() => undefined);
    },
  };
}

/** The lock for `db`'s dialect: advisory locks on PostgreSQL (on DATABASE_URL), the claim on SQLite. */
export function runLockFor(db: DB): RunLock {
  return isPostgres(db) ? advisoryRunLock(getEnv().DATABASE_URL) : claimRunLock();
}

const running = new Set<string>();

/**
 * Starts every job's timer and its first run (unless `atStart: false`); resolves once those first
 * runs are done, so the process can start serving after them (boot.server.ts).
 */
export function startJobs(db: DB, jobs: Job[], lock: RunLock = runLockFor(db)): Promise<void> {
  activeLock = lock;
  const first: Array<Promise<void>> = [];
  for (const job of jobs) {
    const tick = async () => {
      if (running.has(job.name)) return; // never overlap runs of the same job
      running.add(job.name);
      const t0 = performance.now();
      try {
        const now = new Date();
        if (await lock.runIfDue(db, job.name, job.intervalMs, now, () => job.run(db, now)))
          observeJob(job.name, performance.now() - t0, true);
      } catch (e) {
        observeJob(job.name, performance.now() - t0, false);
        console.error(`[job ${job.name}] failed`, e);
      } finally {
        running.delete(job.name);
      }
    };
    if (job.atStart !== false) first.push(tick());
    const t = setInterval(tick, job.intervalMs);
    t.unref();
    timers.push(t);
  }
  return Promise.all(first).then(() => undefined);
}

export function stopJobs(): void {
  for (const t of timers.splice(0)) clearInterval(t);
  void activeLock?.close();
  activeLock = null;
}
