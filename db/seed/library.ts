import path from 'node:path';

import { borrow, placeHold } from '../../app/domain/library/circulation.server';
import { keepEpubFile } from '../../app/domain/library/files.server';
import { requestRotation } from '../../app/domain/library/rotations.server';
import { reindexTitles } from '../../app/domain/library/search.server';
import { addShelfTitle, createShelf } from '../../app/domain/library/shelves.server';
import { createTitle, setTitleFile, updateTitle } from '../../app/domain/library/titles.server';
import { getEnv } from '../../app/lib/env.server';
import { newId, nowIso } from '../../app/lib/ids.server';
import type { DB } from '../connection';
import { buildAllEpubs } from './build-epubs';

/** Where built EPUBs live, relative to DATA_DIR (never committed). */
export const EPUB_DIR = 'library/epubs';

/**
 * Demo content of the library area (idempotent): the books of content/books built to EPUB
 * under DATA_DIR, their holdings in three libraries, a waiting queue on "Thánh Gióng", a
 * classroom bookshelf with code LOP7A1, and a rotation request between two libraries.
 */
export async function seedLibrary(db: DB, units: Map<string, string>, users: Map<string, string>): Promise<void> {
  const dataDir = getEnv().DATA_DIR;
  const built = await buildAllEpubs(path.join(dataDir, EPUB_DIR));
  const titleIds = new Map<string, string>();
  for (const [slug, { file, book }] of built) {
    const input = {
      slug,
      title: book.title,
      author: book.author,
      language: book.language,
      description: book.description,
      subjects: book.subjects,
      audience: book.audience,
      themeYear: book.themeYear,
      publisher: book.publisher,
      publishedYear: book.publishedYear,
    };
    const existing = await db.selectFrom('lib_titles').select(['id', 'origin']).where('slug', '=', slug).executeTakeFirst();
    let id = existing?.id;
    if (!id) id = await createTitle(db, input, { origin: 'content', createdBy: null });
    else if (existing?.origin === 'content') await updateTitle(db, id, input);
    // Into the storage module (every instance serves it; unchanged books are not stored again).
    const kept = await keepEpubFile(file);
    await setTitleFile(db, id, kept.filePath, kept.size);
    titleIds.set(slug, id);
    for (const h of book.holdings) {
      const libraryId = units.get(h.library);
      if (!libraryId) continue;
      await db
        .insertInto('lib_holdings')
        .values({
          id: newId(),
          title_id: id,
          library_id: libraryId,
          open_access: h.openAccess ? 1 : 0,
          copies: h.copies ?? 0,
          created_at: nowIso(),
        })
        .onConflict((oc) => oc.columns(['title_id', 'library_id']).doNothing())
        .execute();
    }
  }

  // A queue: the student has the only copy of "Thánh Gióng"; a parent and a grandparent wait.
  const giong = titleIds.get('thanh-giong');
  const thcsLib = units.get('thu-vien-thcs-bien-giang');
  if (giong && thcsLib) {
    const h = await db
      .selectFrom('lib_holdings')
      .select('id')
      .where('title_id', '=', giong)
      .where('library_id', '=', thcsLib)
      .executeTakeFirst();
    const ever = h && (await db.selectFrom('lib_loans').select('id').where('holding_id', '=', h.id).limit(1).executeTakeFirst());
    if (h && !ever) {
      const student = users.get('hocsinh@demo.hoctap.vn');
      if (student) await borrow(db, student, h.id);
      for (const email of ['nguoidan@demo.hoctap.vn', 'ongba@demo.hoctap.vn']) {
        const u = users.get(email);
        if (u) await placeHold(db, u, h.id);
      }
    }
  }

  // A classroom bookshelf for class 7A1 of Biên Giang secondary school.
  const teacher = users.get('giaovien@demo.hoctap.vn');
  const school = units.get('thcs-bien-giang');
  if (teacher && school && !(await db.selectFrom('lib_shelves').select('id').where('join_code', '=', 'LOP7A1').executeTakeFirst())) {
    const shelf = await createShelf(db, { unitId: school, teacherId: teacher, name: 'Tủ sách lớp 7A1', code: 'LOP7A1' });
    for (const slug of ['thanh-giong', 'su-tich-trau-cau', 'con-rong-chau-tien', 'ca-dao-tuc-ngu-hoc-tap']) {
      const id = titleIds.get(slug);
      if (id) await addShelfTitle(db, shelf.id, id);
    }
  }

  // The community learning centre asks Hà Nội Library for a copy during the Week.
  const hn = units.get('thu-vien-ha-noi');
  const clc = units.get('thu-vien-tthtcd-bien-giang');
  const librarian = users.get('thuthu@demo.hoctap.vn');
  const safety = titleIds.get('an-toan-tren-mang');
  if (hn && clc && librarian && safety && !(await db.selectFrom('lib_rotations').select('id').limit(1).executeTakeFirst())) {
    const year = new Date().getUTCFullYear() + (new Date().getUTCMonth() >= 9 ? 1 : 0);
    await requestRotation(db, {
      titleId: safety,
      fromLibraryId: hn,
      toLibraryId: clc,
      copies: 1,
      startsOn: `${year}-10-01`,
      endsOn: `${year}-10-31`,
      requestedBy: librarian,
    });
  }

  // Every title (demo and uploaded) findable in the shared search, e.g. after a fresh DATA_DIR.
  await reindexTitles(db);
}
