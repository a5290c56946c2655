/** Operations tables (issue 17). */
export interface OpsTables {
  /** One row per periodic job: the next run, claimed across instances (app/lib/jobs.server.ts). */
  ops_job_runs: {
    name: string;
    next_run_at: string;
    claimed_by: string | null;
    claimed_at: string | null;
    finished_at: string | null;
    failed: number;
  };
}
