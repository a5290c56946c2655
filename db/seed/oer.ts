import fs from 'node:fs';
import path from 'node:path';

import { slugify } from '../../app/domain/library/titles.server';
import { createResource, reindex, type ResourceFiles, reviewResource, submitResource } from '../../app/domain/oer/resources.server';
import { unwrap } from '../../app/lib/result';
import { newKey, putFile } from '../../app/lib/storage/index.server';
import type { DB } from '../connection';
import type { Licence, ResourceKind, ResourceLevel, Subject } from '../schema/oer';
import {
  COMMITTED_CAPTIONS,
  COMMITTED_VIDEO,
  DEMO_VIDEO_SECONDS,
  type DemoVideoSource,
  getDemoSeed,
  hasFfmpeg,
  makeTitleCard,
  putDemoSeed,
} from './demo-media';

type Demo = [
  kind: ResourceKind,
  title: string,
  summary: string,
  unit: string,
  subject: Subject,
  level: ResourceLevel,
  licence: Licence,
  years: number[],
  extra?: { url?: string; minutes?: number; pages?: number; body?: string; hls?: string },
];

const DEMOS: Demo[] = [
  [
    'video',
    'Bài giảng: Con đường tự học trong kỷ nguyên số',
    'Bài giảng điện tử ngắn có phụ đề tiếng Việt, chia chương, dành cho học sinh và phụ huynh.',
    'thcs-bien-giang',
    'self-learning',
    'secondary',
    'cc-by',
    [2023, 2024],
    {},
  ],
  [
    'video',
    'Sử dụng Internet an toàn cho người cao tuổi',
    'Hướng dẫn nhận biết tin giả, lừa đảo qua mạng và cách bảo vệ mật khẩu.',
    'thcs-bien-giang',
    'digital-skills',
    'elderly',
    'cc-by-sa',
    [2020, 2022],
    {},
  ],
  [
    'video',
    'Tìm kiếm thông tin hiệu quả trên mạng',
    'Cách dùng từ khóa, lọc kết quả và kiểm tra nguồn tin.',
    'dh-thai-nguyen',
    'digital-skills',
    'university',
    'cc-by',
    [2022],
    {},
  ],
  [
    'video',
    'Thí nghiệm vui: nước và không khí',
    'Bài giảng khoa học cho học sinh tiểu học.',
    'th-bien-giang',
    'science',
    'primary',
    'cc-by-nc',
    [2023],
    {},
  ],
  [
    'document',
    'Sổ tay học tập suốt đời cho mọi người',
    'Sách điện tử hướng dẫn lập kế hoạch học tập cá nhân.',
    'dh-quy-nhon',
    'self-learning',
    'adult',
    'cc-by',
    [2023],
    { url: 'https://www.gutenberg.org/', pages: 64 },
  ],
  [
    'document',
    'Truyện cổ tích Việt Nam chọn lọc',
    'Tuyển tập truyện cổ tích thuộc phạm vi công cộng, dùng cho giờ đọc sách tại trường.',
    'thcs-bien-giang',
    'reading',
    'primary',
    'public-domain',
    [2024],
    { url: 'https://vi.wikisource.org/', pages: 120 },
  ],
  [
    'document',
    'Giáo trình tin học cơ bản cho người lớn',
    'Làm quen máy tính, soạn thảo văn bản, thư điện tử.',
    'dh-thai-nguyen',
    'digital-skills',
    'adult',
    'cc-by-sa',
    [2020],
    { url: 'https://www.wikibooks.org/', pages: 88 },
  ],
  [
    'document',
    'Đường lên đỉnh núi tri thức — tuyển tập bài đọc',
    'Các bài đọc về tấm gương tự học.',
    'thpt-quoc-hoc-quy-nhon',
    'reading',
    'secondary',
    'cc-by',
    [2023],
    { url: 'https://vi.wikisource.org/', pages: 40 },
  ],
  [
    'periodical',
    'Bản tin Tuần lễ học tập suốt đời phường Biên Giang số 1',
    'Bản tin tháng 10/2024: lễ khai mạc, hoạt động đọc sách liên thế hệ.',
    'thcs-bien-giang',
    'reading',
    'adult',
    'cc-by',
    [2024],
    { url: 'https://example.org/ban-tin-1.pdf', pages: 8 },
  ],
  [
    'periodical',
    'Tạp chí Giáo dục và Cộng đồng — số chuyên đề chuyển đổi số',
    'Số chuyên đề về chuyển đổi số trong giáo dục thường xuyên.',
    'dh-quy-nhon',
    'digital-skills',
    'university',
    'cc-by-nc',
    [2020, 2022],
    { url: 'https://example.org/tap-chi.pdf', pages: 48 },
  ],
  [
    'periodical',
    'Báo tường điện tử lớp 8A: Đọc sách cùng ông bà',
    'Báo tường do học sinh thực hiện.',
    'thcs-bien-giang',
    'reading',
    'secondary',
    'cc-by-sa',
    [2024],
    { url: 'https://example.org/bao-tuong.pdf', pages: 4 },
  ],
  [
    'audio',
    'Sách nói: Dế Mèn phiêu lưu ký (trích đoạn)',
    'Đọc diễn cảm trích đoạn, dành cho câu lạc bộ đọc sách.',
    'thcs-bien-giang',
    'reading',
    'primary',
    'cc-by-nc',
    [2024],
    { url: 'https://example.org/de-men.mp3', minutes: 15 },
  ],
  [
    'audio',
    'Phát thanh: Gương người tốt, việc tốt trong tự học',
    'Chương trình phát thanh trên loa truyền thanh phường.',
    'thcs-bien-giang',
    'self-learning',
    'elderly',
    'cc-by',
    [2023],
    { url: 'https://example.org/phat-thanh.mp3', minutes: 10 },
  ],
  [
    'audio',
    'Luyện nghe tiếng Anh giao tiếp hằng ngày',
    'Các đoạn hội thoại ngắn cho người mới bắt đầu.',
    'dh-thai-nguyen',
    'language',
    'adult',
    'cc-by-sa',
    [2022],
    { url: 'https://example.org/english.mp3', minutes: 20 },
  ],
  [
    'slides',
    'Trình chiếu: Kế hoạch Tuần lễ học tập suốt đời 2024',
    'Các nội dung chính của kế hoạch phường Biên Giang.',
    'thcs-bien-giang',
    'civics',
    'adult',
    'cc-by',
    [2024],
    { url: 'https://example.org/ke-hoach.pdf', pages: 20 },
  ],
  [
    'slides',
    'Kỹ năng thuyết trình cho sinh viên',
    'Bài trình chiếu về chuẩn bị và trình bày.',
    'dh-quy-nhon',
    'life-skills',
    'university',
    'cc-by',
    [2023],
    { url: 'https://example.org/thuyet-trinh.pdf', pages: 30 },
  ],
  [
    'slides',
    'Phòng chống đuối nước cho trẻ em',
    'Kỹ năng an toàn dưới nước, dùng trong giờ sinh hoạt.',
    'th-bien-giang',
    'life-skills',
    'primary',
    'cc0',
    [],
    { url: 'https://example.org/duoi-nuoc.pdf', pages: 15 },
  ],
  [
    'interactive',
    'Bản đồ tương tác các di tích lịch sử Hà Nội',
    'Học liệu đa phương tiện về di tích, có ảnh và âm thanh.',
    'thcs-bien-giang',
    'history',
    'secondary',
    'cc-by-sa',
    [2024],
    { url: 'https://www.openstreetmap.org/' },
  ],
  [
    'interactive',
    'Trò chơi ô chữ: Công dân số',
    'Ô chữ tương tác ôn tập kỹ năng công dân số.',
    'thpt-quoc-hoc-quy-nhon',
    'digital-skills',
    'secondary',
    'cc-by',
    [2022],
    { url: 'https://example.org/o-chu' },
  ],
  [
    'interactive',
    'Học chữ cái tiếng Việt qua hình ảnh',
    'Bài học tương tác cho trẻ và người học xóa mù chữ.',
    'th-bien-giang',
    'language',
    'primary',
    'cc0',
    [2023],
    { url: 'https://example.org/chu-cai' },
  ],
  [
    'simulation',
    'Mô phỏng mạch điện đơn giản (PhET)',
    'Phần mềm mô phỏng mở của Đại học Colorado, dùng trong giờ Vật lý.',
    'thpt-quoc-hoc-quy-nhon',
    'science',
    'secondary',
    'cc-by',
    [2023],
    { url: 'https://phet.colorado.edu/vi/' },
  ],
  [
    'simulation',
    'Mô phỏng hệ Mặt Trời',
    'Quan sát chuyển động của các hành tinh.',
    'dh-thai-nguyen',
    'science',
    'university',
    'cc-by',
    [],
    { url: 'https://phet.colorado.edu/vi/' },
  ],
  [
    'simulation',
    'Phân số trực quan',
    'Mô phỏng giúp học sinh hiểu phân số.',
    'th-bien-giang',
    'maths',
    'primary',
    'cc-by',
    [2024],
    { url: 'https://phet.colorado.edu/vi/' },
  ],
  [
    'article',
    'Đọc sách cùng ông bà: mô hình liên thế hệ',
    'Kinh nghiệm tổ chức câu lạc bộ đọc sách liên thế hệ ở khu phố.',
    'thcs-bien-giang',
    'reading',
    'elderly',
    'cc-by',
    [2024],
    {
      body: 'Ở phường Biên Giang, mỗi tối thứ Bảy, ông bà và các cháu cùng đọc sách tại trung tâm học tập cộng đồng.\n\n- Ông bà kể chuyện xưa\n- Cháu hướng dẫn ông bà dùng điện thoại để đọc báo\n\nMô hình giúp đường đến tri thức ngắn lại với mọi thế hệ.',
    },
  ],
  [
    'article',
    'Dương cầm và tự học âm nhạc',
    'Một người cao tuổi tự học dương cầm qua video trực tuyến.',
    'dh-quy-nhon',
    'arts',
    'elderly',
    'cc-by-sa',
    [2023],
    { body: 'Bác Dương, 68 tuổi, tự học dương cầm qua các bài giảng trực tuyến. Bác nói: “Học không bao giờ là muộn.”' },
  ],
  [
    'article',
    'Đời sống số ở nông thôn',
    'Người dân xã vùng cao dùng điện thoại thông minh để học nghề.',
    'dh-thai-nguyen',
    'digital-skills',
    'adult',
    'cc-by',
    [2022],
    { body: 'Nhiều hộ dân đã học kỹ thuật trồng chè qua video. Đổi mới cách học giúp đời sống khá hơn.' },
  ],
  [
    'article',
    'Giờ đọc sách 15 phút mỗi sáng tại trường',
    'Kinh nghiệm xây dựng thời gian đọc sách tại trường.',
    'thcs-bien-giang',
    'reading',
    'secondary',
    'cc-by',
    [2024],
    { body: 'Mỗi sáng, 15 phút trước giờ học, cả trường cùng đọc sách. Sau một năm, học sinh mượn sách nhiều gấp ba lần.' },
  ],
];

const ARTICLES: Array<[file: string, title: string, summary: string, year: number, subject: Subject]> = [
  [
    '2020-chuyen-doi-so.md',
    'Chuyển đổi số thúc đẩy học tập suốt đời',
    'Bài viết về chủ đề Tuần lễ năm 2020: bắt đầu chuyển đổi số từ chiếc điện thoại.',
    2020,
    'digital-skills',
  ],
  [
    '2022-sau-dai-dich.md',
    'Học tập số sau đại dịch COVID-19',
    'Bài viết về chủ đề năm 2022: điều giữ lại và điều cần bù đắp sau đại dịch.',
    2022,
    'digital-skills',
  ],
  [
    '2023-nang-luc-tu-hoc.md',
    'Xây dựng năng lực tự học trong kỷ nguyên số',
    'Bài viết về chủ đề năm 2023: năm bước tự học.',
    2023,
    'self-learning',
  ],
  [
    '2024-van-hoa-doc.md',
    'Phát triển văn hóa đọc thúc đẩy học tập suốt đời',
    'Bài viết về chủ đề năm 2024: đọc cùng nhau, đọc trên thiết bị số.',
    2024,
    'reading',
  ],
];

/** The test stream the demo e-lectures used before they had a local video (it needs the internet). */
const OLD_TEST_STREAM = 'https://test-streams.mux.dev/x36xhzz/x36xhzz.m3u8';

/**
 * The demo date of a resource made for a Week: a few days before that Week (its first year),
 * so "Ngày đăng" reads like the content's own date, not the day the demo was loaded. Resources
 * tagged with no year keep the loading date. Illustrative demo dates, not historical records.
 */
function demoPublishedAt(years: number[], i: number): string | null {
  if (!years.length) return null;
  const y = Math.min(...years);
  return new Date(`${y}-09-${String(15 + (i % 10)).padStart(2, '0')}T09:00:00+07:00`).toISOString();
}

/** Stores a demo e-lecture's video (its own ffmpeg title card, or the committed video) and captions. */
async function storeDemoVideo(title: string): Promise<{ files: ResourceFiles; source: DemoVideoSource }> {
  const card = makeTitleCard(title);
  const key = newKey('webm');
  const size = await putFile(key, card ?? COMMITTED_VIDEO);
  if (card) fs.rmSync(card, { force: true });
  const captionsKey = newKey('vtt');
  await putFile(captionsKey, COMMITTED_CAPTIONS);
  return {
    files: { media: { key, mime: 'video/webm', size, name: `${slugify(title) || 'bai-giang'}.webm` }, captionsKey },
    source: card ? 'ffmpeg' : 'committed',
  };
}

/**
 * Demo content of the oer area (idempotent). Each demo entry has a stable key (`oer:<slug of its
 * title>`) recorded in demo_seeds with what it was given, so a later start can upgrade it:
 * an e-lecture still on the old external test stream, or on the committed video once ffmpeg is
 * installed, gets a local video — unless someone edited it since (another video, a new version).
 * Databases seeded before demo_seeds existed are matched by title once, then by key.
 */
export async function seedOer(db: DB, units: Map<string, string>, users: Map<string, string>): Promise<void> {
  const teacher = users.get('giaovien@demo.hoctap.vn');
  const admin = users.get('admin@demo.hoctap.vn');
  if (!teacher || !admin) return;
  const byTitle = new Map((await db.selectFrom('resources').select(['id', 'title']).execute()).map((r) => [r.title, r.id]));
  const contentDir = path.resolve(process.cwd(), 'content/resources');
  const all: Demo[] = [...DEMOS];
  for (const [file, title, summary, year, subject] of ARTICLES) {
    const f = path.join(contentDir, file);
    if (fs.existsSync(f))
      all.push(['article', title, summary, 'thcs-bien-giang', subject, 'adult', 'cc-by', [year], { body: fs.readFileSync(f, 'utf8') }]);
  }
  for (const [i, [kind, title, summary, unitSlug, subject, level, licence, years, extra = {}]] of all.entries()) {
    const key = `oer:${slugify(title)}`;
    const seed = await getDemoSeed(db, key);
    const publishedAt = demoPublishedAt(years, i);
    let id = seed?.refId ?? byTitle.get(title);
    let detail: Record<string, unknown> = seed?.detail ?? {};
    if (id && !(await db.selectFrom('resources').select('id').where('id', '=', id).executeTakeFirst())) id = undefined; // deleted since
    if (!id) {
      const unitId = units.get(unitSlug);
      if (!unitId) continue;
      const author = unitSlug === 'thcs-bien-giang' ? teacher : admin;
      let files: ResourceFiles = {};
      detail = {};
      if (kind === 'video') {
        const v = await storeDemoVideo(title);
        files = v.files;
        detail = { video: v.source, mediaKey: v.files.media!.key };
      }
      id = unwrap(
        await createResource(
          db,
          author,
          {
            unitId,
            kind,
            title,
            summary,
            authors: author === teacher ? 'Nguyễn Thu Hà' : 'Nhóm biên soạn học liệu mở',
            subject,
            level,
            language: 'vi',
            licence,
            rightsHolder: null,
            years,
            durationSeconds: kind === 'video' ? DEMO_VIDEO_SECONDS : extra.minutes ? extra.minutes * 60 : null,
            pageCount: extra.pages ?? null,
            bodyMd: extra.body ?? '',
            hlsUrl: extra.hls ?? null,
            externalUrl: extra.url ?? null,
            chapters: kind === 'video' ? '00:00 Mở đầu\n00:03 Thói quen đọc\n00:06 Con đường tự học' : '',
          },
          files,
        ),
      );
      unwrap(await submitResource(db, author, id));
      unwrap(await reviewResource(db, admin, id, 'publish', ''));
    } else if (kind === 'video') {
      detail = await upgradeDemoVideo(db, id, title, detail);
    }
    await putDemoSeed(db, key, id, detail);
    if (publishedAt) await setDemoDate(db, id, publishedAt);
  }
}

/**
 * Gives an existing demo e-lecture a local video when it still streams the external test server,
 * or replaces the committed video by its own title card once ffmpeg is there. Left alone when its
 * video is not the one the seed gave it (a teacher replaced it).
 */
async function upgradeDemoVideo(db: DB, id: string, title: string, detail: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await db
    .selectFrom('resources')
    .select(['media_key', 'hls_url', 'captions_key'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const onTestStream = !r.media_key && r.hls_url === OLD_TEST_STREAM;
  const onCommitted = detail.video === 'committed' && r.media_key != null && r.media_key === detail.mediaKey && hasFfmpeg();
  if (!onTestStream && !onCommitted) return r.media_key && !detail.mediaKey ? { ...detail, video: 'own', mediaKey: r.media_key } : detail;
  const v = await storeDemoVideo(title);
  if (onCommitted && v.source === 'committed') return detail; // ffmpeg failed: nothing better to give
  const m = v.files.media!;
  await db
    .updateTable('resources')
    .set({
      media_key: m.key,
      media_type: m.mime,
      media_size: m.size,
      media_name: m.name,
      hls_url: null,
      captions_key: r.captions_key ?? v.files.captionsKey ?? null,
      duration_seconds: DEMO_VIDEO_SECONDS,
    })
    .where('id', '=', id)
    .execute();
  return { video: v.source, mediaKey: m.key };
}

/** Dates a demo resource as its content's own (see demoPublishedAt) while nobody has edited it (version 1). */
async function setDemoDate(db: DB, id: string, publishedAt: string): Promise<void> {
  const r = await db.selectFrom('resources').select(['published_at', 'version', 'status']).where('id', '=', id).executeTakeFirst();
  if (!r || r.status !== 'published' || r.version !== 1 || r.published_at === publishedAt) return;
  await db.updateTable('resources').set({ published_at: publishedAt, created_at: publishedAt }).where('id', '=', id).execute();
  await reindex(db, id);
}
