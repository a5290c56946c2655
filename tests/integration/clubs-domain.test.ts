/**
 * Reading clubs on both dialects: creation and approval, joining by visibility, moderation
 * limits, the RSVP race with its waitlist, ranked book polls (instant runoff against hand
 * counts), iCalendar feeds read back by a real parser, reading logs, streaks, challenges and
 * the school reading-time rule.
 */
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { grantRole } from '~/domain/accounts.server';
import { clubAccess } from '~/domain/clubs/access.server';
import { calendarToken, clubCalendar, personalCalendar, userForCalendarToken } from '~/domain/clubs/calendar.server';
import { markCompletions } from '~/domain/clubs/challenges.server';
import {
  approveClub,
  type ClubInput,
  createClub,
  decideMember,
  generationMix,
  joinClub,
  leaveClub,
  listClubs,
  removeMember,
} from '~/domain/clubs/clubs.server';
import { instantRunoff } from '~/domain/clubs/irv';
import { cancelMeeting, claimDueReminders, createMeeting, rsvp, updateMeeting } from '~/domain/clubs/meetings.server';
import { clubMembersPage, clubPage } from '~/domain/clubs/pages.server';
import { invitePair } from '~/domain/clubs/pairs.server';
import { castBallot, closePoll, createPoll } from '~/domain/clubs/polls.server';
import {
  challengeProgress,
  classCompliance,
  createChallenge,
  joinChallenge,
  logReading,
  recordClassSession,
  setReadingRule,
  streak,
} from '~/domain/clubs/reading.server';
import { createShelf } from '~/domain/library/shelves.server';
import { createUnit } from '~/domain/units.server';
import { newId, nowIso } from '~/lib/ids.server';
import { unwrap } from '~/lib/result';

import { dialects } from '../helpers/db';
import { makeUser } from '../helpers/users';
import { eachFreshWorld } from '../helpers/world';

async function world(db: DB) {
  const ward = await createUnit(db, { parentId: null, kind: 'ward', slug: `w-${newId(6)}`, name: 'Phường Biên Giang' });
  const school = await createUnit(db, { parentId: ward.id, kind: 'school', slug: `s-${newId(6)}`, name: 'Trường THCS Biên Giang' });
  const other = await createUnit(db, { parentId: null, kind: 'ward', slug: `o-${newId(6)}`, name: 'Phường khác' });
  const user = (name: string, birthYear: number | null = 1990, home: string | null = null) =>
    makeUser(db, name, { birthYear, homeUnitId: home });
  const teacher = await user('Cô Hạnh');
  await grantRole(db, { userId: teacher, unitId: school.id, role: 'teacher', grantedBy: null });
  const organiser = await user('Anh Tuấn');
  await grantRole(db, { userId: organiser, unitId: ward.id, role: 'organiser', grantedBy: null });
  const base: ClubInput = {
    unitId: school.id,
    name: 'CLB Đọc sách',
    descriptionMd: 'Cùng đọc',
    language: 'vi',
    audience: 'all',
    visibility: 'public',
    intergenerational: true,
  };
  const club = async (over: Partial<ClubInput> = {}, by = teacher) => {
    const r = await createClub(db, by, { ...base, ...over });
    if (!r.ok) throw new Error(r.code);
    return r.value;
  };
  return { ward, school, other, user, teacher, organiser, club };
}

describe.each(dialects)('reading clubs (%s)', (dialect) => {
  let db: DB;
  let w: Awaited<ReturnType<typeof world>>;
  eachFreshWorld(dialect, world, (fresh) => ({ db, w } = fresh));

  it('staff open clubs at once; a citizen proposes one under their home unit for approval; elsewhere is refused', async () => {
    const c = await w.club();
    expect(c.status).toBe('active');
    const citizen = await w.user('Chị Mai', 1985, w.school.id);
    const proposed = await createClub(db, citizen, {
      unitId: w.school.id,
      name: 'Nhóm đọc phụ huynh',
      descriptionMd: '',
      language: 'vi',
      audience: 'adult',
      visibility: 'request',
      intergenerational: false,
    });
    expect(proposed.ok && proposed.value.status).toBe('pending');
    if (!proposed.ok) return;
    const stranger = await w.user('Người lạ');
    expect((await clubAccess(db, { id: proposed.value.id }, stranger)).status).toBe('hidden');
    expect((await approveClub(db, citizen, proposed.value.id)).ok).toBe(false);
    expect((await approveClub(db, w.organiser, proposed.value.id)).ok).toBe(true);
    expect((await clubAccess(db, { id: proposed.value.id }, stranger)).status).toBe('ok');
    const elsewhere = await createClub(db, citizen, {
      unitId: w.other.id,
      name: 'X',
      descriptionMd: '',
      language: 'vi',
      audience: 'all',
      visibility: 'public',
      intergenerational: false,
    });
    expect(elsewhere).toEqual({ ok: false, code: 'forbidden' });
  });

  it('joins by visibility: public at once, by request after approval, by code only with the right code', async () => {
    const pub = await w.club({ name: 'Công khai' });
    const req = await w.club({ name: 'Theo yêu cầu', visibility: 'request' });
    const code = await w.club({ name: 'Theo mã', visibility: 'code' });
    const reader = await w.user('Bạn đọc');
    expect(await joinClub(db, reader, pub.id)).toEqual({ ok: true, value: { status: 'active' } });
    expect(await joinClub(db, reader, req.id)).toEqual({ ok: true, value: { status: 'pending' } });
    expect((await clubAccess(db, { id: req.id }, reader)).status === 'ok' && (await clubAccess(db, { id: req.id }, reader))).toMatchObject({
      isMember: false,
      canReadInside: false,
    });
    expect((await decideMember(db, w.teacher, req.id, reader, true)).ok).toBe(true);
    expect(await clubAccess(db, { id: req.id }, reader)).toMatchObject({ isMember: true, canReadInside: true });
    expect(await joinClub(db, reader, code.id, 'SAIMA1')).toEqual({ ok: false, code: 'bad_code' });
    const joinCode = (await db.selectFrom('club_clubs').select('join_code').where('id', '=', code.id).executeTakeFirstOrThrow()).join_code!;
    expect((await joinClub(db, reader, code.id, joinCode.toLowerCase())).ok).toBe(true);
    // The last moderator cannot walk away; a member can, and what they wrote stays.
    expect(await leaveClub(db, w.teacher, pub.id)).toEqual({ ok: false, code: 'last_moderator' });
    expect((await leaveClub(db, reader, pub.id)).ok).toBe(true);
  });

  it('the member list page: moderators first, "read together" but for oneself and one’s pair, requests for moderators only, hidden from outsiders of a private club', async () => {
    const c = await w.club({ name: 'CLB danh sách', visibility: 'request' });
    const [lan, minh, mai, stranger] = [
      await w.user('Bà Lan', 1950),
      await w.user('Cháu Minh', 2016),
      await w.user('Chị Mai'),
      await w.user('Người lạ'),
    ];
    for (const m of [lan, minh, mai]) unwrap(await joinClub(db, m, c.id));
    unwrap(await decideMember(db, w.teacher, c.id, lan, true));
    unwrap(await decideMember(db, w.teacher, c.id, minh, true));
    unwrap(await invitePair(db, lan, c.id, minh));
    const asLan = await clubMembersPage(db, c.slug, lan);
    if (asLan.status !== 'ok') throw new Error(asLan.status);
    expect(asLan.members.map((m) => [m.name, m.role, m.canInvite])).toEqual([
      ['Cô Hạnh', 'moderator', true],
      ['Bà Lan', 'member', false], // herself
      ['Minh', 'member', false], // her pair (a child: first name only)
    ]);
    expect(asLan.access.canModerate).toBe(false);
    const asTeacher = await clubMembersPage(db, c.slug, w.teacher);
    expect(asTeacher.status === 'ok' && asTeacher.members.filter((m) => m.status === 'pending').map((m) => m.name)).toEqual(['Chị Mai']);
    expect((await clubMembersPage(db, c.slug, stranger)).status).toBe('forbidden');
    expect((await clubMembersPage(db, c.slug, mai)).status).toBe('forbidden'); // still waiting
    expect((await clubMembersPage(db, 'khong-co', lan)).status).toBe('missing');
    // The club page itself sums the members up and tells moderators how many requests wait.
    const page = await clubPage(db, c.slug, w.teacher);
    expect(page.status === 'ok' && [page.moderators, page.pendingRequests]).toEqual([['Cô Hạnh'], 1]);
  });

  it('a moderator of one club cannot act on another; a citizen cannot moderate', async () => {
    const a = await w.club({ name: 'CLB A' });
    const otherTeacher = await w.user('Thầy Nam');
    await grantRole(db, { userId: otherTeacher, unitId: w.other.id, role: 'teacher', grantedBy: null });
    const b = await createClub(db, otherTeacher, {
      unitId: w.other.id,
      name: 'CLB B',
      descriptionMd: '',
      language: 'vi',
      audience: 'all',
      visibility: 'public',
      intergenerational: false,
    });
    if (!b.ok) throw new Error('b');
    const member = await w.user('Thành viên');
    await joinClub(db, member, a.id);
    expect(await removeMember(db, otherTeacher, a.id, member)).toEqual({ ok: false, code: 'forbidden' });
    expect(await removeMember(db, member, a.id, w.teacher)).toEqual({ ok: false, code: 'forbidden' });
    const start = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const end = new Date(Date.now() + 7 * 86_400_000 + 3_600_000).toISOString();
    expect(
      await createMeeting(db, otherTeacher, a.id, {
        title: 'x',
        mode: 'online',
        link: 'https://meet.example.vn/x',
        startsAt: start,
        endsAt: end,
        agendaMd: '',
        capacity: null,
      }),
    ).toEqual({
      ok: false,
      code: 'forbidden',
    });
  });

  it('200 concurrent RSVPs to a 20-seat meeting: exactly 20 confirmed, 180 waitlisted in arrival order; a cancellation promotes the first waiting', async () => {
    const c = await w.club();
    const members: string[] = [];
    for (let i = 0; i < 200; i++) members.push(await w.user(`Thành viên ${i}`));
    await db
      .insertInto('club_members')
      .values(
        members.map((m) => ({
          club_id: c.id,
          user_id: m,
          role: 'member' as const,
          status: 'active' as const,
          joined_at: nowIso(),
          updated_at: nowIso(),
        })),
      )
      .execute();
    const start = new Date(Date.now() + 3 * 86_400_000);
    const m = await createMeeting(db, w.teacher, c.id, {
      title: 'Buổi gặp tháng 12',
      mode: 'in_person',
      place: 'Thư viện trường',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 5_400_000).toISOString(),
      agendaMd: '',
      capacity: 20,
    });
    if (!m.ok) throw new Error(m.code);
    const results = await Promise.all(members.map((u) => rsvp(db, u, m.value.id, 'yes')));
    expect(results.every((r) => r.ok)).toBe(true);
    const rows = await db
      .selectFrom('club_rsvps')
      .select(['user_id', 'state', 'waitlist_seq'])
      .where('meeting_id', '=', m.value.id)
      .execute();
    expect(rows.length).toBe(200);
    expect(rows.filter((r) => r.state === 'confirmed').length).toBe(20);
    const waiting = rows
      .filter((r) => r.state === 'waitlisted')
      .map((r) => Number(r.waitlist_seq))
      .sort((a, b) => a - b);
    expect(waiting).toEqual(Array.from({ length: 180 }, (_, i) => i + 1));

    const firstWaiting = rows.find((r) => Number(r.waitlist_seq) === 1)!.user_id;
    const aConfirmed = rows.find((r) => r.state === 'confirmed')!.user_id;
    const cancel = await rsvp(db, aConfirmed, m.value.id, 'no');
    expect(cancel.ok && cancel.value.promoted).toBe(firstWaiting);
    const after = await db
      .selectFrom('club_rsvps')
      .select(['state'])
      .where('meeting_id', '=', m.value.id)
      .where('user_id', '=', firstWaiting)
      .executeTakeFirstOrThrow();
    expect(after.state).toBe('confirmed');
    // A second person now waiting is told their place.
    const late = await w.user('Đến muộn');
    await joinClub(db, late, c.id);
    const mine = await rsvp(db, late, m.value.id, 'yes');
    expect(mine.ok && mine.value).toMatchObject({ state: 'waitlisted', position: 180 });
  });

  it('rejects a meeting that ends before it starts, and RSVPs from non-members or to past meetings', async () => {
    const c = await w.club();
    const t = Date.now() + 86_400_000;
    expect(
      await createMeeting(db, w.teacher, c.id, {
        title: 'x',
        mode: 'online',
        link: 'https://x.vn',
        startsAt: new Date(t).toISOString(),
        endsAt: new Date(t - 60_000).toISOString(),
        agendaMd: '',
        capacity: null,
      }),
    ).toEqual({
      ok: false,
      code: 'ends_before_start',
    });
    const m = await createMeeting(db, w.teacher, c.id, {
      title: 'x',
      mode: 'online',
      link: 'https://x.vn',
      startsAt: new Date(t).toISOString(),
      endsAt: new Date(t + 60_000).toISOString(),
      agendaMd: '',
      capacity: 5,
    });
    if (!m.ok) throw new Error(m.code);
    const outsider = await w.user('Ngoài CLB');
    expect(await rsvp(db, outsider, m.value.id, 'yes')).toEqual({ ok: false, code: 'not_member' });
    expect(await rsvp(db, w.teacher, m.value.id, 'yes', new Date(t + 1000))).toEqual({ ok: false, code: 'past' });
  });

  it('reminders go out 24 h and 1 h before, once each, even with two runners racing', async () => {
    const c = await w.club();
    const start = new Date('2026-12-10T12:00:00Z');
    const m = await createMeeting(db, w.teacher, c.id, {
      title: 'Gặp mặt',
      mode: 'online',
      link: 'https://x.vn',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
      agendaMd: '',
      capacity: null,
    });
    if (!m.ok) throw new Error(m.code);
    await rsvp(db, w.teacher, m.value.id, 'yes', new Date('2026-12-01T00:00:00Z'));
    const dayBefore = new Date(start.getTime() - 23 * 3_600_000);
    const [a, b] = await Promise.all([claimDueReminders(db, dayBefore), claimDueReminders(db, dayBefore)]);
    expect([...a, ...b].map((r) => r.which)).toEqual(['24h']);
    expect([...a, ...b][0]!.userIds).toEqual([w.teacher]);
    expect(await claimDueReminders(db, dayBefore)).toEqual([]);
    const hourBefore = new Date(start.getTime() - 30 * 60_000);
    expect((await claimDueReminders(db, hourBefore)).map((r) => r.which)).toEqual(['1h']);
  });

  it('iCalendar feeds parse, keep Vietnam times, bump SEQUENCE on change and mark cancellations', async () => {
    const c = await w.club({ name: 'CLB Đọc sách liên thế hệ' });
    // 19:30 on 15/12/2026 in Hà Nội is 12:30 UTC.
    const m = await createMeeting(db, w.teacher, c.id, {
      title: 'Đọc "Dế Mèn phiêu lưu ký", chương 1–3',
      mode: 'in_person',
      place: 'Trung tâm học tập cộng đồng, phường Biên Giang',
      startsAt: '2026-12-15T12:30:00.000Z',
      endsAt: '2026-12-15T14:00:00.000Z',
      agendaMd: 'Giới thiệu; thảo luận; đọc to',
      capacity: null,
    });
    if (!m.ok) throw new Error(m.code);
    const now = new Date('2026-12-01T00:00:00Z');
    let comp = new ICAL.Component(ICAL.parse(await clubCalendar(db, c.id, now)));
    let ev = new ICAL.Event(comp.getFirstSubcomponent('vevent')!);
    expect(ev.summary).toContain('Dế Mèn');
    expect(ev.location).toContain('Biên Giang');
    expect(ev.sequence).toBe(0);
    expect(ev.uid).toBe(`meeting-${m.value.id}@hoctapsuotdoi`);
    const start = ev.startDate.toJSDate();
    const local = new Intl.DateTimeFormat('vi-VN', {
      timeZone: 'Asia/Ho_Chi_Minh',
      hour: '2-digit',
      minute: '2-digit',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour12: false,
    }).format(start);
    expect(local).toBe('19:30 15/12/2026');
    expect(comp.getFirstPropertyValue('x-wr-timezone')).toBe('Asia/Ho_Chi_Minh');

    await updateMeeting(db, w.teacher, m.value.id, {
      title: 'Đọc "Dế Mèn phiêu lưu ký", chương 1–3',
      mode: 'in_person',
      place: 'Thư viện trường',
      startsAt: '2026-12-15T13:00:00.000Z',
      endsAt: '2026-12-15T14:30:00.000Z',
      agendaMd: '',
      capacity: null,
    });
    await cancelMeeting(db, w.teacher, m.value.id);
    comp = new ICAL.Component(ICAL.parse(await clubCalendar(db, c.id, now)));
    ev = new ICAL.Event(comp.getFirstSubcomponent('vevent')!);
    expect(ev.sequence).toBe(2);
    expect(comp.getFirstSubcomponent('vevent')!.getFirstPropertyValue('status')).toBe('CANCELLED');

    // A person's private feed holds every meeting of their clubs, found by a resettable token.
    const token = await calendarToken(db, w.teacher);
    expect(await userForCalendarToken(db, token)).toBe(w.teacher);
    const fresh = await calendarToken(db, w.teacher, true);
    expect(await userForCalendarToken(db, token)).toBeNull();
    expect(await userForCalendarToken(db, fresh)).toBe(w.teacher);
    const mine = new ICAL.Component(ICAL.parse(await personalCalendar(db, w.teacher, 'Lịch CLB của tôi', now)));
    expect(mine.getAllSubcomponents('vevent').length).toBe(1);
    const outsider = await w.user('Không tham gia');
    expect(new ICAL.Component(ICAL.parse(await personalCalendar(db, outsider, 'Lịch', now))).getAllSubcomponents('vevent').length).toBe(0);
  });

  it('iCalendar text: CRLF lines folded at 75 octets, TEXT escaped, feeds the same until a meeting changes', async () => {
    const a = await w.club({ name: 'CLB Sách, thơ; và "truyện"' });
    const b = await w.club({ name: 'CLB Văn học\\Thiếu nhi' });
    const long = 'Đọc to từng đoạn, thảo luận; hỏi đáp\\ghi chép.\nPhần hai: chia sẻ cảm nhận của ông bà và các cháu về nhân vật. '.repeat(
      4,
    );
    const meet = async (clubId: string, startsAt: string, title: string) => {
      const r = await createMeeting(db, w.teacher, clubId, {
        title,
        mode: 'in_person',
        place: 'Thư viện, tầng 2; phòng đọc',
        startsAt,
        endsAt: new Date(Date.parse(startsAt) + 90 * 60_000).toISOString(),
        agendaMd: long,
        capacity: null,
      });
      if (!r.ok) throw new Error(r.code);
      return r.value.id;
    };
    const later = await meet(a.id, '2026-12-20T12:00:00.000Z', 'Buổi sau');
    await meet(b.id, '2026-12-10T12:00:00.000Z', 'Buổi trước');
    const now = new Date('2026-12-01T00:00:00Z');
    const text = await personalCalendar(db, w.teacher, 'Lịch CLB của tôi', now);
    const lines = text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(lines.some((l) => l.startsWith('\t') || l.startsWith(' '))).toBe(true);
    expect(text).toContain('LOCATION:Thư viện\\, tầng 2\\; phòng đọc');

    const comp = new ICAL.Component(ICAL.parse(text));
    const events = comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    // Both clubs' meetings, in order of their start across clubs.
    expect(events.map((e) => e.summary)).toEqual(['Buổi trước — CLB Văn học\\Thiếu nhi', 'Buổi sau — CLB Sách, thơ; và "truyện"']);
    expect(events[0]!.description).toBe(long);
    expect(events[0]!.location).toBe('Thư viện, tầng 2; phòng đọc');
    expect(comp.getFirstPropertyValue('x-wr-calname')).toBe('Lịch CLB của tôi');

    // The same text while nothing changes (DTSTAMP is the meeting's last change, not the clock)…
    expect(await personalCalendar(db, w.teacher, 'Lịch CLB của tôi', now)).toBe(text);
    // …and a changed meeting is written afresh, in both feeds.
    await updateMeeting(db, w.teacher, later, {
      title: 'Buổi sau (dời giờ)',
      mode: 'online',
      link: 'https://meet.example.vn/clb',
      startsAt: '2026-12-20T13:00:00.000Z',
      endsAt: '2026-12-20T14:00:00.000Z',
      agendaMd: '',
      capacity: null,
    });
    for (const feed of [await personalCalendar(db, w.teacher, 'Lịch CLB của tôi', now), await clubCalendar(db, a.id, now)]) {
      const ev = new ICAL.Component(ICAL.parse(feed))
        .getAllSubcomponents('vevent')
        .map((v) => new ICAL.Event(v))
        .find((e) => e.uid === `meeting-${later}@hoctapsuotdoi`)!;
      expect(ev.summary).toBe('Buổi sau (dời giờ) — CLB Sách, thơ; và "truyện"');
      expect(ev.location).toBe('https://meet.example.vn/clb');
      expect(ev.sequence).toBe(1);
      expect(ev.startDate.toJSDate().toISOString()).toBe('2026-12-20T13:00:00.000Z');
    }
  });

  it('book polls: ranked ballots, one per member under concurrency, instant-runoff winner with every round kept', async () => {
    const c = await w.club();
    const voters: string[] = [];
    for (let i = 0; i < 5; i++) {
      const u = await w.user(`Cử tri ${i}`);
      await joinClub(db, u, c.id);
      voters.push(u);
    }
    const now = new Date();
    const p = await createPoll(
      db,
      w.teacher,
      c.id,
      {
        question: 'Tháng sau đọc gì?',
        closesAt: new Date(now.getTime() + 86_400_000).toISOString(),
        options: [{ label: 'Tắt đèn' }, { label: 'Số đỏ' }, { label: 'Vợ nhặt' }],
      },
      now,
    );
    if (!p.ok) throw new Error(p.code);
    expect(
      await createPoll(
        db,
        w.teacher,
        c.id,
        { question: 'x', closesAt: new Date(now.getTime() + 1000).toISOString(), options: [{ label: 'Một' }] },
        now,
      ),
    ).toEqual({ ok: false, code: 'too_few' });
    const opts = await db
      .selectFrom('club_poll_options')
      .select(['id', 'label'])
      .where('poll_id', '=', p.value.id)
      .orderBy('position')
      .execute();
    const [tat, so, vo] = opts.map((o) => o.id) as [string, string, string];
    // Round 1: Tắt đèn 2, Số đỏ 2, Vợ nhặt 1 → Vợ nhặt out; its ballot goes to Số đỏ → 3 of 5.
    await castBallot(db, voters[0]!, p.value.id, [tat, so]);
    await castBallot(db, voters[1]!, p.value.id, [tat]);
    await castBallot(db, voters[2]!, p.value.id, [so, tat]);
    await castBallot(db, voters[3]!, p.value.id, [so]);
    // Voter 4 changes their mind several times at once: one ballot remains.
    await Promise.all([
      castBallot(db, voters[4]!, p.value.id, [tat]),
      castBallot(db, voters[4]!, p.value.id, [vo, so]),
      castBallot(db, voters[4]!, p.value.id, [vo, so]),
    ]);
    await db
      .updateTable('club_ballots')
      .set({ ranking: [vo, so].join(',') })
      .where('poll_id', '=', p.value.id)
      .where('user_id', '=', voters[4]!)
      .execute();
    const count = await db.selectFrom('club_ballots').select('user_id').where('poll_id', '=', p.value.id).execute();
    expect(count.length).toBe(5);
    const outsider = await w.user('Ngoài');
    expect(await castBallot(db, outsider, p.value.id, [tat])).toEqual({ ok: false, code: 'not_member' });
    const r = await closePoll(db, p.value.id, { userId: w.teacher });
    expect(r.ok && r.value.winner).toBe(so);
    expect(r.ok && r.value.rounds.map((x) => x.eliminated)).toEqual([vo, null]);
    expect(await castBallot(db, voters[0]!, p.value.id, [vo])).toEqual({ ok: false, code: 'poll_closed' });
  });

  it('logs reading with a family pair once for both, caps a day at 24 hours, and counts streaks', async () => {
    const c = await w.club();
    const grandma = await w.user('Bà Lan', 1955);
    const grandchild = await w.user('Nguyễn Minh', 2016);
    await joinClub(db, grandma, c.id);
    await joinClub(db, grandchild, c.id);
    const now = new Date('2026-11-30T05:00:00Z');
    expect(await logReading(db, grandma, { readOn: '2026-11-30', minutes: 30, partnerUserId: grandchild }, now)).toEqual({
      ok: false,
      code: 'not_partner',
    });
    await db
      .insertInto('club_pairs')
      .values({
        id: newId(),
        club_id: c.id,
        inviter_id: grandma,
        invitee_id: grandchild,
        status: 'accepted',
        created_at: nowIso(),
        responded_at: nowIso(),
      })
      .execute();
    expect(
      (await logReading(db, grandma, { readOn: '2026-11-30', minutes: 30, partnerUserId: grandchild, outsideTitle: 'Truyện cổ tích' }, now))
        .ok,
    ).toBe(true);
    expect((await logReading(db, grandchild, { readOn: '2026-11-30', minutes: 1411 }, now)).ok).toBe(false);
    expect(await logReading(db, grandchild, { readOn: '2026-11-30', minutes: 1411 }, now)).toEqual({ ok: false, code: 'day_full' });
    expect(await logReading(db, grandchild, { readOn: '2026-12-01', minutes: 10 }, now)).toEqual({ ok: false, code: 'future_date' });
    expect(await logReading(db, grandchild, { readOn: '2026-11-29', minutes: 2000 }, now)).toEqual({ ok: false, code: 'bad_minutes' });
    await logReading(db, grandchild, { readOn: '2026-11-29', minutes: 15 }, now);
    await logReading(db, grandchild, { readOn: '2026-11-28', minutes: 15 }, now);
    await logReading(db, grandchild, { readOn: '2026-11-26', minutes: 15 }, now);
    expect(await streak(db, grandchild, now)).toBe(3);
    expect(await streak(db, grandma, now)).toBe(1);
    const mix = await generationMix(db, c.id, now);
    expect(mix).toMatchObject({ child: 1, elder: 1 });
  });

  it('challenges: progress bars per kind and completion once', async () => {
    const reader = await w.user('Bạn đọc');
    const ch = await createChallenge(db, w.teacher, {
      unitId: w.school.id,
      name: '20 phút mỗi ngày trong Tuần lễ',
      kind: 'minutes_per_day',
      target: 20,
      startsOn: '2026-11-24',
      endsOn: '2026-11-26',
    });
    if (!ch.ok) throw new Error(ch.code);
    expect(
      await createChallenge(db, reader, {
        unitId: w.school.id,
        name: 'x',
        kind: 'books',
        target: 1,
        startsOn: '2026-11-01',
        endsOn: '2026-11-02',
      }),
    ).toEqual({ ok: false, code: 'forbidden' });
    const now = new Date('2026-11-26T10:00:00Z');
    await joinChallenge(db, reader, ch.value.id, now);
    await logReading(db, reader, { readOn: '2026-11-24', minutes: 20 }, now);
    await logReading(db, reader, { readOn: '2026-11-25', minutes: 25 }, now);
    expect(await challengeProgress(db, reader, ch.value.id, now)).toMatchObject({ done: 2, target: 3, complete: false });
    expect(await markCompletions(db, ch.value.id, now)).toEqual([]);
    await logReading(db, reader, { readOn: '2026-11-26', minutes: 10 }, now);
    await logReading(db, reader, { readOn: '2026-11-26', minutes: 10 }, now);
    expect(await challengeProgress(db, reader, ch.value.id, now)).toMatchObject({ done: 3, percent: 100, complete: true });
    expect(await markCompletions(db, ch.value.id, now)).toEqual([reader]);
    expect(await markCompletions(db, ch.value.id, now)).toEqual([]);
  });

  it('the school reading-time rule: a class session logs every present student, and compliance is counted per week and month', async () => {
    const shelf = await createShelf(db, { unitId: w.school.id, teacherId: w.teacher, name: 'Lớp 7A' });
    const a = await w.user('Lê Văn An', 2013);
    const b = await w.user('Trần Thị Bình', 2013);
    for (const s of [a, b])
      await db.insertInto('lib_shelf_members').values({ shelf_id: shelf.id, user_id: s, joined_at: nowIso() }).execute();
    expect(await setReadingRule(db, a, w.school.id, { minutes: 15, period: 'day', weekdays: [1, 2, 3, 4, 5] })).toEqual({
      ok: false,
      code: 'forbidden',
    });
    expect((await setReadingRule(db, w.teacher, w.school.id, { minutes: 15, period: 'day', weekdays: [1, 2, 3, 4, 5] })).ok).toBe(true);
    // Wednesday 25/11/2026: Monday–Wednesday of this week are rule days (45 minutes).
    const now = new Date('2026-11-25T09:00:00Z');
    const s = await recordClassSession(db, w.teacher, { shelfId: shelf.id, readOn: '2026-11-23', minutes: 15, present: [a, b] }, now);
    expect(s.ok && s.value.logged).toBe(2);
    await recordClassSession(db, w.teacher, { shelfId: shelf.id, readOn: '2026-11-24', minutes: 15, present: [a] }, now);
    expect(await recordClassSession(db, a, { shelfId: shelf.id, readOn: '2026-11-24', minutes: 15, present: [a] }, now)).toEqual({
      ok: false,
      code: 'not_teacher',
    });
    const c = await classCompliance(db, shelf.id, now);
    const byName = Object.fromEntries(c.students.map((x) => [x.name, x]));
    expect(byName['Lê Văn An']!.week).toEqual({ read: 30, required: 45 });
    expect(byName['Trần Thị Bình']!.week).toEqual({ read: 15, required: 45 });
    // November so far: 18 weekdays up to the 25th.
    expect(byName['Lê Văn An']!.month.required).toBe(18 * 15);
  });

  it('directory filters by unit subtree and intergenerational clubs', async () => {
    await w.club({ name: 'CLB trường', intergenerational: false });
    await w.club({ name: 'CLB ông bà cháu', intergenerational: true });
    const inWard = await listClubs(db, { unitId: w.ward.id });
    expect(inWard.clubs.map((c) => c.name).sort()).toEqual(['CLB trường', 'CLB ông bà cháu'].sort());
    expect((await listClubs(db, { unitId: w.other.id })).clubs).toEqual([]);
    expect((await listClubs(db, { intergenerational: true })).clubs.map((c) => c.name)).toEqual(['CLB ông bà cháu']);
  });
});

describe('instant runoff (hand-counted)', () => {
  it('a first-round majority wins at once', () => {
    expect(instantRunoff(['a', 'b', 'c'], [['a'], ['a', 'b'], ['b'], ['a']])).toEqual({
      winner: 'a',
      rounds: [{ counts: { a: 3, b: 1, c: 0 }, exhausted: 0, eliminated: null }],
    });
  });
  it('exhausted ballots stop counting toward the majority', () => {
    // a 2, b 2, c 1 (c→nothing). c out: exhausted 1, a 2 vs b 2 of 4 → tie for fewest: earlier rounds equal, first choices equal → later-listed b out.
    const r = instantRunoff(['a', 'b', 'c'], [['a'], ['a'], ['b'], ['b'], ['c']]);
    expect(r.rounds.map((x) => x.eliminated)).toEqual(['c', 'b', null]);
    expect(r.rounds[1]).toMatchObject({ exhausted: 1 });
    expect(r.winner).toBe('a');
  });
  it('a tie for fewest goes to the earlier rounds: the one weaker before is eliminated', () => {
    // Round 1: a 3, b 2, c 2, d 1 → d out (d→c). Round 2: a 3, b 2, c 3 → b out (fewest). b→c. Round 3: a 3, c 5 → c.
    const ballots = [['a'], ['a'], ['a'], ['b', 'c'], ['b', 'c'], ['c'], ['c'], ['d', 'c']];
    const r = instantRunoff(['a', 'b', 'c', 'd'], ballots);
    expect(r.rounds.map((x) => x.eliminated)).toEqual(['d', 'b', null]);
    expect(r.winner).toBe('c');
    // Round 1: a 4, b 2, c 1, d 1 (no majority of 8). c and d tie with the same first choices → the later-listed d out; d→c.
    // Round 2: a 4, b 2, c 2 → b and c tie; in round 1 c had fewer → c out (both its ballots exhaust).
    // Round 3: a 4, b 2 of 6 still counting → a wins.
    const r2 = instantRunoff(['a', 'b', 'c', 'd'], [['a'], ['a'], ['a'], ['b'], ['b'], ['c'], ['d', 'c'], ['a']]);
    expect(r2.rounds.map((x) => x.eliminated)).toEqual(['d', 'c', null]);
    expect(r2.rounds[2]).toMatchObject({ exhausted: 2 });
    expect(r2.winner).toBe('a');
  });
  it('ignores unknown and repeated options and returns no winner without votes', () => {
    expect(instantRunoff(['a', 'b'], [])).toEqual({ winner: null, rounds: [] });
    expect(instantRunoff(['a', 'b'], [['x', 'b', 'b']]).winner).toBe('b');
  });
});
