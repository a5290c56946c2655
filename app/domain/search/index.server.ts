/**
 * The shared Vietnamese-aware search index. Any area feeds it with `indexDocument` (and
 * `removeDocument` when a thing stops being public) and reads it with `search`.
 *
 * SQLite: an external-content FTS5 table over app-folded columns (đ → d included), bm25 with the
 * title weighted 10:1. PostgreSQL: a generated tsvector (title weight A, body weight B) with a
 * GIN index, ranked by ts_rank. Both: an unaccented query word matches every accent; an accented
 * word must also occur with exactly those marks in the original text (post-filter in SQL).
 */
import { sql, type RawBuilder } from 'kysely';
import type { DB } from '~/lib/db.server';
import { nowIso } from '~/lib/ids.server';
import { isPostgres, toNumber, writeTransaction } from '../../../db/dialect';
import { caseVariants, foldVi, nfc, parseQuery, snippet, type QueryTerm, type SnippetPart } from './fold';

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

function docRow(doc: IndexInput) {
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
    language: doc.language ?? null,
    published_at: doc.publishedAt ?? null,
    updated_at: nowIso(),
  };
}

const UPDATABLE = ['kind', 'title', 'body', 'title_fold', 'body_fold', 'url', 'subject', 'level', 'licence', 'unit_id', 'years', 'language', 'published_at', 'updated_at'] as const;

/** Adds or replaces one document (idempotent). */
export async function indexDocument(db: DB, doc: IndexInput): Promise<void> {
  await indexDocuments(db, [doc]);
}

/** Adds or replaces many documents with multi-row upserts (bulk reindexing, imports). */
export async function indexDocuments(db: DB, docs: IndexInput[], chunk = 500): Promise<void> {
  for (let i = 0; i < docs.length; i += chunk) {
    const rows = docs.slice(i, i + chunk).map(docRow);
    await db
      .insertInto('search_docs')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['source', 'ref_id']).doUpdateSet((eb) => Object.fromEntries(UPDATABLE.map((c) => [c, eb.ref(`excluded.${c}`)])) as never),
      )
      .execute();
  }
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
  hits: SearchHit[];
}

function ftsMatch(terms: QueryTerm[]): string {
  // Terms hold only letters and digits; quoting still guards against FTS5 keywords (AND, NEAR).
  return terms.map((t) => `"${t.folded}"${t.prefix ? '*' : ''}`).join(' ');
}

function tsQuery(terms: QueryTerm[]): string {
  return terms.map((t) => `${t.folded}${t.prefix ? ':*' : ''}`).join(' & ');
}

function conditions(db: DB, terms: QueryTerm[], f: SearchFilters): RawBuilder<unknown>[] {
  const pg = isPostgres(db);
  const c: RawBuilder<unknown>[] = [];
  if (f.source) c.push(sql`d.source = ${f.source}`);
  if (f.kind) c.push(sql`d.kind = ${f.kind}`);
  if (f.subject) c.push(sql`d.subject = ${f.subject}`);
  if (f.level) c.push(sql`d.level = ${f.level}`);
  if (f.licence) c.push(sql`d.licence = ${f.licence}`);
  if (f.language) c.push(sql`d.language = ${f.language}`);
  if (f.year && Number.isInteger(f.year)) c.push(sql`d.years like ${`%|${f.year}|%`}`);
  if (f.unitId) c.push(sql`d.unit_id in (select descendant_id from unit_closure where ancestor_id = ${f.unitId})`);
  for (const t of terms) {
    if (!t.accented) continue;
    const checks = caseVariants(t.raw).flatMap((v) =>
      pg ? [sql`strpos(d.title, ${v}) > 0`, sql`strpos(d.body, ${v}) > 0`] : [sql`instr(d.title, ${v}) > 0`, sql`instr(d.body, ${v}) > 0`],
    );
    c.push(sql`(${sql.join(checks, sql` or `)})`);
  }
  return c;
}

/** SQLite: how many matches are ranked by relevance at most (see `search`). */
export const RANK_WINDOW = 500;

const where = (c: RawBuilder<unknown>[]) => (c.length ? sql`where ${sql.join(c, sql` and `)}` : sql``);

/** Ranked, filtered search; an empty query lists the newest documents matching the filters. */
export async function search(db: DB, q: string, filters: SearchFilters = {}, opts: { limit?: number; offset?: number } = {}): Promise<SearchResult> {
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 100);
  const offset = Math.max(opts.offset ?? 0, 0);
  const terms = parseQuery(q).filter((t) => t.folded.length > 0);
  const pg = isPostgres(db);
  const cols = sql`d.source, d.ref_id, d.kind, d.title, d.body, d.url, d.subject, d.level, d.licence, d.unit_id, d.published_at`;
  let rows: Array<Record<string, unknown>>;
  let total: number;
  let exact = true;
  if (terms.length === 0) {
    const c = conditions(db, terms, filters);
    rows = (await sql<Record<string, unknown>>`select ${cols} from search_docs d ${where(c)} order by d.published_at desc, d.doc_no desc limit ${limit} offset ${offset}`.execute(db)).rows;
    total = toNumber((await sql<{ n: unknown }>`select count(*) as n from search_docs d ${where(c)}`.execute(db)).rows[0]?.n);
  } else if (pg) {
    const c = [sql`d.tsv @@ to_tsquery('simple', ${tsQuery(terms)})`, ...conditions(db, terms, filters)];
    rows = (
      await sql<Record<string, unknown>>`select ${cols}, ts_rank('{0.1, 0.2, 0.1, 1.0}', d.tsv, to_tsquery('simple', ${tsQuery(terms)})) as rank
        from search_docs d ${where(c)} order by rank desc, d.published_at desc limit ${limit} offset ${offset}`.execute(db)
    ).rows;
    total = toNumber((await sql<{ n: unknown }>`select count(*) as n from search_docs d ${where(c)}`.execute(db)).rows[0]?.n);
  } else {
    // bm25 costs time in proportion to the matches (100 ms for a word in 90k documents). So bm25
    // ranks all matches only when there are at most RANK_WINDOW of them. A broader query (a
    // common word) takes the RANK_WINDOW newest matches — FTS5 walks rowids newest first
    // cheaply — and orders them by how many query words the title holds, then newest first;
    // its total is reported as "more than RANK_WINDOW" rather than counted.
    const c = [sql`search_fts match ${ftsMatch(terms)}`, ...conditions(db, terms, filters)];
    const from = sql`from search_fts join search_docs d on d.doc_no = search_fts.rowid`;
    const window = Math.max(RANK_WINDOW, offset + limit);
    const edge = (await sql<{ r: unknown }>`select search_fts.rowid as r ${from} ${where(c)} order by search_fts.rowid desc limit 1 offset ${window - 1}`.execute(db)).rows[0];
    if (edge) {
      // Inlined (an integer from the index): with a bound parameter SQLite does not hand the
      // rowid range to FTS5 and the query is ten times slower.
      const edgeRowid = Math.trunc(toNumber(edge.r));
      const inTitle = sql.join(terms.map((t) => sql`(instr(d.title_fold, ${t.folded}) > 0)`), sql` + `);
      rows = (
        await sql<Record<string, unknown>>`select ${cols}, ${inTitle} as rank
          ${from} ${where([...c, sql`search_fts.rowid >= ${sql.lit(edgeRowid)}`])} order by rank desc, d.doc_no desc limit ${limit} offset ${offset}`.execute(db)
      ).rows;
      total = window;
      exact = false;
    } else {
      rows = (
        await sql<Record<string, unknown>>`select ${cols}, bm25(search_fts, 10.0, 1.0) as rank
          ${from} ${where(c)} order by rank limit ${limit} offset ${offset}`.execute(db)
      ).rows;
      total = toNumber((await sql<{ n: unknown }>`select count(*) as n ${from} ${where(c)}`.execute(db)).rows[0]?.n);
    }
  }
  return {
    query: q,
    total,
    totalExact: exact,
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
      snippet: snippet(String(r.body), terms, 200),
    })),
  };
}

/** The library's title page (app/routes/library.$slug.tsx). */
export const libraryTitleUrl = (slug: string) => `/library/${encodeURIComponent(slug)}`;

/**
 * Indexes the library's catalogue (`lib_titles`) as source 'title', kind 'book': title, author,
 * description, subjects and publisher are searchable; the unit is the first library holding it
 * (so a unit-scoped search finds its libraries' books); the theme year is the Week year. Titles
 * no longer in the catalogue are dropped from the index. With `titleId`, only that title.
 * Read-only on the library's tables (that area owns them).
 */
export async function reindexLibraryTitles(db: DB, titleId?: string): Promise<number> {
  let q = db
    .selectFrom('lib_titles as t')
    .select(['t.id', 't.slug', 't.title', 't.author', 't.description', 't.subjects', 't.publisher', 't.language', 't.theme_year', 't.created_at'])
    .select((eb) =>
      eb
        .selectFrom('lib_holdings as h')
        .select('h.library_id')
        .whereRef('h.title_id', '=', 't.id')
        .orderBy('h.created_at')
        .orderBy('h.id')
        .limit(1)
        .as('library_id'),
    );
  if (titleId) q = q.where('t.id', '=', titleId);
  const rows = await q.execute();
  return writeTransaction(db, async (trx) => {
    await indexDocuments(
      trx,
      rows.map((r) => ({
        source: 'title',
        id: r.id,
        kind: 'book',
        title: r.title,
        body: [r.author, r.description, r.subjects.split(',').map((x) => x.trim()).filter(Boolean).join(', '), r.publisher].filter(Boolean).join('\n'),
        url: libraryTitleUrl(r.slug),
        language: r.language,
        unitId: r.library_id ?? null,
        years: r.theme_year ? [r.theme_year] : [],
        publishedAt: r.created_at,
      })),
    );
    const stale = trx.deleteFrom('search_docs').where('source', '=', 'title');
    if (!titleId) await stale.where('ref_id', 'not in', trx.selectFrom('lib_titles').select('id')).execute();
    else if (!rows.length) await stale.where('ref_id', '=', titleId).execute();
    return rows.length;
  });
}
