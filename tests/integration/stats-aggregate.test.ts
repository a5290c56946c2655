/**
 * Participation statistics on real databases: the pre-aggregated daily counts equal counts of the
 * underlying rows for a subtree and the Week's dates; the job is idempotent and incremental (only
 * Weeks not yet settled are recomputed, new rows show up on the next run); the comparison with the
 * previous Week; the roll-up of a Week follows its own unit tree after the 2025 reorganisation.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { toNumber } from '~/db/dialect';
import { seedAccounts } from '~/db/seed/accounts';
import { seedReorganisation2025, seedUnits } from '~/db/seed/units';
import { backfillStats, computeWeek, dayBounds, runStatsJob } from '~/domain/stats/aggregate.server';
import { participationRate, STATS_UNITS_PER_PAGE, statsPage, statsPageFor } from '~/domain/stats/page.server';
import { inForce } from '~/domain/units.server';
import { createWeek, readWeekFiles, syncWeeksFromContent } from '~/domain/weeks.server';
import { newId } from '~/lib/ids.server';
import { unwrap } from '~/lib/result';

import { dialects, freshDb } from '../helpers/db';
import { insertTitleRow } from '../helpers/library';

describe.each(dialects)('participation statistics on %s', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let units: Map<string, string>;
  let users: Map<string, string>;
  const u = (slug: string) => {
    const id = units.get(slug);
    if (!id) throw new Error(`no unit ${slug}`);
    return id;
  };
  let holding: { id: string; title_id: string; library_id: string };
  let courseId: string;
  let clubId: string;
  let contestId: string;

  // ---- raw rows, written the way the areas write them ----
  const person = async (home: string | null, birthYear: number | null = 1990) => {
    const id = newId();
    await db
      .insertInto('users')
      .values({
        id,
        email: `p-${id}@test.vn`,
        password_hash: '!',
        display_name: 'Người thử',
        birth_year: birthYear,
        home_unit_id: home,
        locale: 'vi',
        created_at: '2024-01-01T00:00:00.000Z',
      })
      .execute();
    return id;
  };
  const loan = (user: string, at: string) =>
    db
      .insertInto('lib_loans')
      .values({
        id: newId(),
        holding_id: holding.id,
        title_id: holding.title_id,
        library_id: holding.library_id,
        user_id: user,
        status: 'returned',
        borrowed_at: at,
        due_at: at,
        renewals: 0,
        returned_at: at,
      })
      .execute();
  const log = (user: string, day: string, minutes: number) =>
    db
      .insertInto('reading_logs')
      .values({
        id: newId(),
        user_id: user,
        read_on: day,
        minutes,
        title_id: null,
        outside_title: 'x',
        partner_user_id: null,
        club_id: null,
        source: 'manual',
        session_id: null,
        created_at: `${day}T10:00:00.000Z`,
      })
      .execute();
  const enrol = (user: string, at: string, completedAt: string | null = null) =>
    db
      .insertInto('course_enrolments')
      .values({
        id: newId(),
        course_id: courseId,
        user_id: user,
        enrolled_at: at,
        last_lesson_id: null,
        last_seen_at: at,
        completed_at: completedAt,
      })
      .execute();
  const join = (user: string, at: string) =>
    db
      .insertInto('club_members')
      .values({ club_id: clubId, user_id: user, role: 'member', status: 'active', joined_at: at, updated_at: at })
      .execute();
  const enter = (user: string, unitId: string, at: string) =>
    db
      .insertInto('contest_entrants')
      .values({
        id: newId(),
        contest_id: contestId,
        user_id: user,
        full_name: 'x',
        birth_year: 2010,
        unit_id: unitId,
        phone: null,
        registered_at: at,
      })
      .execute();

  /** The sum of a metric over a unit's subtree, read from the statistics page. */
  const page = async (year: number, slug: string | null) => unwrap(await statsPage(db, year, slug, 'vi'));

  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    await syncWeeksFromContent(db);
    const w = readWeekFiles().find((x) => x.year === 2024)!;
    const { origin: _o, content_hash: _h, updated_at: _u, ...input } = w;
    await createWeek(db, { ...input, year: 2026, starts_on: '2026-10-01', ends_on: '2026-10-07', opening_at: '2026-10-01T01:00:00.000Z' });
    units = await seedUnits(db);
    users = await seedAccounts(db, units);
    units = await seedReorganisation2025(db, units);
    const owner = users.get('admin@demo.hoctap.vn')!;
    const now = '2024-01-01T00:00:00.000Z';
    const titleId = newId();
    await insertTitleRow(db, { id: titleId, slug: `t-${titleId}`, title: 'Sách', author: 'Tác giả', origin: 'upload', at: now });
    holding = { id: newId(), title_id: titleId, library_id: u('thu-vien-thcs-bien-giang') };
    await db
      .insertInto('lib_holdings')
      .values({ ...holding, open_access: 0, copies: 5, created_at: now })
      .execute();
    courseId = newId();
    await db
      .insertInto('courses')
      .values({
        id: courseId,
        slug: `c-${courseId}`,
        unit_id: u('bo-gddt'),
        week_year: null,
        title: 'Khóa học',
        summary: '',
        description_md: '',
        audience: 'everyone',
        level: 'beginner',
        est_hours: 1,
        cover_url: null,
        language: 'vi',
        licence: 'CC BY 4.0',
        status: 'published',
        enrol_mode: 'open',
        enrol_code: null,
        origin: 'ui',
        created_by: owner,
        created_at: now,
        updated_at: now,
        published_at: now,
      })
      .execute();
    clubId = newId();
    await db
      .insertInto('club_clubs')
      .values({
        id: clubId,
        slug: `club-${clubId}`,
        unit_id: u('tthtcd-bien-giang'),
        name: 'CLB',
        description_md: '',
        cover_url: null,
        language: 'vi',
        audience: 'all',
        visibility: 'public',
        join_code: null,
        intergenerational: 1,
        week_year: null,
        status: 'active',
        created_by: owner,
        created_at: now,
        approved_by: owner,
        approved_at: now,
        closed_at: null,
      })
      .execute();
    contestId = newId();
    await db
      .insertInto('contests')
      .values({
        id: contestId,
        slug: `k-${contestId}`,
        unit_id: u('bo-gddt'),
        week_year: null,
        title: 'Cuộc thi',
        rules_md: '',
        min_age: null,
        max_age: null,
        eligible_unit_id: u('bo-gddt'),
        excluded_roles_json: '[]',
        max_attempts: 1,
        ranking_json: '[]',
        prediction_kind: 'perfect',
        grace_seconds: 0,
        min_seconds: 0,
        collective_json: '{}',
        status: 'published',
        created_by: owner,
        created_at: now,
        updated_at: now,
      })
      .execute();
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('the figures of a subtree equal counts of the underlying rows for the Week’s dates', async () => {
    // Pupils of Biên Giang secondary school (in both trees), residents of Tân Thịnh's successor,
    // and rows just outside the 2024 Week (30/09 and 08/10, in Vietnam time) that must not count.
    const pupils = [await person(u('thcs-bien-giang'), 2011), await person(u('thcs-bien-giang'), 2012)];
    const elder = await person(u('thcs-bien-giang'), 1950);
    const tn = await person(u('phuong-phan-dinh-phung'), 1980);
    await loan(pupils[0]!, '2024-10-01T03:00:00.000Z');
    await loan(pupils[0]!, '2024-10-02T03:00:00.000Z');
    await loan(pupils[1]!, '2024-09-30T16:59:00.000Z'); // 23:59 on 30/09 in Vietnam: outside
    await loan(pupils[1]!, '2024-09-30T17:00:00.000Z'); // 00:00 on 01/10 in Vietnam: inside
    await loan(tn, '2024-10-07T17:00:00.000Z'); // 00:00 on 08/10: outside
    await log(pupils[0]!, '2024-10-03', 30);
    await log(elder, '2024-10-03', 45);
    await log(tn, '2024-10-05', 20);
    await log(tn, '2024-10-08', 99); // outside
    await enrol(pupils[1]!, '2024-10-02T02:00:00.000Z', '2024-10-06T02:00:00.000Z');
    await enrol(elder, '2024-09-20T02:00:00.000Z', '2024-10-04T02:00:00.000Z'); // enrolled before, completed during
    await join(elder, '2024-10-04T02:00:00.000Z');
    await join(pupils[0]!, '2024-10-04T02:00:00.000Z');
    await enter(pupils[1]!, u('thcs-bien-giang'), '2024-10-01T02:00:00.000Z');
    await enter(tn, u('tan-thinh'), '2024-10-02T02:00:00.000Z');

    await backfillStats(db, new Date('2026-11-30T00:00:00.000Z'), [2024]);

    // Expected, counted straight from the raw rows: the 2024 subtree of Quận Hà Đông and the Week's instants.
    const [lo] = dayBounds('2024-10-01');
    const [, hi] = dayBounds('2024-10-07');
    const sub = db
      .selectFrom('unit_tree_history as h')
      .select('h.descendant_id')
      .where('h.ancestor_id', '=', u('ha-dong'))
      .where(inForce('h', '2024-10-01'));
    const count = async (q: { executeTakeFirstOrThrow(): Promise<{ n: unknown }> }) => toNumber((await q.executeTakeFirstOrThrow()).n);
    const loans = await count(
      db
        .selectFrom('lib_loans')
        .select((e) => e.fn.countAll().as('n'))
        .where('library_id', 'in', sub)
        .where('borrowed_at', '>=', lo)
        .where('borrowed_at', '<', hi),
    );
    const minutes = await count(
      db
        .selectFrom('reading_logs as r')
        .innerJoin('users as p', 'p.id', 'r.user_id')
        .select(sql<number>`coalesce(sum(r.minutes), 0)`.as('n'))
        .where('p.home_unit_id', 'in', sub)
        .where('r.read_on', '>=', '2024-10-01')
        .where('r.read_on', '<=', '2024-10-07'),
    );
    const completions = await count(
      db
        .selectFrom('course_enrolments as e')
        .innerJoin('users as p', 'p.id', 'e.user_id')
        .select((e) => e.fn.countAll().as('n'))
        .where('p.home_unit_id', 'in', sub)
        .where('e.completed_at', '>=', lo)
        .where('e.completed_at', '<', hi),
    );
    expect(loans).toBe(3);
    expect(minutes).toBe(75);
    expect(completions).toBe(2);

    const hd = await page(2024, 'ha-dong');
    expect(hd.total.loans).toBe(loans);
    expect(hd.total.reading_minutes).toBe(minutes);
    expect(hd.total.completions).toBe(completions);
    expect(hd.total.enrolments).toBe(1);
    expect(hd.total.contest_entries).toBe(1);
    // Readers: a loan or a log, each person once: pupils[0], pupils[1] (loan at 00:00 on 01/10), elder.
    expect(hd.total.readers).toBe(3);
    expect(hd.total.participants).toBe(3);
    expect(hd.total.club_senior).toBe(1);
    expect(hd.total.club_child).toBe(1);
    // By day: the loan at 00:00 on 01/10 (Vietnam) is on 01/10.
    expect(hd.days.find((d) => d.day === '2024-10-01')!.figures.loans).toBe(2);
    expect(hd.days.find((d) => d.day === '2024-10-02')!.figures.loans).toBe(1);
    expect(hd.days.reduce((s, d) => s + d.figures.loans, 0)).toBe(loans);
    // Thái Nguyên: its own rows only (the 08/10 ones left out).
    const tnPage = await page(2024, 'thai-nguyen');
    expect(tnPage.total.reading_minutes).toBe(20);
    expect(tnPage.total.loans).toBe(0);
    expect(tnPage.total.contest_entries).toBe(1);
    // The country adds up every province.
    const all = await page(2024, null);
    expect(all.total.reading_minutes).toBe(95);
    expect(all.children.reduce((s, c) => s + c.figures.reading_minutes, 0) + (all.own?.reading_minutes ?? 0)).toBe(95);
  });

  it('is idempotent: computing a Week twice leaves the same rows', async () => {
    const snapshot = () =>
      db
        .selectFrom('stat_daily')
        .select(['unit_id', 'day', 'metric', 'value'])
        .where('week_year', '=', 2024)
        .orderBy('unit_id')
        .orderBy('day')
        .orderBy('metric')
        .execute()
        .then((rows) => rows.map((r) => ({ ...r, value: toNumber(r.value) })));
    const before = await snapshot();
    await computeWeek(db, 2024, new Date('2026-11-30T00:00:00.000Z'));
    await computeWeek(db, 2024, new Date('2026-11-30T00:00:00.000Z'));
    expect(await snapshot()).toEqual(before);
    expect(before.length).toBeGreaterThan(0);
  });

  it('is incremental: only Weeks under way or not yet settled are recomputed, and new rows appear on the next run', async () => {
    const pupil = await person(u('thcs-bien-giang'), 2012);
    // During the 2026 Week: every past Week not computed yet is computed (and settled), and 2026.
    const first = await runStatsJob(db, new Date('2026-10-03T05:00:00.000Z'));
    expect(first).toContain(2026);
    expect(first).toContain(2025);
    // Next run: only 2026 (the others are final).
    expect(await runStatsJob(db, new Date('2026-10-03T05:15:00.000Z'))).toEqual([2026]);
    const before = (await page(2026, 'phuong-ha-dong')).total;
    await loan(pupil, '2026-10-04T03:00:00.000Z');
    await log(pupil, '2026-10-04', 25);
    // Not seen until the job runs again (pages read only the pre-aggregates).
    expect((await page(2026, 'phuong-ha-dong')).total.loans).toBe(before.loans);
    expect(await runStatsJob(db, new Date('2026-10-04T06:00:00.000Z'))).toEqual([2026]);
    const after = (await page(2026, 'phuong-ha-dong')).total;
    expect(after.loans).toBe(before.loans + 1);
    expect(after.reading_minutes).toBe(before.reading_minutes + 25);
    expect(after.readers).toBe(before.readers + 1);
    // Settled 14 days after its end: computed one last time, then left alone.
    expect(await runStatsJob(db, new Date('2026-10-30T06:00:00.000Z'))).toEqual([2026]);
    expect(await runStatsJob(db, new Date('2026-10-30T07:00:00.000Z'))).toEqual([]);
    await log(pupil, '2026-10-05', 10); // a late log: only a backfill picks it up
    expect((await page(2026, 'phuong-ha-dong')).total.reading_minutes).toBe(after.reading_minutes);
    await backfillStats(db, new Date('2026-10-30T08:00:00.000Z'), [2026]);
    expect((await page(2026, 'phuong-ha-dong')).total.reading_minutes).toBe(after.reading_minutes + 10);
  });

  it('compares with the previous Week over the units that stood for this one in that Week’s tree', async () => {
    const resident = await person(u('phuong-ha-dong'), 1970);
    const vp = await person(u('thcs-bien-giang'), 2011);
    await log(resident, '2025-10-02', 40);
    await log(vp, '2025-10-03', 15);
    await backfillStats(db, new Date('2026-11-30T00:00:00.000Z'), [2024, 2025]);
    const p2025 = await page(2025, 'phuong-ha-dong');
    expect(p2025.previous?.year).toBe(2024);
    // Phường Hà Đông did not exist in 2024: it is compared with Biên Giang and Vạn Phúc.
    expect(new Set(p2025.previous?.via)).toEqual(new Set(['Phường Biên Giang', 'Phường Vạn Phúc']));
    const bg2024 = await page(2024, 'bien-giang');
    const vp2024 = await page(2024, 'van-phuc');
    expect(p2025.previous!.total.reading_minutes).toBe(bg2024.total.reading_minutes + vp2024.total.reading_minutes);
    expect(p2025.total.reading_minutes).toBe(55);
    // A unit that exists in both years compares with itself.
    const school = await page(2025, 'thcs-bien-giang');
    expect(school.previous?.via).toEqual([]);
    expect(school.previous!.total.reading_minutes).toBe((await page(2024, 'thcs-bien-giang')).total.reading_minutes);
    // As sent for one chosen figure: each child as its row shows it, each previous day the figure.
    const sent = statsPageFor(p2025, 'reading_minutes');
    expect(sent.total).toEqual(p2025.total);
    expect(sent.units.count).toBe(p2025.children.length);
    for (const c of sent.units.rows) {
      const full = p2025.children.find((x) => x.slug === c.slug)!.figures;
      const rate = participationRate(full);
      expect(c).toEqual({
        slug: c.slug,
        name: c.name,
        value: full.reading_minutes,
        rate: rate == null ? null : Math.round(rate * 10) / 10,
      });
    }
    expect(sent.previous!.byDay.map((d) => d.reading_minutes)).toEqual(p2025.previous!.byDay.map((d) => d.reading_minutes));
    expect(Object.keys(sent.previous!.byDay[0]!)).toEqual(['reading_minutes']);
    expect(sent.previous!.total).toEqual(p2025.previous!.total);
  });

  it('rolls each Week up its own tree: 2024 under the district, 2025 under the merged ward, same national total', async () => {
    const p2024 = await page(2024, null);
    const p2025 = await page(2025, null);
    // 2024: Hà Nội's children are the district and the library; 2025: the new ward and the library.
    expect((await page(2024, 'ha-noi')).children.map((c) => c.slug).sort()).toEqual(['ha-dong', 'thu-vien-ha-noi']);
    expect((await page(2025, 'ha-noi')).children.map((c) => c.slug).sort()).toEqual(['phuong-ha-dong', 'thu-vien-ha-noi']);
    // The 2024 resident of today's Phường Hà Đông: counted at Quận Hà Đông (the lowest unit holding
    // both wards it was made from), never lost from the national figure.
    const resident = await person(u('phuong-ha-dong'), 1960);
    await log(resident, '2024-10-06', 33);
    await backfillStats(db, new Date('2026-11-30T00:00:00.000Z'), [2024]);
    const hd = await page(2024, 'ha-dong');
    const after = await page(2024, null);
    expect(after.total.reading_minutes).toBe(p2024.total.reading_minutes + 33);
    expect(hd.own?.reading_minutes).toBe(33);
    // Children of the country add up to the country in both trees.
    for (const p of [after, p2025]) {
      const sum = p.children.reduce((s, c) => s + c.figures.reading_minutes, 0) + (p.own?.reading_minutes ?? 0);
      expect(sum).toBe(p.total.reading_minutes);
    }
    // A unit that was not in force for a Week has no page for it.
    expect((await statsPage(db, 2024, 'phuong-ha-dong', 'vi')).ok).toBe(false);
    expect((await statsPage(db, 2025, 'ha-dong', 'vi')).ok).toBe(false);
    expect((await statsPage(db, Number('abc'), null, 'vi')).ok).toBe(false);
  });
});

describe('the statistics page as sent: child units ranked on the server, one page at a time', () => {
  // A national page with 60 provinces (the bench's ~130 made the page 135–166 KB when every unit
  // was written four times): only one page of 25 rows travels, the map gets every province.
  const fig = (participants: number, accounts: number, loans: number) =>
    ({ participants, accounts, loans, readers: 0, reading_minutes: 0 }) as unknown as Parameters<typeof participationRate>[0] &
      Record<string, number>;
  const children = Array.from({ length: 60 }, (_, i) => ({
    slug: `tinh-${i}`,
    code: i < 34 ? String(i + 1).padStart(2, '0') : null,
    name: `Tỉnh ${i}`,
    kind: 'province',
    // Loans rise with i; the rate falls with i (accounts grow), so the two orders are opposite.
    figures: fig(10, 20 + i, i * 3),
  }));
  const page = {
    unit: { slug: 'bo', name: 'Bộ', kind: 'ministry', isRoot: true },
    children,
    own: { loans: 7 },
    previous: null,
  } as unknown as Parameters<typeof statsPageFor>[0];

  it('sends 25 rows highest first with their rank offset, the last page the rest and the unit’s own figure', () => {
    const p1 = statsPageFor(page, 'loans');
    expect(STATS_UNITS_PER_PAGE).toBe(25);
    expect(p1.units).toMatchObject({ count: 60, page: 1, pages: 3, offset: 0, own: null });
    expect(p1.units.rows.map((r) => r.slug)).toEqual(Array.from({ length: 25 }, (_, i) => `tinh-${59 - i}`));
    // The rate as shown (one decimal): 10 of 79 accounts.
    expect(p1.units.rows[0]).toEqual({ slug: 'tinh-59', name: 'Tỉnh 59', value: 177, rate: 12.7 });
    const p3 = statsPageFor(page, 'loans', 'value', 3);
    expect(p3.units).toMatchObject({ page: 3, offset: 50, own: 7 });
    expect(p3.units.rows.map((r) => r.slug)).toEqual(Array.from({ length: 10 }, (_, i) => `tinh-${9 - i}`));
    // A page past the end shows the last; nothing of the child units' other figures is sent.
    expect(statsPageFor(page, 'loans', 'value', 99).units.page).toBe(3);
    expect(JSON.stringify(p1)).not.toContain('"figures"');
    // The map: every province, coded or not (those without a code are listed as not drawn).
    expect(p1.map).toHaveLength(60);
    expect(p1.map![0]).toEqual(['01', 'Tỉnh 0', 50]);
  });

  it('ranks by participation rate on request', () => {
    const r = statsPageFor(page, 'loans', 'rate', 1);
    expect(r.units.rows.map((x) => x.slug).slice(0, 3)).toEqual(['tinh-0', 'tinh-1', 'tinh-2']);
    const rates = r.units.rows.map((x) => x.rate!);
    expect([...rates].sort((a, b) => b - a)).toEqual(rates);
  });
});
