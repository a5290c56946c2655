/**
 * Demo contest (issue #14): "Công dân số" for the 2024 Week, organised by Hà Nội, with the
 * 60-question bank from content/contests/cong-dan-so.csv (imported through the same parser as an
 * organiser's upload), a closed round with published results and a round open now. Idempotent:
 * nothing is added when the contest exists.
 */
import fs from 'node:fs';
import path from 'node:path';

import { attemptView, startAttempt, submitAttempt } from '../../app/domain/contests/attempts.server';
import { addRows, type BankRow, parseRow, readSheet } from '../../app/domain/contests/bank.server';
import { addPrize, addRound, createContest, register, setPopulation } from '../../app/domain/contests/contests.server';
import { publishResults } from '../../app/domain/contests/results.server';
import { newId, nowIso } from '../../app/lib/ids.server';
import type { DB } from '../connection';

export const CONTEST_SLUG = 'cong-dan-so-2024';
export const BANK_CSV = path.resolve('content/contests/cong-dan-so.csv');

const RULES = `**Cuộc thi trắc nghiệm trực tuyến "Công dân số"** hưởng ứng Tuần lễ học tập suốt đời năm 2024, do Thành phố Hà Nội tổ chức.

- Đối tượng: mọi người dân, học sinh từ 10 tuổi trở lên sinh sống, học tập, làm việc tại Hà Nội. Thành viên Ban Tổ chức, Ban Giám khảo không được dự thi.
- Mỗi tuần thi có 12 câu hỏi (mỗi chủ đề 1 câu dễ, 1 câu trung bình, 1 câu khó) trong 15 phút; có câu có nhiều đáp án đúng.
- Câu hỏi dự đoán: có bao nhiêu người trả lời đúng tất cả các câu hỏi của tuần?
- Xếp hạng: điểm → độ chênh dự đoán → thời gian làm bài → thời điểm nộp bài.
- Mỗi tuần: 1 giải Nhất, 2 giải Nhì, 3 giải Ba, 4 giải Khuyến khích; đơn vị có tỉ lệ tham gia cao được cộng điểm tập thể.`;

const ENTRANTS: Array<[name: string, birthYear: number, unit: string, right: number, seconds: number, prediction: number]> = [
  ['Nguyễn Thị Hoa', 1988, 'thcs-bien-giang', 12, 410, 3],
  ['Trần Minh Khoa', 2011, 'thcs-bien-giang', 12, 380, 5],
  ['Lê Văn Dũng', 1975, 'bien-giang', 12, 520, 3],
  ['Phạm Thu Trang', 2005, 'van-phuc', 11, 300, 2],
  ['Đỗ Quang Huy', 1999, 'van-phuc', 11, 300, 4],
  ['Vũ Thị Mai', 1962, 'bien-giang', 10, 600, 1],
  ['Hoàng Gia Bảo', 2012, 'th-bien-giang', 10, 640, 6],
  ['Bùi Ngọc Anh', 2009, 'thcs-bien-giang', 9, 700, 2],
  ['Đặng Văn Tùng', 1980, 'van-phuc', 8, 450, 10],
  ['Ngô Thị Lan Anh', 1995, 'bien-giang', 7, 820, 3],
  ['Trịnh Hữu Phước', 1958, 'van-phuc', 6, 880, 0],
  ['Lý Thu Hà', 2010, 'th-bien-giang', 5, 890, 8],
];

export async function readDemoBank(file = BANK_CSV): Promise<BankRow[]> {
  const sheet = await readSheet(new Uint8Array(fs.readFileSync(file)), path.basename(file));
  if (!sheet.ok) throw new Error(`demo bank: ${sheet.code}`);
  return sheet.value.map((r) => {
    const p = parseRow(r.cells);
    if (typeof p === 'string') throw new Error(`demo bank row ${r.row}: ${p}`);
    return p;
  });
}

export async function seedContests(db: DB, units: Map<string, string>, users: Map<string, string>): Promise<void> {
  if (await db.selectFrom('contests').select('id').where('slug', '=', CONTEST_SLUG).executeTakeFirst()) return;
  const organiser = users.get('bantochuc.hanoi@demo.hoctap.vn');
  const hanoi = units.get('ha-noi');
  if (!organiser || !hanoi) return;
  const week = await db.selectFrom('weeks').select('year').where('year', '=', 2024).executeTakeFirst();
  const c = await createContest(db, organiser, {
    unitId: hanoi,
    weekYear: week ? 2024 : null,
    slug: CONTEST_SLUG,
    title: 'Cuộc thi trắc nghiệm "Công dân số"',
    rulesMd: RULES,
    minAge: 10,
    maxAge: null,
    maxAttempts: 2,
    predictionKind: 'perfect',
    minSeconds: 60,
    collective: { perEntrant: 1, perPercent: 10 },
  });
  if (!c.ok) throw new Error(`demo contest: ${c.code}`);
  const contestId = c.value.id;
  await addRows(db, contestId, await readDemoBank());
  const quota = (['easy', 'medium', 'hard'] as const).map((difficulty) => ({ topic: null, difficulty, count: 1 }));
  const r1 = await addRound(db, organiser, contestId, {
    title: 'Tuần 1',
    opensAt: '2024-09-30T17:00:00.000Z', // 01/10/2024 00:00 in Vietnam
    closesAt: '2024-10-07T16:59:00.000Z',
    timeLimitS: 15 * 60,
    quota,
  });
  const r2 = await addRound(db, organiser, contestId, {
    title: 'Tuần 2',
    opensAt: '2026-11-22T17:00:00.000Z', // 23/11/2026 00:00 in Vietnam: open now, so a newcomer can enter
    closesAt: '2027-01-31T16:59:00.000Z',
    timeLimitS: 15 * 60,
    quota,
  });
  if (!r1.ok || !r2.ok) throw new Error('demo rounds');
  for (const roundId of [r1.value, r2.value]) {
    for (const [label, from, to, points] of [
      ['Giải Nhất', 1, 1, 10],
      ['Giải Nhì', 2, 3, 8],
      ['Giải Ba', 4, 6, 6],
      ['Giải Khuyến khích', 7, 10, 4],
    ] as const)
      await addPrize(db, organiser, contestId, { roundId, label, rankFrom: from, rankTo: to, points });
  }
  for (const [slug, population] of [
    ['ha-dong', 400],
    ['bien-giang', 120],
    ['van-phuc', 80],
    ['thcs-bien-giang', 60],
  ] as const) {
    const unitId = units.get(slug);
    if (unitId) await setPopulation(db, organiser, contestId, unitId, population);
  }
  // The closed round: entrants who took it in October 2024, then results published.
  const t0 = new Date('2024-10-02T01:00:00.000Z').getTime();
  for (let i = 0; i < ENTRANTS.length; i++) {
    const [name, birthYear, unitSlug, right, seconds, prediction] = ENTRANTS[i]!;
    const unitId = units.get(unitSlug);
    if (!unitId) continue;
    const email = `thisinh${String(i + 1).padStart(2, '0')}@demo.hoctap.vn`;
    let userId = (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst())?.id;
    if (!userId) {
      userId = newId();
      await db
        .insertInto('users')
        .values({
          id: userId,
          email,
          password_hash: '!',
          display_name: name,
          birth_year: birthYear,
          home_unit_id: unitId,
          locale: 'vi',
          created_at: nowIso(),
        })
        .execute();
    }
    const start = new Date(t0 + i * 3_600_000);
    const reg = await register(db, contestId, userId, { fullName: name, birthYear, unitId, phone: null }, start);
    if (!reg.ok) continue;
    const s = await startAttempt(db, r1.value, userId, start);
    if (!s.ok) continue;
    const view = await attemptView(db, s.value.attemptId, userId);
    if (!view) continue;
    const keys = await db
      .selectFrom('quiz_questions')
      .select(['id', 'answer_json'])
      .where(
        'id',
        'in',
        view.questions.map((q) => q.id),
      )
      .execute();
    const key = new Map(keys.map((k) => [k.id, JSON.parse(k.answer_json) as { kind: string; correct: string | string[] | boolean }]));
    const responses = new Map<string, string | string[]>();
    view.questions.forEach((q, n) => {
      const a = key.get(q.id)!;
      const good = a.kind === 'true_false' ? String(a.correct) : (a.correct as string | string[]);
      const bad =
        a.kind === 'true_false' ? String(!a.correct) : a.kind === 'multiple' ? [] : (q.options.find((o) => o.id !== a.correct)?.id ?? '');
      responses.set(q.id, n < right ? good : bad);
    });
    await submitAttempt(db, s.value.attemptId, userId, { responses, prediction }, new Date(start.getTime() + seconds * 1000));
  }
  await publishResults(db, organiser, r1.value, new Date('2024-10-08T02:00:00.000Z'));
}
