/**
 * The demo clubs (db/seed/clubs.ts) on both dialects: four living clubs in the demo units, each
 * with a schedule whose milestones have threads, an upcoming meeting, a closed poll with its
 * winner and reading logs; the school's reading rule; seeding twice adds nothing.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { seedAccounts } from '~/db/seed/accounts';
import { seedClubs } from '~/db/seed/clubs';
import { seedLibrary } from '~/db/seed/library';
import { seedUnits } from '~/db/seed/units';

import { resetEnvCache } from '../../app/lib/env.server';
import { newId } from '../../app/lib/ids.server';
import { dialects, freshDb, TMP_DIR } from '../helpers/db';

describe.each(dialects)('demo clubs (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  const dir = path.join(TMP_DIR, `clubs-seed-${newId(6)}`);
  beforeAll(() => {
    process.env.DATA_DIR = dir;
    resetEnvCache();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => ({ db, cleanup } = await freshDb(dialect)));
  afterEach(async () => cleanup());

  it('seeds four living clubs once', async () => {
    const units = await seedUnits(db);
    const users = await seedAccounts(db, units);
    await seedLibrary(db, units, users);
    await seedClubs(db, units, users);
    await seedClubs(db, units, users);
    const clubs = await db
      .selectFrom('club_clubs as c')
      .innerJoin('units as u', 'u.id', 'c.unit_id')
      .select(['c.id', 'c.name', 'c.intergenerational', 'u.slug as unit'])
      .orderBy('c.name')
      .execute();
    expect(clubs.map((c) => c.unit).sort()).toEqual(['ha-noi', 'thcs-bien-giang', 'thu-vien-thai-nguyen', 'tthtcd-bien-giang']);
    expect(clubs.find((c) => c.unit === 'tthtcd-bien-giang')?.intergenerational).toBe(1);
    for (const c of clubs) {
      const parts = await db.selectFrom('club_milestones').select(['thread_id']).where('club_id', '=', c.id).execute();
      expect(parts.length, c.name).toBeGreaterThanOrEqual(2);
      expect(
        parts.every((p) => p.thread_id),
        c.name,
      ).toBe(true);
      expect(await db.selectFrom('club_meetings').select('id').where('club_id', '=', c.id).execute(), c.name).toHaveLength(1);
      const polls = await db.selectFrom('club_polls').select(['status', 'winner_option_id']).where('club_id', '=', c.id).execute();
      expect(polls, c.name).toHaveLength(1);
      expect(polls[0]?.status).toBe('closed');
    }
    // The intergenerational club reads a demo library book; its poll has a winner and members log reading.
    const clc = clubs.find((c) => c.unit === 'tthtcd-bien-giang')!;
    const book = await db.selectFrom('club_books').select(['title_id', 'title']).where('club_id', '=', clc.id).executeTakeFirstOrThrow();
    expect(book.title_id).not.toBeNull();
    expect(
      (await db.selectFrom('club_polls').select('winner_option_id').where('club_id', '=', clc.id).executeTakeFirstOrThrow())
        .winner_option_id,
    ).not.toBeNull();
    expect((await db.selectFrom('reading_logs').select('id').where('club_id', '=', clc.id).execute()).length).toBeGreaterThanOrEqual(3);
    expect(await db.selectFrom('school_reading_rules').select('minutes').executeTakeFirst()).toEqual({ minutes: 15 });
  });
});
