import '../../app/domain/places.server';

import { indexPost } from '../../app/domain/discussion/search.server';
import { newId } from '../../app/lib/ids.server';
import { renderMarkdown } from '../../app/lib/markdown.server';
import type { DB } from '../connection';

type Post = [email: string, body: string];
type Thread = { title: string; posts: Post[]; pinned?: boolean };
type Cat = {
  slug: string;
  unit: string;
  name: string;
  description: string;
  visibility: 'public' | 'members';
  week?: number;
  threads: Thread[];
};

const LAN = 'nguoidan@demo.hoctap.vn';
const HA = 'giaovien@demo.hoctap.vn';
const BINH = 'ongba@demo.hoctap.vn';
const THUTHU = 'thuthu@demo.hoctap.vn';
const BTC = 'bantochuc.biengiang@demo.hoctap.vn';

const CATEGORIES: Cat[] = [
  {
    slug: 'cong-dan-so',
    unit: 'bo-gddt',
    name: 'Công dân số',
    description: 'Kỹ năng số, dịch vụ công trực tuyến và ứng xử văn minh trên không gian mạng.',
    visibility: 'public',
    threads: [
      {
        title: 'Làm sao hướng dẫn bố mẹ dùng VNeID và dịch vụ công trực tuyến?',
        posts: [
          [
            LAN,
            'Bố mẹ tôi đã ngoài 70, muốn tự nộp hồ sơ trên **Cổng dịch vụ công** nhưng còn ngại. Mọi người hướng dẫn người lớn tuổi thế nào cho dễ nhớ?',
          ],
          [
            HA,
            'Tôi thường in một tờ giấy ghi từng bước, chữ to, kèm ảnh chụp màn hình. Quan trọng nhất là dặn **không đọc mã OTP cho bất kỳ ai**.',
          ],
          [BINH, 'Tôi 74 tuổi, con cháu chỉ ba lần là nhớ. Cứ từ từ, làm cùng vài lần là quen.'],
        ],
      },
      {
        title: 'Chia sẻ mẹo học kỹ năng số miễn phí',
        posts: [
          [HA, 'Các khoá học trên mục *Khóa học* của nền tảng này đều miễn phí, có chứng nhận khi hoàn thành. Bạn đã học khoá nào rồi?'],
        ],
      },
    ],
  },
  {
    slug: 'cong-dan-toan-cau',
    unit: 'bo-gddt',
    name: 'Công dân toàn cầu',
    description: 'Ngoại ngữ, hiểu biết về thế giới và trách nhiệm chung với cộng đồng quốc tế.',
    visibility: 'public',
    threads: [
      {
        title: 'Tự học tiếng Anh ở tuổi trung niên: bắt đầu từ đâu?',
        posts: [
          [LAN, 'Tôi 40 tuổi, muốn học lại tiếng Anh để đọc tài liệu công việc. Nên bắt đầu từ ngữ pháp hay từ vựng?'],
          [HA, 'Bắt đầu bằng nghe và đọc những gì chị quan tâm, mỗi ngày 15 phút. Ngữ pháp học dần khi gặp.'],
        ],
      },
    ],
  },
  {
    slug: 'cong-dan-hoc-tap',
    unit: 'bo-gddt',
    name: 'Công dân học tập',
    description: 'Học tập suốt đời: kinh nghiệm tự học, mô hình gia đình học tập, dòng họ học tập.',
    visibility: 'public',
    week: 2026,
    threads: [
      {
        title: 'Gia đình học tập: nhà bạn duy trì thói quen học thế nào?',
        pinned: true,
        posts: [
          [
            BTC,
            'Hưởng ứng Tuần lễ học tập suốt đời, mời các gia đình chia sẻ cách cả nhà cùng học: giờ đọc sách chung, học nghề mới, học ngoại ngữ cùng con…',
          ],
          [BINH, 'Nhà tôi mỗi tối thứ Bảy có “giờ kể chuyện”: ông kể chuyện xưa, cháu đọc truyện mới mượn ở thư viện.'],
        ],
      },
    ],
  },
  {
    slug: 'van-hoa-doc',
    unit: 'bo-gddt',
    name: 'Văn hóa đọc',
    description: 'Giới thiệu sách hay, câu lạc bộ đọc sách, đọc cùng con cháu.',
    visibility: 'public',
    threads: [
      {
        title: 'Cuốn sách nào đã thay đổi cách bạn nhìn cuộc sống?',
        posts: [
          [THUTHU, 'Thư viện đang chọn sách cho tủ sách Tuần lễ. Mỗi người giới thiệu một cuốn và một câu vì sao nhé!'],
          [LAN, '“Dế Mèn phiêu lưu ký” — đọc lại khi làm mẹ mới thấy bài học về sự khiêm tốn.'],
          [HA, '“Đắc nhân tâm” — giúp tôi kiên nhẫn hơn với học trò.'],
        ],
      },
    ],
  },
  {
    slug: 'ky-nang-an-toan-tren-mang',
    unit: 'bo-gddt',
    name: 'Kỹ năng an toàn trên mạng',
    description: 'Nhận diện lừa đảo, bảo vệ thông tin cá nhân, an toàn cho trẻ em khi lên mạng.',
    visibility: 'public',
    threads: [
      {
        title: 'Cảnh giác tin nhắn giả mạo ngân hàng và cơ quan nhà nước',
        posts: [
          [
            HA,
            'Gần đây có nhiều tin nhắn giả mạo yêu cầu bấm đường dẫn để “cập nhật thông tin”. Nguyên tắc: **không bấm link lạ, không cung cấp OTP**, gọi tổng đài chính thức để kiểm tra.',
          ],
          [BINH, 'Tôi suýt bị lừa một lần. Cảm ơn cô đã nhắc, tôi sẽ dặn các cụ trong hội người cao tuổi.'],
        ],
      },
    ],
  },
  {
    slug: 'goc-phuong-bien-giang',
    unit: 'bien-giang',
    name: 'Góc phường Biên Giang',
    description: 'Trao đổi nội bộ của các thành viên phường Biên Giang.',
    visibility: 'members',
    threads: [
      {
        title: 'Lịch sinh hoạt câu lạc bộ đọc sách tháng này',
        posts: [[BTC, 'Câu lạc bộ họp vào 19:30 thứ Năm hằng tuần tại nhà văn hoá tổ 5.']],
      },
    ],
  },
];

/** Demo forum categories and Vietnamese threads (idempotent: a category that exists is left as is). */
export async function seedCommunity(db: DB, units: Map<string, string>, users: Map<string, string>): Promise<void> {
  let position = 0;
  const base = Date.parse('2026-11-20T02:00:00Z');
  let tick = 0;
  for (const c of CATEGORIES) {
    position++;
    const unitId = units.get(c.unit);
    if (!unitId) continue;
    if (await db.selectFrom('forum_categories').select('id').where('slug', '=', c.slug).executeTakeFirst()) continue;
    const categoryId = newId();
    await db
      .insertInto('forum_categories')
      .values({
        id: categoryId,
        slug: c.slug,
        unit_id: unitId,
        week_year: c.week && (await db.selectFrom('weeks').select('year').where('year', '=', c.week).executeTakeFirst()) ? c.week : null,
        name: c.name,
        description: c.description,
        visibility: c.visibility,
        slow_mode_s: 0,
        position,
        created_by: users.get('admin@demo.hoctap.vn') ?? null,
        created_at: new Date(base).toISOString(),
      })
      .execute();
    for (const t of c.threads) {
      const authors = t.posts.map(([e]) => users.get(e));
      if (authors.some((a) => !a)) continue;
      const threadId = newId();
      const at = (i: number) => new Date(base + (tick + i) * 3_600_000).toISOString();
      await db
        .insertInto('disc_threads')
        .values({
          id: threadId,
          place_type: 'forum',
          place_id: categoryId,
          unit_id: unitId,
          title: t.title,
          author_id: authors[0]!,
          status: 'visible',
          pinned: t.pinned ? 1 : 0,
          locked: 0,
          slow_mode_s: 0,
          last_post_no: t.posts.length,
          reply_count: t.posts.length - 1,
          created_at: at(0),
          last_post_at: at(t.posts.length - 1),
        })
        .execute();
      for (const [i, [, body]] of t.posts.entries()) {
        const postId = newId();
        await db
          .insertInto('disc_posts')
          .values({
            id: postId,
            thread_id: threadId,
            post_no: i + 1,
            author_id: authors[i]!,
            body_md: body,
            body_html: renderMarkdown(body),
            quote_of: null,
            status: 'visible',
            edit_count: 0,
            created_at: at(i),
            edited_at: null,
            removed_at: null,
          })
          .execute();
        await db
          .insertInto('disc_follows')
          .values({ thread_id: threadId, user_id: authors[i]!, created_at: at(i) })
          .onConflict((oc) => oc.columns(['thread_id', 'user_id']).doNothing())
          .execute();
        await indexPost(db, postId);
      }
      tick += t.posts.length;
    }
  }
}
