/** People for tests, without vitest (the drills and benches use it too). */
import type { DB } from '~/db/connection';
import { newId, nowIso } from '~/lib/ids.server';

/** A user row (no password: these people never sign in through the form). */
export async function makeUser(db: DB, name: string, birthYear: number | null = null): Promise<string> {
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
}
