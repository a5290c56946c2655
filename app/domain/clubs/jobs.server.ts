/** The clubs' periodic work (run by app/jobs.server.ts): meeting reminders, closing due polls, finishing challenges. */
import type { DB } from '~/lib/db.server';

import { completeDueChallenges } from './challenges.server';
import { claimDueReminders } from './meetings.server';
import { notifyMeetingReminder } from './notices.server';
import { closeDuePolls } from './polls.server';

export async function runClubJobs(
  db: DB,
  now = new Date(),
): Promise<{ reminded: number; pollsClosed: number; challengesFinished: number }> {
  let reminded = 0;
  // Each reminder is claimed (marked sent) before it is sent, so two runners never send it twice.
  for (const r of await claimDueReminders(db, now)) reminded += await notifyMeetingReminder(db, r, now);
  const pollsClosed = await closeDuePolls(db, now);
  // Challenge finishers whose reading came from class sessions or the reader get their certificate.
  const challengesFinished = await completeDueChallenges(db, now);
  return { reminded, pollsClosed, challengesFinished };
}
