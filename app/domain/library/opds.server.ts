/**
 * The catalogue as OPDS 1.2 (Atom) feeds, for e-reader apps (Thorium, KOReader, Aldiko…):
 * a navigation feed at /opds, acquisition feeds (open access, newest, one per library, search)
 * paged with rel="next", and an OpenSearch description. Open-access EPUBs get an
 * `acquisition/open-access` link to the file; lendable titles an `acquisition/borrow` link to the
 * title page (where the reader borrows) with opds:availability, opds:copies and opds:holds.
 *
 * Everything user-provided is escaped by `esc` (text and attributes), and characters XML 1.0
 * forbids are dropped, so a title can never break the feed.
 */
import { sql } from 'kysely';

import { search } from '~/domain/search/index.server';
import { LIBRARY_KINDS } from '~/domain/units.server';
import type { Locale, TKey } from '~/i18n/i18n';
import type { DB } from '~/lib/db.server';
import { localName } from '~/lib/names';

import { availabilityOfTitles } from './circulation.server';
import { SEARCH_SOURCE } from './search.server';
import { subjectsOf } from './titles.server';

export const OPDS_PAGE_SIZE = 25;
export const NAV_TYPE = 'application/atom+xml;profile=opds-catalog;kind=navigation';
export const ACQ_TYPE = 'application/atom+xml;profile=opds-catalog;kind=acquisition';
export const OPENSEARCH_TYPE = 'application/opensearchdescription+xml';
const REL = {
  openAccess: 'http://opds-spec.org/acquisition/open-access',
  borrow: 'http://opds-spec.org/acquisition/borrow',
  image: 'http://opds-spec.org/image',
  thumbnail: 'http://opds-spec.org/image/thumbnail',
  sortNew: 'http://opds-spec.org/sort/new',
};

// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
export function esc(v: unknown): string {
  return String(v ?? '')
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export interface FeedText {
  t: (key: TKey, opts?: Record<string, unknown>) => string;
  locale: Locale;
}

export interface FeedLink {
  rel: string;
  href: string;
  type: string;
  title?: string;
}

function link(l: FeedLink): string {
  return `<link rel="${esc(l.rel)}" href="${esc(l.href)}" type="${esc(l.type)}"${l.title ? ` title="${esc(l.title)}"` : ''}/>`;
}

function feed(opts: {
  id: string;
  title: string;
  updated: string;
  links: FeedLink[];
  entries: string[];
  base: string;
  t: FeedText['t'];
}): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/terms/" xmlns:opds="http://opds-spec.org/2010/catalog" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">',
    `<id>${esc(opts.id)}</id>`,
    `<title>${esc(opts.title)}</title>`,
    `<updated>${esc(opts.updated)}</updated>`,
    `<author><name>${esc(opts.t('common.siteName'))}</name><uri>${esc(opts.base + '/')}</uri></author>`,
    ...opts.links.map(link),
    ...opts.entries,
    '</feed>',
  ].join('\n');
}

function commonLinks(base: string, selfPath: string, selfType: string, t: FeedText['t']): FeedLink[] {
  return [
    { rel: 'self', href: base + selfPath, type: selfType },
    { rel: 'start', href: `${base}/opds`, type: NAV_TYPE, title: t('library.opds.root') },
    { rel: 'search', href: `${base}/opds/opensearch.xml`, type: OPENSEARCH_TYPE, title: t('library.opds.search') },
  ];
}

/** The root: open access, newest titles, and one acquisition feed per library holding titles. */
export async function navigationFeed(db: DB, base: string, { t, locale }: FeedText): Promise<string> {
  const libraries = await db
    .selectFrom('units as u')
    .select(['u.slug', 'u.name', 'u.name_en'])
    .where('u.kind', 'in', LIBRARY_KINDS)
    .where(({ exists, selectFrom }) => exists(selectFrom('lib_holdings as h').select('h.id').whereRef('h.library_id', '=', 'u.id')))
    .orderBy('u.name')
    .execute();
  const latest = await db
    .selectFrom('lib_titles')
    .select(sql<string>`max(updated_at)`.as('m'))
    .executeTakeFirst();
  const updated = latest?.m ?? new Date().toISOString();
  const nav = (id: string, title: string, content: string, href: string, rel = 'subsection') =>
    [
      '<entry>',
      `<title>${esc(title)}</title>`,
      `<id>${esc(id)}</id>`,
      `<updated>${esc(updated)}</updated>`,
      `<content type="text">${esc(content)}</content>`,
      link({ rel, href, type: ACQ_TYPE }),
      '</entry>',
    ].join('\n');
  const entries = [
    nav('urn:llw:opds:open', t('library.opds.open'), t('library.opds.openAbout'), `${base}/opds/open`),
    nav('urn:llw:opds:new', t('library.opds.new'), t('library.opds.newAbout'), `${base}/opds/new`, REL.sortNew),
    ...libraries.map((l) => {
      const name = localName(l, locale);
      return nav(
        `urn:llw:opds:library:${l.slug}`,
        name,
        t('library.opds.libraryAbout', { name }),
        `${base}/opds/libraries/${encodeURIComponent(l.slug)}`,
      );
    }),
  ];
  return feed({
    id: 'urn:llw:opds:root',
    title: t('library.opds.root'),
    updated,
    links: commonLinks(base, '/opds', NAV_TYPE, t),
    entries,
    base,
    t,
  });
}

export type AcquisitionKind =
  { kind: 'open' } | { kind: 'new' } | { kind: 'library'; libraryId: string; slug: string; name: string } | { kind: 'search'; q: string };

interface TitleRow {
  id: string;
  slug: string;
  title: string;
  author: string;
  language: string;
  description: string;
  subjects: string;
  publisher: string | null;
  published_year: number | null;
  file_path: string | null;
  created_at: string;
  updated_at: string;
}

const TITLE_COLS = [
  't.id',
  't.slug',
  't.title',
  't.author',
  't.language',
  't.description',
  't.subjects',
  't.publisher',
  't.published_year',
  't.file_path',
  't.created_at',
  't.updated_at',
] as const;

/** One page of titles for a feed, with whether a next page exists. */
async function pageOfTitles(db: DB, k: AcquisitionKind, page: number): Promise<{ rows: TitleRow[]; hasMore: boolean; total?: number }> {
  const offset = (page - 1) * OPDS_PAGE_SIZE;
  if (k.kind === 'search') {
    const r = await search(db, k.q, { source: SEARCH_SOURCE }, { limit: OPDS_PAGE_SIZE + 1, offset });
    const ids = r.hits.map((h) => h.id);
    const rows = ids.length ? await db.selectFrom('lib_titles as t').select(TITLE_COLS).where('t.id', 'in', ids).execute() : [];
    const byId = new Map(rows.map((x) => [x.id, x]));
    const ordered = ids.map((id) => byId.get(id)).filter((x): x is TitleRow => !!x);
    return { rows: ordered.slice(0, OPDS_PAGE_SIZE), hasMore: r.hits.length > OPDS_PAGE_SIZE, total: r.total };
  }
  let q = db.selectFrom('lib_titles as t').select(TITLE_COLS);
  if (k.kind === 'open') {
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('lib_holdings as h').select('h.id').whereRef('h.title_id', '=', 't.id').where('h.open_access', '=', 1)),
    );
    q = q.orderBy('t.sort_key').orderBy('t.id');
  } else if (k.kind === 'library') {
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('lib_holdings as h').select('h.id').whereRef('h.title_id', '=', 't.id').where('h.library_id', '=', k.libraryId)),
    );
    q = q.orderBy('t.sort_key').orderBy('t.id');
  } else {
    q = q.where(({ exists, selectFrom }) => exists(selectFrom('lib_holdings as h').select('h.id').whereRef('h.title_id', '=', 't.id')));
    q = q.orderBy('t.created_at', 'desc').orderBy('t.id', 'desc');
  }
  const rows = await q
    .limit(OPDS_PAGE_SIZE + 1)
    .offset(offset)
    .execute();
  return { rows: rows.slice(0, OPDS_PAGE_SIZE), hasMore: rows.length > OPDS_PAGE_SIZE };
}

type TitleHoldings = Awaited<ReturnType<typeof availabilityOfTitles>>;

function entry(base: string, r: TitleRow, { t, locale }: FeedText, onlyLibraryId: string | null, all: TitleHoldings): string {
  // Every holding of the title with its availability, read for the whole page in one query.
  const holdings = onlyLibraryId ? all.filter((h) => h.library_id === onlyLibraryId) : all;
  const page = `${base}/library/${encodeURIComponent(r.slug)}`;
  const out = [
    '<entry>',
    `<title>${esc(r.title)}</title>`,
    `<id>urn:llw:title:${esc(r.id)}</id>`,
    `<updated>${esc(r.updated_at)}</updated>`,
    `<published>${esc(r.created_at)}</published>`,
    ...r.author
      .split(/\s*;\s*/)
      .filter(Boolean)
      .map((a) => `<author><name>${esc(a)}</name></author>`),
    `<dc:language>${esc(r.language)}</dc:language>`,
    r.publisher ? `<dc:publisher>${esc(r.publisher)}</dc:publisher>` : '',
    r.published_year ? `<dc:issued>${esc(r.published_year)}</dc:issued>` : '',
    ...subjectsOf(r).map((s) => `<category term="${esc(s)}" label="${esc(s)}"/>`),
    `<summary type="text">${esc(r.description)}</summary>`,
    // PNG first: many reading apps show only raster images; SVG for those that take it.
    link({ rel: REL.image, href: `${page}/cover.png`, type: 'image/png' }),
    link({ rel: REL.thumbnail, href: `${page}/cover.png`, type: 'image/png' }),
    link({ rel: REL.image, href: `${page}/cover.svg`, type: 'image/svg+xml' }),
    link({ rel: REL.thumbnail, href: `${page}/cover.svg`, type: 'image/svg+xml' }),
    link({ rel: 'alternate', href: page, type: 'text/html', title: t('library.opds.titlePage') }),
  ];
  const open = r.file_path && holdings.some((h) => h.open_access);
  if (open) out.push(link({ rel: REL.openAccess, href: `${page}/file`, type: 'application/epub+zip' }));
  if (r.file_path) {
    for (const h of holdings) {
      if (h.open_access) continue;
      const a = h.availability;
      const name = localName(h, locale);
      out.push(
        `<link rel="${REL.borrow}" href="${esc(`${page}?library=${encodeURIComponent(h.slug)}`)}" type="text/html" title="${esc(t('library.opds.borrowAt', { name }))}">`,
        '<opds:indirectAcquisition type="application/epub+zip"/>',
        `<opds:availability status="${a.available > 0 ? 'available' : 'unavailable'}"/>`,
        `<opds:copies total="${a.copies}" available="${a.available}"/>`,
        `<opds:holds total="${a.queue}"/>`,
        '</link>',
      );
    }
  }
  out.push('</entry>');
  return out.filter(Boolean).join('\n');
}

/** An acquisition feed: one page of titles with their acquisition links, and paging links. */
export async function acquisitionFeed(
  db: DB,
  base: string,
  k: AcquisitionKind,
  page: number,
  text: FeedText,
  now = new Date(),
): Promise<string> {
  const { t } = text;
  const { rows, hasMore, total } = await pageOfTitles(db, k, page);
  const path =
    k.kind === 'open'
      ? '/opds/open'
      : k.kind === 'new'
        ? '/opds/new'
        : k.kind === 'library'
          ? `/opds/libraries/${encodeURIComponent(k.slug)}`
          : '/opds/search';
  const qs = (p: number) => {
    const sp = new URLSearchParams();
    if (k.kind === 'search') sp.set('q', k.q);
    if (p > 1) sp.set('page', String(p));
    const s = sp.toString();
    return s ? `?${s}` : '';
  };
  const title =
    k.kind === 'open'
      ? t('library.opds.open')
      : k.kind === 'new'
        ? t('library.opds.new')
        : k.kind === 'library'
          ? k.name
          : t('library.opds.searchResults', { q: k.q });
  const links: FeedLink[] = [...commonLinks(base, path + qs(page), ACQ_TYPE, t), { rel: 'up', href: `${base}/opds`, type: NAV_TYPE }];
  if (page > 1)
    links.push(
      { rel: 'first', href: base + path + qs(1), type: ACQ_TYPE },
      { rel: 'previous', href: base + path + qs(page - 1), type: ACQ_TYPE },
    );
  if (hasMore) links.push({ rel: 'next', href: base + path + qs(page + 1), type: ACQ_TYPE });
  const onlyLibrary = k.kind === 'library' ? k.libraryId : null;
  const entries: string[] = [];
  const byTitle = new Map<string, TitleHoldings>();
  for (const h of await availabilityOfTitles(
    db,
    rows.map((r) => r.id),
    now,
  ))
    byTitle.set(h.title_id, [...(byTitle.get(h.title_id) ?? []), h]);
  for (const r of rows) entries.push(entry(base, r, text, onlyLibrary, byTitle.get(r.id) ?? []));
  const updated = rows.reduce((m, r) => (r.updated_at > m ? r.updated_at : m), '') || now.toISOString();
  const xml = feed({
    id: `urn:llw:opds${path.replace(/\//g, ':')}${k.kind === 'search' ? ':' + encodeURIComponent(k.q) : ''}:${page}`,
    title,
    updated,
    links,
    entries,
    base,
    t,
  });
  if (k.kind !== 'search' || total === undefined) return xml;
  // OpenSearch response elements, so clients can show "n results".
  return xml.replace(
    '</title>',
    `</title>\n<opensearch:totalResults>${total}</opensearch:totalResults>\n<opensearch:startIndex>${(page - 1) * OPDS_PAGE_SIZE + 1}</opensearch:startIndex>\n<opensearch:itemsPerPage>${OPDS_PAGE_SIZE}</opensearch:itemsPerPage>`,
  );
}

export function openSearchDescription(base: string, { t }: FeedText): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">',
    `<ShortName>${esc(t('library.opds.shortName'))}</ShortName>`,
    `<Description>${esc(t('library.opds.searchAbout'))}</Description>`,
    '<InputEncoding>UTF-8</InputEncoding>',
    '<OutputEncoding>UTF-8</OutputEncoding>',
    '<Language>vi</Language>',
    `<Url type="${esc(ACQ_TYPE)}" template="${esc(`${base}/opds/search?q={searchTerms}&page={startPage?}`)}" pageOffset="1"/>`,
    '</OpenSearchDescription>',
  ].join('\n');
}

/** A plain, light SVG cover with the title and author, so every entry has an image. */
export function coverSvg(title: string, author: string): string {
  const words = title.split(/\s+/);
  const lines: string[] = [];
  for (const w of words) {
    const last = lines[lines.length - 1];
    if (last !== undefined && (last + ' ' + w).length <= 16) lines[lines.length - 1] = last + ' ' + w;
    else lines.push(w);
  }
  const shown = lines.slice(0, 6);
  // The author on at most two lines of ~26 characters, so a long one stays inside the cover.
  const authorLines: string[] = [];
  for (const w of author.split(/\s+/).filter(Boolean)) {
    const last = authorLines[authorLines.length - 1];
    if (last !== undefined && (last + ' ' + w).length <= 26) authorLines[authorLines.length - 1] = last + ' ' + w;
    else authorLines.push(w);
  }
  if (authorLines.length > 2) authorLines.splice(1, authorLines.length, `${authorLines.slice(1).join(' ').slice(0, 24)}…`);
  const tspans = shown.map((l, i) => `<tspan x="150" dy="${i === 0 ? 0 : 34}">${esc(l)}</tspan>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="300" height="450" viewBox="0 0 300 450" role="img" aria-label="${esc(title)}">
<rect width="300" height="450" fill="#0b5d3b"/><rect x="14" y="14" width="272" height="422" fill="none" stroke="#f4d35e" stroke-width="3"/>
<text x="150" y="150" text-anchor="middle" font-family="Noto Serif, Georgia, serif" font-size="28" fill="#ffffff">${tspans}</text>
<text x="150" y="${authorLines.length > 1 ? 384 : 400}" text-anchor="middle" font-family="Noto Sans, Arial, sans-serif" font-size="17" fill="#f4d35e">${authorLines.map((l, i) => `<tspan x="150" dy="${i === 0 ? 0 : 22}">${esc(l)}</tspan>`).join('')}</text>
</svg>`;
}
