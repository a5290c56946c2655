import { themeSlogans } from '../../app/domain/outreach/slogans.server';
import { newId } from '../../app/lib/ids.server';
import type { DB } from '../connection';

/**
 * Demo outreach for the 2024 Week: the Ministry's slogans (from each Week's theme), Biên Giang
 * ward's own slogans, and a few news items of the ward's Week, drawn from its plan (the ward's
 * loudspeakers, the opening ceremony at Biên Giang Secondary School, the closing at the community
 * learning centre). Idempotent: a list or item that exists is left alone, so organisers' edits survive.
 */
const BIEN_GIANG_SLOGANS = [
  'Phường Biên Giang chung tay phát triển văn hóa đọc!',
  'Mỗi gia đình một tủ sách, mỗi người dân một công dân học tập!',
  'Đọc sách hôm nay, vững bước ngày mai!',
];

const BIEN_GIANG_NEWS: Array<{ title: string; date: string; body: string }> = [
  {
    title: 'Loa truyền thanh phường tuyên truyền Tuần lễ học tập suốt đời 2024',
    date: '2024-10-01',
    body: 'Từ sáng 01/10/2024, Đài truyền thanh phường Biên Giang phát văn bản tuyên truyền về chủ đề **“Phát triển văn hóa đọc thúc đẩy học tập suốt đời”**, thời gian và địa điểm các hoạt động của Tuần lễ trên hệ thống loa của các tổ dân phố.',
  },
  {
    title: 'Khai mạc Tuần lễ tại Trường THCS Biên Giang',
    date: '2024-10-03',
    body: 'Sáng 03/10/2024, Trường THCS Biên Giang tổ chức Lễ khai mạc Tuần lễ hưởng ứng học tập suốt đời năm 2024 với sự tham dự của lãnh đạo phường, các đoàn thể, thầy cô, học sinh và nhân dân.\n\n- Giới thiệu sách hay của thư viện nhà trường\n- Phát động phong trào đọc sách liên thế hệ',
  },
  {
    title: 'Ông bà, cha mẹ và các cháu cùng đọc sách tại Trung tâm học tập cộng đồng',
    date: '2024-10-04',
    body: 'Chiều 04/10/2024, Trung tâm học tập cộng đồng phường tổ chức buổi giới thiệu sách và mô hình đọc sách liên thế hệ: các cụ cao tuổi đọc truyện cho các cháu, phụ huynh chia sẻ kinh nghiệm xây dựng tủ sách gia đình.',
  },
];

export async function seedOutreach(db: DB, units: Map<string, string>, users: Map<string, string>): Promise<void> {
  const week = await db.selectFrom('weeks').select(['year', 'theme_vi']).where('year', '=', 2024).executeTakeFirst();
  if (!week) return;
  const now = new Date('2024-09-25T02:00:00Z').toISOString();
  const lists: Array<[string | undefined, string[], string | undefined]> = [
    [units.get('bo-gddt'), themeSlogans(week), users.get('admin@demo.hoctap.vn')],
    [units.get('bien-giang'), BIEN_GIANG_SLOGANS, users.get('bantochuc.biengiang@demo.hoctap.vn')],
  ];
  for (const [unitId, texts, by] of lists) {
    if (!unitId) continue;
    const has = await db
      .selectFrom('outreach_slogans')
      .select('id')
      .where('week_year', '=', 2024)
      .where('unit_id', '=', unitId)
      .limit(1)
      .executeTakeFirst();
    if (has) continue;
    await db
      .insertInto('outreach_slogans')
      .values(
        texts.map((text, i) => ({
          id: newId(),
          week_year: 2024,
          unit_id: unitId,
          text,
          position: i + 1,
          created_by: by ?? null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }
  const ward = units.get('bien-giang');
  if (!ward) return;
  const by = users.get('bantochuc.biengiang@demo.hoctap.vn') ?? null;
  for (const n of BIEN_GIANG_NEWS) {
    const has = await db
      .selectFrom('outreach_news')
      .select('id')
      .where('unit_id', '=', ward)
      .where('title', '=', n.title)
      .executeTakeFirst();
    if (has) continue;
    const at = new Date(`${n.date}T12:00:00+07:00`).toISOString();
    await db
      .insertInto('outreach_news')
      .values({
        id: newId(),
        week_year: 2024,
        unit_id: ward,
        title: n.title,
        body_md: n.body,
        photo_key: null,
        photo_alt: null,
        news_date: n.date,
        created_by: by,
        created_at: at,
        updated_at: at,
      })
      .execute();
  }
}
