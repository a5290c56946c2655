import { grantRole, signUp } from '../../app/domain/accounts.server';
import { currentSuccessor } from '../../app/domain/units.server';
import type { DB } from '../connection';
import type { Role } from '../schema';

export const DEMO_PASSWORD = 'hoctap2024';

/** Demo accounts, one per role (listed in the README). */
export const DEMO_ACCOUNTS: Array<{ email: string; name: string; birthYear: number; home: string; roles: Array<[Role, string]> }> = [
  { email: 'admin@demo.hoctap.vn', name: 'Quản trị Bộ GDĐT', birthYear: 1980, home: 'bo-gddt', roles: [['admin', 'bo-gddt']] },
  {
    email: 'bantochuc.hanoi@demo.hoctap.vn',
    name: 'Ban tổ chức Hà Nội',
    birthYear: 1975,
    home: 'ha-noi',
    roles: [['organiser', 'ha-noi']],
  },
  {
    email: 'bantochuc.biengiang@demo.hoctap.vn',
    name: 'Ban tổ chức phường Biên Giang',
    birthYear: 1978,
    home: 'bien-giang',
    roles: [['organiser', 'bien-giang']],
  },
  {
    email: 'bantochuc.thainguyen@demo.hoctap.vn',
    name: 'Ban tổ chức tỉnh Thái Nguyên',
    birthYear: 1972,
    home: 'thai-nguyen',
    roles: [['organiser', 'thai-nguyen']],
  },
  {
    email: 'bantochuc.binhdinh@demo.hoctap.vn',
    name: 'Sở GDĐT Bình Định',
    birthYear: 1970,
    home: 'binh-dinh',
    roles: [['organiser', 'binh-dinh']],
  },
  {
    email: 'giaovien@demo.hoctap.vn',
    name: 'Cô Nguyễn Thu Hà',
    birthYear: 1988,
    home: 'thcs-bien-giang',
    roles: [['teacher', 'thcs-bien-giang']],
  },
  {
    email: 'thuthu@demo.hoctap.vn',
    name: 'Thủ thư Trần Văn Minh',
    birthYear: 1984,
    home: 'tthtcd-bien-giang',
    roles: [
      ['librarian', 'thu-vien-tthtcd-bien-giang'],
      ['librarian', 'thu-vien-thcs-bien-giang'],
    ],
  },
  {
    email: 'thuthu.hanoi@demo.hoctap.vn',
    name: 'Thủ thư Thư viện Hà Nội',
    birthYear: 1990,
    home: 'thu-vien-ha-noi',
    roles: [['librarian', 'thu-vien-ha-noi']],
  },
  { email: 'hocsinh@demo.hoctap.vn', name: 'Lê Minh An', birthYear: 2012, home: 'thcs-bien-giang', roles: [] },
  { email: 'nguoidan@demo.hoctap.vn', name: 'Phạm Thị Lan', birthYear: 1985, home: 'bien-giang', roles: [] },
  { email: 'ongba@demo.hoctap.vn', name: 'Ông Nguyễn Văn Bình', birthYear: 1952, home: 'bien-giang', roles: [] },
];

export async function seedAccounts(db: DB, units: Map<string, string>): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const a of DEMO_ACCOUNTS) {
    const existing = await db.selectFrom('users').select('id').where('email', '=', a.email).executeTakeFirst();
    let id = existing?.id;
    if (!id) {
      const r = await signUp(db, {
        email: a.email,
        password: DEMO_PASSWORD,
        displayName: a.name,
        birthYear: a.birthYear,
        homeUnitId: units.get(a.home) ?? null,
        locale: 'vi',
      });
      if (!r.ok) continue;
      id = r.userId;
    }
    ids.set(a.email, id);
    for (const [role, unit] of a.roles) {
      const unitId = units.get(unit);
      // A unit dissolved in a reorganisation: the role lives on its successor (carried over once).
      if (unitId) await grantRole(db, { userId: id, unitId: await currentSuccessor(db, unitId), role, grantedBy: null });
    }
  }
  return ids;
}
