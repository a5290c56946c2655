import { migrateToLatest } from '~/db/migrate';
import { seedDemo } from '~/db/seed/index';

import { mailQueueDepth } from './domain/notifications/mail.server';
import { bufferView, flushViews } from './domain/oer/resources.server';
import { syncWeeksFromContent } from './domain/weeks.server';
import { jobs } from './jobs.server';
import { closeDb, getDb } from './lib/db.server';
import { getEnv } from './lib/env.server';
import { startJobs, stopJobs } from './lib/jobs.server';
import { metrics, setMailQueueReader } from './lib/observability/metrics.server';
import { onPageCacheHit, startPageCacheSync, stopPageCacheSync } from './lib/page-cache.server';

let viewsTimer: NodeJS.Timeout | null = null;
/** A resource page answered from the page cache is still a view (the loader counts the others). */
function countCachedViews(db: ReturnType<typeof getDb>) {
  onPageCacheHit((pathname) => {
    const m = /^\/resources\/([^/]+)\/?$/.exec(pathname);
    if (m && !['new', 'mine', 'review', 'preview'].includes(m[1]!)) bufferView(decodeURIComponent(m[1]!));
  });
  viewsTimer = setInterval(() => void flushViews(db).catch((e: unknown) => console.error('[views] flush failed', e)), 5_000);
  viewsTimer.unref();
}

/**
 * Runs when the server starts: checks the environment, and with `prepare` (once per start, before
 * any process serves) migrates, loads the Weeks from content/, seeds the demo data (idempotent;
 * SEED_DEMO). A serving process then follows other processes' page-cache bumps, and exactly one
 * process runs the periodic jobs (`jobs`).
 */
export async function boot(options: { jobs?: boolean; prepare?: boolean; serve?: boolean } = {}): Promise<void> {
  const env = getEnv();
  const db = getDb();
  if (options.prepare !== false) {
    await migrateToLatest(db);
    await syncWeeksFromContent(db);
    if (env.seedDemo) await seedDemo(db);
  }
  if (options.serve !== false) {
    metrics(); // registered before the first scrape (a cluster worker answers its primary from here on)
    setMailQueueReader(() => mailQueueDepth(db));
    await startPageCacheSync(db);
    countCachedViews(db);
  }
  if (options.jobs !== false && options.serve !== false) {
    console.log(`[jobs] periodic jobs run in process ${process.pid}`);
    // Serving starts after the start-up runs: their SQLite work holds this process's event loop,
    // and a request handed to it meanwhile (a restarted worker joins the round robin as soon as it
    // listens) would wait for them. The other workers serve in the meantime.
    await startJobs(db, jobs);
  }
}

export async function shutdown(): Promise<void> {
  stopJobs();
  if (viewsTimer) clearInterval(viewsTimer);
  await flushViews(getDb()).catch(() => undefined);
  await stopPageCacheSync();
  await closeDb();
}
