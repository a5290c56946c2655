/**
 * People's choice of submission rounds (issue #15, item 6): the organiser's voting settings, the
 * prize decided from counted votes only (held bursts reviewed first), the weight of votes kept out
 * of the jury score unless set, the shared rate limits exact under concurrency, and the forms
 * through the routes as a browser without JavaScript sends them.
 */
import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';

import { addPrize, register } from '../../app/domain/contests/contests.server';
import { addSubmissionRound, type SubmissionRoundInput } from '../../app/domain/contests/entries.server';
import { galleryPage } from '../../app/domain/contests/entries-pages.server';
import { computeStage, confirmStageResults, proposeStageResults, stageResults } from '../../app/domain/contests/entries-results.server';
import { addJudge, assignJudges, saveScores, setRubric } from '../../app/domain/contests/jury.server';
import {
  castVote,
  openVoteFlags,
  rankByVotes,
  reviewVoteFlag,
  setVotingSettings,
  voteCounts,
  type VotingSettingsInput,
} from '../../app/domain/contests/votes.server';
import { verifyCertificate } from '../../app/domain/courses/progress.server';
import { newId } from '../../app/lib/ids.server';
import { action as manageAction, loader as manageLoader } from '../../app/routes/contests.$slug.entries.manage';
import { action as galleryAction } from '../../app/routes/contests.$slug.gallery.$roundId';
import { accountsCreatedAt, type ContestWorld, contestWorld } from '../helpers/contests';
import { dialects } from '../helpers/db';
import { callRoute } from '../helpers/routes';
import { eachFreshWorld } from '../helpers/world';

const T0 = new Date('2026-11-02T01:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const iso = (s: number) => at(s).toISOString();
const DAY = 86_400;

describe('ranking by votes', () => {
  it('ranks by counted votes, ties share a place, nobody wins with no votes', () => {
    const r = rankByVotes(
      new Map([
        ['a', 3],
        ['b', 5],
        ['c', 3],
        ['d', 0],
      ]),
      2,
    );
    expect(r).toEqual([
      { entryId: 'b', votes: 5, rank: 1, winner: true },
      { entryId: 'a', votes: 3, rank: 2, winner: true },
      { entryId: 'c', votes: 3, rank: 2, winner: true },
    ]);
    expect(rankByVotes(new Map([['a', 0]]), 1)).toEqual([]);
  });
});

describe.each(dialects)("people's choice on %s", (dialect) => {
  let db: DB;
  let w: ContestWorld;
  eachFreshWorld(dialect, contestWorld, (fresh) => ({ db, w } = fresh));

  const settings = (over: Partial<VotingSettingsInput> = {}): VotingSettingsInput => ({
    voting: true,
    voteOpensAt: iso(DAY),
    voteClosesAt: iso(3 * DAY),
    votesMode: 'per_entry',
    votesPerAccount: 1,
    voteWeight: 0,
    burstThreshold: 3,
    burstWindowS: 600,
    newAccountDays: 7,
    peoplesChoiceLabel: 'Giải bình chọn của khán giả',
    peoplesChoiceWinners: 1,
    ...over,
  });

  /** Accounts created `ageDays` before the voting window opens (T0 + 1 day). */
  const voters = (n: number, ageDays = 30) => accountsCreatedAt(db, n, at(DAY - ageDays * DAY));

  /**
   * A closed submission round (window: first day) with a gallery, three approved entries scored by
   * two judges (entry 0 best, entry 2 worst), a first prize, and voting as `settings()`.
   */
  async function scoredRound(over: Partial<SubmissionRoundInput> = {}) {
    const c = await w.contest();
    const r = await addSubmissionRound(db, w.organiser, c.id, {
      title: 'Vòng trường',
      opensAt: iso(0),
      closesAt: iso(DAY),
      entryKind: 'audio',
      passageTitle: 'Đoạn văn',
      passageText: 'Ngày xửa ngày xưa…',
      minSeconds: 1,
      maxSeconds: 300,
      stageLevel: 'school',
      advanceCount: 1,
      gallery: true,
      normalise: false,
      ...over,
    });
    if (!r.ok) throw new Error(r.code);
    const roundId = r.value;
    expect(await setVotingSettings(db, w.organiser, roundId, settings())).toEqual({ ok: true, value: undefined });
    expect(await addPrize(db, w.organiser, c.id, { roundId, label: 'Giải Nhất', rankFrom: 1, rankTo: 1, points: 10 })).toMatchObject({
      ok: true,
    });
    expect(
      await setRubric(db, w.organiser, roundId, [{ label: 'Phát âm', description: '', weight: 1, maxPoints: 10, levels: [] }]),
    ).toMatchObject({ ok: true });
    const entrants: string[] = [];
    const entries: string[] = [];
    for (const [i, name] of ['Trần An', 'Trần Bình', 'Trần Chi'].entries()) {
      const u = await w.user(name);
      const reg = await register(
        db,
        c.id,
        u,
        { fullName: name, birthYear: 1990, unitId: i === 1 ? w.schoolB.id : w.schoolA.id, phone: null },
        at(10),
      );
      if (!reg.ok) throw new Error(reg.code);
      const id = newId();
      await db
        .insertInto('contest_entries')
        .values({
          id,
          round_id: roundId,
          entrant_id: reg.value,
          user_id: u,
          unit_id: i === 1 ? w.schoolB.id : w.schoolA.id,
          code: `E${i}${newId(4)}`,
          title: `Bài đọc ${i}`,
          body_text: '',
          blob_key: null,
          mime: 'audio/webm',
          size_bytes: 1000,
          duration_s: 30,
          minor: 0,
          moderation: 'approved',
          parental_consent: 0,
          promoted_from: null,
          votes_counted: 0,
          submitted_at: iso(100 + i),
          updated_at: iso(100 + i),
          replaced_count: 0,
        })
        .execute();
      entrants.push(u);
      entries.push(id);
    }
    for (const name of ['GK 1', 'GK 2']) {
      const j = await addJudge(db, w.organiser, roundId, { userId: await w.user(name), unitId: w.other.id });
      if (!j.ok) throw new Error(j.code);
    }
    expect(await assignJudges(db, w.organiser, roundId, at(DAY + 10))).toMatchObject({ ok: true });
    const criterion = await db.selectFrom('contest_criteria').select('id').where('round_id', '=', roundId).executeTakeFirstOrThrow();
    const all = await db.selectFrom('contest_assignments').selectAll().where('round_id', '=', roundId).execute();
    for (const a of all) {
      const i = entries.indexOf(a.entry_id);
      expect(await saveScores(db, a.judge_id, a.entry_id, { [criterion.id]: [10, 5, 1][i] })).toMatchObject({ ok: true });
    }
    return { contest: c, roundId, entrants, entries };
  }

  /** The per-entry counts kept by triggers equal a count of the counted votes themselves. */
  const expectKeptCounts = async (roundId: string, entries: string[]) => {
    const exact = await voteCounts(db, roundId);
    const kept = await voteCounts(db, roundId, entries);
    for (const e of entries) expect(kept.get(e)).toBe(exact.get(e) ?? 0);
  };

  it('checks the organiser’s voting settings', async () => {
    const s = await scoredRound();
    expect(await setVotingSettings(db, w.organiser, s.roundId, settings({ voteClosesAt: iso(DAY) }))).toMatchObject({
      code: 'vote_window',
    });
    expect(await setVotingSettings(db, w.organiser, s.roundId, settings({ voteWeight: 1.5 }))).toMatchObject({ code: 'vote_weight' });
    expect(await setVotingSettings(db, s.entrants[0], s.roundId, settings())).toMatchObject({ code: 'forbidden' });
    // voting off: no window, no weight, no prize
    expect(await setVotingSettings(db, w.organiser, s.roundId, settings({ voting: false, voteWeight: 0.5 }))).toMatchObject({ ok: true });
    const off = await db.selectFrom('contest_submission_settings').selectAll().where('round_id', '=', s.roundId).executeTakeFirstOrThrow();
    expect(off).toMatchObject({ voting: 0, vote_opens_at: null, vote_weight: 0, peoples_choice_label: null });
    const [v] = await voters(1);
    expect(await castVote(db, { userId: v, entryId: s.entries[0], ip: '1.0.0.1' }, at(DAY + 60))).toMatchObject({ code: 'voting_off' });
  });

  it('decides the prize from counted votes once voting closed and bursts were reviewed, and certifies it', async () => {
    const s = await scoredRound();
    const old = await voters(5, 60);
    const fresh = await voters(4, 2);
    const t = (sec: number) => at(DAY + 3600 + sec);
    // entry 1: three counted votes of established accounts
    for (const [i, u] of old.slice(0, 3).entries())
      expect(await castVote(db, { userId: u, entryId: s.entries[1], ip: `4.0.0.${i}` }, t(i))).toMatchObject({
        value: { status: 'counted' },
      });
    // entry 2: two counted, then a burst of four new accounts — held, and would win if counted
    for (const [i, u] of old.slice(3).entries()) await castVote(db, { userId: u, entryId: s.entries[2], ip: `5.0.0.${i}` }, t(10 + i));
    for (const [i, u] of fresh.entries()) await castVote(db, { userId: u, entryId: s.entries[2], ip: `6.0.0.${i}` }, t(20 + i));
    const counts = await voteCounts(db, s.roundId);
    expect([counts.get(s.entries[1]), counts.get(s.entries[2])]).toEqual([3, 2]);
    // the counts the gallery shows (kept on each entry by the database) agree, held votes left out
    await expectKeptCounts(s.roundId, s.entries);

    // the jury ranking ignores votes at weight 0
    const proposed = await proposeStageResults(db, w.organiser, s.roundId, at(DAY + 7200));
    expect(proposed).toMatchObject({ ok: true });
    const { rows } = await computeStage(db, s.roundId);
    expect(rows.map((r) => [r.entryId, r.final])).toEqual([
      [s.entries[0], 100],
      [s.entries[1], 50],
      [s.entries[2], 10],
    ]);

    // not before voting closes, not with held votes unreviewed
    expect(await confirmStageResults(db, w.organiser, s.roundId, 'Chứng nhận tham gia', at(2 * DAY))).toMatchObject({
      code: 'votes_open',
    });
    expect(await confirmStageResults(db, w.organiser, s.roundId, 'Chứng nhận tham gia', at(3 * DAY + 60))).toMatchObject({
      code: 'flags_open',
    });
    expect(await stageResults(db, s.roundId)).toBeNull();
    const flags = await openVoteFlags(db, w.organiser, s.roundId);
    if (!flags.ok) throw new Error(flags.code);
    expect(flags.value).toMatchObject([{ entry_id: s.entries[2], held: 4 }]);
    expect(await reviewVoteFlag(db, w.organiser, flags.value[0].id, 'rejected', at(3 * DAY + 100))).toEqual({
      ok: true,
      value: { votes: 4 },
    });

    const conf = await confirmStageResults(db, w.organiser, s.roundId, 'Chứng nhận tham gia', at(3 * DAY + 200));
    expect(conf).toEqual({ ok: true, value: { certificates: 3, promoted: 0 } });
    const pub = await stageResults(db, s.roundId);
    expect(pub!.peoplesChoice).toEqual({
      label: 'Giải bình chọn của khán giả',
      winners: [{ entryId: s.entries[1], votes: 3, rank: 1 }],
    });
    expect(pub!.rows.find((r) => r.entryId === s.entries[1])).toMatchObject({ peoplesChoice: true, prize: null });
    expect(pub!.rows.find((r) => r.entryId === s.entries[0])).toMatchObject({ peoplesChoice: false, prize: 'Giải Nhất' });

    const certs = await db
      .selectFrom('contest_certificates')
      .select(['user_id', 'prize_label', 'code'])
      .where('round_id', '=', s.roundId)
      .execute();
    const label = (u: string) => certs.find((c) => c.user_id === u)?.prize_label;
    expect(label(s.entrants[0])).toBe('Giải Nhất');
    expect(label(s.entrants[1])).toBe('Giải bình chọn của khán giả');
    expect(label(s.entrants[2])).toBe('Chứng nhận tham gia');
    for (const c of certs) expect(await verifyCertificate(db, c.code)).toMatchObject({ status: 'valid' });

    // kept counts after the review (held → rejected) and when a vote row goes (an account deleted)
    await expectKeptCounts(s.roundId, s.entries);
    const gone = await db
      .selectFrom('contest_votes')
      .select('id')
      .where('entry_id', '=', s.entries[2])
      .where('status', '=', 'counted')
      .executeTakeFirstOrThrow();
    await db.deleteFrom('contest_votes').where('id', '=', gone.id).execute();
    expect((await voteCounts(db, s.roundId, s.entries)).get(s.entries[2])).toBe(1);
    await expectKeptCounts(s.roundId, s.entries);

    // the gallery shows the prize beside the entry
    const g = await galleryPage(db, s.contest.slug, s.roundId, null, at(3 * DAY + 300));
    if (g.status !== 'ok') throw new Error(g.status);
    expect(g).toMatchObject({ total: 3, pages: 1, page: 1 });
    expect(g.entries.find((e) => e.id === s.entries[1])).toMatchObject({ peoplesChoice: true, votes: 3 });
    expect(g.peoplesChoice).toMatchObject({ label: 'Giải bình chọn của khán giả', winners: [{ title: 'Bài đọc 1', name: 'Trần Bình' }] });
    // settings are frozen with the results
    expect(await setVotingSettings(db, w.organiser, s.roundId, settings())).toMatchObject({ code: 'results_published' });
  });

  it('mixes votes into the score only with a weight, and only once the votes are final', async () => {
    const s = await scoredRound();
    const vs = await voters(4, 60);
    for (const [i, u] of vs.entries()) await castVote(db, { userId: u, entryId: s.entries[2], ip: `7.0.0.${i}` }, at(DAY + 60 + i));
    expect(await setVotingSettings(db, w.organiser, s.roundId, settings({ voteWeight: 0.5 }))).toMatchObject({ ok: true });
    expect(await proposeStageResults(db, w.organiser, s.roundId, at(2 * DAY))).toMatchObject({ code: 'votes_open' });
    const { rows } = await computeStage(db, s.roundId);
    // 0.5·jury + 0.5·(votes / most votes · 100): entry 2 = 0.5·10 + 0.5·100 = 55 > entry 0 = 50
    expect(rows.map((r) => [r.entryId, r.final])).toEqual([
      [s.entries[2], 55],
      [s.entries[0], 50],
      [s.entries[1], 25],
    ]);
    expect(await proposeStageResults(db, w.organiser, s.roundId, at(3 * DAY))).toMatchObject({ ok: true });
  });

  it('per-address and per-account limits of the shared limiter are exact under concurrency', async () => {
    const s = await scoredRound();
    const vs = await voters(20);
    const limits = { perIpPerMinute: 5, perAccountPerMinute: 1 };
    const res = await Promise.all(vs.map((u) => castVote(db, { userId: u, entryId: s.entries[0], ip: '10.1.1.1' }, at(DAY + 60), limits)));
    expect(res.filter((r) => r.ok).length).toBe(5);
    expect(res.filter((r) => !r.ok && r.code === 'rate_limited').length).toBe(15);
    expect((await voteCounts(db, s.roundId)).get(s.entries[0])).toBe(5);
    // the next minute (injected clock) has room again
    expect(await castVote(db, { userId: vs[19], entryId: s.entries[0], ip: '10.1.1.1' }, at(DAY + 125), limits)).toMatchObject({
      ok: true,
    });
    // one account: one vote a minute here, whatever the address
    const [a] = await voters(1);
    expect(await castVote(db, { userId: a, entryId: s.entries[0], ip: '10.2.0.1' }, at(DAY + 200), limits)).toMatchObject({ ok: true });
    expect(await castVote(db, { userId: a, entryId: s.entries[1], ip: '10.2.0.2' }, at(DAY + 201), limits)).toMatchObject({
      code: 'rate_limited',
    });
    expect(await castVote(db, { userId: a, entryId: s.entries[1], ip: '10.2.0.2' }, at(DAY + 260), limits)).toMatchObject({ ok: true });
  });

  it('works through the routes without JavaScript: voting settings with errors kept, a vote, a second vote refused', async () => {
    const s = await scoredRound({ closesAt: iso(DAY) });
    const path = `/contests/${s.contest.slug}/entries/manage`;
    const params = { slug: s.contest.slug };
    const bad = await callRoute(manageAction, {
      db,
      userId: w.organiser,
      path,
      params,
      form: {
        intent: 'voting',
        round_id: s.roundId,
        voting: 'on',
        vote_opens_at: '2026-12-01T08:00',
        vote_closes_at: '2026-11-01T08:00',
        vote_weight: '150',
        peoples_choice_label: 'Giải khán giả',
      },
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(body.errors).toMatchObject({ vote_weight: 'contests.entries.errors.vote_weight' });
    expect(body.values.peoples_choice_label).toBe('Giải khán giả');

    // voting open now (real clock: the route votes at the request's time)
    const now = Date.now();
    const local = (ms: number) => new Date(ms + 7 * 3600_000).toISOString().slice(0, 16); // Asia/Ho_Chi_Minh
    const good = await callRoute(manageAction, {
      db,
      userId: w.organiser,
      path,
      params,
      form: {
        intent: 'voting',
        round_id: s.roundId,
        voting: 'on',
        vote_opens_at: local(now - 3600_000),
        vote_closes_at: local(now + 3600_000),
        votes_mode: 'per_entry',
        vote_weight: '0',
        peoples_choice_label: 'Giải khán giả',
      },
    });
    expect(good.status).toBe(302);
    const page = await callRoute(manageLoader, { db, userId: w.organiser, path, params });
    const data = (await page.json()) as { rounds: Array<{ round: { peoples_choice_label: string | null; voting: number } }> };
    expect(data.rounds[0].round).toMatchObject({ peoples_choice_label: 'Giải khán giả', voting: 1 });

    const [voter] = await voters(1, 400);
    const gpath = `/contests/${s.contest.slug}/gallery/${s.roundId}`;
    const gparams = { slug: s.contest.slug, roundId: s.roundId };
    const first = await callRoute(galleryAction, { db, userId: voter, path: gpath, params: gparams, form: { entry_id: s.entries[0] } });
    expect(first.status).toBe(302);
    const second = await callRoute(galleryAction, { db, userId: voter, path: gpath, params: gparams, form: { entry_id: s.entries[0] } });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ message: 'contests.entries.errors.already_voted' });
    expect((await voteCounts(db, s.roundId)).get(s.entries[0])).toBe(1);
  });
});
