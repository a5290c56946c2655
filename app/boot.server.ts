import { migrateToLatest } from '~/db/migrate';
import { seedDemo } from '~/db/seed/index';

import { syncWeeksFromContent } from './domain/weeks.server';
import { jobs } from './jobs.server';
import { closeDb, getDb } from './lib/db.server';
import { getEnv } from './lib/env.server';
import { startJobs, stopJobs } from './lib/jobs.server';

/**
 * Runs once when the server starts: checks the environment, migrates, loads the Weeks from
 * content/, seeds the demo data (idempotent; off in production unless SEED_DEMO=1), starts jobs.
 */
export async function boot(options: { jobs?: boolean } = {}): Promise<void> {
  const env = getEnv();
  const db = getDb();
  await migrateToLatest(db);
  await syncWeeksFromContent(db);
  if (env.seedDemo) await seedDemo(db);
  if (options.jobs !== false) startJobs(db, jobs);
}

export async function shutdown(): Promise<void> {
  stopJobs();
  await closeDb();
}
