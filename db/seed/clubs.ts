/**
 * Demo reading clubs, so a newcomer sees living clubs on first start: an intergenerational club at
 * Biên Giang's community learning centre reading a demo library book, a school club at Biên Giang
 * secondary school (with the school's reading-time rule and a Week challenge), an online club on
 * digital citizenship, and a club in Thái Nguyên reading a paper book. Each has a schedule with
 * milestones (and their threads), an upcoming meeting, a closed book poll and reading logs.
 *
 * Built through the clubs' own domain functions; dates are relative to the day of seeding.
 * Idempotent: a club that already exists (same name in the same unit) is left as it is.
 */
import '../../app/domain/places.server';

import { approveClub, createClub, joinClub } from '../../app/domain/clubs/clubs.server';
import { createMeeting } from '../../app/domain/clubs/meetings.server';
import { castBallot, closePoll, createPoll, pollOptions } from '../../app/domain/clubs/polls.server';
import { createChallenge, joinChallenge, logReading, setReadingRule } from '../../app/domain/clubs/reading.server';
import { addMilestone, markProgress, setCurrentBook } from '../../app/domain/clubs/schedule.server';
import { joinShelf } from '../../app/domain/library/shelves.server';
import { todayInVietnam } from '../../app/lib/dates';
import type { DB } from '../connection';

const DAY = 86_400_000;

type Part = { label: string; startChapter?: string; fromPage?: number; toPage?: number; inDays: number; questions?: string[] };
type DemoClub = {
  unit: string;
  by: string;
  /** A citizen's or librarian's proposal under their home unit, approved by this organiser. */
  approver?: string;
  name: string;
  description: string;
  audience: 'children' | 'youth' | 'adult' | 'all';
  visibility: 'public' | 'request' | 'code';
  intergenerational: boolean;
  members: string[];
  book: { slug: string } | { title: string; author: string; pages: number };
  parts: Part[];
  /** How many parts each member has finished. */
  progress?: Record<string, number>;
  meeting: { title: string; inDays: number; hour: number; online?: string; place?: string; capacity: number | null; agenda: string };
  poll: { question: string; options: string[]; ballots: Record<string, number[]> };
  logs: Array<[email: string, daysAgo: number, minutes: number, what: string | null]>;
};

const ONGBA = 'ongba@demo.hoctap.vn';
const LAN = 'nguoidan@demo.hoctap.vn';
const AN = 'hocsinh@demo.hoctap.vn';
const HA = 'giaovien@demo.hoctap.vn';
const THUTHU = 'thuthu@demo.hoctap.vn';

const CLUBS: DemoClub[] = [
  {
    unit: 'tthtcd-bien-giang',
    by: THUTHU,
    approver: 'bantochuc.biengiang@demo.hoctap.vn',
    name: 'CLB Ông bà và cháu cùng đọc',
    description:
      'Câu lạc bộ đọc sách **liên thế hệ** của Trung tâm học tập cộng đồng phường Biên Giang: ông bà, cha mẹ và các cháu cùng đọc một cuốn sách của thư viện số, mỗi tháng gặp nhau một buổi ở thư viện trung tâm.',
    audience: 'all',
    visibility: 'public',
    intergenerational: true,
    members: [LAN, ONGBA, AN],
    book: { slug: 'doc-sach-cung-chau' },
    parts: [
      {
        label: 'Mỗi ngày mười lăm phút',
        startChapter: 'Mỗi ngày mười lăm phút',
        inDays: 7,
        questions: ['Nhà mình có thể dành mười lăm phút đọc sách vào lúc nào trong ngày?'],
      },
      {
        label: 'Đặt câu hỏi hay',
        startChapter: 'Đặt câu hỏi hay',
        inDays: 14,
        questions: ['Câu hỏi nào ông bà muốn cháu hỏi mình nhất?'],
      },
      { label: 'Lập câu lạc bộ', startChapter: 'Lập câu lạc bộ đọc sách ở khu dân cư', inDays: 21 },
    ],
    progress: { [LAN]: 1 },
    meeting: {
      title: 'Buổi đọc chung tháng này',
      inDays: 10,
      hour: 8,
      place: 'Thư viện Trung tâm học tập cộng đồng phường Biên Giang',
      capacity: 20,
      agenda: '- Mỗi gia đình đọc to một đoạn\n- Trò chuyện về câu hỏi của phần 1',
    },
    poll: {
      question: 'Tháng sau cả nhà cùng đọc truyện nào?',
      options: ['Tấm Cám', 'Sơn Tinh, Thủy Tinh', 'Cây tre trăm đốt'],
      ballots: { [LAN]: [0, 2], [ONGBA]: [2, 0], [AN]: [0] },
    },
    logs: [
      [ONGBA, 1, 20, 'Đọc sách cùng cháu'],
      [ONGBA, 2, 15, 'Truyện cổ tích Việt Nam'],
      [LAN, 1, 30, 'Đọc sách cùng cháu'],
      [AN, 1, 25, 'Thánh Gióng'],
    ],
  },
  {
    unit: 'thcs-bien-giang',
    by: HA,
    name: 'CLB Đọc sách lớp 7A1',
    description:
      'Câu lạc bộ đọc sách của học sinh Trường THCS Biên Giang: đọc truyện dân gian, thảo luận theo từng phần, giờ đọc sách ở trường mỗi sáng.',
    audience: 'children',
    visibility: 'code',
    intergenerational: false,
    members: [AN],
    book: { slug: 'tam-cam' },
    parts: [
      { label: 'Giỏ tép', startChapter: 'Giỏ tép', inDays: 5, questions: ['Vì sao Tấm khóc khi mất giỏ tép?'] },
      { label: 'Con bống', startChapter: 'Con bống', inDays: 10 },
      { label: 'Quả thị', startChapter: 'Quả thị', inDays: 15 },
    ],
    progress: { [AN]: 1 },
    meeting: {
      title: 'Giờ đọc chung thứ Sáu',
      inDays: 4,
      hour: 7,
      place: 'Thư viện Trường THCS Biên Giang',
      capacity: 40,
      agenda: 'Đọc diễn cảm đoạn Tấm gặp bống.',
    },
    poll: {
      question: 'Học kỳ này lớp mình đọc thêm truyện nào?',
      options: ['Thánh Gióng', 'Sự tích trầu cau', 'Con Rồng cháu Tiên'],
      ballots: { [AN]: [1, 0] },
    },
    logs: [
      [AN, 3, 15, 'Tấm Cám'],
      [AN, 2, 20, 'Tấm Cám'],
    ],
  },
  {
    unit: 'ha-noi',
    by: 'bantochuc.hanoi@demo.hoctap.vn',
    name: 'CLB Công dân số trực tuyến',
    description:
      'Câu lạc bộ đọc trực tuyến về **công dân số**: an toàn trên mạng, dịch vụ công trực tuyến, ứng xử văn minh trên không gian mạng. Gặp nhau qua mạng mỗi tối thứ Năm.',
    audience: 'adult',
    visibility: 'public',
    intergenerational: false,
    members: [LAN, ONGBA],
    book: { slug: 'an-toan-tren-mang' },
    parts: [
      { label: 'Phần đầu', inDays: 7, questions: ['Bạn đã từng nhận tin nhắn lừa đảo nào? Bạn làm gì khi đó?'] },
      { label: 'Phần cuối', inDays: 14 },
    ],
    meeting: {
      title: 'Thảo luận trực tuyến: mật khẩu và mã OTP',
      inDays: 3,
      hour: 20,
      online: 'https://meet.jit.si/clb-cong-dan-so-demo',
      capacity: null,
      agenda: 'Chia sẻ kinh nghiệm giữ an toàn tài khoản cho người lớn tuổi.',
    },
    poll: {
      question: 'Chủ đề đọc tháng tới?',
      options: ['Dịch vụ công trực tuyến', 'Nhận diện tin giả', 'Thanh toán số an toàn'],
      ballots: { [LAN]: [1, 0], [ONGBA]: [0, 1] },
    },
    logs: [[LAN, 4, 20, 'An toàn trên mạng']],
  },
  {
    unit: 'thu-vien-thai-nguyen',
    by: 'bantochuc.thainguyen@demo.hoctap.vn',
    name: 'CLB Bạn đọc Thái Nguyên',
    description: 'Câu lạc bộ bạn đọc của Thư viện tỉnh Thái Nguyên: đọc sách giấy và sách điện tử, gặp mặt tại thư viện vào sáng Chủ nhật.',
    audience: 'all',
    visibility: 'request',
    intergenerational: true,
    members: [],
    book: { title: 'Dế Mèn phiêu lưu ký', author: 'Tô Hoài', pages: 144 },
    parts: [
      { label: 'Chương 1–3', fromPage: 1, toPage: 52, inDays: 10, questions: ['Bài học đầu đời của Dế Mèn là gì?'] },
      { label: 'Chương 4–7', fromPage: 53, toPage: 101, inDays: 20 },
      { label: 'Chương 8–10', fromPage: 102, toPage: 144, inDays: 30 },
    ],
    meeting: {
      title: 'Gặp mặt bạn đọc sáng Chủ nhật',
      inDays: 6,
      hour: 9,
      place: 'Thư viện tỉnh Thái Nguyên, phòng đọc tầng 2',
      capacity: 30,
      agenda: 'Giới thiệu sách và trò chuyện về chương 1–3.',
    },
    poll: {
      question: 'Cuốn tiếp theo của câu lạc bộ?',
      options: ['Đất rừng phương Nam', 'Tuổi thơ dữ dội'],
      ballots: {},
    },
    logs: [],
  },
];

function vnDay(offsetDays: number, now: Date): string {
  return todayInVietnam(new Date(now.getTime() + offsetDays * DAY));
}

/** hh:00 in Vietnam, `inDays` days from now, as an ISO instant. */
function vnAt(inDays: number, hour: number, now: Date): string {
  return new Date(`${vnDay(inDays, now)}T${String(hour).padStart(2, '0')}:00:00+07:00`).toISOString();
}

export async function seedClubs(db: DB, units: Map<string, string>, users: Map<string, string>): Promise<void> {
  const now = new Date();
  for (const c of CLUBS) {
    const unitId = units.get(c.unit);
    const by = users.get(c.by);
    if (!unitId || !by) continue;
    if (await db.selectFrom('club_clubs').select('id').where('name', '=', c.name).where('unit_id', '=', unitId).executeTakeFirst())
      continue;
    const made = await createClub(db, by, {
      unitId,
      name: c.name,
      descriptionMd: c.description,
      language: 'vi',
      audience: c.audience,
      visibility: c.visibility,
      intergenerational: c.intergenerational,
      weekYear: null,
    });
    if (!made.ok) continue;
    const clubId = made.value.id;
    const approver = c.approver ? users.get(c.approver) : undefined;
    if (made.value.status === 'pending' && approver) await approveClub(db, approver, clubId);
    const code = (await db.selectFrom('club_clubs').select('join_code').where('id', '=', clubId).executeTakeFirstOrThrow()).join_code;
    for (const email of c.members) {
      const u = users.get(email);
      if (!u) continue;
      await joinClub(db, u, clubId, code ?? undefined);
      // By-request clubs: the moderator accepted them.
      await db.updateTable('club_members').set({ status: 'active' }).where('club_id', '=', clubId).where('user_id', '=', u).execute();
    }

    let bookSet = false;
    if ('slug' in c.book) {
      const t = await db.selectFrom('lib_titles').select('id').where('slug', '=', c.book.slug).executeTakeFirst();
      if (t) bookSet = (await setCurrentBook(db, by, clubId, { titleId: t.id })).ok;
    } else {
      bookSet = (await setCurrentBook(db, by, clubId, c.book)).ok;
    }
    if (bookSet) {
      for (const p of c.parts)
        await addMilestone(
          db,
          by,
          clubId,
          {
            label: p.label,
            startChapter: p.startChapter ?? null,
            fromPage: p.fromPage ?? null,
            toPage: p.toPage ?? null,
            targetOn: vnDay(p.inDays, now),
            questions: p.questions ?? [],
          },
          now,
        );
      for (const [email, n] of Object.entries(c.progress ?? {})) {
        const u = users.get(email);
        if (u) await markProgress(db, u, clubId, n);
      }
    }

    const m = c.meeting;
    await createMeeting(db, by, clubId, {
      title: m.title,
      mode: m.online ? 'online' : 'in_person',
      link: m.online ?? null,
      place: m.place ?? null,
      startsAt: vnAt(m.inDays, m.hour, now),
      endsAt: vnAt(m.inDays, m.hour + 1, now),
      agendaMd: m.agenda,
      capacity: m.capacity,
    });

    // A poll that has already run to a winner.
    const poll = await createPoll(db, by, clubId, {
      question: c.poll.question,
      closesAt: new Date(now.getTime() + DAY).toISOString(),
      options: c.poll.options.map((label) => ({ label })),
    });
    if (poll.ok) {
      const opts = await pollOptions(db, poll.value.id);
      for (const [email, ranks] of Object.entries(c.poll.ballots)) {
        const u = users.get(email);
        if (u)
          await castBallot(
            db,
            u,
            poll.value.id,
            ranks.map((i) => opts[i]!.id),
          );
      }
      await closePoll(db, poll.value.id, { userId: by });
    }

    for (const [email, daysAgo, minutes, what] of c.logs) {
      const u = users.get(email);
      if (u) await logReading(db, u, { readOn: vnDay(-daysAgo, now), minutes, outsideTitle: what, clubId }, now);
    }
  }

  // The school's reading-time rule (15 minutes each school day), a Week challenge, and the
  // student on class 7A1's bookshelf so the teacher can record class reading sessions.
  const school = units.get('thcs-bien-giang');
  const teacher = users.get(HA);
  const student = users.get(AN);
  if (school && teacher) {
    if (!(await db.selectFrom('school_reading_rules').select('unit_id').where('unit_id', '=', school).executeTakeFirst()))
      await setReadingRule(db, teacher, school, { minutes: 15, period: 'day', weekdays: [1, 2, 3, 4, 5] });
    const name = '20 phút mỗi ngày trong Tuần lễ học tập suốt đời';
    if (!(await db.selectFrom('reading_challenges').select('id').where('name', '=', name).executeTakeFirst())) {
      const ch = await createChallenge(db, teacher, {
        unitId: school,
        name,
        kind: 'minutes_per_day',
        target: 20,
        startsOn: vnDay(-3, now),
        endsOn: vnDay(4, now),
      });
      if (ch.ok && student) await joinChallenge(db, student, ch.value.id, now);
    }
    if (student) await joinShelf(db, student, 'LOP7A1');
  }
}
