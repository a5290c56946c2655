/**
 * The environment the contest tools start the built server with on a scratch SQLite file
 * (contest-save-http.ts, contest-save-probe.ts, contest-save-tail.ts, contest-submit-http.ts):
 * production, no demo content, jobs on, WEB_CONCURRENCY workers (default `workers`). Their clients
 * post far more often than a person does, so the shared per-address limits are raised
 * (RATE_LIMIT_SHARED_FACTOR): those limits are not what these tools measure.
 */
import path from 'node:path';

export function scratchServerEnv(file: string, workers: number): Record<string, string> {
  return {
    APP_ENV: 'production',
    NODE_ENV: 'production',
    SEED_DEMO: '0',
    DATA_DIR: path.dirname(file),
    DATABASE_URL: file,
    SESSION_SECRET: 'bench-session-secret-0123456789abcdefghijkl',
    WEB_CONCURRENCY: process.env.WEB_CONCURRENCY ?? String(workers),
    RATE_LIMIT_SHARED_FACTOR: '1000',
  };
}
