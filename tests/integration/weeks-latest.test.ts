/**
 * The latest Weeks on real databases: the 2025 Week from its content file, the home page when no
 * Week is current or upcoming (the latest shown as past, none of its activities as upcoming,
 * the next year offered to the Ministry's admin), and the year `/weeks/new` proposes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { seedAccounts } from '~/db/seed/accounts';
import { seedUnits } from '~/db/seed/units';
import { addActivity, ensurePlan, setPlanStatus } from '~/domain/plans.server';
import { createWeek, getWeek, homePage, proposedNextYear, readWeekFiles, syncWeeksFromContent } from '~/domain/weeks.server';

import { dialects, freshDb } from '../helpers/db';

describe.each(dialects)('the latest Weeks on %s', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let users: Map<string, string>;
  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    await syncWeeksFromContent(db);
    const units = await seedUnits(db);
    users = await seedAccounts(db, units);
    const admin = users.get('admin@demo.hoctap.vn')!;
    const plan = await ensurePlan(db, units.get('ha-noi')!, 2025, admin);
    await addActivity(db, plan.id, {
      title: 'Lễ khai mạc Tuần lễ 2025',
      kind: 'ceremony',
      startsAt: '2025-10-01T00:30:00.000Z',
      endsAt: '2025-10-01T03:00:00.000Z',
      place: 'Hà Nội',
      onlineUrl: null,
      audience: 'Mọi người',
    });
    await setPlanStatus(db, plan.id, 'published');
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('the 2025 Week: theme, dates and the Ministry dispatch', async () => {
    const w = (await getWeek(db, 2025))!;
    expect(w.theme_vi).toBe(
      'Học để phát triển bản thân, làm chủ tri thức và công nghệ, góp phần xây dựng đất nước hùng cường, thịnh vượng',
    );
    expect([w.starts_on, w.ends_on]).toEqual(['2025-10-01', '2025-10-07']);
    expect(w.opening_at.slice(0, 10)).toBe('2025-10-01');
    expect(w.source_vi).toContain('5607/BGDĐT-GDNNGDTX');
    expect(readWeekFiles().map((f) => f.year)).toContain(2025);
  });

  it('on 30/11/2026 the home page shows 2025 as past, no activity as upcoming, and offers 2027 to the admin', async () => {
    const now = new Date('2026-11-30T03:00:00Z');
    const anon = await homePage(db, null, now);
    expect(anon.featured?.status).toBe('past');
    expect(anon.featured?.week.year).toBe(2025);
    expect(anon.activities).toEqual([]);
    expect(anon.nextYear).toBe(2027);
    expect(anon.organiser).toBeNull();
    const admin = await homePage(db, users.get('admin@demo.hoctap.vn')!, now);
    expect(admin.organiser).toEqual({ canCreate: true, nextYear: 2027 });
    const organiser = await homePage(db, users.get('bantochuc.hanoi@demo.hoctap.vn')!, now);
    expect(organiser.organiser).toEqual({ canCreate: false, nextYear: 2027 });
    const citizen = await homePage(db, users.get('nguoidan@demo.hoctap.vn')!, now);
    expect(citizen.organiser).toBeNull();
  });

  it('during the 2025 Week its coming activities are listed', async () => {
    const during = await homePage(db, null, new Date('2025-09-30T10:00:00Z'));
    expect(during.featured?.status).toBe('upcoming');
    expect(during.activities.map((a) => a.title)).toEqual(['Lễ khai mạc Tuần lễ 2025']);
  });

  it('/weeks/new proposes the first year without a Week whose October has not passed', async () => {
    expect(await proposedNextYear(db, '2026-11-30')).toBe(2027);
    expect(await proposedNextYear(db, '2026-10-31')).toBe(2026);
    expect(await proposedNextYear(db, '2025-06-01')).toBe(2026); // 2025 exists
    const w = readWeekFiles().find((x) => x.year === 2024)!;
    const { origin: _o, content_hash: _h, updated_at: _u, ...input } = w;
    await createWeek(db, { ...input, year: 2027, starts_on: '2027-10-01', ends_on: '2027-10-07' });
    expect(await proposedNextYear(db, '2026-11-30')).toBe(2028);
  });
});
