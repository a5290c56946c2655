import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { localPath } from '~/lib/storage/index.server';

import { addPrize, register } from '../../app/domain/contests/contests.server';
import {
  addSubmissionRound,
  entryMediaAccess,
  isPublic,
  moderateEntry,
  myEntry,
  type SubmissionRoundInput,
  submitEntry,
} from '../../app/domain/contests/entries.server';
import { entriesAction } from '../../app/domain/contests/entries-actions.server';
import { probeFile, setFfprobePath, sniffContainer } from '../../app/domain/contests/entries-media.server';
import {
  computeStage,
  confirmStageResults,
  myStageResult,
  proposeStageResults,
  stageResults,
} from '../../app/domain/contests/entries-results.server';
import {
  addJudge,
  assignJudges,
  declareEntryConflict,
  declarePersonConflict,
  judgeEntryView,
  judgeQueue,
  saveScores,
  setRubric,
} from '../../app/domain/contests/jury.server';
import { scoreEntries, weightedTotal } from '../../app/domain/contests/normalise';
import { castVote, openVoteFlags, reviewVoteFlag, voteCounts } from '../../app/domain/contests/votes.server';
import { verifyCertificate } from '../../app/domain/courses/progress.server';
import { accountsCreatedAt, type ContestWorld, contestWorld } from '../helpers/contests';
import { dialects } from '../helpers/db';
import { mediaFolder, tone } from '../helpers/media';
import { eachFreshWorld } from '../helpers/world';

const T0 = new Date('2026-11-02T01:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const iso = (s: number) => at(s).toISOString();
const DAY = 86_400;

const { file } = mediaFolder('entries-media', (file) => {
  // a 2.5-second Opus/WebM "recording", a 1-second one, a renamed text file, an empty file, a cut file
  tone(file('three.webm'), 2.5);
  tone(file('one.webm'), 1);
  tone(file('four.wav'), 4, 220);
  fs.writeFileSync(file('essay.webm'), 'Đây là một bài văn, không phải âm thanh.\n'.repeat(20));
  fs.writeFileSync(file('empty.webm'), '');
  const whole = fs.readFileSync(file('four.wav'));
  fs.writeFileSync(file('cut.wav'), whole.subarray(0, 40));
});

describe('content checks by magic bytes and ffprobe', () => {
  it('knows containers by their first bytes, not their names', async () => {
    expect(sniffContainer(fs.readFileSync(file('three.webm')))).toBe('webm');
    expect(sniffContainer(fs.readFileSync(file('four.wav')))).toBe('wav');
    expect(sniffContainer(fs.readFileSync(file('essay.webm')))).toBeNull();
    const p = await probeFile(file('three.webm'), 'audio');
    expect(p.ok && p.value.probed && p.value.durationS).toBeCloseTo(2.5, 0);
    expect(await probeFile(file('essay.webm'), 'audio')).toEqual({ ok: false, code: 'not_media' });
    expect(await probeFile(file('empty.webm'), 'audio')).toEqual({ ok: false, code: 'empty' });
    expect(await probeFile(file('three.webm'), 'video')).toEqual({ ok: false, code: 'wrong_kind' });
    expect(await probeFile(file('three.webm'), 'photo')).toEqual({ ok: false, code: 'wrong_kind' });
  });
  it('degrades to the container check when ffprobe is absent', async () => {
    setFfprobePath(null);
    try {
      const p = await probeFile(file('three.webm'), 'audio');
      expect(p.ok && p.value).toMatchObject({ container: 'webm', durationS: null, probed: false });
    } finally {
      setFfprobePath(undefined);
    }
  });
});

describe('jury arithmetic (hand-computed)', () => {
  it('weights criteria on a 0–100 scale', () => {
    const crit = [
      { id: 'a', weight: 2, max_points: 10 },
      { id: 'b', weight: 1, max_points: 5 },
    ];
    expect(weightedTotal(crit, { a: 5, b: 0 })).toBeCloseTo(40);
    expect(weightedTotal(crit, { a: 7, b: 1 })).toBeCloseTo(60);
    expect(weightedTotal(crit, { a: 10, b: 5 })).toBeCloseTo(100);
  });
  it('normalises per judge with z-scores', () => {
    // H (harsh): e1 40, e2 60 → μ 50, σ 10 → z −1, +1.  G: e2 80, e3 100 → μ 90, σ 10 → z −1, +1.
    // All totals 40, 60, 80, 100: μ 70, σ √500 ≈ 22.3607.
    // e1: 70 − 22.3607 = 47.6393; e2: z̄ 0 → 70; e3: 92.3607. Raw means: 40, 70, 100.
    const s = [
      { entryId: 'e1', judgeId: 'H', total: 40 },
      { entryId: 'e2', judgeId: 'H', total: 60 },
      { entryId: 'e2', judgeId: 'G', total: 80 },
      { entryId: 'e3', judgeId: 'G', total: 100 },
    ];
    const on = new Map(scoreEntries(s, true).map((e) => [e.entryId, e]));
    expect(on.get('e1')!.norm).toBeCloseTo(47.6393, 3);
    expect(on.get('e2')!.norm).toBeCloseTo(70, 6);
    expect(on.get('e3')!.norm).toBeCloseTo(92.3607, 3);
    expect(on.get('e2')!.raw).toBe(70);
    expect(on.get('e2')!.spread).toBe(20);
    const off = new Map(scoreEntries(s, false).map((e) => [e.entryId, e]));
    expect(off.get('e1')!.norm).toBe(40);
    expect(off.get('e3')!.norm).toBe(100);
  });
});

describe.each(dialects)('submission rounds on %s', (dialect) => {
  let db: DB;
  let w: ContestWorld;
  eachFreshWorld(dialect, contestWorld, (fresh) => ({ db, w } = fresh));

  const base = (over: Partial<SubmissionRoundInput> = {}): SubmissionRoundInput => ({
    title: 'Vòng trường',
    opensAt: iso(0),
    closesAt: iso(DAY),
    entryKind: 'audio',
    passageTitle: 'Chuyện cổ tích',
    passageText: 'Ngày xửa ngày xưa…',
    minSeconds: 2,
    maxSeconds: 3,
    stageLevel: 'school',
    advanceCount: 1,
    ...over,
  });

  async function entrant(contestId: string, unitId: string, name: string, birthYear = 1990) {
    const u = await w.user(name, birthYear);
    const r = await register(db, contestId, u, { fullName: name, birthYear, unitId, phone: null }, at(10));
    if (!r.ok) throw new Error(r.code);
    return u;
  }

  it('checks settings and refuses what is not an entry, keeping the earlier file', async () => {
    const c = await w.contest();
    expect(await addSubmissionRound(db, w.organiser, c.id, base({ minSeconds: 5, maxSeconds: 2 }))).toMatchObject({
      ok: false,
      code: 'length_range',
    });
    expect(await addSubmissionRound(db, w.organiser, c.id, base({ voting: true }))).toMatchObject({ ok: false, code: 'vote_window' });
    const stranger = await w.user();
    expect(await addSubmissionRound(db, stranger, c.id, base())).toMatchObject({ ok: false, code: 'forbidden' });
    const r = await addSubmissionRound(db, w.organiser, c.id, base());
    if (!r.ok) throw new Error(r.code);
    const roundId = r.value;
    const u = await entrant(c.id, w.schoolA.id, 'Nguyễn Văn An');
    const outsider = await w.user();
    expect(await submitEntry(db, outsider, roundId, { title: 'x', tempFile: file('three.webm') }, at(60))).toMatchObject({
      code: 'not_registered',
    });
    expect(await submitEntry(db, u, roundId, { title: 'x', tempFile: file('three.webm') }, at(-60))).toMatchObject({ code: 'not_open' });
    expect(await submitEntry(db, u, roundId, { title: 'x', tempFile: file('essay.webm') }, at(60))).toMatchObject({ code: 'not_media' });
    expect(await submitEntry(db, u, roundId, { title: 'x', tempFile: file('empty.webm') }, at(60))).toMatchObject({ code: 'empty' });
    expect(await submitEntry(db, u, roundId, { title: 'x', tempFile: file('four.wav') }, at(60))).toMatchObject({
      code: 'too_long',
      detail: { max: 3 },
    });
    expect(await submitEntry(db, u, roundId, { title: 'x', tempFile: file('one.webm') }, at(60))).toMatchObject({ code: 'too_short' });
    expect(await submitEntry(db, u, roundId, { title: 'x' }, at(60))).toMatchObject({ code: 'file_required' });

    const first = await submitEntry(db, u, roundId, { title: 'Bài đọc', tempFile: file('three.webm') }, at(60));
    if (!first.ok) throw new Error(first.code);
    const key1 = first.value.entry.blob_key!;
    expect(fs.existsSync(localPath(key1))).toBe(true);
    // a cut replacement (the upload stopped at 60 %) is refused; the first file is untouched
    expect(await submitEntry(db, u, roundId, { title: 'Bài đọc', tempFile: file('cut.wav') }, at(120))).toMatchObject({ ok: false });
    expect((await myEntry(db, roundId, u))!.blob_key).toBe(key1);
    expect(fs.existsSync(localPath(key1))).toBe(true);
    // a good replacement takes its place; the earlier file goes only then
    const second = await submitEntry(db, u, roundId, { title: 'Bài đọc mới', tempFile: file('three.webm') }, at(180));
    if (!second.ok) throw new Error(second.code);
    expect(second.value.replaced).toBe(true);
    expect(second.value.entry.blob_key).not.toBe(key1);
    expect(fs.existsSync(localPath(key1))).toBe(false);
    expect((await myEntry(db, roundId, u))!.replaced_count).toBe(1);
    // after the window: nothing changes
    expect(await submitEntry(db, u, roundId, { title: 'muộn', tempFile: file('three.webm') }, at(DAY + 1))).toMatchObject({
      code: 'not_open',
    });
    expect((await myEntry(db, roundId, u))!.title).toBe('Bài đọc mới');
  });

  it('keeps minors’ videos private without parental consent', async () => {
    expect(isPublic({ moderation: 'approved', minor: 1, parental_consent: 0, mime: 'video/webm' }, { gallery: 1 })).toBe(false);
    expect(isPublic({ moderation: 'approved', minor: 1, parental_consent: 1, mime: 'video/webm' }, { gallery: 1 })).toBe(true);
    expect(isPublic({ moderation: 'approved', minor: 1, parental_consent: 0, mime: 'audio/webm' }, { gallery: 1 })).toBe(true);
    expect(isPublic({ moderation: 'pending', minor: 0, parental_consent: 0, mime: 'audio/webm' }, { gallery: 1 })).toBe(false);
    const c = await w.contest();
    const r = await addSubmissionRound(db, w.organiser, c.id, base({ entryKind: 'video', minSeconds: 0, maxSeconds: 60, gallery: true }));
    if (!r.ok) throw new Error(r.code);
    execFileSync('ffmpeg', [
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=64x48:rate=10:duration=2',
      '-f',
      'lavfi',
      '-i',
      'sine=duration=2',
      '-shortest',
      '-c:v',
      'libvpx',
      '-c:a',
      'libopus',
      file('clip.webm'),
    ]);
    const kid = await entrant(c.id, w.schoolA.id, 'Trần Bé', 2016);
    const e = await submitEntry(db, kid, r.value, { title: 'Video', tempFile: file('clip.webm') }, at(60));
    if (!e.ok) throw new Error(e.code);
    expect(e.value.entry.minor).toBe(1);
    expect(await moderateEntry(db, w.organiser, e.value.entry.id, 'approved', false)).toMatchObject({ code: 'consent_required' });
    expect(await entryMediaAccess(db, e.value.entry.id, null)).toEqual({ status: 'missing' });
    expect(await moderateEntry(db, w.organiser, e.value.entry.id, 'approved', true)).toMatchObject({ ok: true });
    expect((await entryMediaAccess(db, e.value.entry.id, null)).status).toBe('ok');
  });

  /** Six entrants (3 in school A, 3 in school B), judges with affiliations, a 2-criterion rubric. */
  async function juryWorld(over: Partial<SubmissionRoundInput> = {}) {
    const c = await w.contest();
    const r = await addSubmissionRound(db, w.organiser, c.id, base({ judgesPerEntry: 2, marginPoints: 15, ...over }));
    if (!r.ok) throw new Error(r.code);
    const roundId = r.value;
    expect(
      await setRubric(db, w.organiser, roundId, [
        {
          label: 'Phát âm',
          description: 'Rõ ràng, chuẩn',
          weight: 2,
          maxPoints: 10,
          levels: [
            { points: 2, text: 'Khó nghe' },
            { points: 10, text: 'Rất rõ' },
          ],
        },
        { label: 'Diễn cảm', description: 'Giọng đọc có cảm xúc', weight: 1, maxPoints: 5, levels: [] },
      ]),
    ).toMatchObject({ ok: true });
    const names = ['An', 'Bình', 'Chi', 'Dũng', 'Hà', 'Khoa'];
    const entrants: string[] = [];
    const entries: string[] = [];
    for (const [i, n] of names.entries()) {
      const u = await entrant(c.id, i < 3 ? w.schoolA.id : w.schoolB.id, `Nguyễn ${n}`);
      entrants.push(u);
      const e = await submitEntry(db, u, roundId, { title: `Bài ${n}`, tempFile: file('three.webm') }, at(100 + i));
      if (!e.ok) throw new Error(e.code);
      entries.push(e.value.entry.id);
    }
    const judge = async (name: string, unitId: string | null) => {
      const u = await w.user(name);
      const a = await addJudge(db, w.organiser, roundId, { userId: u, unitId });
      if (!a.ok) throw new Error(a.code);
      return u;
    };
    const jWardA = await judge('GK phường A', w.wardA.id); // never school A entries
    const jSchoolB = await judge('GK trường B', w.schoolB.id); // never school B entries
    const jOther1 = await judge('GK tỉnh khác 1', w.other.id);
    const jOther2 = await judge('GK tỉnh khác 2', w.other.id);
    const jFree = await judge('GK độc lập', null);
    return { c, roundId, entrants, entries, judges: { jWardA, jSchoolB, jOther1, jOther2, jFree } };
  }

  it('assigns ≥ 2 judges per entry, balanced, never from the entry’s branch of the unit tree', async () => {
    const j = await juryWorld();
    const res = await assignJudges(db, w.organiser, j.roundId, at(DAY + 10));
    if (!res.ok) throw new Error(res.code);
    expect(res.value).toEqual({ created: 12, understaffed: [] });
    const rows = await db.selectFrom('contest_assignments').selectAll().where('round_id', '=', j.roundId).execute();
    for (const e of j.entries) expect(rows.filter((r) => r.entry_id === e).length).toBe(2);
    const schoolA = new Set(j.entries.slice(0, 3));
    for (const r of rows) {
      if (r.judge_id === j.judges.jWardA) expect(schoolA.has(r.entry_id)).toBe(false);
      if (r.judge_id === j.judges.jSchoolB) expect(schoolA.has(r.entry_id)).toBe(true);
    }
    const load = Object.values(j.judges).map((id) => rows.filter((r) => r.judge_id === id).length);
    expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(1);
    // a second run only tops up: nothing new
    expect(await assignJudges(db, w.organiser, j.roundId)).toMatchObject({ value: { created: 0 } });
    // not an organiser: refused
    expect(await assignJudges(db, j.judges.jFree, j.roundId)).toMatchObject({ code: 'forbidden' });

    // a judge declares a conflict on an entry: it goes to someone else
    const mine = rows.find((r) => r.judge_id === j.judges.jFree)!;
    expect(await declareEntryConflict(db, j.judges.jFree, mine.entry_id, 'Cháu tôi')).toMatchObject({ ok: true });
    const after = await db.selectFrom('contest_assignments').selectAll().where('entry_id', '=', mine.entry_id).execute();
    expect(after.filter((a) => a.status !== 'conflict').length).toBe(2);
    expect(after.find((a) => a.judge_id === j.judges.jFree)!.status).toBe('conflict');
    expect((await judgeEntryView(db, j.judges.jFree, mine.entry_id)).ok).toBe(false);

    // an organiser records a person conflict: every entry of that person leaves the judge
    const other = rows.find((r) => r.judge_id === j.judges.jOther1)!;
    const person = (await db.selectFrom('contest_entries').select('user_id').where('id', '=', other.entry_id).executeTakeFirstOrThrow())
      .user_id;
    expect(await declarePersonConflict(db, w.organiser, j.roundId, j.judges.jOther1, person, 'Đồng nghiệp')).toMatchObject({
      value: { reassigned: 1 },
    });
    const act = await db
      .selectFrom('contest_assignments')
      .selectAll()
      .where('entry_id', '=', other.entry_id)
      .where('status', '!=', 'conflict')
      .execute();
    expect(act.map((a) => a.judge_id)).not.toContain(j.judges.jOther1);
    expect(act.length).toBe(2);
  });

  it('tells the organiser which entries no judge may take, and two assignments at once give each entry exactly N judges', async () => {
    // two organisers' clicks at once: one transaction after the other, 12 pairs in all, never 3 judges on an entry
    const twice = await juryWorld();
    const both = await Promise.all([
      assignJudges(db, w.organiser, twice.roundId, at(DAY + 10)),
      assignJudges(db, w.organiser, twice.roundId, at(DAY + 10)),
    ]);
    expect(both.map((r) => (r.ok ? r.value.created : -1)).sort()).toEqual([0, 12]);
    const pairs = await db.selectFrom('contest_assignments').select('entry_id').where('round_id', '=', twice.roundId).execute();
    for (const e of twice.entries) expect(pairs.filter((p) => p.entry_id === e).length).toBe(2);

    // An's entry (school A): the ward A judge is out by the unit tree, three others by declared
    // conflicts — only the school B judge is left, so it gets one judge and is reported, not dropped
    const j = await juryWorld();
    const an = j.entrants[0]!;
    for (const judgeId of [j.judges.jOther1, j.judges.jOther2, j.judges.jFree])
      expect(await declarePersonConflict(db, w.organiser, j.roundId, judgeId, an, 'Họ hàng', at(DAY))).toMatchObject({
        value: { reassigned: 0 },
      });
    const res = await assignJudges(db, w.organiser, j.roundId, at(DAY + 10));
    expect(res).toMatchObject({ ok: true, value: { created: 11, understaffed: [j.entries[0]] } });
    const hers = await db.selectFrom('contest_assignments').select('judge_id').where('entry_id', '=', j.entries[0]!).execute();
    expect(hers.map((a) => a.judge_id)).toEqual([j.judges.jSchoolB]);
    // the organiser's button says so, each time it is pressed while the entry still lacks a judge
    expect(await entriesAction(db, w.organiser, j.c.id, { intent: 'assign', round_id: j.roundId }, 'Tham gia', at(DAY + 20))).toEqual({
      ok: true,
      value: { message: 'contests.entries.flash.understaffed', params: { n: 0, m: 1 } },
    });
  });

  it('shows judges only codes, checks maxima, flags margins and ranks, promotes and certifies', async () => {
    const j = await juryWorld({ normalise: false, advanceCount: 1 });
    const next = await addSubmissionRound(
      db,
      w.organiser,
      j.c.id,
      base({ title: 'Vòng tỉnh', opensAt: iso(2 * DAY), closesAt: iso(3 * DAY), stageLevel: 'province', previousRoundId: j.roundId }),
    );
    if (!next.ok) throw new Error(next.code);
    expect(
      await addPrize(db, w.organiser, j.c.id, { roundId: j.roundId, label: 'Giải Nhất', rankFrom: 1, rankTo: 1, points: 10 }),
    ).toMatchObject({ ok: true });
    await assignJudges(db, w.organiser, j.roundId, at(DAY + 10));
    const criteria = await db
      .selectFrom('contest_criteria')
      .select(['id', 'label'])
      .where('round_id', '=', j.roundId)
      .orderBy('position')
      .execute();
    const [pron, expr] = criteria.map((c) => c.id);

    // blind: the judge's queue and view carry no name nor unit
    const q = await judgeQueue(db, j.judges.jOther1, j.roundId);
    if (!q.ok) throw new Error(q.code);
    expect(q.value.total).toBeGreaterThan(0);
    const v = await judgeEntryView(db, j.judges.jOther1, q.value.items[0].id);
    if (!v.ok) throw new Error(v.code);
    const seen = JSON.stringify({ q: q.value, v: v.value });
    for (const s of ['Nguyễn', 'Trường A', 'Trường B', 'Phường']) expect(seen).not.toContain(s);
    expect(v.value.round.passageText).toBe('Ngày xửa ngày xưa…');
    // entries not assigned to the judge: not found
    const notMine = j.entries.find((e) => !q.value.items.some((i) => i.id === e))!;
    expect((await judgeEntryView(db, j.judges.jOther1, notMine)).ok).toBe(false);
    expect(await saveScores(db, j.judges.jOther1, notMine, { [pron]: 5 })).toMatchObject({ code: 'not_found' });
    // above the maximum: refused, nothing saved
    expect(await saveScores(db, j.judges.jOther1, q.value.items[0].id, { [pron]: 11 })).toMatchObject({
      code: 'above_max',
      detail: { max: 10 },
    });
    // saved as the judge goes: progress counts complete entries only
    expect(await saveScores(db, j.judges.jOther1, q.value.items[0].id, { [pron]: 5 })).toMatchObject({ value: { complete: false } });
    expect((await judgeQueue(db, j.judges.jOther1, j.roundId)).ok && (await judgeQueue(db, j.judges.jOther1, j.roundId))).toMatchObject({
      value: { scored: 0 },
    });

    // every judge scores: entry i gets pron = 10 − i from everyone, except one disagreement on entry 5
    const all = await db.selectFrom('contest_assignments').selectAll().where('round_id', '=', j.roundId).execute();
    for (const a of all) {
      const i = j.entries.indexOf(a.entry_id);
      const p = i === 5 && a.judge_id === all.find((x) => x.entry_id === a.entry_id)!.judge_id ? 0 : 10 - i;
      const r = await saveScores(db, a.judge_id, a.entry_id, { [pron]: p, [expr]: 5 });
      expect(r.ok).toBe(true);
    }
    expect(await judgeQueue(db, j.judges.jOther1, j.roundId)).toMatchObject({ value: { scored: q.value.total } });

    // entrants see nothing before results are published
    expect(await myStageResult(db, j.roundId, j.entrants[0])).toBeNull();
    expect(await proposeStageResults(db, w.organiser, j.roundId, at(100))).toMatchObject({ code: 'not_closed' });
    const p = await proposeStageResults(db, w.organiser, j.roundId, at(DAY + 100));
    if (!p.ok) throw new Error(p.code);
    expect(p.value).toEqual({ ranked: 6, unscored: 0, flagged: 1 });
    const { rows } = await computeStage(db, j.roundId);
    // entry 0: (2·10 + 5)/25 = 100; entry 1: (18 + 5)/25 = 92
    expect(rows[0]).toMatchObject({ entryId: j.entries[0], raw: 100, rank: 1, advanced: true, marginFlag: false });
    expect(rows.find((r) => r.entryId === j.entries[1])).toMatchObject({ raw: 92, advanced: false });
    expect(rows.find((r) => r.entryId === j.entries[3])).toMatchObject({ advanced: true }); // best of school B
    expect(rows.find((r) => r.entryId === j.entries[5])).toMatchObject({ marginFlag: true });
    expect(await stageResults(db, j.roundId)).toBeNull();

    const conf = await confirmStageResults(db, w.organiser, j.roundId, 'Chứng nhận tham gia', at(DAY + 200));
    if (!conf.ok) throw new Error(conf.code);
    expect(conf.value).toEqual({ certificates: 6, promoted: 2 });
    const pub = await stageResults(db, j.roundId);
    expect(pub!.rows[0]).toMatchObject({ rank: 1, name: 'Nguyễn An', unit: 'Trường A', prize: 'Giải Nhất', advanced: true });
    expect(await myStageResult(db, j.roundId, j.entrants[0])).toMatchObject({ rank: 1, prize: 'Giải Nhất' });
    const promoted = await db.selectFrom('contest_entries').selectAll().where('round_id', '=', next.value).execute();
    expect(promoted.map((e) => e.promoted_from).sort()).toEqual([j.entries[0], j.entries[3]].sort());
    const cert = await db
      .selectFrom('contest_certificates')
      .select(['code', 'prize_label'])
      .where('user_id', '=', j.entrants[0])
      .executeTakeFirstOrThrow();
    expect(cert.prize_label).toBe('Giải Nhất');
    expect(await verifyCertificate(db, cert.code)).toMatchObject({ status: 'valid' });
    // scores are locked once results are public
    expect(await saveScores(db, all[0].judge_id, all[0].entry_id, { [pron]: 1 })).toMatchObject({ code: 'locked' });
  });

  describe('votes', () => {
    async function votingWorld(over: Partial<SubmissionRoundInput> = {}) {
      const c = await w.contest();
      const r = await addSubmissionRound(
        db,
        w.organiser,
        c.id,
        base({ gallery: true, voting: true, voteOpensAt: iso(DAY), voteClosesAt: iso(3 * DAY), burstThreshold: 1000, ...over }),
      );
      if (!r.ok) throw new Error(r.code);
      const author = await entrant(c.id, w.schoolA.id, 'Lê Tác Giả');
      const e = await submitEntry(db, author, r.value, { title: 'Bài', tempFile: file('three.webm') }, at(60));
      if (!e.ok) throw new Error(e.code);
      const e2u = await entrant(c.id, w.schoolB.id, 'Lê Thứ Hai');
      const e2 = await submitEntry(db, e2u, r.value, { title: 'Bài 2', tempFile: file('three.webm') }, at(60));
      if (!e2.ok) throw new Error(e2.code);
      await moderateEntry(db, w.organiser, e.value.entry.id, 'approved', false);
      await moderateEntry(db, w.organiser, e2.value.entry.id, 'approved', false);
      return { roundId: r.value, entryId: e.value.entry.id, entry2: e2.value.entry.id, author };
    }
    /** Accounts created `ageDays` before the window opens (T0 + 1 day). */
    const voters = (n: number, ageDays = 30) => accountsCreatedAt(db, n, at(DAY - ageDays * DAY));

    it('one vote per account per entry, in the window, from accounts older than the window', async () => {
      const v = await votingWorld();
      const [a, b] = await voters(2);
      expect(await castVote(db, { userId: a, entryId: v.entryId, ip: '1.1.1.1' }, at(60))).toMatchObject({ code: 'vote_closed' });
      expect(await castVote(db, { userId: a, entryId: v.entryId, ip: '1.1.1.1' }, at(DAY + 60))).toEqual({
        ok: true,
        value: { status: 'counted' },
      });
      expect(await castVote(db, { userId: a, entryId: v.entryId, ip: '1.1.1.1' }, at(DAY + 70))).toMatchObject({ code: 'already_voted' });
      expect(await castVote(db, { userId: a, entryId: v.entry2, ip: '1.1.1.1' }, at(DAY + 80))).toMatchObject({ ok: true });
      expect(await castVote(db, { userId: v.author, entryId: v.entryId, ip: '1.1.1.2' }, at(DAY + 90))).toMatchObject({
        code: 'own_entry',
      });
      const [young] = await voters(1, -0.5);
      expect(await castVote(db, { userId: young, entryId: v.entryId, ip: '1.1.1.3' }, at(DAY + 100))).toMatchObject({
        code: 'account_too_new',
      });
      expect(await castVote(db, { userId: b, entryId: v.entryId, ip: '1.1.1.4' }, at(3 * DAY))).toMatchObject({ code: 'vote_closed' });
      expect((await voteCounts(db, v.roundId)).get(v.entryId)).toBe(1);
    });

    it('N votes per round, and per-address / per-account rate limits', async () => {
      const v = await votingWorld({ votesMode: 'per_contest', votesPerAccount: 1 });
      const [a, b, c] = await voters(3);
      expect(await castVote(db, { userId: a, entryId: v.entryId, ip: '2.2.2.1' }, at(DAY + 60))).toMatchObject({ ok: true });
      expect(await castVote(db, { userId: a, entryId: v.entry2, ip: '2.2.2.1' }, at(DAY + 70))).toMatchObject({ code: 'quota_spent' });
      const limits = { perIpPerMinute: 1, perAccountPerMinute: 10 };
      expect(await castVote(db, { userId: b, entryId: v.entryId, ip: '2.2.2.1' }, at(DAY + 80), limits)).toMatchObject({
        code: 'rate_limited',
      });
      expect(await castVote(db, { userId: b, entryId: v.entryId, ip: '2.2.2.1' }, at(DAY + 200), limits)).toMatchObject({ ok: true });
      expect(await castVote(db, { userId: c, entryId: v.entryId, ip: '2.2.2.9' }, at(DAY + 210), limits)).toMatchObject({ ok: true });
    });

    it('holds a burst of new accounts for review, then counts or discards it', async () => {
      const v = await votingWorld({ burstThreshold: 3, burstWindowS: 600, newAccountDays: 7 });
      const old = await voters(2, 60);
      const fresh = await voters(5, 2);
      const t = (s: number) => at(DAY + s);
      expect(await castVote(db, { userId: old[0], entryId: v.entryId, ip: '3.0.0.1' }, t(1))).toMatchObject({
        value: { status: 'counted' },
      });
      expect(await castVote(db, { userId: fresh[0], entryId: v.entryId, ip: '3.0.0.2' }, t(2))).toMatchObject({
        value: { status: 'counted' },
      });
      expect(await castVote(db, { userId: fresh[1], entryId: v.entryId, ip: '3.0.0.3' }, t(3))).toMatchObject({
        value: { status: 'counted' },
      });
      // the third new account within minutes: a burst; all three held
      expect(await castVote(db, { userId: fresh[2], entryId: v.entryId, ip: '3.0.0.4' }, t(4))).toMatchObject({
        value: { status: 'held' },
      });
      expect(await castVote(db, { userId: fresh[3], entryId: v.entryId, ip: '3.0.0.5' }, t(5))).toMatchObject({
        value: { status: 'held' },
      });
      // old accounts still count
      expect(await castVote(db, { userId: old[1], entryId: v.entryId, ip: '3.0.0.6' }, t(6))).toMatchObject({
        value: { status: 'counted' },
      });
      expect((await voteCounts(db, v.roundId)).get(v.entryId)).toBe(2);
      const flags = await openVoteFlags(db, w.organiser, v.roundId);
      if (!flags.ok) throw new Error(flags.code);
      expect(flags.value).toMatchObject([{ entry_id: v.entryId, held: 4 }]);
      expect(await reviewVoteFlag(db, w.organiser, flags.value[0].id, 'cleared', t(100))).toEqual({ ok: true, value: { votes: 4 } });
      expect((await voteCounts(db, v.roundId)).get(v.entryId)).toBe(6);
    });

    it('counts exactly under concurrency: 500 accounts → 500 votes; one account twice → 1', async () => {
      const v = await votingWorld();
      const ids = await voters(500);
      const res = await Promise.all(
        ids.map((id, i) => castVote(db, { userId: id, entryId: v.entryId, ip: `10.0.${i >> 8}.${i & 255}` }, at(DAY + 60))),
      );
      expect(res.filter((r) => r.ok).length).toBe(500);
      expect((await voteCounts(db, v.roundId)).get(v.entryId)).toBe(500);
      const [twice] = await voters(1);
      const both = await Promise.all([0, 1].map(() => castVote(db, { userId: twice, entryId: v.entry2, ip: '9.9.9.9' }, at(DAY + 60))));
      expect(both.filter((r) => r.ok).length).toBe(1);
      expect(both.filter((r) => !r.ok && r.code === 'already_voted').length).toBe(1);
      expect((await voteCounts(db, v.roundId)).get(v.entry2)).toBe(1);
      // N per round: the same account twice at once on two entries with N = 1 → one vote
    });

    it('the N-per-round quota holds under concurrency', async () => {
      const v = await votingWorld({ votesMode: 'per_contest', votesPerAccount: 1 });
      const [a] = await voters(1);
      const both = await Promise.all(
        [v.entryId, v.entry2].map((entryId) => castVote(db, { userId: a, entryId, ip: '8.8.8.8' }, at(DAY + 60))),
      );
      expect(both.filter((r) => r.ok).length).toBe(1);
      const counts = await voteCounts(db, v.roundId);
      expect((counts.get(v.entryId) ?? 0) + (counts.get(v.entry2) ?? 0)).toBe(1);
    });
  });
});
