import type { DB } from '~/db/connection';

import { grantRole } from '../../app/domain/accounts.server';
import { addRows, type BankRow } from '../../app/domain/contests/bank.server';
import { type ContestInput, createContest } from '../../app/domain/contests/contests.server';
import { createUnit } from '../../app/domain/units.server';
import { newId, nowIso } from '../../app/lib/ids.server';

/** A province → two wards → a school each, an organiser, and helpers for users and bank rows. */
export async function contestWorld(db: DB) {
  const country = await createUnit(db, { parentId: null, kind: 'ministry', slug: `m-${newId(6)}`, name: 'Bộ' });
  const province = await createUnit(db, { parentId: country.id, kind: 'province', slug: `p-${newId(6)}`, name: 'Tỉnh thử' });
  const wardA = await createUnit(db, { parentId: province.id, kind: 'ward', slug: `wa-${newId(6)}`, name: 'Phường A' });
  const wardB = await createUnit(db, { parentId: province.id, kind: 'ward', slug: `wb-${newId(6)}`, name: 'Phường B' });
  const schoolA = await createUnit(db, { parentId: wardA.id, kind: 'school', slug: `sa-${newId(6)}`, name: 'Trường A' });
  const schoolB = await createUnit(db, { parentId: wardB.id, kind: 'school', slug: `sb-${newId(6)}`, name: 'Trường B' });
  const other = await createUnit(db, { parentId: country.id, kind: 'province', slug: `o-${newId(6)}`, name: 'Tỉnh khác' });
  let n = 0;
  const user = async (name = `Người thi ${++n}`, birthYear: number | null = 1990) => {
    const id = newId();
    await db
      .insertInto('users')
      .values({
        id,
        email: `${id}@test.vn`,
        password_hash: 'x',
        display_name: name,
        birth_year: birthYear,
        home_unit_id: null,
        locale: 'vi',
        created_at: nowIso(),
      })
      .execute();
    return id;
  };
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
  return { country, province, wardA, wardB, schoolA, schoolB, other, user, organiser, contest, bank };
}
