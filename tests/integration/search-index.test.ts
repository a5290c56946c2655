import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { indexDocument, removeDocument, search } from '~/domain/search/index.server';
import { createUnit } from '~/domain/units.server';
import type { DB } from '~/lib/db.server';

import { dialects, freshDb } from '../helpers/db';

const DOCS = [
  {
    id: 'a',
    kind: 'video',
    title: 'Học tập suốt đời trong kỷ nguyên số',
    body: 'Bài giảng về chuyển đổi số.',
    subject: 'digital-skills',
    level: 'adult',
    licence: 'cc-by',
    years: [2020, 2022],
  },
  {
    id: 'b',
    kind: 'article',
    title: 'Con đường tri thức',
    body: 'Mỗi người tự chọn con đường học tập của mình.',
    subject: 'self-learning',
    level: 'secondary',
    licence: 'cc-by-sa',
    years: [2023],
  },
  {
    id: 'c',
    kind: 'document',
    title: 'Đại dương xanh',
    body: 'Sinh vật biển và bảo vệ môi trường.',
    subject: 'science',
    level: 'primary',
    licence: 'cc0',
    years: [2024],
  },
  {
    id: 'd',
    kind: 'article',
    title: 'Văn hóa đọc',
    body: 'Phát triển văn hóa đọc thúc đẩy học tập suốt đời; đọc sách mỗi ngày.',
    subject: 'reading',
    level: 'elderly',
    licence: 'cc-by',
    years: [2024],
  },
  {
    id: 'e',
    kind: 'audio',
    title: 'Đổi mới giáo dục',
    body: 'Câu chuyện về đổi mới.',
    subject: 'civics',
    level: 'adult',
    licence: 'public-domain',
    years: [],
  },
];

describe.each(dialects)('search index on %s', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let school: string;
  let other: string;
  let province: string;
  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    const root = await createUnit(db, { parentId: null, kind: 'province', slug: 'tinh', name: 'Tỉnh' });
    province = root.id;
    school = (await createUnit(db, { parentId: root.id, kind: 'school', slug: 'truong', name: 'Trường' })).id;
    other = (await createUnit(db, { parentId: null, kind: 'province', slug: 'khac', name: 'Tỉnh khác' })).id;
    for (const d of DOCS) {
      await indexDocument(db, {
        source: 'resource',
        ...d,
        url: `/resources/${d.id}`,
        unitId: d.id === 'e' ? other : school,
        publishedAt: `2024-10-0${DOCS.indexOf(d) + 1}T00:00:00.000Z`,
      });
    }
  });
  afterAll(() => cleanup());

  const ids = async (q: string, f = {}) => (await search(db, q, f)).hits.map((h) => h.id).sort();

  it('finds accented documents from an unaccented query, đ folding to d', async () => {
    expect(await ids('hoc tap')).toEqual(['a', 'b', 'd']);
    expect(await ids('duong')).toEqual(['b', 'c']);
    expect(await ids('doi')).toEqual(['a', 'd', 'e']);
  });

  it('matches an accented query only with those accents', async () => {
    expect(await ids('đường')).toEqual(['b']);
    expect(await ids('dương')).toEqual(['c']);
    expect(await ids('đời')).toEqual(['a', 'd']);
    expect(await ids('Đổi')).toEqual(['a', 'e']); // "chuyển đổi" and "Đổi mới"
    expect(await ids('đổi mới')).toEqual(['e']);
  });

  it('matches the last word as a prefix while typing', async () => {
    expect(await ids('van hoa d')).toEqual(['d']);
    expect(await ids('tri th')).toEqual(['b']);
  });

  it('ranks a title match above a body match and highlights the original words', async () => {
    const r = await search(db, 'học tập');
    expect(r.total).toBe(3);
    expect(r.hits[0]!.id).toBe('a'); // the only title match comes first
    const d = r.hits.find((h) => h.id === 'd')!;
    expect(d.snippet.filter((p) => p.hit).map((p) => p.text)).toContain('học');
    const a = r.hits.find((h) => h.id === 'a')!;
    expect(a.titleParts.filter((p) => p.hit).map((p) => p.text)).toEqual(['Học', 'tập']);
  });

  it('filters by kind, subject, level, licence, year and unit subtree', async () => {
    expect(await ids('', { kind: 'article' })).toEqual(['b', 'd']);
    expect(await ids('hoc', { subject: 'reading' })).toEqual(['d']);
    expect(await ids('', { level: 'adult' })).toEqual(['a', 'e']);
    expect(await ids('', { licence: 'cc-by' })).toEqual(['a', 'd']);
    expect(await ids('', { year: 2024 })).toEqual(['c', 'd']);
    expect(await ids('', { year: 202 })).toEqual([]);
    expect(await ids('', { unitId: school })).toEqual(['a', 'b', 'c', 'd']);
    expect(await ids('doi', { unitId: other })).toEqual(['e']);
    expect(await ids('doi', { unitId: province })).toEqual(['a', 'd']); // the school's documents, one level down
    // Filters combined with words, and a value with punctuation (cc-by-sa vs cc-by).
    expect(await ids('doc', { kind: 'article', year: 2024 })).toEqual(['d']);
    expect(await ids('hoc', { licence: 'cc-by-sa' })).toEqual(['b']);
    expect(await ids('hoc', { licence: 'cc-by', level: 'adult', year: 2022 })).toEqual(['a']);
    // Filter words are not searchable text: typing one finds nothing.
    expect(await ids('k0video')).toEqual([]);
    expect(await ids('y02024')).toEqual([]);
  });

  it('survives hostile queries and keeps the index in step on update and removal', async () => {
    for (const q of ['"', 'C++', 'a"b', 'foo:bar', 'AND', 'NEAR(', '*', "'; drop table search_docs; --", 'a\u19b0b', '日本語 ﬁ ²']) {
      await expect(search(db, q)).resolves.toBeDefined();
    }
    await indexDocument(db, { source: 'resource', id: 'c', kind: 'document', title: 'Biển đảo quê hương', body: '', url: '/resources/c' });
    expect(await ids('dai duong')).toEqual([]);
    expect(await ids('bien dao')).toEqual(['c']);
    await removeDocument(db, 'resource', 'c');
    expect(await ids('bien dao')).toEqual([]);
  });
});
