import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';

import { verifyCertificate } from '../../app/domain/certificates/verify.server';
import { addPrize, setPopulation } from '../../app/domain/contests/contests.server';
import {
  combineRounds,
  confirmOverall,
  disqualifyEntrant,
  overallPreview,
  overallResults,
  overallRows,
  proposeOverall,
  rankOverall,
  rankUnits,
  type RoundResult,
  setOverallRule,
  unitAwardRows,
} from '../../app/domain/contests/overall.server';
import { DEFAULT_RANKING } from '../../app/domain/contests/ranking';
import { publishResults } from '../../app/domain/contests/results.server';
import * as exportRoute from '../../app/routes/contests.$slug.export';
import * as manageRoute from '../../app/routes/contests.$slug.manage';
import * as resultsRoute from '../../app/routes/contests.$slug.results';
import * as roundRoute from '../../app/routes/contests.$slug.rounds.$roundId._index';
import { type ContestWorld, contestWorld } from '../helpers/contests';
import { dialects } from '../helpers/db';
import { callRoute } from '../helpers/routes';
import { eachFreshWorld } from '../helpers/world';

const T0 = new Date('2026-11-02T01:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

describe('overall ranking across rounds (hand-ranked)', () => {
  const r = (userId: string, roundId: string, score: number, gap: number | null, secs: number, sub: string): RoundResult => ({
    userId,
    roundId,
    score,
    maxScore: 20,
    predictionGap: gap,
    durationMs: secs * 1000,
    submittedAt: `2026-11-0${sub}T01:00:00.000Z`,
  });
  const results = [
    r('u1', 'R1', 10, 2, 100, '1'),
    r('u1', 'R2', 8, 1, 200, '5'),
    r('u2', 'R1', 9, 1, 150, '1'),
    r('u2', 'R2', 9, 2, 150, '6'),
    r('u3', 'R1', 10, 0, 100, '1'),
    r('u3', 'R2', 8, 3, 190, '5'),
    r('u4', 'R1', 10, 0, 50, '1'),
    r('u4', 'R2', 8, 2, 60, '5'),
    r('u5', 'R1', 10, null, 10, '1'),
    r('u5', 'R2', 9, 0, 10, '5'),
    r('u6', 'R1', 10, 0, 10, '1'),
    r('u7', 'R1', 9, 1, 150, '1'),
    r('u7', 'R2', 9, 2, 150, '6'),
  ];
  const ranks = (best: number | null) =>
    rankOverall(DEFAULT_RANKING, combineRounds(DEFAULT_RANKING, results, best)).map((e) => `${e.userId}:${e.rank}`);

  it('sums every round: score → summed prediction gap → summed time → last round submitted earlier, full ties sharing a rank', () => {
    // u5 19 points; u4 18 (gap 2); u3 18 (gap 3, 290 s); u1 18 (gap 3, 300 s, done on the 5th); u2 = u7 (the 6th); u6 10.
    expect(ranks(null)).toEqual(['u5:1', 'u4:2', 'u3:3', 'u1:4', 'u2:5', 'u7:5', 'u6:7']);
    const u5 = combineRounds(DEFAULT_RANKING, results, null).find((e) => e.userId === 'u5')!;
    expect(u5).toMatchObject({ rounds: 2, score: 19, maxScore: 40, predictionGap: null, durationMs: 20_000 });
  });

  it("counts each entrant's best round only when the organiser says so", () => {
    // best rounds: u6 10/g0/10 s, u4 10/g0/50 s, u3 10/g0/100 s, u1 10/g2, u5 10/no prediction, u2 = u7 9.
    expect(ranks(1)).toEqual(['u6:1', 'u4:2', 'u3:3', 'u1:4', 'u5:5', 'u2:6', 'u7:6']);
  });

  it('ranks units on entrants or participation rate, equal figures separated by entrants, then sharing a rank', () => {
    const units = [
      { unitId: 'a', name: 'A', entrants: 3, rate: 30, collective: 3 },
      { unitId: 'b', name: 'B', entrants: 3, rate: 50, collective: 3 },
      { unitId: 'c', name: 'C', entrants: 1, rate: 100, collective: 1 },
      { unitId: 'd', name: 'D', entrants: 0, rate: null, collective: 0 },
      { unitId: 'e', name: 'E', entrants: 2, rate: null, collective: 2 },
      { unitId: 'f', name: 'F', entrants: 5, rate: 50, collective: 5 },
    ];
    const show = (b: 'entrants' | 'rate' | 'collective') => rankUnits(b, units).map((u) => `${u.name}:${u.rank}`);
    expect(show('entrants')).toEqual(['F:1', 'A:2', 'B:2', 'E:4', 'C:5']);
    expect(show('rate')).toEqual(['C:1', 'F:2', 'B:3', 'A:4']);
    expect(show('collective')).toEqual(['F:1', 'A:2', 'B:2', 'E:4', 'C:5']);
  });
});

describe.each(dialects)('contest-wide prizes (%s)', (dialect) => {
  let db: DB;
  let w: ContestWorld;
  eachFreshWorld(
    dialect,
    (db) => contestWorld(db, T0),
    (fresh) => ({ db, w } = fresh),
  );

  const certOf = (userId: string, prizeId: string) =>
    db
      .selectFrom('contest_certificates')
      .select(['code', 'revoked_at', 'round_id'])
      .where('user_id', '=', userId)
      .where('prize_id', '=', prizeId)
      .executeTakeFirstOrThrow();

  it('ranks the whole contest, proposes and confirms overall and unit prizes with certificates, recomputes after a change', async () => {
    const c = await w.contest({ predictionKind: 'participants', collective: { perEntrant: 1, perPercent: 0 } });
    await w.bank(c.id, ['T'], 3);
    const r1 = await w.quizRound(c.id, 'Tuần 1', 0);
    const r2 = await w.quizRound(c.id, 'Tuần 2', 7200);
    const first = await addPrize(db, w.organiser, c.id, { roundId: null, label: 'Giải Nhất toàn cuộc', rankFrom: 1, rankTo: 1, points: 0 });
    const second = await addPrize(db, w.organiser, c.id, { roundId: null, label: 'Giải Nhì toàn cuộc', rankFrom: 2, rankTo: 2, points: 0 });
    const most = await addPrize(db, w.organiser, c.id, {
      roundId: null,
      label: 'Đơn vị đông nhất',
      rankFrom: 1,
      rankTo: 1,
      points: 0,
      basis: 'entrants',
      unitDepth: 1,
    });
    const rate = await addPrize(db, w.organiser, c.id, {
      roundId: null,
      label: 'Tỷ lệ cao nhất',
      rankFrom: 1,
      rankTo: 1,
      points: 0,
      basis: 'rate',
      unitDepth: 2,
    });
    if (!first.ok || !second.ok || !most.ok || !rate.ok) throw new Error('prizes');
    await setPopulation(db, w.organiser, c.id, w.schoolA.id, 10);
    await setPopulation(db, w.organiser, c.id, w.schoolB.id, 2);

    const an = await w.entrant(c.id, 'Nguyễn Văn An', w.schoolA.id);
    const binh = await w.entrant(c.id, 'Trần Thị Bình', w.schoolB.id);
    const cuong = await w.entrant(c.id, 'Lê Văn Cường', w.schoolA.id);
    const dung = await w.entrant(c.id, 'Phạm Minh Dũng', w.schoolA.id, 2016); // a child
    // Round 1: 4 take part (the real figure). Round 2: 3 take part.
    await w.take(r1, an, 2, 10, 30, 4); // 2/2, gap 0, 20 s
    await w.take(r1, binh, 1, 10, 60, 4); // 1/2, gap 0, 50 s
    await w.take(r1, cuong, 2, 10, 40, 3); // 2/2, gap 1, 30 s
    await w.take(r1, dung, 2, 10, 110, 4); // 2/2, gap 0, 100 s
    await w.take(r2, an, 1, 7210, 7370, 3); // 1/2, gap 0, 160 s
    await w.take(r2, binh, 2, 7210, 7290, 3); // 2/2, gap 0, 80 s
    await w.take(r2, cuong, 2, 7210, 7240, 3); // 2/2, gap 0, 30 s

    expect(await proposeOverall(db, w.organiser, c.id)).toMatchObject({ ok: false, code: 'no_results' });
    expect((await publishResults(db, w.organiser, r1, at(4000))).ok).toBe(true);
    expect(await proposeOverall(db, w.organiser, c.id)).toMatchObject({ ok: false, code: 'rounds_pending' });
    expect((await publishResults(db, w.organiser, r2, at(11000))).ok).toBe(true);
    expect(await proposeOverall(db, an, c.id)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await confirmOverall(db, w.organiser, c.id)).toMatchObject({ ok: false, code: 'not_proposed' });

    // Sum of both rounds: Cường 4 (gap 1, 60 s); Bình 3 (gap 0, 130 s); An 3 (gap 0, 180 s); Dũng 2.
    expect(await proposeOverall(db, w.organiser, c.id)).toEqual({ ok: true, value: { ranked: 4, units: 2 } });
    const preview = await overallPreview(db, c.id);
    expect(preview.ranking.map((x) => [x.full_name, x.rank, x.score, x.rounds, x.prediction_gap, x.duration_ms, x.prize])).toEqual([
      ['Lê Văn Cường', 1, 4, 2, 1, 60_000, 'Giải Nhất toàn cuộc'],
      ['Trần Thị Bình', 2, 3, 2, 0, 130_000, 'Giải Nhì toàn cuộc'],
      ['Nguyễn Văn An', 3, 3, 2, 0, 180_000, null],
      ['Phạm Minh Dũng', 4, 2, 1, 0, 100_000, null],
    ]);
    // Wards: A has An, Cường, Dũng (3) against B's 1; schools: B 1/2 = 50 % against A 3/10 = 30 %.
    expect(preview.units.map((u) => [u.label, u.name, u.rank, Number(u.value), u.entrants])).toEqual([
      ['Đơn vị đông nhất', 'Phường A', 1, 3, 3],
      ['Tỷ lệ cao nhất', 'Trường B', 1, 50, 1],
    ]);
    const contestRow = async () => (await db.selectFrom('contests').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow())!;
    expect(await overallResults(db, await contestRow(), an)).toBeNull(); // not public before confirmation

    expect(await confirmOverall(db, w.organiser, c.id, at(12000))).toEqual({ ok: true, value: { certificates: 4 } });
    const pub = (await overallResults(db, await contestRow(), an, T0))!;
    expect(pub.winners.map((x) => [x.rank, x.prize, x.name, x.unit, x.score])).toEqual([
      [1, 'Giải Nhất toàn cuộc', 'Lê Văn Cường', 'Trường A', 4],
      [2, 'Giải Nhì toàn cuộc', 'Trần Thị Bình', 'Trường B', 3],
    ]);
    expect(pub.units.map((u) => [u.prize, u.name])).toEqual([
      ['Đơn vị đông nhất', 'Phường A'],
      ['Tỷ lệ cao nhất', 'Trường B'],
    ]);
    expect(pub.mine).toMatchObject({ rank: 3, of: 4, score: 3, rounds: 2, decidedBy: 'time', above: { score: 3, durationMs: 130_000 } });
    const dungView = (await overallResults(db, await contestRow(), dung, T0))!;
    expect(dungView.mine).toMatchObject({ rank: 4, decidedBy: 'score' });

    const cuongCert = await certOf(cuong, first.value);
    expect(cuongCert.round_id).toBeNull();
    expect(await verifyCertificate(db, cuongCert.code)).toMatchObject({
      status: 'valid',
      source: 'contest',
      holderName: 'Lê Văn Cường',
      courseTitle: 'Cuộc thi thử — Giải Nhất toàn cuộc',
    });
    const unitCert = await db
      .selectFrom('contest_certificates')
      .select('code')
      .where('holder_unit_id', '=', w.schoolB.id)
      .executeTakeFirstOrThrow();
    expect(await verifyCertificate(db, unitCert.code)).toMatchObject({ status: 'valid', holderName: 'Trường B' });
    // confirming twice issues nothing new
    expect((await confirmOverall(db, w.organiser, c.id, at(12001))).ok).toBe(true);
    expect(await db.selectFrom('contest_certificates').select('id').where('prize_id', 'is not', null).execute()).toHaveLength(4);

    // Best round only: An 2/2 in 20 s; Cường 2/2 gap 0 in 30 s (round 2); Bình 80 s; Dũng 100 s.
    expect((await setOverallRule(db, w.organiser, c.id, { bestRounds: 1 })).ok).toBe(true);
    expect((await proposeOverall(db, w.organiser, c.id)).ok).toBe(true);
    expect((await overallPreview(db, c.id)).ranking.map((x) => [x.full_name, x.rank, x.prize])).toEqual([
      ['Nguyễn Văn An', 1, 'Giải Nhất toàn cuộc'],
      ['Lê Văn Cường', 2, 'Giải Nhì toàn cuộc'],
      ['Trần Thị Bình', 3, null],
      ['Phạm Minh Dũng', 4, null],
    ]);
    expect((await confirmOverall(db, w.organiser, c.id, at(13000))).ok).toBe(true);
    expect(await verifyCertificate(db, cuongCert.code)).toMatchObject({ status: 'revoked' });
    expect(await verifyCertificate(db, (await certOf(binh, second.value)).code)).toMatchObject({ status: 'revoked' });
    const anCert = await certOf(an, first.value);
    expect(await verifyCertificate(db, anCert.code)).toMatchObject({ status: 'valid' });

    // Disqualifying An in round 1 re-ranks the round and the contest and revokes An's certificate;
    // confirming again gives the first prize back to Cường (the same certificate, restored).
    expect((await disqualifyEntrant(db, w.organiser, r1, an, 'Hai tài khoản', at(14000))).ok).toBe(true);
    expect(await verifyCertificate(db, anCert.code)).toMatchObject({ status: 'revoked', revokedReason: 'Hai tài khoản' });
    expect((await overallPreview(db, c.id)).ranking.map((x) => [x.full_name, x.rank])).toEqual([
      ['Lê Văn Cường', 1],
      ['Trần Thị Bình', 2],
      ['Phạm Minh Dũng', 3],
      ['Nguyễn Văn An', 4],
    ]);
    expect((await confirmOverall(db, w.organiser, c.id, at(15000))).ok).toBe(true);
    expect(await verifyCertificate(db, cuongCert.code)).toMatchObject({ status: 'valid' });

    const rows = await overallRows(db, w.organiser, c.id);
    if (!rows.ok) throw new Error(rows.code);
    expect(rows.value[0]).toEqual([
      'rank',
      'full_name',
      'birth_year',
      'unit',
      'rounds',
      'score',
      'max_score',
      'prediction_gap',
      'time_s',
      'last_submitted_at',
      'prize',
    ]);
    expect(rows.value[1]!.slice(0, 6).concat(rows.value[1]!.slice(10))).toEqual([
      1,
      'Lê Văn Cường',
      1990,
      'Trường A',
      1,
      2,
      'Giải Nhất toàn cuộc',
    ]);
    const units = await unitAwardRows(db, w.organiser, c.id);
    if (!units.ok) throw new Error(units.code);
    expect(units.value).toEqual([
      ['prize', 'basis', 'rank', 'unit', 'value', 'entrants'],
      ['Đơn vị đông nhất', 'entrants', 1, 'Phường A', 3, 3],
      ['Tỷ lệ cao nhất', 'rate', 1, 'Trường B', 50, 1],
    ]);
    expect(await overallRows(db, an, c.id)).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('the organisers page parses every intent with its schema: bad input kept next to its field, refusals translated, others refused', async () => {
    const c = await w.contest();
    await w.bank(c.id, ['T'], 3);
    const r1 = await w.quizRound(c.id, 'Tuần 1', 0);
    const path = `/contests/${c.slug}/manage`;
    const params = { slug: c.slug };
    const post = (form: Record<string, string>, userId = w.organiser) => callRoute(manageRoute.action, { db, userId, path, params, form });
    const unknown = await post({ intent: 'nope' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ form: 'none', errors: { _form: 'errors.invalid' } });
    const badRule = await post({ intent: 'overall_rule', best_rounds: 'hai' });
    expect(badRule.status).toBe(400);
    expect(await badRule.json()).toMatchObject({
      form: 'overall_rule',
      errors: { best_rounds: 'contests.errors.bestRounds' },
      values: { best_rounds: 'hai' },
    });
    const unitInRound = await post({
      intent: 'prize',
      round_id: r1,
      label: 'Đông nhất',
      rank_from: '1',
      rank_to: '1',
      points: '0',
      basis: 'entrants',
      unit_depth: '1',
    });
    // A unit prize of one round (the ministries' weekly "giải tập thể") is a setting of that round.
    expect(unitInRound.status).toBe(302);
    expect(
      await db.selectFrom('contest_prizes').select(['round_id', 'basis', 'unit_depth']).where('label', '=', 'Đông nhất').execute(),
    ).toEqual([{ round_id: r1, basis: 'entrants', unit_depth: 1 }]);
    const early = await post({ intent: 'propose_overall' });
    expect(early.status).toBe(400);
    expect(await early.json()).toMatchObject({ form: 'propose_overall', errors: { _form: 'contests.errors.no_results' } });
    expect((await post({ intent: 'overall_rule', best_rounds: '2' })).status).toBe(302);
    expect(
      (await db.selectFrom('contests').select('overall_best_rounds').where('id', '=', c.id).executeTakeFirstOrThrow()).overall_best_rounds,
    ).toBe(2);
    const unitPrize = await post({
      intent: 'prize',
      round_id: '',
      label: 'Đông nhất',
      rank_from: '1',
      rank_to: '2',
      points: '0',
      basis: 'rate',
      unit_depth: '2',
    });
    expect(unitPrize.status).toBe(302);
    expect(
      await db
        .selectFrom('contest_prizes')
        .select(['basis', 'unit_depth', 'round_id'])
        .where('contest_id', '=', c.id)
        .where('round_id', 'is', null)
        .execute(),
    ).toEqual([{ basis: 'rate', unit_depth: 2, round_id: null }]);
    const stranger = await w.user('Người lạ');
    expect((await post({ intent: 'propose_overall' }, stranger)).status).toBe(403);
    // the contest-wide results page exists before publication and says so; exports are organisers' only
    const page = await callRoute(resultsRoute.loader, { db, path: `/contests/${c.slug}/results`, params });
    expect(await page.json()).toMatchObject({ results: null });
    const csv = await callRoute(exportRoute.loader, {
      db,
      userId: w.organiser,
      path: `/contests/${c.slug}/export?what=overall&format=csv`,
      params,
    });
    expect(csv.headers.get('Content-Disposition')).toContain('-overall.csv');
    expect(
      (await callRoute(exportRoute.loader, { db, userId: stranger, path: `/contests/${c.slug}/export?what=unit_prizes`, params })).status,
    ).toBe(403);
    // the round page: an unknown button is a 400, not a 500
    const entrantId = await w.entrant(c.id, 'Nguyễn An', w.schoolA.id);
    const roundPath = `/contests/${c.slug}/rounds/${r1}`;
    const bad = await callRoute(roundRoute.action, {
      db,
      userId: entrantId,
      path: roundPath,
      params: { slug: c.slug, roundId: r1 },
      form: { intent: 'x' },
    });
    expect(bad.status).toBe(400);
    const noAttempt = await callRoute(roundRoute.action, {
      db,
      userId: entrantId,
      path: roundPath,
      params: { slug: c.slug, roundId: r1 },
      form: { intent: 'submit' },
    });
    expect(noAttempt.status).toBe(400);
  });
});
