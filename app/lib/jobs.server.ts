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
const running = new Set<string>();

export function startJobs(db: DB, jobs: Job[]): void {
  for (const job of jobs) {
    const tick = async () => {
      if (running.has(job.name)) return; // never overlap runs of the same job
      running.add(job.name);
      const t0 = performance.now();
      try {
        await job.run(db, new Date());
        observeJob(job.name, performance.now() - t0, true);
      } catch (e) {
        observeJob(job.name, performance.now() - t0, false);
        console.error(`[job ${job.name}] failed`, e);
      } finally {
        running.delete(job.name);
      }
    };
    if (job.atStart !== false) void tick();
    const t = setInterval(tick, job.intervalMs);
    t.unref();
    timers.push(t);
  }
}

export function stopJobs(): void {
  for (const t of timers.splice(0)) clearInterval(t);
}
