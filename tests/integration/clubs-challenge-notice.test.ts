/**
 * The notice a person gets when they reach a reading challenge's goal, on both dialects: once per
 * person per challenge however the finish is noticed (their own log, joining after reading, the
 * nightly job, several checks at the same moment), in the bell and the daily digest, in Vietnamese
 * and English, linking to the challenge page where the certificate is.
 */
import { expect, it } from 'vitest';

import {
  completeChallengesFor,
  completeDueChallenges,
  createChallengeFor,
  logReadingAndCheck,
  markCompletions,
  runChallengeAction,
} from '~/domain/clubs/challenges.server';
import { logReading } from '~/domain/clubs/reading.server';
import { listNotifications, unreadCount } from '~/domain/notifications/notify.server';
import { getT } from '~/i18n/i18n.server';
import { asKey } from '~/i18n/keys';
import { unwrap } from '~/lib/result';

import { describeWorld, makeUser } from '../helpers/world';

const NOW = new Date('2026-11-25T09:00:00Z');

describeWorld('clubs: a notice when a reading challenge is finished', (w) => {
  const challenge = (name: string, target: number) =>
    createChallengeFor(w.db, w.users.teacher, {
      owner: `unit:${w.units.school}`,
      name,
      kind: 'minutes_total',
      target,
      startsOn: '2026-11-20',
      endsOn: '2026-11-30',
    }).then(unwrap);
  const finishedNotices = async (userId: string) =>
    (await listNotifications(w.db, userId)).filter((n) => n.type === 'clubs.challenge_finished');

  it('tells the reader once, when their log reaches the goal, in the bell and the digest', async () => {
    const ch = await challenge('Tổng 60 phút', 60);
    const reader = await makeUser(w.db, 'Đỗ Thị Hoa');
    unwrap(await runChallengeAction(w.db, reader, ch.id, { intent: 'join' }, NOW));
    unwrap(await logReadingAndCheck(w.db, reader, { readOn: '2026-11-21', minutes: 40 }, NOW));
    expect(await finishedNotices(reader)).toEqual([]);

    const before = await unreadCount(w.db, reader);
    expect(unwrap(await logReadingAndCheck(w.db, reader, { readOn: '2026-11-22', minutes: 30 }, NOW)).finished).toEqual([ch.id]);
    const [n, ...more] = await finishedNotices(reader);
    expect(more).toEqual([]);
    expect(n).toMatchObject({ url: `/clubs/challenges/${ch.id}`, params: { challenge: 'Tổng 60 phút' }, unread: true });
    expect(await unreadCount(w.db, reader)).toBe(before + 1);
    expect(getT('vi')(asKey(n!.message), n!.params)).toBe('Bạn đã hoàn thành thử thách “Tổng 60 phút” — giấy chứng nhận đã sẵn sàng');
    expect(getT('en')(asKey(n!.message), n!.params)).toBe('You finished the challenge “Tổng 60 phút” — your certificate is ready');
    // In the daily digest by default (an adult who chose nothing).
    const row = await w.db.selectFrom('notif_notifications').select('email').where('id', '=', n!.id).executeTakeFirstOrThrow();
    expect(row.email).toBe('digest');

    // More reading, the nightly job, another check: still one notice.
    unwrap(await logReadingAndCheck(w.db, reader, { readOn: '2026-11-23', minutes: 30 }, NOW));
    await completeDueChallenges(w.db, NOW);
    await completeChallengesFor(w.db, reader, NOW);
    expect(await finishedNotices(reader)).toHaveLength(1);
  });

  it('reading logged before joining: the notice comes on joining; the job tells those it finishes', async () => {
    const ch = await challenge('Tổng 30 phút', 30);
    const early = await makeUser(w.db, 'Vũ Minh Quân');
    unwrap(await logReadingAndCheck(w.db, early, { readOn: '2026-11-21', minutes: 45 }, NOW));
    expect(await finishedNotices(early)).toEqual([]);
    unwrap(await runChallengeAction(w.db, early, ch.id, { intent: 'join' }, NOW));
    expect(await finishedNotices(early)).toHaveLength(1);

    // Reading recorded without the check (as a class session or the reader may): the job finishes it.
    const late = await makeUser(w.db, 'Lò Văn Sáng');
    unwrap(await runChallengeAction(w.db, late, ch.id, { intent: 'join' }, NOW));
    unwrap(await logReading(w.db, late, { readOn: '2026-11-24', minutes: 30 }, NOW));
    expect(await finishedNotices(late)).toEqual([]);
    expect(await completeDueChallenges(w.db, NOW)).toBe(1);
    expect(await finishedNotices(late)).toHaveLength(1);
    expect(await finishedNotices(early)).toHaveLength(1);
  });

  it('several checks at the same moment finish a person once: one notice, one certificate', async () => {
    const ch = await challenge('Tổng 20 phút', 20);
    const people = await Promise.all(['Hà An', 'Hà Bình', 'Hà Chi'].map((name) => makeUser(w.db, name)));
    for (const u of people) {
      unwrap(await runChallengeAction(w.db, u, ch.id, { intent: 'join' }, NOW));
      unwrap(await logReading(w.db, u, { readOn: '2026-11-24', minutes: 25 }, NOW));
    }
    const [perUser, byChallenge, byJob] = await Promise.all([
      Promise.all(people.flatMap((u) => [completeChallengesFor(w.db, u, NOW), completeChallengesFor(w.db, u, NOW)])),
      Promise.all([markCompletions(w.db, ch.id, NOW), markCompletions(w.db, ch.id, NOW)]),
      completeDueChallenges(w.db, NOW),
    ]);
    // Every check says whom it finished: together, each person exactly once.
    expect(perUser.flat().length + byChallenge.flat().length + byJob).toBe(people.length);
    for (const u of people) {
      expect(await finishedNotices(u)).toHaveLength(1);
      const certs = await w.db
        .selectFrom('reading_challenge_certificates')
        .select('code')
        .where('challenge_id', '=', ch.id)
        .where('user_id', '=', u)
        .execute();
      expect(certs).toHaveLength(1);
    }
  });
});
