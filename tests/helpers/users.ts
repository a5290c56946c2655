/** People for tests, without vitest (the drills and benches use it too). */
import type { DB } from '~/db/connection';
import { createSessionCookie } from '~/lib/auth.server';
import { newId, nowIso } from '~/lib/ids.server';

/**
 * A creation date long before the dates the tests act at: an account old enough for the
 * discussion engine's new-member limits (an account younger than a day) not to apply, so those
 * rules are tested only where a test makes a new account on purpose (the default: created now).
 */
export const ESTABLISHED_ACCOUNT = '2026-01-01T00:00:00.000Z';

export interface MakeUserOptions {
  birthYear?: number | null;
  /** The person's home unit (their commune/ward, school…); none by default. */
  homeUnitId?: string | null;
  /** ISO time; now by default (a new account). */
  createdAt?: string;
  locale?: 'vi' | 'en';
}

/** A user row (no password: these people never sign in through the form). */
export async function makeUser(db: DB, name: string, birthYearOrOptions: number | null | MakeUserOptions = null): Promise<string> {
  const o: MakeUserOptions =
    birthYearOrOptions !== null && typeof birthYearOrOptions === 'object' ? birthYearOrOptions : { birthYear: birthYearOrOptions };
  const id = newId();
  await db
    .insertInto('users')
    .values({
      id,
      email: `${id}@test.vn`,
      password_hash: 'x',
      display_name: name,
      birth_year: o.birthYear ?? null,
      home_unit_id: o.homeUnitId ?? null,
      locale: o.locale ?? 'vi',
      created_at: o.createdAt ?? nowIso(),
    })
    .execute();
  return id;
}

/** A session row for the user and its cookie as a browser sends it back (`name=value`). */
export async function sessionCookie(db: DB, userId: string): Promise<string> {
  return (await createSessionCookie(userId, db)).split(';')[0]!;
}
