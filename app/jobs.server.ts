import './domain/places.server';

import { optimizeStatistics } from '~/db/dialect';

import { runClubJobs } from './domain/clubs/jobs.server';
import { escalateQueue } from './domain/discussion/moderation.server';
import { processOutbox } from './domain/discussion/outbox.server';
import { sweepLibrary } from './domain/library/sweep.server';
import { sendDailyDigests, sendPendingMail } from './domain/notifications/mail.server';
import { pushConfig, sendPendingPush } from './domain/notifications/push.server';
import { publishDueNews } from './domain/outreach/news.server';
import { sendDeadlineReminders } from './domain/reports/completeness.server';
import { optimizeSearchIndex } from './domain/search/index.server';
import { runStatsJob } from './domain/stats/aggregate.server';
import { deleteExpiredSessions } from './lib/auth.server';
import { dailyBackup } from './lib/backup.server';
import { getEnv } from './lib/env.server';
import type { Job } from './lib/jobs.server';
import { sweepTusUploads } from './lib/uploads/tus.server';

/** Every periodic job of the platform. Areas add theirs here. */
export const jobs: Job[] = [
  { name: 'sessions:expire', intervalMs: 60 * 60 * 1000, run: (db) => deleteExpiredSessions(db) },
  { name: 'library:sweep', intervalMs: 5 * 60 * 1000, run: (db, now) => sweepLibrary(db, now) },
  // Merges FTS5 segments (search p95 ~13 → ~11 ms at 100k documents); holds the write lock for
  // seconds at scale, so daily and not at start.
  // One archive a day into BACKUP_DIR, the newest BACKUP_KEEP kept (0 turns it off).
  { name: 'backup:daily', intervalMs: 24 * 60 * 60 * 1000, atStart: false, run: (_db, now) => dailyBackup(getEnv(), now) },
  // Notification mail: claimed row by row, so two server processes never send one twice.
  { name: 'notifications:mail', intervalMs: 60 * 1000, run: (db, now) => sendPendingMail(db, now) },
  // Web push (only when VAPID keys are set): claimed like the mail, pushed to every device.
  { name: 'notifications:push', intervalMs: 20 * 1000, run: (db, now) => (pushConfig() ? sendPendingPush(db, now) : Promise.resolve(0)) },
  { name: 'notifications:digest', intervalMs: 60 * 60 * 1000, run: (db, now) => sendDailyDigests(db, now) },
  // Replies' notices to followers and mentioned members (the outbox each reply writes), in batches.
  { name: 'community:outbox', intervalMs: 2 * 1000, run: (db, now) => processOutbox(db, now) },
  { name: 'community:escalate', intervalMs: 15 * 60 * 1000, run: (db, now) => escalateQueue(db, now) },
  // Participation statistics: recomputes the daily counts of Weeks under way or not yet settled.
  { name: 'stats:daily', intervalMs: 15 * 60 * 1000, run: (db, now) => runStatsJob(db, now) },
  // Week reports: reminders 3 days and 1 day before each form's deadline (once per unit and day).
  { name: 'reports:reminders', intervalMs: 60 * 60 * 1000, run: (db, now) => sendDeadlineReminders(db, now) },
  // The query planner's statistics, at start and as tables grow (SQLite; PostgreSQL's autovacuum
  // analyses itself). In the jobs process only: a worker's start never waits for the write lock.
  { name: 'db:optimize', intervalMs: 60 * 60 * 1000, run: (db) => optimizeStatistics(db) },
  { name: 'search:optimize', intervalMs: 24 * 60 * 60 * 1000, atStart: false, run: (db) => optimizeSearchIndex(db) },
  // Reading clubs: meeting reminders 24 h and 1 h before (through notify()), and polls whose closing time came.
  { name: 'clubs:reminders', intervalMs: 5 * 60 * 1000, run: (db, now) => runClubJobs(db, now) },
  // Contest entries: resumable uploads left unfinished or unused for a day (rows and bytes).
  { name: 'contests:uploads-expire', intervalMs: 60 * 60 * 1000, run: (db, now) => sweepTusUploads(db, now) },
  // Outreach news scheduled for a time: published when it comes, and the cached pages showing news bumped.
  { name: 'outreach:publish-due', intervalMs: 60 * 1000, run: (db, now) => publishDueNews(db, now) },
];
