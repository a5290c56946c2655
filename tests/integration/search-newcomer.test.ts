import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { indexDocument, search } from '~/domain/search/index.server';
import type { DB } from '~/lib/db.server';

import { dialects, freshDb } from '../helpers/db';

describe.each(dialects)('search as a newcomer meets it (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    await indexDocument(db, {
      source: 'course',
      id: 'k1',
      kind: 'course',
      title: 'Văn hóa đọc — đọc sách để học suốt đời',
      body: 'Khóa học hưởng ứng chủ đề năm 2024 **"Phát triển văn hóa đọc"**, với [sổ tay](https://example.org) và:\n\n- đọc cùng *con cháu*\n- `câu lạc bộ`',
      url: '/courses/van-hoa-doc',
      licence: 'cc-by-sa',
      years: [2024],
    });
    await indexDocument(db, {
      source: 'resource',
      id: 'r1',
      kind: 'article',
      title: 'Giờ đọc sách',
      body: 'Mỗi sáng 15 phút đọc sách.',
      url: '/resources/r1',
      licence: 'cc-by',
    });
  });
  afterAll(async () => cleanup());

  it('shows snippets as text: no Markdown marks, links or code ticks', async () => {
    const r = await search(db, 'van hoa doc');
    const hit = r.hits.find((h) => h.id === 'k1')!;
    const text = hit.snippet.map((p) => p.text).join('');
    expect(text).toContain('"Phát triển văn hóa đọc"');
    expect(text).toContain('sổ tay');
    expect(text).toContain('đọc cùng con cháu');
    expect(text).not.toMatch(/\*\*|\]\(|`|^- /);
    expect(hit.snippet.filter((p) => p.hit).map((p) => p.text)).toEqual(expect.arrayContaining(['văn', 'hóa', 'đọc']));
  });

  it('answers a query of punctuation only with "type a word", not with every document', async () => {
    for (const q of ['"', ':', '*', '-', ' " : * - ', '“”']) {
      const r = await search(db, q);
      expect(r, JSON.stringify(q)).toMatchObject({ needsTerm: true, total: 0, hits: [] });
    }
    // An empty query still lists everything (the "browse" view), and a real word is searched.
    expect((await search(db, '')).total).toBe(2);
    expect((await search(db, '"doc sach"')).hits.map((h) => h.id).sort()).toEqual(['k1', 'r1']);
  });
});
