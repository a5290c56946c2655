/**
 * What reading clubs tell their members through the one notification centre (`notify()`):
 * meeting reminders, a seat freed from the waitlist, a poll opened or closed. Each notice names
 * its club as the place, so a member who leaves the club no longer sees it.
 */
import { notify } from '~/domain/notifications/notify.server';
import { formatDateTime } from '~/lib/dates';
import type { DB } from '~/lib/db.server';

import { CLUB_PLACE } from './schedule.server';

async function clubOf(db: DB, clubId: string) {
  return db.selectFrom('club_clubs').select(['id', 'slug', 'name']).where('id', '=', clubId).executeTakeFirst();
}

async function activeMembers(db: DB, clubId: string, exceptId?: string) {
  let q = db.selectFrom('club_members').select('user_id').where('club_id', '=', clubId).where('status', '=', 'active');
  if (exceptId) q = q.where('user_id', '!=', exceptId);
  return (await q.execute()).map((r) => r.user_id);
}

export async function notifyMeetingReminder(
  db: DB,
  r: { meetingId: string; clubId: string; title: string; startsAt: string; userIds: string[] },
  now = new Date(),
): Promise<number> {
  const club = await clubOf(db, r.clubId);
  if (!club) return 0;
  for (const userId of r.userIds)
    await notify(db, {
      userId,
      type: 'clubs.reminder',
      params: { title: r.title, club: club.name, at: formatDateTime(r.startsAt) },
      url: `/clubs/${club.slug}/meetings/${r.meetingId}`,
      place: { type: CLUB_PLACE, id: club.id },
      now,
    });
  return r.userIds.length;
}

/** People who just got a seat from the waitlist. */
export async function notifyPromoted(db: DB, meetingId: string, userIds: string[], now = new Date()): Promise<void> {
  if (!userIds.length) return;
  const m = await db.selectFrom('club_meetings').select(['club_id', 'title']).where('id', '=', meetingId).executeTakeFirst();
  const club = m ? await clubOf(db, m.club_id) : undefined;
  if (!m || !club) return;
  for (const userId of userIds)
    await notify(db, {
      userId,
      type: 'clubs.promoted',
      params: { title: m.title, club: club.name },
      url: `/clubs/${club.slug}/meetings/${meetingId}`,
      place: { type: CLUB_PLACE, id: club.id },
      now,
    });
}

export async function notifyPoll(db: DB, pollId: string, which: 'opened' | 'closed', exceptId?: string, now = new Date()) {
  const p = await db.selectFrom('club_polls').select(['club_id', 'question']).where('id', '=', pollId).executeTakeFirst();
  const club = p ? await clubOf(db, p.club_id) : undefined;
  if (!p || !club) return;
  for (const userId of await activeMembers(db, club.id, exceptId))
    await notify(db, {
      userId,
      type: which === 'opened' ? 'clubs.poll_opened' : 'clubs.poll_closed',
      params: { question: p.question, club: club.name },
      url: `/clubs/${club.slug}/polls/${pollId}`,
      place: { type: CLUB_PLACE, id: club.id },
      now,
    });
}

/**
 * A participant reached a reading challenge's goal (called once, in the transaction that marks them
 * finished): the notice links to the challenge page, where the certificate is. A club's challenge
 * names the club as its place, so a member who leaves the club no longer sees the notice.
 */
export async function notifyChallengeFinished(db: DB, challengeId: string, userId: string, now = new Date()): Promise<void> {
  const c = await db.selectFrom('reading_challenges').select(['name', 'club_id']).where('id', '=', challengeId).executeTakeFirst();
  if (!c) return;
  await notify(db, {
    userId,
    type: 'clubs.challenge_finished',
    params: { challenge: c.name },
    url: `/clubs/challenges/${challengeId}`,
    place: c.club_id ? { type: CLUB_PLACE, id: c.club_id } : null,
    now,
  });
}
