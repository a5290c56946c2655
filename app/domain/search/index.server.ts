/**
 * The shared Vietnamese-aware search index. Any area feeds it with `indexDocument` (and
 * `removeDocument` when a thing stops being public) and reads it with `search`.
 *
 * SQLite: an external-content FTS5 table over app-folded columns (đ → d included), bm25 with the
 * title weighted 10:1. PostgreSQL: a generated tsvector (title weight A, body weight B) with a
 * GIN index, ranked by ts_rank. Both: an unaccented query word matches every accent; an accented
 * word must also occur with exactly those marks in the original text (post-filter in SQL).
 *
 * Filters are words too: each document carries facet tokens (facetTokens: kind, source, subject,
 * level, licence, language, years, its unit and every ancestor unit) in an FTS5 column (SQLite)
 * or a second tsvector (PostgreSQL), so a filtered query is one index intersection rather than
 * a check of every match's row. Units do not move in the hierarchy (units.server.ts has no move);
 * if they ever do, the moved subtree's documents must be reindexed.
 */
import { type RawBuilder, sql } from 'kysely';

import { isPostgres, toNumber } from '~/db/dialect';
import { prepareQuery } from '~/db/prepared';
import type { DB } from '~/lib/db.server';
import { nowIso } from '~/lib/ids.server';

import { caseVariants, foldVi, nfc, parseQuery, type QueryTerm, snippet, type SnippetPart } from './fold';
import { markdownToPlainText } from './plain-text.server';

export interface IndexInput {
  /** The area the document belongs to: 'resource', 'title' (library), 'course', … */
  source: string;
  id: string;
  /** A finer type, used as the "kind" filter (e.g. video, document; book). */
  kind: string;
  title: string;
  body: string;
  url: string;
  subject?: string | null;
  level?: string | null;
  licence?: string | null;
  unitId?: string | null;
  years?: number[];
  language?: string | null;
  publishedAt?: string | null;
}

const MAX_BODY = 60_000;

/** One filter value as one index word: [a-z0-9] values readable, anything else hex (injective). */
function facetToken(field: string, value: string | number): string {
  const v = String(value);
  return /^[a-z0-9]+$/.test(v) ? `${field}0${v}` : `${field}1${Buffer.from(v, 'utf8').toString('hex')}`;
}

/** Facet words of a document; `units` = its unit and every ancestor. */
function facetTokens(doc: IndexInput, units: string[]): string {
  const t = [facetToken('s', doc.source), facetToken('k', doc.kind)];
  if (doc.subject) t.push(facetToken('j', doc.subject));
  if (doc.level) t.push(facetToken('l', doc.level));
  if (doc.licence) t.push(facetToken('c', doc.licence));
  if (doc.language) t.push(facetToken('g', doc.language));
  for (const y of new Set(doc.years ?? [])) t.push(facetToken('y', y));
  for (const u of units) t.push(facetToken('u', u));
  return t.join(' ');
}

/** The facet words a filter set requires (all of them). */
function filterTokens(f: SearchFilters): string[] {
  const t: string[] = [];
  if (f.source) t.push(facetToken('s', f.source));
  if (f.kind) t.push(facetToken('k', f.kind));
  if (f.subject) t.push(facetToken('j', f.subject));
  if (f.level) t.push(facetToken('l', f.level));
  if (f.licence) t.push(facetToken('c', f.licence));
  if (f.language) t.push(facetToken('g', f.language));
  if (f.year && Number.isInteger(f.year)) t.push(facetToken('y', f.year));
  if (f.unitId) t.push(facetToken('u', f.unitId));
  return t;
}

function docRow(doc: IndexInput, units: string[]) {
  const title = nfc(doc.title).trim();
  const body = nfc(doc.body).slice(0, MAX_BODY);
  return {
    source: doc.source,
    ref_id: doc.id,
    kind: doc.kind,
    title,
    body,
    title_fold: foldVi(title),
    body_fold: foldVi(body),
    url: doc.url,
    subject: doc.subject ?? null,
    level: doc.level ?? null,
    licence: doc.licence ?? null,
    unit_id: doc.unitId ?? null,
    years: doc.years && doc.years.length ? `|${[...new Set(doc.years)].sort().join('|')}|` : '',
    facets: facetTokens(doc, units),
    language: doc.language ?? null,
    published_at: doc.publishedAt ?? null,
    updated_at: nowIso(),
  };
}

const UPDATABLE = [
  'kind',
  'title',
  'body',
  'title_fold',
  'body_fold',
  'url',
  'subject',
  'level',
  'licence',
  'unit_id',
  'years',
  'facets',
  'language',
  'published_at',
  'updated_at',
] as const;

/** Adds or replaces one document (idempotent). */
export async function indexDocument(db: DB, doc: IndexInput): Promise<void> {
  await indexDocuments(db, [doc]);
}

// One document at a time (a forum reply) runs these: built and compiled once (~/db/prepared).
const ancestorsOf = prepareQuery((db: DB, unitId: string) =>
  db.selectFrom('unit_closure').select('ancestor_id').where('descendant_id', '=', unitId).where('depth', '>', 0),
);
const COLUMNS = ['source', 'ref_id', ...UPDATABLE] as const;
const upsertOne = prepareQuery((db: DB, v: unknown[]) =>
  db
    .insertInto('search_docs')
    .values(Object.fromEntries(COLUMNS.map((c, i) => [c, v[i]])) as never)
    .onConflict((oc) =>
      oc.columns(['source', 'ref_id']).doUpdateSet((eb) => Object.fromEntries(UPDATABLE.map((c) => [c, eb.ref(`excluded.${c}`)])) as never),
    ),
);

/** Adds or replaces many documents with multi-row upserts (bulk reindexing, imports). */
export async function indexDocuments(db: DB, docs: IndexInput[], chunk = 500): Promise<void> {
  if (docs.length === 1) {
    const d = docs[0]!;
    const units = d.unitId ? [d.unitId, ...(await ancestorsOf.execute(db, d.unitId)).map((r) => r.ancestor_id)] : [];
    const row = docRow(d, units);
    await upsertOne.execute(
      db,
      COLUMNS.map((c) => row[c]),
    );
    return;
  }
  for (let i = 0; i < docs.length; i += chunk) {
    const part = docs.slice(i, i + chunk);
    const unitIds = [...new Set(part.map((d) => d.unitId).filter((u): u is string => !!u))];
    const ancestors = new Map<string, string[]>(unitIds.map((u) => [u, [u]]));
    if (unitIds.length) {
      const rows = await db
        .selectFrom('unit_closure')
        .select(['ancestor_id', 'descendant_id'])
        .where('descendant_id', 'in', unitIds)
        .where('depth', '>', 0)
        .execute();
      for (const r of rows) ancestors.get(r.descendant_id)!.push(r.ancestor_id);
    }
    const rows = part.map((d) => docRow(d, d.unitId ? ancestors.get(d.unitId)! : []));
    await db
      .insertInto('search_docs')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['source', 'ref_id'])
          .doUpdateSet((eb) => Object.fromEntries(UPDATABLE.map((c) => [c, eb.ref(`excluded.${c}`)])) as never),
      )
      .execute();
  }
}

/**
 * Merges the SQLite full-text index into one segment (no-op on PostgreSQL). Call it after a bulk
 * (re)indexing: a freshly bulk-loaded index is made of many segments that every query has to
 * read (measured on 100k documents: p95 17.6 → 12.5 ms). Takes seconds at that scale and holds
 * the write lock meanwhile, so not after each small update.
 */
export async function optimizeSearchIndex(db: DB): Promise<void> {
  if (!isPostgres(db)) await sql`insert into search_fts(search_fts) values ('optimize')`.execute(db);
}

export async function removeDocument(db: DB, source: string, id: string): Promise<void> {
  await db.deleteFrom('search_docs').where('source', '=', source).where('ref_id', '=', id).execute();
}

export interface SearchFilters {
  source?: string;
  kind?: string;
  subject?: string;
  level?: string;
  licence?: string;
  /** Documents of this unit and of every unit below it. */
  unitId?: string;
  year?: number;
  language?: string;
}

export interface SearchHit {
  source: string;
  id: string;
  kind: string;
  title: string;
  url: string;
  subject: string | null;
  level: string | null;
  licence: string | null;
  unitId: string | null;
  publishedAt: string | null;
  titleParts: SnippetPart[];
  snippet: SnippetPart[];
}

export interface SearchResult {
  query: string;
  /** The number of hits, or a lower bound when `totalExact` is false (a very broad query). */
  total: number;
  totalExact: boolean;
  /** The query held no word to look for (only punctuation such as `"`, `:`, `*`, `-`): nothing was searched. */
  needsTerm: boolean;
  hits: SearchHit[];
}

/**
 * The FTS5 MATCH expression: the words in title/body (the last one as a prefix), the filters in
 * the facets column. Terms hold only letters and digits and facet tokens only [a-z0-9]; quoting
 * still guards against FTS5 keywords (AND, NEAR).
 */
function ftsMatch(terms: QueryTerm[], facets: string[]): string {
  const parts: string[] = [];
  if (terms.length) parts.push(`{title_fold body_fold} : (${terms.map((t) => `"${t.folded}"${t.prefix ? '*' : ''}`).join(' AND ')})`);
  if (facets.length) parts.push(`facets : (${facets.map((t) => `"${t}"`).join(' AND ')})`);
  return parts.join(' AND ');
}

function tsQuery(terms: QueryTerm[]): string {
  return terms.map((t) => `${t.folded}${t.prefix ? ':*' : ''}`).join(' & ');
}

/** Accented words must also occur with exactly those marks in the original text. */
function accentChecks(db: DB, terms: QueryTerm[]): RawBuilder<unknown>[] {
  const pg = isPostgres(db);
  const c: RawBuilder<unknown>[] = [];
  for (const t of terms) {
    if (!t.accented) continue;
    const checks = caseVariants(t.raw).flatMap((v) =>
      pg ? [sql`strpos(d.title, ${v}) > 0`, sql`strpos(d.body, ${v}) > 0`] : [sql`instr(d.title, ${v}) > 0`, sql`instr(d.body, ${v}) > 0`],
    );
    c.push(sql`(${sql.join(checks, sql` or `)})`);
  }
  return c;
}

/**
 * How many matches are ranked by relevance at most. Ranking costs time in proportion to the
 * matches (bm25 on a word in 90k documents: ~100 ms), so a broader query ranks only its
 * RANK_WINDOW newest matches (the index walks them newest first cheaply) and reports "more than
 * RANK_WINDOW" instead of a count.
 */
export const RANK_WINDOW = 500;

const TOKEN = /[\p{L}\p{N}]+/gu;

/** doc_no of one page of `ids` (newest first), ranked by title hits: title matches above body matches. */
async function rankByTitle(db: DB, ids: number[], terms: QueryTerm[], limit: number, offset: number): Promise<number[]> {
  // The ids are integers read from the index: inlined, one statement whatever their number.
  const rows = (
    await sql<{
      n: unknown;
      t: string;
    }>`select doc_no as n, title_fold as t from search_docs where doc_no in (${sql.raw(ids.join(','))})`.execute(db)
  ).rows;
  const scored = rows.map((r) => {
    const words = new Set(r.t.toLowerCase().match(TOKEN) ?? []);
    let hits = 0;
    for (const t of terms) {
      if (words.has(t.folded)) hits++;
      else if (t.prefix)
        for (const w of words)
          if (w.startsWith(t.folded)) {
            hits++;
            break;
          }
    }
    return { n: Math.trunc(toNumber(r.n)), hits };
  });
  scored.sort((a, b) => b.hits - a.hits || b.n - a.n);
  return scored.slice(offset, offset + limit).map((x) => x.n);
}

const where = (c: RawBuilder<unknown>[]) => (c.length ? sql`where ${sql.join(c, sql` and `)}` : sql``);

/** Ranked, filtered search; an empty query lists the newest documents matching the filters. */
export async function search(
  db: DB,
  q: string,
  filters: SearchFilters = {},
  opts: { limit?: number; offset?: number } = {},
): Promise<SearchResult> {
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 100);
  const offset = Math.max(opts.offset ?? 0, 0);
  const terms = parseQuery(q).filter((t) => t.folded.length > 0);
  // A query of punctuation only is not "no query": answer nothing rather than every document.
  if (terms.length === 0 && q.trim().length > 0) return { query: q, total: 0, totalExact: true, needsTerm: true, hits: [] };
  const facets = filterTokens(filters);
  const pg = isPostgres(db);
  const cols = sql`d.source, d.ref_id, d.kind, d.title, d.body, d.url, d.subject, d.level, d.licence, d.unit_id, d.published_at`;
  const window = Math.max(RANK_WINDOW, offset + limit);
  const accents = accentChecks(db, terms);
  let rows: Array<Record<string, unknown>>;
  let total: number;
  let exact = true;
  if (pg) {
    const c: RawBuilder<unknown>[] = [];
    if (terms.length) c.push(sql`d.tsv @@ to_tsquery('simple', ${tsQuery(terms)})`);
    if (facets.length) c.push(sql`d.facet_tsv @@ to_tsquery('simple', ${facets.join(' & ')})`);
    c.push(...accents);
    if (terms.length === 0) {
      rows = (
        await sql<
          Record<string, unknown>
        >`select ${cols} from search_docs d ${where(c)} order by d.published_at desc, d.doc_no desc limit ${limit} offset ${offset}`.execute(
          db,
        )
      ).rows;
      total = toNumber((await sql<{ n: unknown }>`select count(*) as n from search_docs d ${where(c)}`.execute(db)).rows[0]?.n);
    } else {
      // The newest window+1 matches (doc_no only: no tsvector is read to rank them) bound the
      // ranking; ts_rank then reads at most `window` rows.
      const ids = (
        await sql<{ n: unknown }>`select d.doc_no as n from search_docs d ${where(c)} order by d.doc_no desc limit ${window + 1}`.execute(
          db,
        )
      ).rows.map((r) => Math.trunc(toNumber(r.n)));
      if (ids.length > window) {
        ids.pop();
        exact = false;
      }
      total = ids.length;
      rows = ids.length
        ? (
            await sql<
              Record<string, unknown>
            >`select ${cols}, ts_rank('{0.1, 0.2, 0.1, 1.0}', d.tsv, to_tsquery('simple', ${tsQuery(terms)})) as rank
              from search_docs d where d.doc_no = any(${sql.lit(`{${ids.join(',')}}`)}::bigint[]) order by rank desc, d.doc_no desc limit ${limit} offset ${offset}`.execute(
              db,
            )
          ).rows
        : [];
    }
  } else if (terms.length === 0 && facets.length === 0) {
    rows = (
      await sql<
        Record<string, unknown>
      >`select ${cols} from search_docs d order by d.published_at desc, d.doc_no desc limit ${limit} offset ${offset}`.execute(db)
    ).rows;
    total = toNumber((await sql<{ n: unknown }>`select count(*) as n from search_docs d`.execute(db)).rows[0]?.n);
  } else if (terms.length === 0) {
    // Filters only: the facet words select the documents; newest published first.
    const m = sql`d.doc_no in (select rowid from search_fts where search_fts match ${ftsMatch([], facets)})`;
    rows = (
      await sql<
        Record<string, unknown>
      >`select ${cols} from search_docs d where ${m} order by d.published_at desc, d.doc_no desc limit ${limit} offset ${offset}`.execute(
        db,
      )
    ).rows;
    total = toNumber(
      (await sql<{ n: unknown }>`select count(*) as n from search_fts where search_fts match ${ftsMatch([], facets)}`.execute(db)).rows[0]
        ?.n,
    );
  } else {
    // 1. The newest window+1 matches: words and filters intersected inside FTS5, rowids only
    //    (the row is read only to check accents). 2. Rank them in the app by how many query
    //    words the title holds, newest first among equals: bm25 was measured at 10–40 ms here, as
    //    it reads each word's whole posting list for its IDF, while the matching itself takes
    //    1–10 ms. 3. Read the rows of the requested page only.
    const match = ftsMatch(terms, facets);
    const from = accents.length ? sql`from search_fts join search_docs d on d.doc_no = search_fts.rowid` : sql`from search_fts`;
    const ids = (
      await sql<{
        r: unknown;
      }>`select search_fts.rowid as r ${from} ${where([sql`search_fts match ${match}`, ...accents])} order by search_fts.rowid desc limit ${window + 1}`.execute(
        db,
      )
    ).rows.map((r) => Math.trunc(toNumber(r.r)));
    if (ids.length > window) {
      ids.pop();
      exact = false;
    }
    total = ids.length;
    const page = ids.length > offset ? await rankByTitle(db, ids, terms, limit, offset) : [];
    rows = page.length
      ? (await sql<Record<string, unknown>>`select ${cols}, d.doc_no from search_docs d where d.doc_no in (${sql.join(page)})`.execute(db))
          .rows
      : [];
    const at = new Map(page.map((n, i) => [n, i]));
    rows.sort((x, y) => at.get(Math.trunc(toNumber(x.doc_no)))! - at.get(Math.trunc(toNumber(y.doc_no)))!);
  }
  return {
    query: q,
    total,
    totalExact: exact,
    needsTerm: false,
    hits: rows.map((r) => ({
      source: String(r.source),
      id: String(r.ref_id),
      kind: String(r.kind),
      title: String(r.title),
      url: String(r.url),
      subject: (r.subject as string | null) ?? null,
      level: (r.level as string | null) ?? null,
      licence: (r.licence as string | null) ?? null,
      unitId: (r.unit_id as string | null) ?? null,
      publishedAt: (r.published_at as string | null) ?? null,
      titleParts: snippet(String(r.title), terms, 400),
      // Bodies are Markdown (resources, courses): the snippet shows their words, not their markup.
      snippet: snippet(markdownToPlainText(String(r.body)), terms, 200),
    })),
  };
}
