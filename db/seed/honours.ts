/**
 * Demo honour roll (issue #16 item 6): 2024 nominations in Biên Giang — a school's exemplary
 * teacher and a student (with a parent's consent) approved by the ward, a learning family
 * approved by Hà Đông district (the ward's parent in the 2024 tree), a community club awaiting
 * the ward's decision, and a draft. Adds the school's own organiser account. Idempotent: nothing
 * is added when the demo's first nomination exists.
 */
import { grantRole, hasAnyRole, signUp } from '../../app/domain/accounts.server';
import { createNomination, decideNomination, type NominationInput, submitNomination } from '../../app/domain/honours/nominations.server';
import type { DB } from '../connection';
import { DEMO_PASSWORD } from './accounts';

export const SCHOOL_ORGANISER = 'bantochuc.thcsbiengiang@demo.hoctap.vn';

export async function seedHonours(db: DB, units: Map<string, string>, users: Map<string, string>): Promise<void> {
  const school = units.get('thcs-bien-giang');
  const ward = units.get('bien-giang');
  const clc = units.get('tthtcd-bien-giang');
  const primary = units.get('th-bien-giang');
  const wardOrg = users.get('bantochuc.biengiang@demo.hoctap.vn');
  const cityOrg = users.get('bantochuc.hanoi@demo.hoctap.vn');
  if (!school || !ward || !clc || !primary || !wardOrg || !cityOrg) return;
  if (!(await db.selectFrom('weeks').select('year').where('year', '=', 2024).executeTakeFirst())) return;
  if (
    await db
      .selectFrom('honour_nominations')
      .select('id')
      .where('week_year', '=', 2024)
      .where('nominee_name', '=', 'Nguyễn Thị Thu')
      .executeTakeFirst()
  )
    return;

  let schoolOrg = (await db.selectFrom('users').select('id').where('email', '=', SCHOOL_ORGANISER).executeTakeFirst())?.id;
  if (!schoolOrg) {
    const r = await signUp(db, {
      email: SCHOOL_ORGANISER,
      password: DEMO_PASSWORD,
      displayName: 'Ban tổ chức Trường THCS Biên Giang',
      birthYear: 1978,
      homeUnitId: school,
      locale: 'vi',
    });
    if (!r.ok) return;
    schoolOrg = r.userId;
  }
  if (!(await hasAnyRole(db, schoolOrg, ['organiser'], school)))
    await grantRole(db, { userId: schoolOrg, unitId: school, role: 'organiser', grantedBy: null });

  const base = { weekYear: 2024, nomineeEmail: null, nomineeBirthYear: null, consent: false, consentBy: null, evidence: [] };
  const at = (d: string) => new Date(`${d}T03:00:00.000Z`);
  const make = async (by: string, input: NominationInput, submitOn: string | null, approver: string | null, decideOn: string) => {
    const c = await createNomination(db, by, input, at('2024-10-07'));
    if (!c.ok) throw new Error(`demo honour: ${c.code}`);
    if (!submitOn) return;
    await submitNomination(db, by, c.value.id, at(submitOn));
    if (approver) {
      const d = await decideNomination(db, approver, c.value.id, { decision: 'approve' }, at(decideOn));
      if (!d.ok) throw new Error(`demo honour decision: ${d.code}`);
    }
  };

  await make(
    schoolOrg,
    {
      ...base,
      unitId: school,
      category: 'self_learner',
      nomineeName: 'Nguyễn Thị Thu',
      nomineeEmail: 'thu.nguyen@demo.hoctap.vn',
      nomineeBirthYear: 1979,
      headline: 'Tự học chuyển đổi số, xây dựng 40 bài giảng điện tử dùng chung',
      citationMd:
        'Cô **Nguyễn Thị Thu**, giáo viên Ngữ văn, tự học thiết kế bài giảng điện tử và chia sẻ **40 bài giảng** lên kho học liệu mở của trường.\n\n- Hướng dẫn 12 đồng nghiệp dùng học liệu số\n- Duy trì giờ đọc sách 15 phút đầu buổi cho lớp chủ nhiệm',
      evidence: [
        { url: 'https://thcsbiengiang.edu.vn/tin-tuc/tuan-le-hoc-tap-suot-doi-2024', label: 'Tin trên cổng thông tin của trường' },
      ],
    },
    '2024-10-08',
    wardOrg,
    '2024-10-10',
  );
  await make(
    schoolOrg,
    {
      ...base,
      unitId: school,
      category: 'self_learner',
      nomineeName: 'Lê Minh An',
      nomineeBirthYear: 2012,
      consent: true,
      consentBy: 'Lê Văn Hùng (bố)',
      headline: 'Đọc 52 cuốn sách trong năm học, lập tủ sách lớp 6A',
      citationMd: 'Em **Lê Minh An** (lớp 6A) đọc 52 cuốn sách và cùng các bạn lập tủ sách lớp học với hơn 200 đầu sách quyên góp.',
    },
    '2024-10-08',
    wardOrg,
    '2024-10-10',
  );
  await make(
    wardOrg,
    {
      ...base,
      unitId: ward,
      category: 'learning_family',
      nomineeName: 'Gia đình ông Nguyễn Văn Bình',
      headline: 'Ba thế hệ cùng đọc sách mỗi tối, tủ sách gia đình mở cho hàng xóm',
      citationMd:
        'Gia đình ông **Nguyễn Văn Bình** (tổ dân phố 5) duy trì giờ đọc sách chung mỗi tối; tủ sách gia đình hơn 600 cuốn mở cho thiếu nhi trong tổ dân phố mượn.',
    },
    '2024-10-09',
    cityOrg,
    '2024-10-15',
  );
  await make(
    wardOrg,
    {
      ...base,
      unitId: clc,
      category: 'collective',
      nomineeName: 'Câu lạc bộ đọc sách liên thế hệ Biên Giang',
      headline: 'Tổ chức 24 buổi đọc và chia sẻ sách giữa ông bà và các cháu',
      citationMd: 'Câu lạc bộ do Trung tâm học tập cộng đồng phường duy trì, mỗi buổi có 30–40 người tham gia.',
    },
    '2024-10-09',
    null,
    '',
  );
  await make(
    wardOrg,
    {
      ...base,
      unitId: primary,
      category: 'learning_unit',
      nomineeName: 'Trường Tiểu học Biên Giang',
      headline: 'Thư viện thân thiện, mượn sách số cho học sinh',
      citationMd: '',
    },
    null,
    null,
    '',
  );
}
