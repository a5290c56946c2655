import type { Job } from './lib/jobs.server';
import { deleteExpiredSessions } from './lib/auth.server';

/** Every periodic job of the platform. Areas add theirs here. */
export const jobs: Job[] = [
  { name: 'sessions:expire', intervalMs: 60 * 60 * 1000, run: (db) => deleteExpiredSessions(db) },
];
