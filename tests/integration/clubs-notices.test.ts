/**
 * Club notices through the one notification centre, on both dialects: a seat freed from the
 * waitlist, meeting reminders 24 h and 1 h before (sent once even when the job runs twice), a
 * poll opened and closed by the job.
 */
import '~/domain/places.server';

import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { grantRole } from '~/domain/accounts.server';
import { createClub, joinClub } from '~/domain/clubs/clubs.server';
import { runClubJobs } from '~/domain/clubs/jobs.server';
import { createMeeting, rsvp } from '~/domain/clubs/meetings.server';
import { castBallot, createPoll, pollOptions } from '~/domain/clubs/polls.server';
import { listNotifications } from '~/domain/notifications/notify.server';
import { createUnit } from '~/domain/units.server';
import { newId } from '~/lib/ids.server';

import { dialects } from '../helpers/db';
import { ESTABLISHED_ACCOUNT, makeUser } from '../helpers/users';
import { eachFreshWorld } from '../helpers/world';

async function world(db: DB) {
  const ward = await createUnit(db, { parentId: null, kind: 'ward', slug: `w-${newId(6)}`, name: 'Phường' });
  // Adults living in the ward, with accounts old enough that the new-member posting limits do not apply.
  const user = (name: string) => makeUser(db, name, { birthYear: 1980, homeUnitId: ward.id, createdAt: ESTABLISHED_ACCOUNT });
  const mod = await user('Thủ thư');
  await grantRole(db, { userId: mod, unitId: ward.id, role: 'librarian', grantedBy: null });
  const c = await createClub(db, mod, {
    unitId: ward.id,
    name: 'CLB Sách phường',
    descriptionMd: '',
    language: 'vi',
    audience: 'all',
    visibility: 'public',
    intergenerational: false,
  });
  if (!c.ok) throw new Error('club');
  const a = await user('An');
  const b = await user('Bình');
  for (const u of [a, b]) await joinClub(db, u, c.value.id);
  return { mod, club: c.value, a, b };
}

const types = async (db: DB, userId: string) => (await listNotifications(db, userId)).map((n) => n.type);

describe.each(dialects)('club notices (%s)', (dialect) => {
  let db: DB;
  let w: Awaited<ReturnType<typeof world>>;
  eachFreshWorld(dialect, world, (fresh) => ({ db, w } = fresh));

  it('tells the first waiting member when a seat frees, and reminds seated members 24 h and 1 h before, once each', async () => {
    const start = new Date(Date.now() + 48 * 3600_000);
    const m = await createMeeting(db, w.mod, w.club.id, {
      title: 'Gặp mặt tháng 12',
      mode: 'in_person',
      place: 'Nhà văn hoá',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3600_000).toISOString(),
      agendaMd: '',
      capacity: 1,
    });
    if (!m.ok) throw new Error('meeting');
    expect((await rsvp(db, w.a, m.value.id, 'yes')).ok).toBe(true);
    const waiting = await rsvp(db, w.b, m.value.id, 'yes');
    expect(waiting.ok && waiting.value.state).toBe('waitlisted');
    expect(await types(db, w.b)).not.toContain('clubs.promoted');
    const left = await rsvp(db, w.a, m.value.id, 'no');
    expect(left.ok && left.value.promoted).toBe(w.b);
    const notes = await listNotifications(db, w.b);
    expect(notes.find((n) => n.type === 'clubs.promoted')).toMatchObject({
      params: { title: 'Gặp mặt tháng 12', club: 'CLB Sách phường' },
      url: `/clubs/${w.club.slug}/meetings/${m.value.id}`,
    });

    // 23 h before: the 24 h reminder, once, to the seated member only.
    const at23 = new Date(start.getTime() - 23 * 3600_000);
    expect((await runClubJobs(db, at23)).reminded).toBe(1);
    expect((await runClubJobs(db, at23)).reminded).toBe(0);
    // 30 minutes before: the 1 h reminder.
    expect((await runClubJobs(db, new Date(start.getTime() - 30 * 60_000))).reminded).toBe(1);
    expect((await types(db, w.b)).filter((t) => t === 'clubs.reminder')).toHaveLength(2);
    expect(await types(db, w.a)).not.toContain('clubs.reminder');
  });

  it('announces a poll to members when it opens, and its result once when the job closes it', async () => {
    const closes = new Date(Date.now() + 3600_000);
    const p = await createPoll(db, w.mod, w.club.id, {
      question: 'Tháng sau đọc gì?',
      closesAt: closes.toISOString(),
      options: [{ label: 'Tắt đèn' }, { label: 'Số đỏ' }],
    });
    if (!p.ok) throw new Error('poll');
    expect(await types(db, w.a)).toContain('clubs.poll_opened');
    expect(await types(db, w.mod)).not.toContain('clubs.poll_opened');
    const [o1] = await pollOptions(db, p.value.id);
    await castBallot(db, w.a, p.value.id, [o1!.id]);
    const after = new Date(closes.getTime() + 60_000);
    expect((await runClubJobs(db, after)).pollsClosed).toBe(1);
    expect((await runClubJobs(db, after)).pollsClosed).toBe(0);
    expect((await types(db, w.b)).filter((t) => t === 'clubs.poll_closed')).toHaveLength(1);
  });
});
