import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';

import { borrow, placeHold } from '../../app/domain/library/circulation.server';
import {
  acquisitionFeed,
  type FeedText,
  navigationFeed,
  OPDS_PAGE_SIZE,
  openSearchDescription,
} from '../../app/domain/library/opds.server';
import { indexTitle } from '../../app/domain/library/search.server';
import { setTitleFile, updateTitle } from '../../app/domain/library/titles.server';
import { search } from '../../app/domain/search/index.server';
import { getT } from '../../app/i18n/i18n.server';
import { dialects } from '../helpers/db';
import { eachFreshWorld } from '../helpers/world';
import { type LibraryWorld, libraryWorld } from './library-fixtures';

const BASE = 'https://thuvien.example.vn';
const t = getT('vi');
const text: FeedText = { t: (k, o) => t(k, { ...o, interpolation: { escapeValue: false } }), locale: 'vi' };
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['entry', 'link', 'author', 'category'].includes(name),
});

type Link = {
  '@rel': string;
  '@href': string;
  '@type': string;
  'opds:availability'?: { '@status': string };
  'opds:copies'?: { '@total': string; '@available': string };
  'opds:holds'?: { '@total': string };
};
type Entry = {
  title: string;
  id: string;
  summary: { '#text': string };
  'dc:language': string;
  author: Array<{ name: string }>;
  link: Link[];
};

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml) as { feed: { title: string; link: Link[]; entry?: Entry[] } };
  expect(doc.feed).toBeDefined();
  return doc.feed;
}
const rel = (links: Link[], r: string) => links.filter((l) => l['@rel'] === r);

describe.each(dialects)('library OPDS feeds (%s)', (dialect) => {
  let db: DB;
  let w: LibraryWorld;
  eachFreshWorld(dialect, libraryWorld, (fresh) => ({ db, w } = fresh));

  it('navigation feed links to open access, new titles and each library as acquisition feeds, with search', async () => {
    await w.title('Sách mở', w.libA.id, 0, true);
    await w.title('Sách mượn', w.libB.id, 1);
    const f = parse(await navigationFeed(db, BASE, text));
    expect(rel(f.link, 'self')[0]!['@type']).toBe('application/atom+xml;profile=opds-catalog;kind=navigation');
    expect(rel(f.link, 'search')[0]).toMatchObject({
      '@href': `${BASE}/opds/opensearch.xml`,
      '@type': 'application/opensearchdescription+xml',
    });
    const targets = f.entry!.map((e) => e.link[0]!);
    for (const l of targets) expect(l['@type']).toBe('application/atom+xml;profile=opds-catalog;kind=acquisition');
    const hrefs = targets.map((l) => l['@href']);
    expect(hrefs).toContain(`${BASE}/opds/open`);
    expect(hrefs).toContain(`${BASE}/opds/new`);
    expect(hrefs).toContain(`${BASE}/opds/libraries/${w.libA.slug}`);
    expect(hrefs).toContain(`${BASE}/opds/libraries/${w.libB.slug}`);
  });

  it('acquisition entries: metadata, cover, open-access EPUB link, borrow link with availability, escaped text, and rel="next" paging', async () => {
    const ids: string[] = [];
    for (let i = 0; i < OPDS_PAGE_SIZE + 3; i++) {
      const x = await w.title(`Sách mở ${String(i).padStart(2, '0')}`, w.libA.id, 0, true);
      await setTitleFile(db, x.titleId, `library/epubs/x${i}.epub`, 1000);
      ids.push(x.titleId);
    }
    // A hostile record: markup and quotes in the title and summary must come out as text.
    await updateTitle(db, ids[0]!, {
      title: `Sách mở 00 <b>"đậm"</b> & 'nghiêng'`,
      author: 'Nguyễn Du; Kim Dung',
      language: 'vi',
      description: '</summary><script>alert(1)</script>\u0007',
      subjects: ['văn học'],
      audience: 'all',
      themeYear: null,
      publisher: null,
      publishedYear: null,
    });
    const p1 = parse(await acquisitionFeed(db, BASE, { kind: 'open' }, 1, text));
    expect(rel(p1.link, 'self')[0]!['@type']).toBe('application/atom+xml;profile=opds-catalog;kind=acquisition');
    expect(p1.entry).toHaveLength(OPDS_PAGE_SIZE);
    expect(rel(p1.link, 'next')[0]!['@href']).toBe(`${BASE}/opds/open?page=2`);
    const first = p1.entry![0]!;
    expect(first.title).toBe(`Sách mở 00 <b>"đậm"</b> & 'nghiêng'`);
    expect(first.summary['#text']).toBe('</summary><script>alert(1)</script>');
    expect(first.author.map((a) => a.name)).toEqual(['Nguyễn Du', 'Kim Dung']);
    expect(first['dc:language']).toBe('vi');
    // A raster cover first (reading apps that show no SVG), then the SVG one.
    expect(rel(first.link, 'http://opds-spec.org/image').map((l) => [l['@type'], l['@href'].replace(/^.*\/cover/, 'cover')])).toEqual([
      ['image/png', 'cover.png'],
      ['image/svg+xml', 'cover.svg'],
    ]);
    const oa = rel(first.link, 'http://opds-spec.org/acquisition/open-access');
    expect(oa).toHaveLength(1);
    expect(oa[0]!['@type']).toBe('application/epub+zip');
    expect(oa[0]!['@href']).toMatch(new RegExp(`^${BASE}/library/[^/]+/file$`));
    const p2 = parse(await acquisitionFeed(db, BASE, { kind: 'open' }, 2, text));
    expect(p2.entry).toHaveLength(3);
    expect(rel(p2.link, 'next')).toHaveLength(0);
    expect(rel(p2.link, 'previous')[0]!['@href']).toBe(`${BASE}/opds/open`);

    // A lent title: one copy on loan and one reader waiting.
    const lent = await w.title('Sách có bản quyền', w.libB.id, 1);
    await setTitleFile(db, lent.titleId, 'library/epubs/lent.epub', 1000);
    await borrow(db, await w.user(), lent.holdingId);
    await placeHold(db, await w.user(), lent.holdingId);
    const lib = parse(
      await acquisitionFeed(db, BASE, { kind: 'library', libraryId: w.libB.id, slug: w.libB.slug, name: 'Thư viện B' }, 1, text),
    );
    expect(lib.entry).toHaveLength(1);
    const e = lib.entry![0]!;
    expect(rel(e.link, 'http://opds-spec.org/acquisition/open-access')).toHaveLength(0);
    const b = rel(e.link, 'http://opds-spec.org/acquisition/borrow')[0]!;
    expect(b['opds:availability']!['@status']).toBe('unavailable');
    expect(b['opds:copies']).toEqual({ '@total': '1', '@available': '0' });
    expect(b['opds:holds']).toEqual({ '@total': '1' });
  });

  it('searches through the shared index, accent-insensitively, and describes the search with OpenSearch', async () => {
    const a = await w.title('Tự học thời số', w.libA.id, 0, true);
    const b = await w.title('Truyện cổ tích', w.libA.id, 0, true);
    await indexTitle(db, a.titleId);
    await indexTitle(db, b.titleId);
    // The index says where the title lives, so /search links work.
    const hit = (await search(db, 'tu hoc', { source: 'title' })).hits[0]!;
    expect(hit.url).toMatch(/^\/library\/[^/]+$/);
    const f = parse(await acquisitionFeed(db, BASE, { kind: 'search', q: 'tu hoc' }, 1, text));
    expect(f.entry!.map((x) => x.title)).toEqual(['Tự học thời số']);
    // Editing a title reindexes it (as the edit route does): the new name is findable at once.
    await updateTitle(db, b.titleId, {
      title: 'Đường đến trường',
      author: 'Tác giả',
      language: 'vi',
      description: '',
      subjects: [],
      audience: 'all',
      themeYear: null,
      publisher: null,
      publishedYear: null,
    });
    await indexTitle(db, b.titleId);
    const g = parse(await acquisitionFeed(db, BASE, { kind: 'search', q: 'duong' }, 1, text));
    expect(g.entry!.map((x) => x.title)).toEqual(['Đường đến trường']);
    const os = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(openSearchDescription(BASE, text));
    expect(os.OpenSearchDescription.Url['@template']).toBe(`${BASE}/opds/search?q={searchTerms}&page={startPage?}`);
    expect(os.OpenSearchDescription.Url['@type']).toBe('application/atom+xml;profile=opds-catalog;kind=acquisition');
  });
});
