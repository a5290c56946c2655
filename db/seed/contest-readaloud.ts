/**
 * Demo read-aloud contest (issue #15): "Giọng đọc hay" of Biên Giang ward for the 2024 Week, on
 * the same contest shell as the quiz contest. A ward stage with four recordings (synthetic voices
 * committed under content/demo/readaloud/, stored through the storage module like any upload),
 * a rubric, three judges from outside the ward who scored every entry blind, public votes, the
 * stage's results and the people's choice published (certificates issued), and the city stage the
 * best entries moved on to. Everything goes through the domain functions an organiser, an entrant,
 * a judge and a voter use. Idempotent: nothing is added when the contest exists.
 */
import path from 'node:path';

import { addPrize, createContest, register } from '../../app/domain/contests/contests.server';
import { addSubmissionRound, moderateEntry, submitEntry } from '../../app/domain/contests/entries.server';
import { confirmStageResults, proposeStageResults } from '../../app/domain/contests/entries-results.server';
import { addJudge, assignJudges, rubricOf, saveScores, setRubric } from '../../app/domain/contests/jury.server';
import { castVote } from '../../app/domain/contests/votes.server';
import { currentSuccessor } from '../../app/domain/units.server';
import { newId, nowIso } from '../../app/lib/ids.server';
import type { DB } from '../connection';

export const READALOUD_SLUG = 'giong-doc-hay-2024';
export const READALOUD_DIR = path.resolve('content/demo/readaloud');

const PASSAGE =
  'Sách là người bạn hiền. Mỗi buổi tối, em cùng ông bà đọc một trang sách. Đọc sách giúp em hiểu thêm về quê hương, đất nước và con người Việt Nam.';

const RULES = `**Cuộc thi "Giọng đọc hay"** hưởng ứng Tuần lễ học tập suốt đời năm 2024 với chủ đề *Phát triển văn hóa đọc thúc đẩy học tập suốt đời*, do phường Biên Giang tổ chức.

- Đối tượng: học sinh, người dân mọi lứa tuổi sinh sống, học tập tại phường Biên Giang.
- Bài dự thi: bản ghi âm đọc diễn cảm đoạn văn của Ban Tổ chức, dài từ 5 giây đến 3 phút; ghi âm ngay trên trang hoặc tải tệp lên.
- Vòng phường: Ban Giám khảo chấm theo 4 tiêu chí (phát âm, diễn cảm, lưu loát, tác phong); 2 bài xuất sắc nhất vào vòng thành phố.
- Giải Bình chọn của khán giả: bài có nhiều phiếu bình chọn hợp lệ nhất; không cộng vào điểm giám khảo.`;

/** [demo account email or new account, name, birth year, unit slug, recording, jury quality 0–10] */
const ENTRANTS: Array<[email: string, name: string, birthYear: number, unit: string, file: string, quality: number]> = [
  ['hocsinh@demo.hoctap.vn', 'Lê Minh An', 2012, 'thcs-bien-giang', 'giong-doc-1.webm', 8],
  ['giongdoc01@demo.hoctap.vn', 'Nguyễn Thu Hương', 2010, 'thcs-bien-giang', 'giong-doc-2.webm', 9],
  ['giongdoc02@demo.hoctap.vn', 'Trần Bảo Ngọc', 2014, 'th-bien-giang', 'giong-doc-3.webm', 6],
  ['giongdoc03@demo.hoctap.vn', 'Vũ Văn Thịnh', 1958, 'bien-giang', 'giong-doc-4.webm', 7],
];

/** Votes each entry receives (in ENTRANTS order): the people's choice is not the jury's winner. */
const VOTES = [3, 2, 6, 1];

const JUDGES: Array<[email: string, unit: string]> = [
  ['bantochuc.thainguyen@demo.hoctap.vn', 'thai-nguyen'],
  ['bantochuc.binhdinh@demo.hoctap.vn', 'binh-dinh'],
  ['thuthu.hanoi@demo.hoctap.vn', 'van-phuc'],
];

async function demoUser(db: DB, email: string, name: string, birthYear: number, unitId: string | null, createdAt: string) {
  const found = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (found) return found.id;
  const id = newId();
  await db
    .insertInto('users')
    .values({
      id,
      email,
      // no password: these demo people cannot sign in (the README's demo accounts can)
      password_hash: '!',
      display_name: name,
      birth_year: birthYear,
      home_unit_id: unitId,
      locale: 'vi',
      created_at: createdAt,
    })
    .execute();
  return id;
}

const at = (s: string) => new Date(s);

export async function seedReadAloud(db: DB, units: Map<string, string>, users: Map<string, string>): Promise<void> {
  if (await db.selectFrom('contests').select('id').where('slug', '=', READALOUD_SLUG).executeTakeFirst()) return;
  const organiser = users.get('bantochuc.biengiang@demo.hoctap.vn');
  const ward = units.get('bien-giang');
  if (!organiser || !ward) return;
  const week = await db.selectFrom('weeks').select('year').where('year', '=', 2024).executeTakeFirst();
  // Biên Giang merged into a larger ward in the 2025 reorganisation: the contest (and the
  // organisers' role, carried over by the accounts seed) lives on the successor, whose subtree holds
  // Biên Giang's schools and the old ward itself, so the 2024 entrants keep their units.
  const home = await currentSuccessor(db, ward);
  const c = await createContest(db, organiser, {
    unitId: home,
    weekYear: week ? 2024 : null,
    slug: READALOUD_SLUG,
    title: 'Cuộc thi "Giọng đọc hay" phường Biên Giang',
    rulesMd: RULES,
    minAge: null,
    maxAge: null,
    maxAttempts: 1,
    predictionKind: 'perfect',
  });
  if (!c.ok) throw new Error(`demo read-aloud contest: ${c.code}`);
  const contestId = c.value.id;

  const r1 = await addSubmissionRound(db, organiser, contestId, {
    title: 'Vòng phường',
    opensAt: '2024-09-30T17:00:00.000Z', // 01/10/2024 00:00 in Vietnam
    closesAt: '2024-10-04T16:59:00.000Z',
    entryKind: 'audio',
    passageTitle: 'Sách là người bạn hiền',
    passageText: PASSAGE,
    minSeconds: 5,
    maxSeconds: 180,
    stageLevel: 'ward',
    advanceCount: 2,
    judgesPerEntry: 2,
    marginPoints: 20,
    normalise: true,
    gallery: true,
    voting: true,
    votesMode: 'per_entry',
    voteOpensAt: '2024-10-01T01:00:00.000Z',
    voteClosesAt: '2024-10-06T16:59:00.000Z',
    voteWeight: 0,
    peoplesChoiceLabel: 'Giải Bình chọn của khán giả',
    peoplesChoiceWinners: 1,
  });
  if (!r1.ok) throw new Error(`demo read-aloud round: ${r1.code}`);
  const roundId = r1.value;
  const r2 = await addSubmissionRound(db, organiser, contestId, {
    title: 'Vòng thành phố',
    opensAt: '2024-10-09T17:00:00.000Z',
    closesAt: '2024-10-20T16:59:00.000Z',
    entryKind: 'audio',
    passageTitle: 'Sách là người bạn hiền',
    passageText: PASSAGE,
    minSeconds: 5,
    maxSeconds: 180,
    stageLevel: 'province',
    advanceCount: 1,
    previousRoundId: roundId,
    gallery: true,
  });
  if (!r2.ok) throw new Error(`demo read-aloud city round: ${r2.code}`);
  for (const [label, from, to] of [
    ['Giải Nhất', 1, 1],
    ['Giải Nhì', 2, 2],
  ] as const)
    await addPrize(db, organiser, contestId, { roundId, label, rankFrom: from, rankTo: to, points: 0 });
  await setRubric(db, organiser, roundId, [
    {
      label: 'Phát âm',
      description: 'Đọc đúng, rõ từng tiếng, đúng dấu thanh.',
      weight: 3,
      maxPoints: 10,
      levels: [
        { points: 4, text: 'Còn sai nhiều tiếng' },
        { points: 7, text: 'Rõ, đôi chỗ sai' },
        { points: 10, text: 'Chuẩn, rõ ràng' },
      ],
    },
    {
      label: 'Diễn cảm',
      description: 'Giọng đọc thể hiện cảm xúc của đoạn văn.',
      weight: 3,
      maxPoints: 10,
      levels: [
        { points: 4, text: 'Đều đều' },
        { points: 10, text: 'Truyền cảm' },
      ],
    },
    { label: 'Lưu loát', description: 'Ngắt nghỉ đúng chỗ, không vấp.', weight: 2, maxPoints: 10, levels: [] },
    { label: 'Tác phong', description: 'Giới thiệu, kết thúc bài đọc chỉn chu.', weight: 1, maxPoints: 5, levels: [] },
  ]);

  // Entrants register and submit their recordings during the first days of the Week.
  const entries: string[] = [];
  for (const [i, [email, name, birthYear, unitSlug, file]] of ENTRANTS.entries()) {
    const unitId = units.get(unitSlug);
    if (!unitId) continue;
    const userId = users.get(email) ?? (await demoUser(db, email, name, birthYear, unitId, nowIso()));
    const when = at(`2024-10-0${2 + (i % 2)}T0${2 + i}:00:00.000Z`);
    const reg = await register(db, contestId, userId, { fullName: name, birthYear, unitId, phone: null }, when);
    if (!reg.ok) continue;
    const e = await submitEntry(
      db,
      userId,
      roundId,
      { title: `${name} đọc "Sách là người bạn hiền"`, tempFile: path.join(READALOUD_DIR, file) },
      when,
    );
    if (!e.ok) throw new Error(`demo read-aloud entry ${file}: ${e.code}`);
    await moderateEntry(db, organiser, e.value.entry.id, 'approved', false);
    entries.push(e.value.entry.id);
  }

  // Judges from outside the ward, assigned automatically (≥ 2 per entry, conflicts respected).
  const judgeIds: string[] = [];
  for (const [email, unitSlug] of JUDGES) {
    const userId = users.get(email);
    if (!userId) continue;
    const j = await addJudge(db, organiser, roundId, { userId, unitId: units.get(unitSlug) ?? null }, at('2024-10-04T17:30:00.000Z'));
    if (j.ok) judgeIds.push(userId);
  }
  await assignJudges(db, organiser, roundId, at('2024-10-05T01:00:00.000Z'));
  const criteria = await rubricOf(db, roundId);
  const assignments = await db.selectFrom('contest_assignments').selectAll().where('round_id', '=', roundId).execute();
  for (const a of assignments) {
    const i = entries.indexOf(a.entry_id);
    const quality = ENTRANTS[i]?.[5] ?? 5;
    const harsh = judgeIds.indexOf(a.judge_id); // judges differ a little: 0, −1, −2 points
    const points = Object.fromEntries(
      criteria.map((cr) => [cr.id, Math.max(0, Math.min(cr.max_points, Math.round((quality * cr.max_points) / 10) - harsh))]),
    );
    await saveScores(db, a.judge_id, a.entry_id, points, at('2024-10-05T09:00:00.000Z'));
  }

  // Public votes from established accounts, a few minutes apart.
  let n = 0;
  for (const [i, count] of VOTES.entries()) {
    const entryId = entries[i];
    if (!entryId) continue;
    for (let k = 0; k < count; k++) {
      n++;
      const voter = await demoUser(
        db,
        `binhchon${String(n).padStart(2, '0')}@demo.hoctap.vn`,
        `Người bình chọn ${n}`,
        1990,
        ward,
        '2024-09-01T00:00:00.000Z',
      );
      await castVote(db, { userId: voter, entryId, ip: `203.0.113.${n}` }, at(`2024-10-05T10:${String(n).padStart(2, '0')}:00.000Z`));
    }
  }

  // The organiser computes, then publishes the ward stage (certificates; the best two move on).
  const p = await proposeStageResults(db, organiser, roundId, at('2024-10-07T01:00:00.000Z'));
  if (!p.ok) throw new Error(`demo read-aloud results: ${p.code}`);
  const conf = await confirmStageResults(db, organiser, roundId, 'Chứng nhận tham gia', at('2024-10-07T02:00:00.000Z'));
  if (!conf.ok) throw new Error(`demo read-aloud publish: ${conf.code}`);
}
