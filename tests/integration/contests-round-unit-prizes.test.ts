import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';

import { verifyCertificate } from '../../app/domain/certificates/verify.server';
import { addPrize, setPopulation } from '../../app/domain/contests/contests.server';
import { confirmOverall, overallPreview, proposeOverall, unitAwardRows } from '../../app/domain/contests/overall.server';
import { confirmResults, disqualify, proposeResults, publishResults } from '../../app/domain/contests/results.server';
import { roundUnitAwardRows, unitAwards } from '../../app/domain/contests/unit-prizes.server';
import * as exportRoute from '../../app/routes/contests.$slug.export';
import * as roundResultsRoute from '../../app/routes/contests.$slug.rounds.$roundId.results';
import { type ContestWorld, contestWorld } from '../helpers/contests';
import { dialects } from '../helpers/db';
import { callRoute } from '../helpers/routes';
import { eachFreshWorld } from '../helpers/world';

const T0 = new Date('2026-11-02T01:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

describe.each(dialects)('unit prizes of one round — "giải tập thể" per weekly round (%s)', (dialect) => {
  let db: DB;
  let w: ContestWorld;
  eachFreshWorld(
    dialect,
    (db) => contestWorld(db, T0),
    (fresh) => ({ db, w } = fresh),
  );

  async function prize(contestId: string, roundId: string | null, label: string, basis: 'entrants' | 'rate' | 'collective', depth: number) {
    return (await addPrize(db, w.organiser, contestId, { roundId, label, rankFrom: 1, rankTo: 1, points: 0, basis, unitDepth: depth })) as {
      ok: true;
      value: string;
    };
  }
  const awardsOf = async (contestId: string, roundId: string | null) =>
    (await unitAwards(db, contestId, roundId)).map((a) => [a.label, a.name, a.rank, Number(a.value), a.entrants]);
  const certOf = (prizeId: string, unitId: string) =>
    db
      .selectFrom('contest_certificates')
      .select(['code', 'round_id'])
      .where('prize_id', '=', prizeId)
      .where('holder_unit_id', '=', unitId)
      .executeTakeFirstOrThrow();

  it("ranks units on each round's own attempts, ties sharing the prize; shown on the round's page and export; certificates follow recomputation", async () => {
    const c = await w.contest({ predictionKind: 'participants' });
    await w.bank(c.id, ['T'], 3);
    const r1 = await w.quizRound(c.id, 'Tuần 1', 0);
    const r2 = await w.quizRound(c.id, 'Tuần 2', 7200);
    // A personal prize of round 1 beside its unit prizes: unit prizes never take a person's rank.
    const firstR1 = await addPrize(db, w.organiser, c.id, { roundId: r1, label: 'Giải Nhất tuần 1', rankFrom: 1, rankTo: 1, points: 0 });
    const mostR1 = await prize(c.id, r1, 'Đông nhất tuần 1', 'entrants', 1);
    const rateR1 = await prize(c.id, r1, 'Tỷ lệ cao nhất tuần 1', 'rate', 2);
    const mostR2 = await prize(c.id, r2, 'Đông nhất tuần 2', 'entrants', 1);
    const rateR2 = await prize(c.id, r2, 'Tỷ lệ cao nhất tuần 2', 'rate', 2);
    const mostAll = await prize(c.id, null, 'Đông nhất toàn cuộc', 'entrants', 1);
    expect([firstR1.ok, mostR1.ok, rateR1.ok, mostR2.ok, rateR2.ok, mostAll.ok]).toEqual([true, true, true, true, true, true]);
    await setPopulation(db, w.organiser, c.id, w.schoolA.id, 10);
    await setPopulation(db, w.organiser, c.id, w.schoolB.id, 5);

    const an = await w.entrant(c.id, 'Nguyễn Văn An', w.schoolA.id);
    const cuong = await w.entrant(c.id, 'Lê Văn Cường', w.schoolA.id);
    const binh = await w.entrant(c.id, 'Trần Thị Bình', w.schoolB.id);
    const hoa = await w.entrant(c.id, 'Đỗ Thị Hoa', w.schoolB.id);
    // Round 1: all four take part — the wards tie on entrants (2 = 2); Trường B 2/5 = 40 % beats Trường A 2/10 = 20 %.
    await w.take(r1, an, 2, 10, 30);
    await w.take(r1, cuong, 1, 10, 40);
    await w.take(r1, binh, 2, 10, 50);
    await w.take(r1, hoa, 1, 10, 60);
    // Round 2: Hoa stays home — Phường A 2 against Phường B 1; both schools at 20 %, the tie broken by entrants (2 against 1).
    await w.take(r2, an, 2, 7210, 7230);
    await w.take(r2, cuong, 2, 7210, 7240);
    await w.take(r2, binh, 1, 7210, 7250);

    expect((await proposeResults(db, w.organiser, r1, at(4000))).ok).toBe(true);
    expect(await awardsOf(c.id, r1)).toEqual([
      ['Đông nhất tuần 1', 'Phường A', 1, 2, 2],
      ['Đông nhất tuần 1', 'Phường B', 1, 2, 2],
      ['Tỷ lệ cao nhất tuần 1', 'Trường B', 1, 40, 2],
    ]);
    // Proposed, not published: the round's page shows no unit winners yet.
    const page = async (roundId: string) =>
      (await (
        await callRoute(roundResultsRoute.loader, {
          db,
          path: `/contests/${c.slug}/rounds/${roundId}/results`,
          params: { slug: c.slug, roundId },
        })
      ).json()) as {
        units: Array<{ prize: string; name: string; rank: number; value: number }>;
        winners: Array<{ name: string; prize: string }>;
      };
    expect((await page(r1)).units).toEqual([]);
    expect((await confirmResults(db, w.organiser, r1, at(4100))).ok).toBe(true);
    const shown = await page(r1);
    expect(shown.units.map((u) => [u.prize, u.name, u.rank, u.value])).toEqual([
      ['Đông nhất tuần 1', 'Phường A', 1, 2],
      ['Đông nhất tuần 1', 'Phường B', 1, 2],
      ['Tỷ lệ cao nhất tuần 1', 'Trường B', 1, 40],
    ]);
    expect(shown.winners.map((x) => [x.prize, x.name])).toEqual([['Giải Nhất tuần 1', 'Nguyễn Văn An']]);
    const wardBCert = await certOf(mostR1.value, w.wardB.id);
    expect(wardBCert.round_id).toBe(r1);
    expect(await verifyCertificate(db, wardBCert.code)).toMatchObject({ status: 'valid', holderName: 'Phường B' });

    expect((await publishResults(db, w.organiser, r2, at(11000))).ok).toBe(true);
    expect(await awardsOf(c.id, r2)).toEqual([
      ['Đông nhất tuần 2', 'Phường A', 1, 2, 2],
      ['Tỷ lệ cao nhất tuần 2', 'Trường A', 1, 20, 2],
    ]);
    // Round 1's awards stand apart from round 2's.
    expect(await awardsOf(c.id, r1)).toHaveLength(3);

    // The contest-wide unit prizes keep their own scope: computing them leaves the rounds' alone.
    expect(await proposeOverall(db, w.organiser, c.id)).toMatchObject({ ok: true, value: { units: 2 } });
    expect((await overallPreview(db, c.id)).units.map((u) => [u.label, u.name, u.rank])).toEqual([
      ['Đông nhất toàn cuộc', 'Phường A', 1],
      ['Đông nhất toàn cuộc', 'Phường B', 1],
    ]);
    expect((await confirmOverall(db, w.organiser, c.id, at(12000))).ok).toBe(true);
    expect(await awardsOf(c.id, r1)).toHaveLength(3);
    expect(await verifyCertificate(db, wardBCert.code)).toMatchObject({ status: 'valid' });
    const overallUnits = await unitAwardRows(db, w.organiser, c.id);
    expect(overallUnits.ok && overallUnits.value.map((r) => r[0])).toEqual(['prize', 'Đông nhất toàn cuộc', 'Đông nhất toàn cuộc']);

    // Disqualifying Hoa in round 1 recomputes its unit prizes: Phường A alone has the most; both
    // schools now at 20 %, Trường A ahead on entrants. Confirming revokes what no longer stands.
    expect((await disqualify(db, w.organiser, r1, hoa, 'Hai tài khoản', at(13000))).ok).toBe(true);
    expect(await awardsOf(c.id, r1)).toEqual([
      ['Đông nhất tuần 1', 'Phường A', 1, 2, 2],
      ['Tỷ lệ cao nhất tuần 1', 'Trường A', 1, 20, 2],
    ]);
    expect((await confirmResults(db, w.organiser, r1, at(13100))).ok).toBe(true);
    expect(await verifyCertificate(db, wardBCert.code)).toMatchObject({ status: 'revoked' });
    expect(await verifyCertificate(db, (await certOf(rateR1.value, w.schoolB.id)).code)).toMatchObject({ status: 'revoked' });
    expect(await verifyCertificate(db, (await certOf(rateR1.value, w.schoolA.id)).code)).toMatchObject({ status: 'valid' });
    expect(await verifyCertificate(db, (await certOf(mostR1.value, w.wardA.id)).code)).toMatchObject({ status: 'valid' });
    // the contest-wide certificates were not touched by the round's recomputation
    expect(await verifyCertificate(db, (await certOf(mostAll.value, w.wardB.id)).code)).toMatchObject({ status: 'valid' });

    const rows = await roundUnitAwardRows(db, w.organiser, c.id);
    if (!rows.ok) throw new Error(rows.code);
    expect(rows.value).toEqual([
      ['round', 'round_title', 'prize', 'basis', 'rank', 'unit', 'value', 'entrants'],
      [1, 'Tuần 1', 'Đông nhất tuần 1', 'entrants', 1, 'Phường A', 2, 2],
      [1, 'Tuần 1', 'Tỷ lệ cao nhất tuần 1', 'rate', 1, 'Trường A', 20, 2],
      [2, 'Tuần 2', 'Đông nhất tuần 2', 'entrants', 1, 'Phường A', 2, 2],
      [2, 'Tuần 2', 'Tỷ lệ cao nhất tuần 2', 'rate', 1, 'Trường A', 20, 2],
    ]);
    expect(await roundUnitAwardRows(db, an, c.id)).toMatchObject({ ok: false, code: 'forbidden' });
    const csv = await callRoute(exportRoute.loader, {
      db,
      userId: w.organiser,
      path: `/contests/${c.slug}/export?what=round_unit_prizes&format=csv`,
      params: { slug: c.slug },
    });
    expect(csv.headers.get('Content-Disposition')).toContain('-round_unit_prizes.csv');
    const text = await csv.text();
    expect(text).toContain('Tỷ lệ cao nhất tuần 2');
    expect(text.split('\n').filter((l) => l.trim()).length).toBe(5);
  });
});
