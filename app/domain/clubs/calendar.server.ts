/**
 * iCalendar feeds (RFC 5545) of club meetings: one per club, and one per person with every
 * meeting of every club they belong to, at a private address (a random token the person can
 * reset). Written by the `ics` package; times are absolute (UTC) with the calendar's zone named
 * Asia/Ho_Chi_Minh, UIDs stable per meeting, SEQUENCE bumped on every change, and cancelled
 * meetings kept as STATUS:CANCELLED so calendars remove them.
 */
import { randomBytes } from 'node:crypto';

import { createEvents, type EventAttributes } from 'ics';

import type { DB } from '~/lib/db.server';
import { nowIso } from '~/lib/ids.server';
import { publicOrigin } from '~/lib/origin.server';

type MeetingRow = {
  id: string;
  club_id: string;
  club_name: string;
  club_slug: string;
  title: string;
  mode: 'online' | 'in_person';
  link: string | null;
  place: string | null;
  starts_at: string;
  ends_at: string;
  agenda_md: string;
  status: 'scheduled' | 'cancelled';
  sequence: number;
  updated_at: string;
};

const HORIZON_PAST_DAYS = 90;

function meetingsQuery(db: DB, since: Date) {
  return db
    .selectFrom('club_meetings as m')
    .innerJoin('club_clubs as c', 'c.id', 'm.club_id')
    .select([
      'm.id',
      'm.club_id',
      'c.name as club_name',
      'c.slug as club_slug',
      'm.title',
      'm.mode',
      'm.link',
      'm.place',
      'm.starts_at',
      'm.ends_at',
      'm.agenda_md',
      'm.status',
      'm.sequence',
      'm.updated_at',
    ])
    .where('m.ends_at', '>=', since.toISOString())
    .orderBy('m.starts_at');
}

function toEvent(m: MeetingRow, origin: string): EventAttributes {
  const url = `${origin}/clubs/${m.club_slug}/meetings/${m.id}`;
  const where = m.mode === 'online' ? (m.link ?? url) : (m.place ?? '');
  return {
    uid: `meeting-${m.id}@hoctapsuotdoi`,
    sequence: m.sequence,
    start: Date.parse(m.starts_at),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: Date.parse(m.ends_at),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: `${m.title} — ${m.club_name}`,
    description: m.agenda_md.slice(0, 4000),
    location: where.slice(0, 500),
    url,
    status: m.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    lastModified: Date.parse(m.updated_at),
    productId: 'hoctapsuotdoi/clubs',
  };
}

function render(events: EventAttributes[], calName: string): string {
  if (!events.length) {
    // ics refuses an empty list; an empty calendar is still a valid feed.
    return [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:hoctapsuotdoi/clubs',
      'CALSCALE:GREGORIAN',
      `X-WR-CALNAME:${calName.replace(/[\r\n,;]/g, ' ')}`,
      'X-WR-TIMEZONE:Asia/Ho_Chi_Minh',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
  }
  const { error, value } = createEvents(events, { calName, productId: 'hoctapsuotdoi/clubs' });
  if (error || !value) throw error ?? new Error('iCalendar generation failed');
  // Name the zone people see the times in (the times themselves are absolute, in UTC).
  return value.replace(/\r\nBEGIN:VEVENT/, '\r\nX-WR-TIMEZONE:Asia/Ho_Chi_Minh\r\nBEGIN:VEVENT');
}

export async function clubCalendar(db: DB, clubId: string, now = new Date()): Promise<string> {
  const club = await db.selectFrom('club_clubs').select('name').where('id', '=', clubId).executeTakeFirstOrThrow();
  const since = new Date(now.getTime() - HORIZON_PAST_DAYS * 86_400_000);
  const rows = (await meetingsQuery(db, since).where('m.club_id', '=', clubId).execute()) as MeetingRow[];
  const origin = publicOrigin();
  return render(
    rows.map((m) => toEvent(m, origin)),
    club.name,
  );
}

export async function personalCalendar(db: DB, userId: string, calName: string, now = new Date()): Promise<string> {
  const since = new Date(now.getTime() - HORIZON_PAST_DAYS * 86_400_000);
  const rows = (await meetingsQuery(db, since)
    .where('m.club_id', 'in', (eb) =>
      eb.selectFrom('club_members').select('club_id').where('user_id', '=', userId).where('status', '=', 'active'),
    )
    .execute()) as MeetingRow[];
  const origin = publicOrigin();
  return render(
    rows.map((m) => toEvent(m, origin)),
    calName,
  );
}

/** The person's private feed token (created on first use); `reset` issues a new one. */
export async function calendarToken(db: DB, userId: string, reset = false): Promise<string> {
  if (!reset) {
    const t = await db.selectFrom('club_calendar_tokens').select('token').where('user_id', '=', userId).executeTakeFirst();
    if (t) return t.token;
  }
  const token = randomBytes(24).toString('base64url');
  await db
    .insertInto('club_calendar_tokens')
    .values({ user_id: userId, token, created_at: nowIso() })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token, created_at: nowIso() }))
    .execute();
  return token;
}

export async function userForCalendarToken(db: DB, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  const t = await db.selectFrom('club_calendar_tokens').select('user_id').where('token', '=', token).executeTakeFirst();
  return t?.user_id ?? null;
}

/** The owner of a personal calendar feed and the language their feed is written in. */
export async function calendarOwner(db: DB, token: string): Promise<{ id: string; locale: 'vi' | 'en' } | null> {
  const userId = await userForCalendarToken(db, token);
  if (!userId) return null;
  const user = await db.selectFrom('users').select(['locale']).where('id', '=', userId).executeTakeFirst();
  return user ? { id: userId, locale: user.locale === 'en' ? 'en' : 'vi' } : null;
}
