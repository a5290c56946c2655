/**
 * The contests tests' set-up: a province → two wards → a school each, an organiser of the
 * province, and helpers for people, contests, question banks, quiz rounds, entrants and attempts.
 * Times of rounds, registrations and attempts are given in seconds after `t0`.
 */
import type { DB } from '~/db/connection';
import type { ContestEntriesTable } from '~/db/schema/contest-entries';
import { grantRole } from '~/domain/accounts.server';
import { attemptView, startAttempt, submitAttempt } from '~/domain/contests/attempts.server';
import { addRows, type BankRow } from '~/domain/contests/bank.server';
import { addRound, type ContestInput, createContest, register } from '~/domain/contests/contests.server';
import { addSubmissionRound, type SubmissionRoundInput } from '~/domain/contests/entries.server';
import { createUnit } from '~/domain/units.server';
import { newId } from '~/lib/ids.server';

import { makeUser } from './users';

export type ContestWorld = Awaited<ReturnType<typeof contestWorld>>;

const DAY = 86_400_000;

export async function contestWorld(db: DB, t0: Date = new Date()) {
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  const country = await createUnit(db, { parentId: null, kind: 'ministry', slug: `m-${newId(6)}`, name: 'Bộ' });
  const province = await createUnit(db, { parentId: country.id, kind: 'province', slug: `p-${newId(6)}`, name: 'Tỉnh thử' });
  const wardA = await createUnit(db, { parentId: province.id, kind: 'ward', slug: `wa-${newId(6)}`, name: 'Phường A' });
  const wardB = await createUnit(db, { parentId: province.id, kind: 'ward', slug: `wb-${newId(6)}`, name: 'Phường B' });
  const schoolA = await createUnit(db, { parentId: wardA.id, kind: 'school', slug: `sa-${newId(6)}`, name: 'Trường A' });
  const schoolB = await createUnit(db, { parentId: wardB.id, kind: 'school', slug: `sb-${newId(6)}`, name: 'Trường B' });
  const other = await createUnit(db, { parentId: country.id, kind: 'province', slug: `o-${newId(6)}`, name: 'Tỉnh khác' });
  let n = 0;
  const user = (name = `Người thi ${++n}`, birthYear: number | null = 1990) => makeUser(db, name, birthYear);
  const organiser = await user('Ban tổ chức');
  await grantRole(db, { userId: organiser, unitId: province.id, role: 'organiser', grantedBy: null });
  const contest = async (over: Partial<ContestInput> = {}) => {
    const r = await createContest(db, organiser, {
      unitId: province.id,
      weekYear: null,
      slug: `c-${newId(8)}`,
      title: 'Cuộc thi thử',
      rulesMd: 'Thể lệ',
      minAge: null,
      maxAge: null,
      maxAttempts: 1,
      predictionKind: 'perfect',
      ...over,
    });
    if (!r.ok) throw new Error(r.code);
    return r.value;
  };
  /** `perCell` single-answer questions (key: option A) for each topic × difficulty. */
  const bank = async (contestId: string, topics: string[], perCell = 3) => {
    const rows: BankRow[] = [];
    for (const topic of topics)
      for (const difficulty of ['easy', 'medium', 'hard'] as const)
        for (let i = 0; i < perCell; i++)
          rows.push({
            topic,
            difficulty,
            question: { kind: 'single', prompt: `${topic} ${difficulty} ${i}`, options: ['Đúng', 'Sai 1', 'Sai 2', 'Sai 3'], correct: [0] },
          });
    await addRows(db, contestId, rows);
  };
  /** A quiz round open for an hour from `opens`: 10 minutes, two easy questions. */
  const quizRound = async (contestId: string, title: string, opens: number) => {
    const r = await addRound(db, organiser, contestId, {
      title,
      opensAt: at(opens).toISOString(),
      closesAt: at(opens + 3600).toISOString(),
      timeLimitS: 600,
      quota: [{ topic: null, difficulty: 'easy', count: 2 }],
    });
    if (!r.ok) throw new Error(r.code);
    return r.value;
  };
  /** A new person registered for the contest (at `t0`) from `unitId`. */
  const entrant = async (contestId: string, name: string, unitId: string, birthYear = 1990) => {
    const u = await user(name, birthYear);
    const r = await register(db, contestId, u, { fullName: name, birthYear, unitId, phone: null }, t0);
    if (!r.ok) throw new Error(r.code);
    return u;
  };
  /** Starts at `start`, answers `right` questions correctly (key: option a) and submits at `t`. */
  const take = async (roundId: string, userId: string, right: number, start: number, t: number, prediction = 3) => {
    const s = await startAttempt(db, roundId, userId, at(start));
    if (!s.ok) throw new Error(s.code);
    const v = (await attemptView(db, s.value.attemptId, userId))!;
    const responses = new Map(v.questions.map((q, i) => [q.id, i < right ? 'a' : 'b']));
    const r = await submitAttempt(db, s.value.attemptId, userId, { responses, prediction }, at(t));
    if (!r.ok) throw new Error(r.code);
  };
  /** An audio submission round open from an hour ago for a day (readings of 2–10 s, school stage). */
  const openAudioRound = async (contestId: string, over: Partial<SubmissionRoundInput> = {}) => {
    const now = Date.now();
    const r = await addSubmissionRound(db, organiser, contestId, {
      title: 'Vòng trường',
      opensAt: new Date(now - 3_600_000).toISOString(),
      closesAt: new Date(now + 86_400_000).toISOString(),
      entryKind: 'audio',
      passageTitle: 'Chuyện cổ tích',
      passageText: 'Ngày xửa ngày xưa…',
      minSeconds: 2,
      maxSeconds: 10,
      stageLevel: 'school',
      advanceCount: 1,
      ...over,
    });
    if (!r.ok) throw new Error(r.code);
    return r.value;
  };
  /**
   * A new contest's audio round with a gallery (readings of 2–3 s): submissions open from a day ago
   * for a day, or with `closed` closed a day ago; voting open from a day ago for a day with `voting`.
   */
  const galleryRound = async (over: { voting?: boolean; closed?: boolean; previousRoundId?: string | null } = {}) => {
    const c = await contest();
    const now = Date.now();
    const r = await addSubmissionRound(db, organiser, c.id, {
      title: 'Vòng trường',
      opensAt: new Date(now - (over.closed ? 3 : 1) * DAY).toISOString(),
      closesAt: new Date(now + (over.closed ? -1 : 1) * DAY).toISOString(),
      entryKind: 'audio',
      passageTitle: 'Tre Việt Nam',
      passageText: 'Tre xanh, xanh tự bao giờ?',
      minSeconds: 2,
      maxSeconds: 3,
      stageLevel: 'school',
      advanceCount: 1,
      gallery: true,
      voting: over.voting ?? false,
      voteOpensAt: over.voting ? new Date(now - DAY).toISOString() : null,
      voteClosesAt: over.voting ? new Date(now + DAY).toISOString() : null,
      previousRoundId: over.previousRoundId ?? null,
    });
    if (!r.ok) throw new Error(r.code);
    return { contest: c, roundId: r.value };
  };
  /**
   * An approved audio entry `i` of a new entrant (`Thí sinh i`, of school A or B by parity), written
   * straight into the table as the bench and promotions write them (`over`: any other file kind,
   * moderation, code `GNNNN` or title `Bài đọc NNNN`).
   */
  const galleryEntry = async (contestId: string, roundId: string, i: number, over: Partial<ContestEntriesTable> = {}) => {
    const unitId = i % 2 ? schoolB.id : schoolA.id;
    const userId = await entrant(contestId, `Thí sinh ${i}`, unitId);
    const n = await db
      .selectFrom('contest_entrants')
      .select('id')
      .where('contest_id', '=', contestId)
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    const id = newId();
    const t = new Date().toISOString();
    const no = String(i).padStart(4, '0');
    await db
      .insertInto('contest_entries')
      .values({
        id,
        round_id: roundId,
        entrant_id: n.id,
        user_id: userId,
        unit_id: unitId,
        code: `G${no}`,
        title: `Bài đọc ${no}`,
        body_text: '',
        blob_key: null,
        mime: 'audio/webm',
        size_bytes: 1000,
        duration_s: 2.5,
        minor: 0,
        moderation: 'approved',
        parental_consent: 0,
        promoted_from: null,
        votes_counted: 0,
        submitted_at: t,
        updated_at: t,
        replaced_count: 0,
        ...over,
      })
      .execute();
    return { id, userId, entrantId: n.id };
  };
  return {
    country,
    province,
    wardA,
    wardB,
    schoolA,
    schoolB,
    other,
    user,
    organiser,
    contest,
    bank,
    quizRound,
    entrant,
    take,
    openAudioRound,
    galleryRound,
    galleryEntry,
  };
}

/**
 * A gallery page's HTML with the instant of its render ("counts as of", in the text and the data)
 * made constant: a kept shared render's is older, and its counts are still the counts of now (they
 * are part of its key).
 */
export function withoutCountsTime(html: string): string {
  return html.replace(/"asOf":"[0-9T:.-]+Z"/g, '"asOf":"AS_OF"').replace(/(Số phiếu tính đến|Vote counts as of) [^<]*?\./g, '$1 TIME.');
}

/** `n` voters' accounts (born 1990), all created at `createdAt`, inserted 200 at a time. */
export async function accountsCreatedAt(db: DB, n: number, createdAt: Date): Promise<string[]> {
  const ids = Array.from({ length: n }, () => newId());
  for (let i = 0; i < ids.length; i += 200)
    await db
      .insertInto('users')
      .values(
        ids.slice(i, i + 200).map((id) => ({
          id,
          email: `${id}@v.vn`,
          password_hash: 'x',
          display_name: 'Cử tri',
          birth_year: 1990,
          home_unit_id: null,
          locale: 'vi' as const,
          created_at: createdAt.toISOString(),
        })),
      )
      .execute();
  return ids;
}
