import type { DB } from '~/db/connection';

import { createTitle, upsertHolding } from '../../app/domain/library/titles.server';
import { createUnit } from '../../app/domain/units.server';
import { newId } from '../../app/lib/ids.server';
import { makeUser } from '../helpers/users';

/** A province with two libraries, and helpers to add readers and titles (no password hashing: fast). */
export async function libraryWorld(db: DB) {
  const root = await createUnit(db, { parentId: null, kind: 'province', slug: `p-${newId(6)}`, name: 'Tỉnh thử' });
  const libA = await createUnit(db, { parentId: root.id, kind: 'public_library', slug: `a-${newId(6)}`, name: 'Thư viện A' });
  const libB = await createUnit(db, { parentId: root.id, kind: 'clc_library', slug: `b-${newId(6)}`, name: 'Thư viện B' });
  let n = 0;
  const user = (name = `Bạn đọc ${++n}`) => makeUser(db, name);
  const title = async (name: string, libraryId = libA.id, copies = 1, openAccess = false) => {
    const id = await createTitle(
      db,
      {
        slug: `${newId(8)}`,
        title: name,
        author: 'Tác giả',
        language: 'vi',
        description: 'Mô tả',
        subjects: ['truyện'],
        audience: 'all',
        themeYear: 2024,
        publisher: null,
        publishedYear: null,
      },
      { origin: 'upload', createdBy: null },
    );
    const holding = await upsertHolding(db, id, libraryId, { openAccess, copies });
    return { titleId: id, holdingId: holding.id };
  };
  return { root, libA, libB, user, title };
}

export type LibraryWorld = Awaited<ReturnType<typeof libraryWorld>>;
