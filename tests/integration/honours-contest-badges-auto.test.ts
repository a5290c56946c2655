/**
 * Issue #16: contest winners' Open Badges issued automatically when an organiser publishes
 * results (a quiz round, a judged stage's confirm goes through the same call, and the
 * contest-wide prizes), once per prize and winner — enforced by unique indexes — with a notice
 * to each winner; turned off per contest on the badge desk, where the missing ones are then
 * issued by hand. Both dialects.
 */
import { compactVerify, importJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { addPrize } from '~/domain/contests/contests.server';
import { confirmOverall, proposeOverall } from '~/domain/contests/overall.server';
import { confirmResults, proposeResults, publishResults } from '~/domain/contests/results.server';
import { publicJwks } from '~/domain/honours/badges.server';
import {
  autoBadgesOn,
  awardBadgesOnPublish,
  awardContestBadges,
  contestBadgeDesks,
  contestBadgePage,
  mayUseContestBadgeDesk,
  setAutoBadges,
} from '~/domain/honours/contest-badges.server';
import { listNotifications } from '~/domain/notifications/notify.server';
import { newId } from '~/lib/ids.server';

import * as manageRoute from '../../app/routes/contests.$slug.manage';
import * as honoursIndex from '../../app/routes/honours._index';
import * as deskRoute from '../../app/routes/honours.contests.$id';
import { type ContestWorld, contestWorld } from '../helpers/contests';
import { dialects } from '../helpers/db';
import { callRoute } from '../helpers/routes';
import { insertWeek } from '../helpers/weeks';
import { eachFreshWorld } from '../helpers/world';

const T0 = new Date('2024-10-02T01:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

describe.each(dialects)('honours: contest badges issued when results are published (%s)', (dialect) => {
  let db: DB;
  let w: ContestWorld;
  eachFreshWorld(
    dialect,
    async (db) => {
      await insertWeek(db, 2024);
      return contestWorld(db, T0);
    },
    (fresh) => ({ db, w } = fresh),
  );

  /** A 2024 contest with one closed quiz round: An 2/2, Bình 1/2, Cường 0/2; prizes for ranks 1 and 2. */
  async function contestWithRound(weekYear: number | null = 2024) {
    const c = await w.contest({ weekYear });
    await w.bank(c.id, ['T'], 3);
    const r1 = await w.quizRound(c.id, 'Vòng 1', 0);
    for (const [label, from, to] of [
      ['Giải Nhất', 1, 1],
      ['Giải Nhì', 2, 2],
    ] as const)
      await addPrize(db, w.organiser, c.id, { roundId: r1, label, rankFrom: from, rankTo: to, points: 0 });
    const an = await w.entrant(c.id, 'Nguyễn Văn An', w.schoolA.id);
    const binh = await w.entrant(c.id, 'Trần Thị Bình', w.schoolB.id);
    const cuong = await w.entrant(c.id, 'Lê Văn Cường', w.schoolA.id);
    await w.take(r1, an, 2, 10, 30);
    await w.take(r1, binh, 1, 10, 60);
    await w.take(r1, cuong, 0, 10, 90);
    return { c, r1, an, binh, cuong };
  }
  const honoursOf = (userId: string) =>
    db
      .selectFrom('honour_nominations as n')
      .innerJoin('honour_badges as b', 'b.nomination_id', 'n.id')
      .select(['n.id', 'n.headline', 'n.status', 'n.contest_round_id', 'n.contest_overall_id', 'b.code', 'b.jwt'])
      .where('n.contest_user_id', '=', userId)
      .orderBy('n.created_at')
      .execute();
  const awardedNotices = async (userId: string) => (await listNotifications(db, userId)).filter((n) => n.type === 'honours.awarded');

  it('publishing a round issues each winner one signed badge and one notice; publishing again issues nothing more', async () => {
    const { c, r1, an, binh, cuong } = await contestWithRound();
    expect(await autoBadgesOn(db, c.id)).toBe(true); // on by default
    expect((await publishResults(db, w.organiser, r1, at(4000))).ok).toBe(true);
    const anHonours = await honoursOf(an);
    expect(anHonours.map((h) => [h.headline, h.status, h.contest_round_id])).toEqual([
      ['Giải Nhất — Cuộc thi thử · Vòng 1', 'approved', r1],
    ]);
    expect((await honoursOf(binh)).map((h) => h.headline)).toEqual(['Giải Nhì — Cuộc thi thử · Vòng 1']);
    expect(await honoursOf(cuong)).toEqual([]); // no prize, no badge
    // The credential is signed with the deployment's key.
    const key = (await publicJwks(db)).keys[0]! as JWK;
    const { payload } = await compactVerify(anHonours[0]!.jwt, await importJWK(key, 'EdDSA'));
    expect(JSON.parse(new TextDecoder().decode(payload)).credentialSubject.achievement.name).toBe('Giải Nhất — Cuộc thi thử');
    expect(await awardedNotices(an)).toHaveLength(1);
    expect(await awardedNotices(binh)).toHaveLength(1);

    // Published again (re-proposed and confirmed, and the one-step button): still one each.
    expect((await proposeResults(db, w.organiser, r1, at(5000))).ok).toBe(true);
    expect((await confirmResults(db, w.organiser, r1, at(5000))).ok).toBe(true);
    expect((await publishResults(db, w.organiser, r1, at(6000))).ok).toBe(true);
    expect(await honoursOf(an)).toHaveLength(1);
    expect(await honoursOf(binh)).toHaveLength(1);
    expect(await awardedNotices(an)).toHaveLength(1);
    // Two organisers' publications at once: still one each.
    await Promise.all([awardBadgesOnPublish(db, w.organiser, c.id, at(7000)), awardBadgesOnPublish(db, w.organiser, c.id, at(7000))]);
    expect(await honoursOf(an)).toHaveLength(1);

    // The database itself refuses a second honour for the same round and winner.
    const dup = { ...(await db.selectFrom('honour_nominations').selectAll().where('id', '=', anHonours[0]!.id).executeTakeFirstOrThrow()) };
    await expect(
      db
        .insertInto('honour_nominations')
        .values({ ...dup, id: newId() })
        .execute(),
    ).rejects.toThrow();

    // The desk lists them, with their verification codes.
    const page = (await contestBadgePage(db, w.organiser, c.id))!;
    expect(page.winners).toBe(2);
    expect(page.issued.map((i) => [i.nominee_name, !!i.code, i.revoked_at])).toEqual([
      ['Nguyễn Văn An', true, null],
      ['Trần Thị Bình', true, null],
    ]);
  });

  it('contest-wide prizes published: their winners get one badge each too', async () => {
    const { c, r1, an, binh } = await contestWithRound();
    const first = await addPrize(db, w.organiser, c.id, { roundId: null, label: 'Giải Nhất toàn cuộc', rankFrom: 1, rankTo: 1, points: 0 });
    if (!first.ok) throw new Error(first.code);
    expect((await publishResults(db, w.organiser, r1, at(4000))).ok).toBe(true);
    expect((await proposeOverall(db, w.organiser, c.id)).ok).toBe(true);
    expect((await confirmOverall(db, w.organiser, c.id, at(5000))).ok).toBe(true);
    expect((await confirmOverall(db, w.organiser, c.id, at(6000))).ok).toBe(true);
    const anHonours = await honoursOf(an);
    expect(anHonours.map((h) => [h.headline, h.contest_overall_id])).toEqual([
      ['Giải Nhất — Cuộc thi thử · Vòng 1', null],
      ['Giải Nhất toàn cuộc — Cuộc thi thử', c.id],
    ]);
    expect(await honoursOf(binh)).toHaveLength(1);
    expect(await awardedNotices(an)).toHaveLength(2);
    expect((await contestBadgePage(db, w.organiser, c.id))!.winners).toBe(3);
  });

  it('turned off for a contest: publishing issues none; the desk issues them by hand, once', async () => {
    const { c, r1, an, binh } = await contestWithRound();
    const stranger = await w.user('Người ngoài');
    expect(await setAutoBadges(db, stranger, c.id, false)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await setAutoBadges(db, w.organiser, c.id, false)).toEqual({ ok: true, value: { on: false } });
    expect(await autoBadgesOn(db, c.id)).toBe(false);
    expect((await publishResults(db, w.organiser, r1, at(4000))).ok).toBe(true);
    expect(await honoursOf(an)).toEqual([]);
    expect(await awardedNotices(an)).toEqual([]);
    expect(await awardContestBadges(db, stranger, c.id)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await awardContestBadges(db, w.organiser, c.id)).toEqual({ ok: true, value: { issued: 2 } });
    expect(await awardContestBadges(db, w.organiser, c.id)).toEqual({ ok: true, value: { issued: 0 } });
    expect(await honoursOf(binh)).toHaveLength(1);
    // Turned back on (an upsert of the same row).
    expect(await setAutoBadges(db, w.organiser, c.id, true)).toEqual({ ok: true, value: { on: true } });
    expect(await autoBadgesOn(db, c.id)).toBe(true);
  });

  it('a contest outside any Week publishes its results without badges; a stranger cannot trigger the issue', async () => {
    const { c, r1, an } = await contestWithRound(null);
    expect((await publishResults(db, w.organiser, r1, at(4000))).ok).toBe(true);
    expect(await honoursOf(an)).toEqual([]);
    expect(await awardBadgesOnPublish(db, w.organiser, c.id)).toEqual({ ok: true, value: { issued: 0, skipped: 'no_week' } });
    expect(await awardBadgesOnPublish(db, an, c.id)).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('the desk: only the contest unit’s organisers see it (link, list, page); its setting form works without JavaScript', async () => {
    const { c, r1, an } = await contestWithRound();
    const wardOrganiser = await w.user('Ban tổ chức phường');
    const { grantRole } = await import('~/domain/accounts.server');
    await grantRole(db, { userId: wardOrganiser, unitId: w.wardA.id, role: 'organiser', grantedBy: null });
    expect(await mayUseContestBadgeDesk(db, w.organiser, c.id)).toBe(true);
    expect(await mayUseContestBadgeDesk(db, wardOrganiser, c.id)).toBe(false);
    expect(await mayUseContestBadgeDesk(db, null, c.id)).toBe(false);
    expect((await contestBadgeDesks(db, w.organiser)).map((x) => x.id)).toEqual([c.id]);
    expect(await contestBadgeDesks(db, wardOrganiser)).toEqual([]);

    const path = `/honours/contests/${c.id}`;
    const params = { id: c.id };
    expect((await callRoute(deskRoute.loader, { db, userId: wardOrganiser, path, params })).status).toBe(404);
    expect((await callRoute(deskRoute.action, { db, userId: an, path, params, form: { intent: 'settings' } })).status).toBe(404);
    const bad = await callRoute(deskRoute.action, { db, userId: w.organiser, path, params, form: { intent: 'nope' } });
    expect(bad.status).toBe(400);
    const off = await callRoute(deskRoute.action, { db, userId: w.organiser, path, params, form: { intent: 'settings' } });
    expect(off.status).toBe(302);
    expect(await autoBadgesOn(db, c.id)).toBe(false);
    expect((await publishResults(db, w.organiser, r1, at(4000))).ok).toBe(true);
    const award = await callRoute(deskRoute.action, { db, userId: w.organiser, path, params, form: { intent: 'award' } });
    expect(award.status).toBe(302);
    expect(await honoursOf(an)).toHaveLength(1);
    const on = await callRoute(deskRoute.action, { db, userId: w.organiser, path, params, form: { intent: 'settings', auto: 'on' } });
    expect(on.status).toBe(302);
    expect(await autoBadgesOn(db, c.id)).toBe(true);
    const page = await callRoute(deskRoute.loader, { db, userId: w.organiser, path, params });
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ auto: true, winners: 2 });

    // The links: the contest's manage page and the honours index, only for those who may use the desk.
    const manage = await callRoute(manageRoute.loader, {
      db,
      userId: w.organiser,
      path: `/contests/${c.slug}/manage`,
      params: { slug: c.slug },
    });
    expect(await manage.json()).toMatchObject({ badgeDesk: true });
    const index = await callRoute(honoursIndex.loader, { db, userId: w.organiser, path: '/honours' });
    expect(((await index.json()) as { contests: Array<{ id: string }> }).contests.map((x) => x.id)).toEqual([c.id]);
    const wardIndex = await callRoute(honoursIndex.loader, { db, userId: wardOrganiser, path: '/honours' });
    expect(await wardIndex.json()).toMatchObject({ contests: [] });
  });
});
