import { createUnit } from '../../app/domain/units.server';
import type { DB } from '../connection';
import type { UnitKind } from '../schema';

type U = [slug: string, name: string, nameEn: string, kind: UnitKind, children?: U[]];

/** The demo hierarchy: the Ministry, the units of the seed documents, a few schools and libraries. */
export const DEMO_UNITS: U = [
  'bo-gddt',
  'Bộ Giáo dục và Đào tạo',
  'Ministry of Education and Training',
  'ministry',
  [
    [
      'ha-noi',
      'Thành phố Hà Nội',
      'Hà Nội',
      'province',
      [
        [
          'ha-dong',
          'Quận Hà Đông',
          'Hà Đông District',
          'district',
          [
            [
              'bien-giang',
              'Phường Biên Giang',
              'Biên Giang Ward',
              'ward',
              [
                [
                  'thcs-bien-giang',
                  'Trường THCS Biên Giang',
                  'Biên Giang Secondary School',
                  'school',
                  [
                    [
                      'thu-vien-thcs-bien-giang',
                      'Thư viện Trường THCS Biên Giang',
                      'Biên Giang Secondary School Library',
                      'school_library',
                    ],
                  ],
                ],
                ['th-bien-giang', 'Trường Tiểu học Biên Giang', 'Biên Giang Primary School', 'school'],
                ['mn-bien-giang', 'Trường Mầm non Biên Giang', 'Biên Giang Kindergarten', 'school'],
                [
                  'tthtcd-bien-giang',
                  'Trung tâm học tập cộng đồng phường Biên Giang',
                  'Biên Giang Ward Community Learning Centre',
                  'clc',
                  [
                    [
                      'thu-vien-tthtcd-bien-giang',
                      'Thư viện Trung tâm học tập cộng đồng Biên Giang',
                      'Biên Giang Community Learning Centre Library',
                      'clc_library',
                    ],
                  ],
                ],
              ],
            ],
            ['van-phuc', 'Phường Vạn Phúc', 'Vạn Phúc Ward', 'ward'],
          ],
        ],
        ['thu-vien-ha-noi', 'Thư viện Hà Nội', 'Hà Nội Library', 'public_library'],
      ],
    ],
    [
      'thai-nguyen',
      'Tỉnh Thái Nguyên',
      'Thái Nguyên Province',
      'province',
      [
        [
          'tp-thai-nguyen',
          'Thành phố Thái Nguyên',
          'Thái Nguyên City',
          'district',
          [
            [
              'tan-thinh',
              'Phường Tân Thịnh',
              'Tân Thịnh Ward',
              'ward',
              [['thcs-tan-thinh', 'Trường THCS Tân Thịnh', 'Tân Thịnh Secondary School', 'school']],
            ],
          ],
        ],
        ['dh-thai-nguyen', 'Đại học Thái Nguyên', 'Thái Nguyên University', 'university'],
        ['thu-vien-thai-nguyen', 'Thư viện tỉnh Thái Nguyên', 'Thái Nguyên Provincial Library', 'public_library'],
      ],
    ],
    [
      'binh-dinh',
      'Tỉnh Bình Định',
      'Bình Định Province',
      'province',
      [
        ['so-gddt-binh-dinh', 'Sở Giáo dục và Đào tạo Bình Định', 'Bình Định Department of Education and Training', 'organisation'],
        [
          'quy-nhon',
          'Thành phố Quy Nhơn',
          'Quy Nhơn City',
          'district',
          [
            [
              'ghenh-rang',
              'Phường Ghềnh Ráng',
              'Ghềnh Ráng Ward',
              'ward',
              [['thpt-quoc-hoc-quy-nhon', 'Trường THPT Quốc Học Quy Nhơn', 'Quốc Học Quy Nhơn High School', 'school']],
            ],
          ],
        ],
        ['dh-quy-nhon', 'Trường Đại học Quy Nhơn', 'Quy Nhơn University', 'university'],
        ['thu-vien-binh-dinh', 'Thư viện tỉnh Bình Định', 'Bình Định Provincial Library', 'public_library'],
      ],
    ],
  ],
];

/** Creates every demo unit that does not exist yet; returns slug → id. */
export async function seedUnits(db: DB): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const u of await db.selectFrom('units').select(['id', 'slug']).execute()) ids.set(u.slug, u.id);
  const walk = async (u: U, parentId: string | null) => {
    const [slug, name, nameEn, kind, children = []] = u;
    let id = ids.get(slug);
    if (!id) {
      id = (await createUnit(db, { parentId, kind, slug, name, nameEn })).id;
      ids.set(slug, id);
    }
    for (const c of children) await walk(c, id);
  };
  await walk(DEMO_UNITS, null);
  return ids;
}
