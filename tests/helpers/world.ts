/**
 * The shared integration set-up: one migrated database per dialect (SQLite always, PostgreSQL when
 * TEST_DATABASE_URL is set) with a small unit tree and the usual people in it, so a test file
 * starts from `describeWorld('…', (w) => { it(…, async () => { … w.db … w.users.teacher … }) })`
 * instead of repeating `describe.each(dialects)` + `freshDb` + `insertInto('users')` in every file.
 *
 * Units: ministry › province › commune school, and a second province (`other`) outside it.
 * Users: `teacher` and `organiser` of the school, `organiser` of the province (`provinceOrganiser`),
 * an `admin` of the ministry, and two people without roles (`learner`, `stranger`).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';

import type { DB } from '~/db/connection';
import { grantRole } from '~/domain/accounts.server';
import { createUnit } from '~/domain/units.server';
import { newId } from '~/lib/ids.server';

import { dialects, freshDb } from './db';
import { makeUser } from './users';

export { makeUser };

export type Dialect = 'sqlite' | 'postgres';

export type World = {
  dialect: Dialect;
  db: DB;
  /** The database's URL (a PostgreSQL database's own, or the SQLite file): DATABASE_URL for a test making it the serving one. */
  url: string;
  units: { ministry: string; province: string; school: string; other: string };
  users: { teacher: string; organiser: string; provinceOrganiser: string; admin: string; learner: string; stranger: string };
};

/** Units and people of a world in an already migrated database. */
export async function seedWorld(db: DB): Promise<Omit<World, 'dialect' | 'db' | 'url'>> {
  const s = newId(6);
  const ministry = (await createUnit(db, { parentId: null, kind: 'ministry', slug: `bo-${s}`, name: 'Bộ GDĐT' })).id;
  const province = (await createUnit(db, { parentId: ministry, kind: 'province', slug: `tinh-${s}`, name: 'Tỉnh Hà Giang' })).id;
  const school = (await createUnit(db, { parentId: province, kind: 'school', slug: `truong-${s}`, name: 'Trường THCS Biên Giang' })).id;
  const other = (await createUnit(db, { parentId: ministry, kind: 'province', slug: `khac-${s}`, name: 'Tỉnh Cao Bằng' })).id;
  const users = {
    teacher: await makeUser(db, 'Cô Lan'),
    organiser: await makeUser(db, 'Thầy Minh'),
    provinceOrganiser: await makeUser(db, 'Bà Hoa'),
    admin: await makeUser(db, 'Quản trị'),
    learner: await makeUser(db, 'Bác Tư'),
    stranger: await makeUser(db, 'Người lạ'),
  };
  await grantRole(db, { userId: users.teacher, unitId: school, role: 'teacher', grantedBy: null });
  await grantRole(db, { userId: users.organiser, unitId: school, role: 'organiser', grantedBy: null });
  await grantRole(db, { userId: users.provinceOrganiser, unitId: province, role: 'organiser', grantedBy: null });
  await grantRole(db, { userId: users.admin, unitId: ministry, role: 'admin', grantedBy: null });
  return { units: { ministry, province, school, other }, users };
}

/**
 * `describe` once per dialect with a fresh world made before the suite and dropped after it. The
 * `World` object is filled in `beforeAll`: read `w.db` inside tests and hooks, not at collection time.
 */
export function describeWorld(name: string, body: (w: World) => void): void {
  describe.each(dialects)(`${name} (%s)`, (dialect) => {
    const w = { dialect } as World;
    let cleanup: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const fresh = await freshDb(dialect);
      cleanup = fresh.cleanup;
      w.db = fresh.db;
      w.url = fresh.url;
      Object.assign(w, await seedWorld(fresh.db));
    });
    afterAll(async () => cleanup?.());
    body(w);
  });
}

/**
 * Before each test, a fresh migrated database of the dialect seeded by `seed` (a library world, a
 * contest world…), handed to `set` with what the seed returned as `w`; dropped after the test. For
 * suites inside `describe.each(dialects)` whose tests each start from a clean world.
 */
export function eachFreshWorld<T>(
  dialect: Dialect,
  seed: (db: DB) => Promise<T>,
  set: (fresh: { db: DB; url: string; w: T }) => void,
): void {
  let cleanup: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    const fresh = await freshDb(dialect);
    cleanup = fresh.cleanup;
    set({ db: fresh.db, url: fresh.url, w: await seed(fresh.db) });
  });
  afterEach(async () => cleanup?.());
}
