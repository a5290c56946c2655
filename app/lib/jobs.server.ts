import os from 'node:os';

import { writeTransaction } from '~/db/dialect';

import type { DB } from './db.server';
import { observeJob } from './observability/metrics.server';

/**
 * Periodic jobs in the server process (session clean-up, loan expiry, hold hand-over, …).
 * Each job also runs once at start unless it says otherwise; a failing run is logged and
 * retried next interval.
 */
export interface Job {
  name: string;
  intervalMs: number;
  /** Also run once at start (default true); false for heavy upkeep that can wait a cycle. */
  atStart?: boolean;
  run: (db: DB, now: Date) => Promise<unknown>;
}

const timers: NodeJS.Timeout[] = [];
const INSTANCE = `${os.hostname()}:${process.pid}`;

/**
 * Claims this run of `name` for this instance: one conditional UPDATE moves the job's
 * `next_run_at` forward only if it is due, so among several app instances (one PostgreSQL, or
 * processes on one SQLite file) exactly one wins each run. Returns whether this instance won.
 */
export async function claimRun(db: DB, name: string, intervalMs: number, now: Date, instance = INSTANCE): Promise<boolean> {
  // In a write transaction: on SQLite it joins the process's group commit and waits for the write
  // lock without blocking the process (two autocommit writes each waited in SQLite's busy handler,
  // blocking the worker that runs the jobs up to ~0.4 s under write load: tests/bench/tools/sqlite-wait-probe.ts).
  return writeTransaction(db, async (trx) => {
    await trx
      .insertInto('ops_job_runs')
      .values({ name, next_run_at: new Date(0).toISOString(), claimed_by: null, claimed_at: null, finished_at: null, failed: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    // A little early, so the winner's own next tick (exactly one interval later) is due.
    const slack = Math.min(5_000, intervalMs / 10);
    const r = await trx
      .updateTable('ops_job_runs')
      .set({ next_run_at: new Date(now.getTime() + intervalMs - slack).toISOString(), claimed_by: instance, claimed_at: now.toISOString() })
      .where('name', '=', name)
      .where('next_run_at', '<=', now.toISOString())
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  });
}
const running = new Set<string>();

/**
 * Starts every job's timer and its first run (unless `atStart: false`); resolves once those first
 * runs are done, so the process can start serving after them (boot.server.ts).
 */
export function startJobs(db: DB, jobs: Job[]): Promise<void> {
  const first: Array<Promise<void>> = [];
  for (const job of jobs) {
    const tick = async () => {
      if (running.has(job.name)) return; // never overlap runs of the same job
      running.add(job.name);
      const t0 = performance.now();
      try {
        const now = new Date();
        if (!(await claimRun(db, job.name, job.intervalMs, now))) return; // another instance has this run
        await job.run(db, now);
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
}
