/** The clubs' periodic work (run by app/jobs.server.ts): meeting reminders and closing due polls. */
import type { DB } from '~/lib/db.server';

import { claimDueReminders } from './meetings.server';
import { notifyMeetingReminder } from './notices.server';
import { closeDuePolls } from './polls.server';

export async function runClubJobs(db: DB, now = new Date()): Promise<{ reminded: number; pollsClosed: number }> {
  let reminded = 0;
  // Each reminder is claimed (marked sent) before it is sent, so two runners never send it twice.
  for (const r of await claimDueReminders(db, now)) reminded += await notifyMeetingReminder(db, r, now);
  const pollsClosed = await closeDuePolls(db, now);
  return { reminded, pollsClosed };
}
