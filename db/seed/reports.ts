/**
 * Demo Week report (issue #16): the Ministry's 2024 results report, built from the seeds' list of
 * what a unit reports (opening ceremony held, activities by kind, participants by group, books
 * lent, online learners, contest entrants, exemplary learners commended, budget), applied to the
 * provinces, districts and wards of the 2024 tree. Two organisers of the 2024 tree (Hà Đông
 * district, Vạn Phúc ward) are added so the chain can be shown; Vạn Phúc's report is submitted and
 * accepted, Tân Thịnh's and Ghềnh Ráng's submitted; Biên Giang's is left for its organiser to fill.
 * Idempotent: nothing is added when the form exists.
 */
import { grantRole, signUp } from '../../app/domain/accounts.server';
import { reportAccessFor } from '../../app/domain/reports/access.server';
import { defineForm, type FormSpec, formTree } from '../../app/domain/reports/forms.server';
import { reviewReport, saveReport } from '../../app/domain/reports/reports.server';
import { unwrap } from '../../app/lib/result';
import type { DB } from '../connection';
import { DEMO_PASSWORD } from './accounts';

export const REPORT_2024_SLUG = 'ket-qua-tuan-le';

export function report2024Spec(ownerUnitId: string): FormSpec {
  return {
    year: 2024,
    slug: REPORT_2024_SLUG,
    ownerUnitId,
    titleVi: 'Báo cáo kết quả tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2024',
    titleEn: 'Results of the 2024 Lifelong Learning Week',
    appliesTo: ['province', 'district', 'ward'],
    // The Ministry's date (seed 001: "report to the Ministry by 30/10"); the lock date is kept
    // open in the demo so the 2024 report can still be tried.
    deadline: '2024-10-30',
    lockDate: '2027-12-31',
    docCode: 'BC-UBND',
    sections: [
      {
        titleVi: 'Tổ chức Tuần lễ',
        titleEn: 'Organising the Week',
        indicators: [
          {
            code: 'opening_held',
            labelVi: 'Đã tổ chức lễ khai mạc',
            labelEn: 'Opening ceremony held',
            type: 'bool',
            source: 'opening.held',
          },
          { code: 'activities_total', labelVi: 'Tổng số hoạt động', labelEn: 'Activities in all', type: 'count', source: 'activities.all' },
          {
            code: 'activities_talk',
            labelVi: 'Tọa đàm, giới thiệu sách',
            labelEn: 'Talks and book introductions',
            type: 'count',
            source: 'activities.talk',
          },
          {
            code: 'activities_exhibition',
            labelVi: 'Triển lãm, trưng bày',
            labelEn: 'Exhibitions',
            type: 'count',
            source: 'activities.exhibition',
          },
          {
            code: 'activities_training',
            labelVi: 'Lớp bồi dưỡng, tập huấn',
            labelEn: 'Training classes',
            type: 'count',
            source: 'activities.training',
          },
          {
            code: 'activities_contest',
            labelVi: 'Cuộc thi, sân chơi',
            labelEn: 'Contests and games',
            type: 'count',
            source: 'activities.contest',
          },
          {
            code: 'activities_outreach',
            labelVi: 'Hoạt động tuyên truyền',
            labelEn: 'Outreach activities',
            type: 'count',
            source: 'activities.outreach',
          },
        ],
      },
      {
        titleVi: 'Người tham gia',
        titleEn: 'Participants',
        indicators: [
          { code: 'participants_total', labelVi: 'Tổng số lượt người tham gia', labelEn: 'Participants in all', type: 'count' },
          { code: 'participants_students', labelVi: 'Học sinh, sinh viên', labelEn: 'Students', type: 'count' },
          { code: 'participants_teachers', labelVi: 'Cán bộ, giáo viên', labelEn: 'Staff and teachers', type: 'count' },
          { code: 'participants_citizens', labelVi: 'Người dân', labelEn: 'Citizens', type: 'count' },
        ],
      },
      {
        titleVi: 'Đọc sách và học tập trực tuyến',
        titleEn: 'Reading and online learning',
        indicators: [
          { code: 'books_lent', labelVi: 'Lượt sách cho mượn', labelEn: 'Books lent', type: 'count', source: 'loans' },
          {
            code: 'reading_minutes',
            labelVi: 'Số phút đọc sách',
            labelEn: 'Reading minutes',
            type: 'count',
            source: 'reading.minutes',
          },
          {
            code: 'online_learners',
            labelVi: 'Người học trực tuyến',
            labelEn: 'Online learners',
            type: 'count',
            source: 'online.learners',
          },
          {
            code: 'course_completions',
            labelVi: 'Lượt hoàn thành khóa học',
            labelEn: 'Course completions',
            type: 'count',
            source: 'course.completions',
          },
          {
            code: 'club_meetings',
            labelVi: 'Buổi sinh hoạt câu lạc bộ đọc',
            labelEn: 'Reading club meetings',
            type: 'count',
            source: 'club.meetings',
          },
          {
            code: 'resources_published',
            labelVi: 'Học liệu mở được công bố',
            labelEn: 'Open resources published',
            type: 'count',
            source: 'resources.published',
          },
        ],
      },
      {
        titleVi: 'Cuộc thi và tôn vinh',
        titleEn: 'Contests and commendations',
        indicators: [
          { code: 'contest_entrants', labelVi: 'Người dự thi', labelEn: 'Contest entrants', type: 'count', source: 'contest.entrants' },
          { code: 'contest_winners', labelVi: 'Người đạt giải', labelEn: 'Contest winners', type: 'count', source: 'contest.winners' },
          {
            code: 'exemplary_learners',
            labelVi: 'Tấm gương tự học được khen thưởng',
            labelEn: 'Exemplary learners commended',
            type: 'count',
            source: 'honours.commended',
          },
        ],
      },
      {
        titleVi: 'Kinh phí và đánh giá',
        titleEn: 'Budget and assessment',
        indicators: [
          { code: 'budget_vnd', labelVi: 'Kinh phí tổ chức (đồng)', labelEn: 'Budget (VND)', type: 'vnd' },
          { code: 'highlights', labelVi: 'Kết quả nổi bật', labelEn: 'Highlights', type: 'text' },
          { code: 'difficulties', labelVi: 'Khó khăn, kiến nghị', labelEn: 'Difficulties and proposals', type: 'text' },
        ],
      },
    ],
    rules: [
      { left: 'participants_total', op: '>=', right: 'activities_total' },
      { left: 'participants_total', op: '>=', right: 'participants_students' },
      { left: 'contest_entrants', op: '>=', right: 'contest_winners' },
    ],
  };
}

const EXTRA_ACCOUNTS = [
  { email: 'bantochuc.hadong@demo.hoctap.vn', name: 'Ban tổ chức quận Hà Đông (2024)', home: 'ha-dong', unit: 'ha-dong' },
  { email: 'bantochuc.vanphuc@demo.hoctap.vn', name: 'Ban tổ chức phường Vạn Phúc (2024)', home: 'van-phuc', unit: 'van-phuc' },
];

function typed(values: Record<string, number | string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`v_${k}`, String(v)]));
}

const WARD_FIGURES = (scale: number) => ({
  opening_held: 1,
  activities_total: 4 * scale,
  activities_talk: scale,
  activities_exhibition: 1,
  activities_training: scale,
  activities_contest: 1,
  activities_outreach: 1,
  participants_total: 350 * scale,
  participants_students: 200 * scale,
  participants_teachers: 30 * scale,
  participants_citizens: 120 * scale,
  books_lent: 90 * scale,
  reading_minutes: 1500 * scale,
  online_learners: 40 * scale,
  course_completions: 12 * scale,
  club_meetings: 2 * scale,
  resources_published: 3,
  contest_entrants: 60 * scale,
  contest_winners: 5,
  exemplary_learners: 3,
  budget_vnd: 8_500_000 * scale,
  highlights: 'Ngày hội đọc sách tại nhà văn hóa khu dân cư; câu lạc bộ đọc sách liên thế hệ.',
  difficulties: 'Kinh phí hạn chế.',
});

export async function seedReports(db: DB, units: Map<string, string>, users: Map<string, string>): Promise<void> {
  const owner = units.get('bo-gddt');
  const admin = users.get('admin@demo.hoctap.vn');
  if (!owner || !admin) return;
  const week = await db.selectFrom('weeks').select('year').where('year', '=', 2024).executeTakeFirst();
  if (!week) return;
  const exists = await db
    .selectFrom('report_forms')
    .select('id')
    .where('week_year', '=', 2024)
    .where('slug', '=', REPORT_2024_SLUG)
    .executeTakeFirst();
  if (exists) return;
  const ids = new Map(users);
  for (const a of EXTRA_ACCOUNTS) {
    let id = (await db.selectFrom('users').select('id').where('email', '=', a.email).executeTakeFirst())?.id;
    if (!id) {
      const r = await signUp(db, {
        email: a.email,
        password: DEMO_PASSWORD,
        displayName: a.name,
        birthYear: 1976,
        homeUnitId: units.get(a.home) ?? null,
        locale: 'vi',
      });
      if (!r.ok) continue;
      id = r.userId;
    }
    ids.set(a.email, id);
    const unitId = units.get(a.unit);
    // The 2024 unit itself (dissolved since 01/07/2025): its organisers answer for its 2024 report.
    if (unitId) await grantRole(db, { userId: id, unitId, role: 'organiser', grantedBy: null });
  }
  const form = unwrap(await defineForm(db, admin, report2024Spec(owner)));
  const tree = await formTree(db, form);
  const on = new Date('2024-10-18T03:00:00Z');
  const submit = async (unitSlug: string, email: string, scale: number) => {
    const unitId = units.get(unitSlug);
    const userId = ids.get(email);
    if (!unitId || !userId) return;
    const a = await reportAccessFor(db, form, tree, unitId, userId);
    if (a.status !== 'ok' || !a.canEdit) return;
    await saveReport(db, a, { intent: 'submit', version: 0, raw: typed(WARD_FIGURES(scale)) }, on);
  };
  await submit('van-phuc', 'bantochuc.vanphuc@demo.hoctap.vn', 1);
  await submit('ghenh-rang', 'bantochuc.binhdinh@demo.hoctap.vn', 1);
  // Hà Đông district accepts Vạn Phúc's report.
  const vanPhuc = units.get('van-phuc');
  const reviewer = ids.get('bantochuc.hadong@demo.hoctap.vn');
  if (vanPhuc && reviewer) {
    const a = await reportAccessFor(db, form, tree, vanPhuc, reviewer);
    if (a.status === 'ok') await reviewReport(db, a, 'accept', '', new Date('2024-10-20T03:00:00Z'));
  }
}
