/** Operations tables (issue 17). */
export interface OpsTables {
  /**
   * One row per periodic job: when it is next due and who ran it last (app/lib/jobs.server.ts): moved
   * forward under the job's advisory lock on PostgreSQL, claimed by a conditional UPDATE on SQLite.
   */
  ops_job_runs: {
    name: string;
    next_run_at: string;
    claimed_by: string | null;
    claimed_at: string | null;
    finished_at: string | null;
    failed: number;
  };
}
