import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';

import { inspectEpub } from '../../app/domain/library/epub.server';
import { url } from './setup/browser';

// E-reader apps talk to the running server: these checks go over HTTP, no browser needed.
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'link'].includes(name) });
type Link = { '@rel': string; '@href': string; '@type': string };
type Feed = { feed: { link: Link[]; entry?: Array<{ title: string; link: Link[] }> } };

async function get(path: string) {
  const res = await fetch(path.startsWith('http') ? path : url(path));
  return { res, body: await res.text() };
}

describe('OPDS catalogue over HTTP', () => {
  it('serves the feeds with OPDS content types, and an open-access link downloads a real EPUB', async () => {
    const root = await get('/opds');
    expect(root.res.status).toBe(200);
    expect(root.res.headers.get('content-type')).toBe('application/atom+xml;profile=opds-catalog;kind=navigation');
    const nav = parser.parse(root.body) as Feed;
    const open = nav.feed.entry!.map((e) => e.link[0]!).find((l) => l['@href'].endsWith('/opds/open'))!;
    const acq = await get(open['@href']);
    expect(acq.res.headers.get('content-type')).toBe('application/atom+xml;profile=opds-catalog;kind=acquisition');
    const feed = parser.parse(acq.body) as Feed;
    const kieu = feed.feed.entry!.find((e) => e.title.includes('Kiều'))!;
    const link = kieu.link.find((l) => l['@rel'] === 'http://opds-spec.org/acquisition/open-access')!;
    const file = await fetch(link['@href']);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/epub+zip');
    const r = await inspectEpub(Buffer.from(await file.arrayBuffer()));
    expect(r).toMatchObject({ ok: true, meta: { language: 'vi' } });
    // The covers the entry points to are images: PNG first (apps that show no SVG), then SVG.
    const covers = kieu.link.filter((l) => l['@rel'] === 'http://opds-spec.org/image');
    const types = [];
    for (const c of covers) types.push((await fetch(c['@href'])).headers.get('content-type'));
    expect(types).toEqual(['image/png', expect.stringContaining('image/svg+xml')]);
  });

  it('searches without accents through the OpenSearch template, and lists a library with borrow links', async () => {
    const os = await get('/opds/opensearch.xml');
    expect(os.res.headers.get('content-type')).toBe('application/opensearchdescription+xml');
    const template = (
      new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(os.body) as {
        OpenSearchDescription: { Url: { '@template': string } };
      }
    ).OpenSearchDescription.Url['@template'];
    const s = await get(template.replace('{searchTerms}', encodeURIComponent('tu hoc')).replace('{startPage?}', '1'));
    expect(s.res.status).toBe(200);
    const hits = (parser.parse(s.body) as Feed).feed.entry ?? [];
    expect(hits.map((e) => e.title)).toContain('Tự học trong kỷ nguyên số');
    const lib = await get('/opds/libraries/thu-vien-thcs-bien-giang');
    const entries = (parser.parse(lib.body) as Feed).feed.entry!;
    const giong = entries.find((e) => e.title === 'Thánh Gióng')!;
    expect(giong.link.some((l) => l['@rel'] === 'http://opds-spec.org/acquisition/borrow')).toBe(true);
    expect((await fetch(url('/opds/libraries/khong-co'))).status).toBe(404);
  });
});
