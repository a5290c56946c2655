/** A very common word: results stay useful (title hits first) and the count is bounded on both dialects. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { indexDocuments, RANK_WINDOW, search } from '~/domain/search/index.server';
import type { DB } from '~/lib/db.server';

import { dialects, freshDb } from '../helpers/db';

describe.each(dialects)('broad queries on %s', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  const N = RANK_WINDOW + 200;
  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    await indexDocuments(
      db,
      Array.from({ length: N }, (_, i) => ({
        source: 'resource',
        id: `r${i}`,
        kind: i % 2 ? 'video' : 'article',
        title: i % 50 === 0 ? `Học tập suốt đời số ${i}` : `Bài đọc số ${i}`,
        body: 'Tài liệu cho người học ở mọi lứa tuổi.',
        url: `/resources/r${i}`,
        years: [2024],
        publishedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
      })),
    );
  });
  afterAll(() => cleanup());

  it('finds documents with the word in their title first, newest first, and bounds the count', async () => {
    const r = await search(db, 'hoc', {}, { limit: 5 });
    expect(r.hits.length).toBe(5);
    expect(r.hits.every((h) => h.title.startsWith('Học tập suốt đời'))).toBe(true);
    // "More than 500": only the newest RANK_WINDOW matches are ranked, title hits newest first.
    expect(r).toMatchObject({ total: RANK_WINDOW, totalExact: false });
    expect(r.hits.map((h) => h.id)).toEqual(['r650', 'r600', 'r550', 'r500', 'r450']);
    // The next page goes on in the same order.
    expect((await search(db, 'hoc', {}, { limit: 5, offset: 5 })).hits.map((h) => h.id)).toEqual(['r400', 'r350', 'r300', 'r250', 'r200']);
    // Filters still apply, and a narrow query is counted exactly.
    expect((await search(db, 'hoc', { kind: 'video' }, { limit: 5 })).hits.every((h) => h.kind === 'video')).toBe(true);
    expect(await search(db, 'hoc tap suot doi')).toMatchObject({ total: Math.ceil(N / 50), totalExact: true });
  });
});
