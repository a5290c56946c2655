/**
 * Reading challenges and the school reading-time rule as pages, on both dialects: joining, progress,
 * finishing once with a certificate verified by the one /verify/<code> registry, leaderboards that
 * keep children's names private, class figures as aggregates, and the school and class pages'
 * permissions (a student sees their own figures only).
 */
import { beforeAll, expect, it } from 'vitest';

import { verifyCertificate } from '~/domain/certificates/verify.server';
import {
  challengePage,
  completeDueChallenges,
  createChallengeFor,
  listChallenges,
  logReadingAndCheck,
  runChallengeAction,
} from '~/domain/clubs/challenges.server';
import { createClub } from '~/domain/clubs/clubs.server';
import { setReadingRule } from '~/domain/clubs/reading.server';
import { classPage, recordClassSessionAndCheck, schoolPage } from '~/domain/clubs/school.server';
import { createShelf } from '~/domain/library/shelves.server';
import { nowIso } from '~/lib/ids.server';
import { unwrap } from '~/lib/result';
import { action as newChallengeAction } from '~/routes/clubs.challenges.new';
import { action as classAction } from '~/routes/clubs.schools.$unit.classes.$shelfId';

import { callRoute } from '../helpers/routes';
import { describeWorld, makeUser } from '../helpers/world';

const NOW = new Date('2026-11-25T09:00:00Z'); // Wednesday 25/11/2026 in Vietnam

describeWorld('clubs: reading challenges and the school rule', (w) => {
  let schoolSlug = '';
  beforeAll(async () => {
    schoolSlug = (await w.db.selectFrom('units').select('slug').where('id', '=', w.units.school).executeTakeFirstOrThrow()).slug;
  });

  async function person(name: string, birthYear: number | null) {
    const id = await makeUser(w.db, name);
    await w.db.updateTable('users').set({ birth_year: birthYear }).where('id', '=', id).execute();
    return id;
  }

  it('a school challenge: join, log, finish once, and a certificate verified at /verify/<code>', async () => {
    const ch = unwrap(
      await createChallengeFor(w.db, w.users.teacher, {
        owner: `unit:${w.units.school}`,
        name: '5 cuốn trong tháng 11',
        kind: 'books',
        target: 2,
        startsOn: '2026-11-01',
        endsOn: '2026-11-30',
      }),
    );
    expect(
      await createChallengeFor(w.db, w.users.learner, {
        owner: `unit:${w.units.school}`,
        name: 'x',
        kind: 'books',
        target: 1,
        startsOn: '2026-11-01',
        endsOn: '2026-11-02',
      }),
    ).toEqual({ ok: false, code: 'forbidden' });
    const adult = await person('Nguyễn Văn Hùng', 1980);
    const child = await person('Lê Thị Minh Anh', 2015);
    for (const u of [adult, child])
      expect(await runChallengeAction(w.db, u, ch.id, { intent: 'join' }, NOW)).toEqual({ ok: true, value: 'clubs.flash.challengeJoined' });
    expect((await listChallenges(w.db, adult, {}, NOW)).find((c) => c.id === ch.id)).toMatchObject({ joined: true, participants: 2 });

    unwrap(await logReadingAndCheck(w.db, adult, { readOn: '2026-11-20', minutes: 30, outsideTitle: 'Dế Mèn phiêu lưu ký' }, NOW));
    let page = await challengePage(w.db, ch.id, adult, NOW);
    if (page.status !== 'ok') throw new Error(page.status);
    expect(page.mine).toMatchObject({ progress: { done: 1, target: 2, percent: 50 }, completed: false, certificate: null });

    const done = unwrap(await logReadingAndCheck(w.db, adult, { readOn: '2026-11-21', minutes: 20, outsideTitle: 'Tắt đèn' }, NOW));
    expect(done.finished).toEqual([ch.id]);
    // Another book after finishing: no second certificate.
    expect(
      unwrap(await logReadingAndCheck(w.db, adult, { readOn: '2026-11-22', minutes: 20, outsideTitle: 'Số đỏ' }, NOW)).finished,
    ).toEqual([]);
    page = await challengePage(w.db, ch.id, adult, NOW);
    if (page.status !== 'ok') throw new Error(page.status);
    expect(page.mine?.completed).toBe(true);
    const code = page.mine!.certificate!;
    const v = await verifyCertificate(w.db, code.toLowerCase().replace(/-/g, ''));
    expect(v).toMatchObject({ status: 'valid', source: 'challenge', holderName: 'Nguyễn Văn Hùng', courseTitle: '5 cuốn trong tháng 11' });
    expect(v.status !== 'unknown' && v.href).toBe(`/clubs/challenges/${ch.id}`);
    expect(page.finishers).toBe(1);

    // A child finishes: the public certificate names her by first name only.
    unwrap(await logReadingAndCheck(w.db, child, { readOn: '2026-11-20', minutes: 15, outsideTitle: 'Truyện cổ tích' }, NOW));
    unwrap(await logReadingAndCheck(w.db, child, { readOn: '2026-11-21', minutes: 15, outsideTitle: 'Thơ Trần Đăng Khoa' }, NOW));
    const childPage = await challengePage(w.db, ch.id, child, NOW);
    if (childPage.status !== 'ok') throw new Error(childPage.status);
    expect(await verifyCertificate(w.db, childPage.mine!.certificate!)).toMatchObject({ status: 'valid', holderName: 'Anh' });
  });

  it('the leaderboard: names for participants only, children by first name, and anyone may leave it', async () => {
    const ch = unwrap(
      await createChallengeFor(w.db, w.users.teacher, {
        owner: `unit:${w.units.school}`,
        name: 'Tổng 300 phút',
        kind: 'minutes_total',
        target: 300,
        startsOn: '2026-11-20',
        endsOn: '2026-11-30',
      }),
    );
    const grandma = await person('Trần Thị Lan', 1955);
    const kid = await person('Phạm Gia Bảo', 2016);
    for (const u of [grandma, kid]) unwrap(await runChallengeAction(w.db, u, ch.id, { intent: 'join' }, NOW));
    unwrap(await logReadingAndCheck(w.db, grandma, { readOn: '2026-11-24', minutes: 60 }, NOW));
    unwrap(await logReadingAndCheck(w.db, kid, { readOn: '2026-11-24', minutes: 90 }, NOW));

    const anon = await challengePage(w.db, ch.id, null, NOW);
    if (anon.status !== 'ok') throw new Error(anon.status);
    expect(anon).toMatchObject({ seesNames: false, board: [], participants: 2 });
    const outsider = await challengePage(w.db, ch.id, w.users.stranger, NOW);
    expect(outsider.status === 'ok' && outsider.board).toEqual([]);

    const seen = await challengePage(w.db, ch.id, grandma, NOW);
    if (seen.status !== 'ok') throw new Error(seen.status);
    expect(seen.board.map((b) => [b.name, b.done])).toEqual([
      ['Bảo', 90],
      ['Trần Thị Lan', 60],
    ]);
    expect(JSON.stringify(seen)).not.toContain('Phạm Gia Bảo');
    unwrap(await runChallengeAction(w.db, kid, ch.id, { intent: 'board', show: '0' }, NOW));
    const after = await challengePage(w.db, ch.id, grandma, NOW);
    expect(after.status === 'ok' && after.board.map((b) => b.name)).toEqual(['Trần Thị Lan']);
    // The staff of the school see the board too.
    const staff = await challengePage(w.db, ch.id, w.users.teacher, NOW);
    expect(staff.status === 'ok' && staff.seesNames).toBe(true);
  });

  it("a club's challenge: members join, outsiders of a private club never see it", async () => {
    const club = unwrap(
      await createClub(w.db, w.users.teacher, {
        unitId: w.units.school,
        name: `CLB riêng ${w.dialect}`,
        descriptionMd: '',
        language: 'vi',
        audience: 'all',
        visibility: 'request',
        intergenerational: false,
      }),
    );
    const ch = unwrap(
      await createChallengeFor(w.db, w.users.teacher, {
        owner: `club:${club.id}`,
        name: 'Đọc cùng câu lạc bộ',
        kind: 'minutes_per_day',
        target: 10,
        startsOn: '2026-11-23',
        endsOn: '2026-11-29',
      }),
    );
    expect(
      await createChallengeFor(w.db, w.users.learner, {
        owner: `club:${club.id}`,
        name: 'x',
        kind: 'books',
        target: 1,
        startsOn: '2026-11-23',
        endsOn: '2026-11-29',
      }),
    ).toEqual({ ok: false, code: 'forbidden' });
    expect((await challengePage(w.db, ch.id, w.users.learner, NOW)).status).toBe('missing');
    expect(await runChallengeAction(w.db, w.users.learner, ch.id, { intent: 'join' }, NOW)).toEqual({ ok: false, code: 'not_found' });
    expect((await listChallenges(w.db, w.users.learner, {}, NOW)).some((c) => c.id === ch.id)).toBe(false);
    expect(unwrap(await runChallengeAction(w.db, w.users.teacher, ch.id, { intent: 'join' }, NOW))).toBe('clubs.flash.challengeJoined');
  });

  it('the school page and a class session: staff see classes, a student only their own; the session finishes a challenge', async () => {
    const shelf = await createShelf(w.db, { unitId: w.units.school, teacherId: w.users.teacher, name: `Lớp 6A ${w.dialect}` });
    const students = [await person('Lê Văn An', 2014), await person('Trần Thị Bình', 2014), await person('Đỗ Minh Châu', 2014)];
    for (const s of students)
      await w.db.insertInto('lib_shelf_members').values({ shelf_id: shelf.id, user_id: s, joined_at: nowIso() }).execute();
    unwrap(await setReadingRule(w.db, w.users.teacher, w.units.school, { minutes: 15, period: 'day', weekdays: [1, 2, 3, 4, 5] }));
    const ch = unwrap(
      await createChallengeFor(w.db, w.users.teacher, {
        owner: `unit:${w.units.school}`,
        name: '30 phút trong tuần',
        kind: 'minutes_total',
        target: 30,
        startsOn: '2026-11-23',
        endsOn: '2026-11-29',
      }),
    );
    for (const s of students) unwrap(await runChallengeAction(w.db, s, ch.id, { intent: 'join' }, NOW));

    unwrap(
      await recordClassSessionAndCheck(
        w.db,
        w.users.teacher,
        { shelfId: shelf.id, readOn: '2026-11-23', minutes: 15, present: students },
        NOW,
      ),
    );
    unwrap(
      await recordClassSessionAndCheck(
        w.db,
        w.users.teacher,
        { shelfId: shelf.id, readOn: '2026-11-24', minutes: 15, present: students.slice(0, 2) },
        NOW,
      ),
    );
    const teacherView = await schoolPage(w.db, schoolSlug, w.users.teacher, NOW);
    if (teacherView.status !== 'ok') throw new Error(teacherView.status);
    expect(teacherView.rule).toMatchObject({ minutes: 15, period: 'day', weekdays: [1, 2, 3, 4, 5], inherited: false });
    expect(teacherView.classes.find((c) => c.id === shelf.id)).toMatchObject({ students: 3, meetWeek: 0 });

    const studentView = await schoolPage(w.db, schoolSlug, students[2]!, NOW);
    if (studentView.status !== 'ok') throw new Error(studentView.status);
    expect(studentView.classes).toEqual([]);
    expect(studentView.canSetRule).toBe(false);
    expect(studentView.mine).toMatchObject({ week: { read: 15, required: 45 } });
    expect((await classPage(w.db, schoolSlug, shelf.id, students[0]!, NOW)).status).toBe('forbidden');
    const cls = await classPage(w.db, schoolSlug, shelf.id, w.users.teacher, NOW);
    if (cls.status !== 'ok') throw new Error(cls.status);
    expect(cls.students.map((s) => s.week.read).sort()).toEqual([15, 30, 30]);

    // Two sessions reached 30 minutes: those two finished, with certificates; the third had one session.
    const page = await challengePage(w.db, ch.id, students[0]!, NOW);
    if (page.status !== 'ok') throw new Error(page.status);
    expect(page.finishers).toBe(2);
    expect(page.classBoard.find((k) => k.name === `Lớp 6A ${w.dialect}`)).toMatchObject({ taking: 3, finished: 2, averagePercent: 83 });
    expect(await completeDueChallenges(w.db, NOW)).toBe(0);
  });

  it('the forms without JavaScript: bad input is refused next to its field, typed values kept', async () => {
    const bad = await callRoute(newChallengeAction, {
      db: w.db,
      userId: w.users.teacher,
      path: '/clubs/challenges/new',
      form: {
        owner: `unit:${w.units.school}`,
        name: 'Thử',
        kind: 'minutes_per_day',
        target: '2000',
        starts: '30/11/2026',
        ends: '01/11/2026',
      },
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(body.errors).toMatchObject({ target: 'clubs.errors.target', ends: 'clubs.errors.endsBeforeStart' });
    expect(body.values.name).toBe('Thử');

    const shelf = await createShelf(w.db, { unitId: w.units.school, teacherId: w.users.teacher, name: 'Lớp 9B' });
    const kid = await person('Vũ Hải', 2013);
    await w.db.insertInto('lib_shelf_members').values({ shelf_id: shelf.id, user_id: kid, joined_at: nowIso() }).execute();
    const call = (form: Record<string, string>, userId = w.users.teacher) =>
      callRoute(classAction, {
        db: w.db,
        userId,
        path: `/clubs/schools/${schoolSlug}/classes/${shelf.id}`,
        params: { unit: schoolSlug, shelfId: shelf.id },
        form,
      });
    const noOne = await call({ read_on: '24/11/2026', minutes: '15' });
    expect(noOne.status).toBe(400);
    expect(((await noOne.json()) as { errors: Record<string, string> }).errors.present).toBe('clubs.errors.nobodyPresent');
    const tooLong = await call({ read_on: '24/11/2026', minutes: '2000', present: kid });
    expect(((await tooLong.json()) as { errors: Record<string, string> }).errors.minutes).toBe('clubs.errors.minutes');
    expect((await call({ read_on: '24/11/2026', minutes: '15', present: kid }, kid)).status).toBe(403);
    const ok = await call({ read_on: '24/11/2026', minutes: '20', present: kid });
    expect(ok.status).toBe(302);
  });
});
