/**
 * Club meetings: online (a link) or in person (a place), with a capacity. RSVPs are taken in one
 * write transaction with the meeting row locked, so 200 people answering "yes" at once to 20
 * seats give exactly 20 confirmed and a waitlist in arrival order; when a confirmed member
 * cancels, the first on the waitlist is promoted in the same transaction.
 */
import { sql } from 'kysely';

import { lockRows, toNumber, writeTransaction } from '~/db/dialect';
import type { MeetingMode, RsvpAnswer, RsvpState } from '~/db/schema/clubs';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';

import { clubAccess } from './access.server';
import { clubChanged } from './cache.server';
import { notifyPromoted } from './notices.server';

export type MeetingInput = {
  title: string;
  mode: MeetingMode;
  link?: string | null;
  place?: string | null;
  startsAt: string;
  endsAt: string;
  agendaMd: string;
  capacity: number | null;
};

export type MeetingError = 'not_found' | 'forbidden' | 'ends_before_start' | 'past' | 'cancelled' | 'not_member' | 'closed';

function check(input: MeetingInput): MeetingError | null {
  if (Date.parse(input.endsAt) <= Date.parse(input.startsAt)) return 'ends_before_start';
  return null;
}

export async function createMeeting(
  db: DB,
  userId: string,
  clubId: string,
  input: MeetingInput,
): Promise<Result<{ id: string }, MeetingError>> {
  const a = await clubAccess(db, { id: clubId }, userId);
  if (a.status !== 'ok') return err('not_found');
  if (!a.canModerate) return err('forbidden');
  if (a.club.status !== 'active') return err('closed');
  const bad = check(input);
  if (bad) return err(bad);
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('club_meetings')
    .values({
      id,
      club_id: clubId,
      title: input.title.trim(),
      mode: input.mode,
      link: input.mode === 'online' ? (input.link ?? null) : null,
      place: input.mode === 'in_person' ? (input.place ?? null) : null,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      agenda_md: input.agendaMd,
      capacity: input.capacity,
      status: 'scheduled',
      sequence: 0,
      reminded_24h: 0,
      reminded_1h: 0,
      created_by: userId,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return clubChanged(db, clubId, ok({ id }));
}

async function meetingForModerator(db: DB, userId: string, meetingId: string) {
  const m = await db.selectFrom('club_meetings').selectAll().where('id', '=', meetingId).executeTakeFirst();
  if (!m) return err('not_found' as const);
  const a = await clubAccess(db, { id: m.club_id }, userId);
  if (a.status !== 'ok') return err('not_found' as const);
  if (!a.canModerate) return err('forbidden' as const);
  return ok(m);
}

/** Changes a meeting; the iCalendar SEQUENCE goes up so calendars update it. Raising the capacity promotes from the waitlist. */
export async function updateMeeting(
  db: DB,
  userId: string,
  meetingId: string,
  input: MeetingInput,
): Promise<Result<{ promoted: string[] }, MeetingError>> {
  const m = await meetingForModerator(db, userId, meetingId);
  if (!m.ok) return m;
  if (m.value.status === 'cancelled') return err('cancelled');
  const bad = check(input);
  if (bad) return err(bad);
  const done = await writeTransaction(db, async (trx) => {
    await lockRows(trx, trx.selectFrom('club_meetings').select('id').where('id', '=', meetingId)).executeTakeFirst();
    await trx
      .updateTable('club_meetings')
      .set({
        title: input.title.trim(),
        mode: input.mode,
        link: input.mode === 'online' ? (input.link ?? null) : null,
        place: input.mode === 'in_person' ? (input.place ?? null) : null,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        agenda_md: input.agendaMd,
        capacity: input.capacity,
        sequence: sql`sequence + 1`,
        updated_at: nowIso(),
        // A moved meeting is reminded again.
        ...(input.startsAt !== m.value.starts_at ? { reminded_24h: 0, reminded_1h: 0 } : {}),
      })
      .where('id', '=', meetingId)
      .execute();
    const promoted = await fillFromWaitlist(trx, meetingId, input.capacity);
    return ok({ promoted });
  });
  if (done.ok) await notifyPromoted(db, meetingId, done.value.promoted);
  return clubChanged(db, m.value.club_id, done);
}

export async function cancelMeeting(db: DB, userId: string, meetingId: string): Promise<Result<{ attendees: string[] }, MeetingError>> {
  const m = await meetingForModerator(db, userId, meetingId);
  if (!m.ok) return m;
  await db
    .updateTable('club_meetings')
    .set({ status: 'cancelled', sequence: sql`sequence + 1`, updated_at: nowIso() })
    .where('id', '=', meetingId)
    .execute();
  const rows = await db
    .selectFrom('club_rsvps')
    .select('user_id')
    .where('meeting_id', '=', meetingId)
    .where('state', '!=', 'none')
    .execute();
  return clubChanged(db, m.value.club_id, ok({ attendees: rows.map((r) => r.user_id) }));
}

async function confirmedCount(trx: DB, meetingId: string): Promise<number> {
  const r = await trx
    .selectFrom('club_rsvps')
    .select(sql<number>`count(*)`.as('n'))
    .where('meeting_id', '=', meetingId)
    .where('state', '=', 'confirmed')
    .executeTakeFirstOrThrow();
  return toNumber(r.n);
}

/** Moves people from the head of the waitlist to confirmed while seats are free; returns who. */
async function fillFromWaitlist(trx: DB, meetingId: string, capacity: number | null): Promise<string[]> {
  const promoted: string[] = [];
  let free = capacity == null ? Number.MAX_SAFE_INTEGER : capacity - (await confirmedCount(trx, meetingId));
  while (free > 0) {
    const next = await trx
      .selectFrom('club_rsvps')
      .select('user_id')
      .where('meeting_id', '=', meetingId)
      .where('state', '=', 'waitlisted')
      .orderBy('waitlist_seq')
      .limit(1)
      .executeTakeFirst();
    if (!next) break;
    await trx
      .updateTable('club_rsvps')
      .set({ state: 'confirmed', waitlist_seq: null, updated_at: nowIso() })
      .where('meeting_id', '=', meetingId)
      .where('user_id', '=', next.user_id)
      .execute();
    promoted.push(next.user_id);
    free--;
  }
  return promoted;
}

export type RsvpOutcome = { state: RsvpState; position: number | null; promoted: string | null };

/**
 * Answers yes / no / maybe. "Yes" confirms a seat while one is free, otherwise joins the
 * waitlist at the end; leaving a seat ("no" or "maybe") promotes the first waiting member.
 */
export async function rsvp(
  db: DB,
  userId: string,
  meetingId: string,
  answer: RsvpAnswer,
  now = new Date(),
): Promise<Result<RsvpOutcome, MeetingError>> {
  const meeting = await db
    .selectFrom('club_meetings')
    .select(['club_id', 'status', 'starts_at'])
    .where('id', '=', meetingId)
    .executeTakeFirst();
  if (!meeting) return err('not_found');
  const a = await clubAccess(db, { id: meeting.club_id }, userId);
  if (a.status !== 'ok') return err('not_found');
  if (!a.isMember) return err('not_member');
  if (meeting.status === 'cancelled') return err('cancelled');
  if (Date.parse(meeting.starts_at) <= now.getTime()) return err('past');

  const done = await writeTransaction(db, async (trx) => {
    const m = await lockRows(
      trx,
      trx.selectFrom('club_meetings').select(['capacity']).where('id', '=', meetingId),
    ).executeTakeFirstOrThrow();
    const mine = await trx
      .selectFrom('club_rsvps')
      .select(['state', 'waitlist_seq'])
      .where('meeting_id', '=', meetingId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    const stamp = nowIso();
    let state: RsvpState;
    let seq: number | null = null;
    if (answer === 'yes') {
      if (mine?.state === 'confirmed' || mine?.state === 'waitlisted') {
        state = mine.state;
        seq = mine.waitlist_seq;
      } else if (m.capacity == null || (await confirmedCount(trx, meetingId)) < m.capacity) {
        state = 'confirmed';
      } else {
        const last = await trx
          .selectFrom('club_rsvps')
          .select(sql<number | null>`max(waitlist_seq)`.as('s'))
          .where('meeting_id', '=', meetingId)
          .executeTakeFirstOrThrow();
        state = 'waitlisted';
        seq = toNumber(last.s) + 1;
      }
    } else {
      state = 'none';
    }
    await trx
      .insertInto('club_rsvps')
      .values({
        meeting_id: meetingId,
        user_id: userId,
        answer,
        state,
        waitlist_seq: seq,
        attended: null,
        created_at: stamp,
        updated_at: stamp,
      })
      .onConflict((oc) => oc.columns(['meeting_id', 'user_id']).doUpdateSet({ answer, state, waitlist_seq: seq, updated_at: stamp }))
      .execute();
    let promoted: string | null = null;
    if (mine?.state === 'confirmed' && state === 'none') promoted = (await fillFromWaitlist(trx, meetingId, m.capacity))[0] ?? null;
    let position: number | null = null;
    if (state === 'waitlisted' && seq != null) {
      const ahead = await trx
        .selectFrom('club_rsvps')
        .select(sql<number>`count(*)`.as('n'))
        .where('meeting_id', '=', meetingId)
        .where('state', '=', 'waitlisted')
        .where('waitlist_seq', '<', seq)
        .executeTakeFirstOrThrow();
      position = toNumber(ahead.n) + 1;
    }
    return ok({ state, position, promoted });
  });
  // The first waiting member got the freed seat: tell them (after the commit).
  if (done.ok && done.value.promoted) await notifyPromoted(db, meetingId, [done.value.promoted], now);
  return clubChanged(db, meeting.club_id, done);
}

/** Moderators tick who came; attendance counts in the unit's statistics and reports. */
export async function recordAttendance(
  db: DB,
  userId: string,
  meetingId: string,
  present: string[],
  now = new Date(),
): Promise<Result<{ count: number }, MeetingError>> {
  const m = await meetingForModerator(db, userId, meetingId);
  if (!m.ok) return m;
  if (Date.parse(m.value.starts_at) > now.getTime()) return err('forbidden');
  const members = new Set(
    (
      await db
        .selectFrom('club_members')
        .select('user_id')
        .where('club_id', '=', m.value.club_id)
        .where('status', 'in', ['active', 'left'])
        .execute()
    ).map((r) => r.user_id),
  );
  const ids = present.filter((p) => members.has(p));
  await db.transaction().execute(async (trx) => {
    const stamp = nowIso();
    await trx.updateTable('club_rsvps').set({ attended: 0, updated_at: stamp }).where('meeting_id', '=', meetingId).execute();
    for (const uid of ids) {
      await trx
        .insertInto('club_rsvps')
        .values({
          meeting_id: meetingId,
          user_id: uid,
          answer: 'yes',
          state: 'none',
          waitlist_seq: null,
          attended: 1,
          created_at: stamp,
          updated_at: stamp,
        })
        .onConflict((oc) => oc.columns(['meeting_id', 'user_id']).doUpdateSet({ attended: 1, updated_at: stamp }))
        .execute();
    }
  });
  return ok({ count: ids.length });
}

export async function meetingRoster(db: DB, meetingId: string) {
  return db
    .selectFrom('club_rsvps as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.user_id', 'u.display_name', 'u.birth_year', 'r.answer', 'r.state', 'r.waitlist_seq', 'r.attended'])
    .where('r.meeting_id', '=', meetingId)
    .orderBy('r.state')
    .orderBy('r.waitlist_seq')
    .orderBy('u.display_name')
    .execute();
}

export async function upcomingMeetings(db: DB, clubId: string, now = new Date()) {
  return db
    .selectFrom('club_meetings as m')
    .selectAll('m')
    .select((eb) =>
      eb
        .selectFrom('club_rsvps as r')
        .select(sql<number>`count(*)`.as('n'))
        .whereRef('r.meeting_id', '=', 'm.id')
        .where('r.state', '=', 'confirmed')
        .as('confirmed'),
    )
    .where('m.club_id', '=', clubId)
    .where('m.ends_at', '>', now.toISOString())
    .orderBy('m.starts_at')
    .execute();
}

/**
 * Reminders due now: 24 h and 1 h before a meeting, once each, to everyone with a seat. Marks
 * them sent in the same statement that claims them, so two job runners never send twice.
 */
export async function claimDueReminders(
  db: DB,
  now = new Date(),
): Promise<Array<{ meetingId: string; clubId: string; title: string; startsAt: string; which: '24h' | '1h'; userIds: string[] }>> {
  const out: Array<{ meetingId: string; clubId: string; title: string; startsAt: string; which: '24h' | '1h'; userIds: string[] }> = [];
  for (const which of ['24h', '1h'] as const) {
    const col = which === '24h' ? 'reminded_24h' : 'reminded_1h';
    const horizon = new Date(now.getTime() + (which === '24h' ? 24 : 1) * 3600_000).toISOString();
    const due = await db
      .selectFrom('club_meetings')
      .select(['id', 'club_id', 'title', 'starts_at'])
      .where('status', '=', 'scheduled')
      .where(col, '=', 0)
      .where('starts_at', '>', now.toISOString())
      .where('starts_at', '<=', horizon)
      .execute();
    for (const m of due) {
      const claimed = await db
        .updateTable('club_meetings')
        .set({ [col]: 1 })
        .where('id', '=', m.id)
        .where(col, '=', 0)
        .executeTakeFirst();
      if (!Number(claimed.numUpdatedRows)) continue; // another runner took it
      const seats = await db
        .selectFrom('club_rsvps')
        .select('user_id')
        .where('meeting_id', '=', m.id)
        .where('state', '=', 'confirmed')
        .execute();
      out.push({ meetingId: m.id, clubId: m.club_id, title: m.title, startsAt: m.starts_at, which, userIds: seats.map((s) => s.user_id) });
    }
  }
  return out;
}
