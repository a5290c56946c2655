/**
 * The honours tests' set-up: the 2024 Week, a city › ward › school with a sibling ward, and
 * helpers for people (born 1980) and organisers of a unit. Each test file adds its own people.
 */
import type { DB } from '~/db/connection';
import { grantRole } from '~/domain/accounts.server';
import { createUnit } from '~/domain/units.server';
import { newId } from '~/lib/ids.server';

import { makeUser } from './users';
import { insertWeek } from './weeks';

export async function honoursWorld(db: DB) {
  await insertWeek(db, 2024);
  const country = await createUnit(db, { parentId: null, kind: 'ministry', slug: `m-${newId(6)}`, name: 'Bộ' });
  const province = await createUnit(db, { parentId: country.id, kind: 'province', slug: `p-${newId(6)}`, name: 'Thành phố thử' });
  const ward = await createUnit(db, { parentId: province.id, kind: 'ward', slug: `w-${newId(6)}`, name: 'Phường Biên Thử' });
  const sibling = await createUnit(db, { parentId: province.id, kind: 'ward', slug: `s-${newId(6)}`, name: 'Phường Bên Cạnh' });
  const school = await createUnit(db, { parentId: ward.id, kind: 'school', slug: `sc-${newId(6)}`, name: 'Trường THCS Thử' });
  const user = (name: string, birthYear = 1980) => makeUser(db, name, birthYear);
  /** A person with the organiser role on `unitId` (and so on its subtree). */
  const organiser = async (name: string, unitId: string) => {
    const id = await user(name);
    await grantRole(db, { userId: id, unitId, role: 'organiser', grantedBy: null });
    return id;
  };
  return { country, province, ward, sibling, school, user, organiser };
}
