/**
 * Demo participation for the statistics pages: residents, pupils and students of the demo units
 * who borrowed books, logged reading time, took courses and joined an intergenerational reading
 * club during the 2024 and 2025 Weeks — real rows in the areas' own tables (loans already
 * returned, reading logs, enrolments, memberships), made once (recorded in demo_seeds). Then the
 * statistics job computes every past Week, so the stats pages show figures right after seeding.
 *
 * The people cannot sign in (no password). Their homes are units that exist in both the 2024 and
 * the 2025 trees where possible (schools, Ghềnh Ráng ward), plus the new Phường Hà Đông, which
 * shows how a figure of a unit made in 2025 is compared with what it was made from.
 */
import { backfillStats } from '../../app/domain/stats/aggregate.server';
import { newId } from '../../app/lib/ids.server';
import type { DB } from '../connection';
import { getDemoSeed, putDemoSeed } from './demo-media';

const KEY = 'stats:participation-v1';

/** A small deterministic generator, so every seeded database holds the same demo figures. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô'];
const GIVEN = [
  'An',
  'Bình',
  'Chi',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hoa',
  'Khánh',
  'Lan',
  'Linh',
  'Minh',
  'Nam',
  'Ngọc',
  'Phúc',
  'Quân',
  'Thảo',
  'Trang',
];

/** Homes (slug, weight) and the birth-year range of the people living or studying there. */
const HOMES: Array<[slug: string, people: number, born: [number, number]]> = [
  ['thcs-bien-giang', 14, [2009, 2013]],
  ['th-bien-giang', 8, [2014, 2018]],
  ['phuong-ha-dong', 16, [1945, 1995]],
  ['thcs-tan-thinh', 10, [2009, 2013]],
  ['dh-thai-nguyen', 10, [2002, 2007]],
  ['phuong-phan-dinh-phung', 8, [1950, 1990]],
  ['ghenh-rang', 10, [1948, 1998]],
  ['thpt-quoc-hoc-quy-nhon', 10, [2006, 2009]],
  ['dh-quy-nhon', 6, [2000, 2006]],
];

export async function seedStats(db: DB, units: Map<string, string>, users: Map<string, string>, now = new Date()): Promise<void> {
  await seedProvinceCodes(db);
  // One transaction: a seed stopped half-way leaves nothing behind to duplicate on the next start.
  if (!(await getDemoSeed(db, KEY))) await db.transaction().execute((trx) => seedParticipation(trx, units, users));
  await backfillStats(db, now);
}

async function seedParticipation(db: DB, units: Map<string, string>, users: Map<string, string>): Promise<void> {
  const weeks = await db.selectFrom('weeks').select(['year', 'starts_on', 'ends_on']).where('year', 'in', [2024, 2025]).execute();
  const holdings = await db.selectFrom('lib_holdings').select(['id', 'title_id', 'library_id']).orderBy('id').execute();
  const courses = await db.selectFrom('courses').select(['id']).where('status', '=', 'published').orderBy('slug').execute();
  if (!weeks.length) return;
  const rand = rng(20241001);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const owner = users.get('admin@demo.hoctap.vn') ?? (await db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;

  // People: about two in three of them take part in a given Week.
  const people: Array<{ id: string; home: string }> = [];
  let n = 0;
  for (const [slug, count, [from, to]] of HOMES) {
    const home = units.get(slug);
    if (!home) continue;
    for (let i = 0; i < count; i++) {
      n++;
      const id = newId();
      await db
        .insertInto('users')
        .values({
          id,
          email: `thamgia${String(n).padStart(3, '0')}@demo.hoctap.vn`,
          password_hash: '!demo-no-sign-in',
          display_name: `${pick(FAMILY)} ${pick(GIVEN)}`,
          birth_year: from + Math.floor(rand() * (to - from + 1)),
          home_unit_id: home,
          locale: 'vi',
          created_at: '2024-09-15T02:00:00.000Z',
        })
        .execute();
      people.push({ id, home });
    }
  }

  // An intergenerational reading club of Biên Giang's community learning centre, for the 2025 Week.
  const clubUnit = units.get('tthtcd-bien-giang');
  let clubId: string | null = null;
  if (clubUnit) {
    clubId = newId();
    await db
      .insertInto('club_clubs')
      .values({
        id: clubId,
        slug: 'doc-sach-lien-the-he-bien-giang',
        unit_id: clubUnit,
        name: 'Câu lạc bộ đọc sách liên thế hệ Biên Giang',
        description_md: 'Ông bà, cha mẹ và các cháu cùng đọc và kể lại một cuốn sách mỗi tuần tại Trung tâm học tập cộng đồng.',
        cover_url: null,
        language: 'vi',
        audience: 'all',
        visibility: 'public',
        join_code: null,
        intergenerational: 1,
        week_year: 2025,
        status: 'active',
        created_by: owner,
        created_at: '2025-09-20T02:00:00.000Z',
        approved_by: owner,
        approved_at: '2025-09-20T02:00:00.000Z',
        closed_at: null,
      })
      .execute();
  }

  const clubHomes = new Set(['phuong-ha-dong', 'thcs-bien-giang', 'th-bien-giang'].map((s) => units.get(s)));
  for (const week of weeks.sort((a, b) => a.year - b.year)) {
    const days: string[] = [];
    for (
      let d = new Date(`${week.starts_on}T00:00:00.000Z`);
      d.toISOString().slice(0, 10) <= week.ends_on;
      d.setUTCDate(d.getUTCDate() + 1)
    )
      days.push(d.toISOString().slice(0, 10));
    // Vietnam time 07:00–20:00 on a day → UTC instant.
    const at = (day: string) => {
      const d = new Date(`${day}T00:00:00.000Z`);
      d.setUTCMinutes(Math.floor(rand() * 13 * 60)); // 00:00–13:00 UTC = 07:00–20:00 in Vietnam
      return d.toISOString();
    };
    const share = week.year === 2024 ? 0.55 : 0.7; // more took part in 2025
    const course = courses.length ? courses[week.year % courses.length]! : null;
    for (const p of people) {
      if (rand() > share) continue;
      // Reading logs on a few days of the Week.
      const readDays = days.filter(() => rand() < 0.45);
      for (const day of readDays)
        await db
          .insertInto('reading_logs')
          .values({
            id: newId(),
            user_id: p.id,
            read_on: day,
            minutes: 10 + Math.floor(rand() * 50),
            title_id: null,
            outside_title: 'Sách giấy ở nhà',
            partner_user_id: null,
            club_id: null,
            source: 'manual',
            session_id: null,
            created_at: `${day}T13:00:00.000Z`,
          })
          .execute();
      // A loan (already returned) for about half of them.
      if (holdings.length && rand() < 0.5) {
        const h = pick(holdings);
        const borrowed = at(pick(days));
        const returned = new Date(new Date(borrowed).getTime() + 5 * 86400000).toISOString();
        await db
          .insertInto('lib_loans')
          .values({
            id: newId(),
            holding_id: h.id,
            title_id: h.title_id,
            library_id: h.library_id,
            user_id: p.id,
            status: 'returned',
            borrowed_at: borrowed,
            due_at: new Date(new Date(borrowed).getTime() + 14 * 86400000).toISOString(),
            renewals: 0,
            returned_at: returned,
          })
          .execute();
      }
      // A course of the Week for about a third, most of whom finish within it.
      if (course && rand() < 0.35) {
        const enrolled = at(days[Math.floor(rand() * 3)]!);
        const finished = rand() < 0.6 ? at(days[4 + Math.floor(rand() * 3)]!) : null;
        await db
          .insertInto('course_enrolments')
          .values({
            id: newId(),
            course_id: course.id,
            user_id: p.id,
            enrolled_at: enrolled,
            last_lesson_id: null,
            last_seen_at: finished ?? enrolled,
            completed_at: finished,
          })
          .onConflict((oc) => oc.columns(['course_id', 'user_id']).doNothing())
          .execute();
      }
      // The club gathers members of every generation in the 2025 Week.
      if (clubId && week.year === 2025 && clubHomes.has(p.home) && rand() < 0.6) {
        const joined = at(pick(days));
        await db
          .insertInto('club_members')
          .values({ club_id: clubId, user_id: p.id, role: 'member', status: 'active', joined_at: joined, updated_at: joined })
          .execute();
      }
    }
  }
  await putDemoSeed(db, KEY, 'participation', { people: people.length });
}

/**
 * The official (GSO) codes of the demo provinces, which the national page's map matches its shapes
 * by (app/components/stats/province-map.ts). `units.code` is unique, so a dissolved province whose
 * code the reform gave to its successor keeps it with the year it was retired: Bình Định was 52
 * until 30/06/2025 and is stored as `52/2025`; the new Gia Lai (Bình Định + the former Gia Lai) is 52.
 * Only fills codes that are empty (an imported official list wins).
 */
const DEMO_PROVINCE_CODES: Record<string, string> = {
  'ha-noi': '01',
  'thai-nguyen': '19',
  'bac-kan': '06',
  'binh-dinh': '52/2025',
  'gia-lai-truoc-2025': '64',
  'gia-lai': '52',
};

export async function seedProvinceCodes(db: DB): Promise<void> {
  for (const [slug, code] of Object.entries(DEMO_PROVINCE_CODES)) {
    const taken = await db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirst();
    if (taken) continue;
    await db.updateTable('units').set({ code }).where('slug', '=', slug).where('code', 'is', null).execute();
  }
}
