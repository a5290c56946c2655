import type { Job } from './lib/jobs.server';
import { deleteExpiredSessions } from './lib/auth.server';
import { sweepLibrary } from './domain/library/sweep.server';

/** Every periodic job of the platform. Areas add theirs here. */
export const jobs: Job[] = [
  { name: 'sessions:expire', intervalMs: 60 * 60 * 1000, run: (db) => deleteExpiredSessions(db) },
  { name: 'library:sweep', intervalMs: 5 * 60 * 1000, run: (db, now) => sweepLibrary(db, now) },
];
