/**
 * Library titles in the shared search: a title created through the library's own domain
 * functions is found by an unaccented query, links to its /library/<slug> page, follows edits,
 * is scoped to the units holding it, and leaves the index when it leaves the catalogue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { reindexTitles as reindexLibraryTitles } from '~/domain/library/search.server';
import { createTitle, updateTitle, upsertHolding } from '~/domain/library/titles.server';
import { search } from '~/domain/search/index.server';
import { createUnit } from '~/domain/units.server';
import type { DB } from '~/lib/db.server';

import { dialects, freshDb } from '../helpers/db';

describe.each(dialects)('library titles in search on %s', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let province: string;
  let library: string;
  let otherProvince: string;
  let titleId: string;

  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    province = (await createUnit(db, { parentId: null, kind: 'province', slug: 'ha-noi', name: 'Hà Nội' })).id;
    library = (await createUnit(db, { parentId: province, kind: 'public_library', slug: 'tv-ha-noi', name: 'Thư viện Hà Nội' })).id;
    otherProvince = (await createUnit(db, { parentId: null, kind: 'province', slug: 'binh-dinh', name: 'Bình Định' })).id;
    titleId = await createTitle(
      db,
      {
        slug: 'duong-ve-lang-doc-sach',
        title: 'Đường về làng đọc sách',
        author: 'Nguyễn Đức Thắng',
        language: 'vi',
        description: 'Câu chuyện về một thư viện làng và những người đọc già trẻ.',
        subjects: ['văn hóa đọc', 'truyện ngắn'],
        audience: 'all',
        themeYear: 2024,
        publisher: 'Nhà xuất bản Kim Đồng',
        publishedYear: 2021,
      },
      { origin: 'upload', createdBy: null },
    );
    await upsertHolding(db, titleId, library, { openAccess: true, copies: 0 });
    expect(await reindexLibraryTitles(db)).toBe(1);
  });
  afterAll(() => cleanup());

  it('finds the title typed without diacritics and links to its library page', async () => {
    const r = await search(db, 'duong ve lang doc sach');
    expect(r.total).toBe(1);
    const hit = r.hits[0]!;
    expect(hit).toMatchObject({
      source: 'title',
      id: titleId,
      kind: 'book',
      title: 'Đường về làng đọc sách',
      url: '/library/duong-ve-lang-doc-sach',
    });
    // The accented words of the title are what gets highlighted.
    expect(hit.titleParts.filter((p) => p.hit).map((p) => p.text)).toEqual(['Đường', 'về', 'làng', 'đọc', 'sách']);
    // Author, subjects and publisher are searchable too; a prefix works while typing.
    expect((await search(db, 'nguyen duc thang')).hits.map((h) => h.id)).toEqual([titleId]);
    expect((await search(db, 'kim do')).hits.map((h) => h.id)).toEqual([titleId]);
    expect((await search(db, 'van hoa doc', { source: 'title', year: 2024 })).hits.map((h) => h.id)).toEqual([titleId]);
    expect((await search(db, 'duong', { source: 'resource' })).total).toBe(0);
  });

  it('is scoped to the units whose libraries hold it', async () => {
    expect((await search(db, 'lang doc sach', { unitId: province })).total).toBe(1);
    expect((await search(db, 'lang doc sach', { unitId: otherProvince })).total).toBe(0);
  });

  it('follows edits of the catalogue record and idempotent reindexing', async () => {
    await updateTitle(db, titleId, {
      title: 'Làng đọc sách bên sông Đà',
      author: 'Nguyễn Đức Thắng',
      language: 'vi',
      description: 'Câu chuyện về một thư viện làng.',
      subjects: ['văn hóa đọc'],
      audience: 'all',
      themeYear: 2024,
      publisher: null,
      publishedYear: 2021,
    });
    await reindexLibraryTitles(db, titleId);
    await reindexLibraryTitles(db);
    expect((await search(db, 'song da')).hits.map((h) => [h.id, h.title])).toEqual([[titleId, 'Làng đọc sách bên sông Đà']]);
    expect((await search(db, 'duong ve')).total).toBe(0);
    const n = await db
      .selectFrom('search_docs')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('source', '=', 'title')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it('drops titles that left the catalogue', async () => {
    await db.deleteFrom('lib_holdings').where('title_id', '=', titleId).execute();
    await db.deleteFrom('lib_titles').where('id', '=', titleId).execute();
    await reindexLibraryTitles(db);
    expect((await search(db, 'lang doc sach')).total).toBe(0);
  });
});
