import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect';

// Frozen once landed: the oer area's tables and the shared search index.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('resources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('restrict'))
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id').onDelete('restrict'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('video','document','article','periodical','audio','slides','interactive','simulation')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','submitted','published','returned')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('authors', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('primary','secondary','university','adult','elderly')`))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('licence', 'text', (c) => c.notNull().check(sql`licence in ('cc-by','cc-by-sa','cc-by-nc','cc0','public-domain')`))
    .addColumn('rights_holder', 'text')
    .addColumn('duration_seconds', 'integer')
    .addColumn('page_count', 'integer')
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('media_key', 'text')
    .addColumn('media_type', 'text')
    .addColumn('media_size', 'bigint')
    .addColumn('media_name', 'text')
    .addColumn('captions_key', 'text')
    .addColumn('thumbnail_key', 'text')
    .addColumn('hls_url', 'text')
    .addColumn('external_url', 'text')
    .addColumn('chapters', 'text', (c) => c.notNull())
    .addColumn('review_comment', 'text')
    .addColumn('reviewed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reviewed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('views', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('resources_status_published_idx').on('resources').columns(['status', 'published_at']).execute();
  await db.schema.createIndex('resources_unit_status_idx').on('resources').columns(['unit_id', 'status']).execute();
  await db.schema.createIndex('resources_author_idx').on('resources').columns(['author_id', 'updated_at']).execute();

  await db.schema
    .createTable('resource_years')
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_years_pk', ['resource_id', 'year'])
    .execute();
  await db.schema.createIndex('resource_years_year_idx').on('resource_years').columns(['year', 'resource_id']).execute();

  await db.schema
    .createTable('resource_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('edited_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('resource_versions_unique', ['resource_id', 'version'])
    .execute();

  await db.schema
    .createTable('resource_progress')
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('position_seconds', 'real', (c) => c.notNull())
    .addColumn('duration_seconds', 'real')
    .addColumn('completed', 'integer', (c) => c.notNull().check(sql`completed in (0,1)`))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_progress_pk', ['resource_id', 'user_id'])
    .execute();

  // ---- the shared search index (app/domain/search) ----
  await db.schema
    .createTable('search_docs')
    .addColumn('doc_no', pg ? 'bigint' : 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('title_fold', 'text', (c) => c.notNull())
    .addColumn('body_fold', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('level', 'text')
    .addColumn('licence', 'text')
    .addColumn('unit_id', 'text')
    .addColumn('years', 'text', (c) => c.notNull())
    // Filter values as words ('k0video y02024 u0<unit> u0<ancestor> …', see facetTokens in
    // app/domain/search/index.server.ts): filters are matched in the full-text index itself,
    // intersecting posting lists, instead of checking every match's row.
    .addColumn('facets', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('published_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('search_docs_ref_unique', ['source', 'ref_id'])
    .execute();
  await db.schema.createIndex('search_docs_published_idx').on('search_docs').column('published_at').execute();

  if (pg) {
    // Folding is done by the app (foldVi, đ → d included) so both dialects fold identically and
    // no extension (unaccent) is needed; the 'simple' configuration keeps every word, no stemming.
    await sql`ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('simple'::regconfig, title_fold), 'A') || setweight(to_tsvector('simple'::regconfig, body_fold), 'B')
    ) STORED`.execute(db);
    // Facets in their own tsvector, so a typed word can never match a filter token.
    await sql`ALTER TABLE search_docs ADD COLUMN facet_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, facets)) STORED`.execute(db);
    await sql`CREATE INDEX search_docs_tsv_idx ON search_docs USING gin (tsv)`.execute(db);
    await sql`CREATE INDEX search_docs_facet_idx ON search_docs USING gin (facet_tsv)`.execute(db);
  } else {
    // External-content FTS5 over the folded columns and the facet words, kept in step by
    // triggers. prefix='1 2 3': short prefixes (search while typing) read one posting list
    // instead of merging every term they expand to. (detail='column' would save 40% of the index
    // at the same speed, but a query word that FTS5 splits in two — a few non-Latin letters its
    // Unicode tables class differently from JS — becomes a phrase, which it then refuses.)
    await sql`CREATE VIRTUAL TABLE search_fts USING fts5(title_fold, body_fold, facets, content='search_docs', content_rowid='doc_no',
      tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')`.execute(db);
    await sql`CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
      INSERT INTO search_fts(rowid, title_fold, body_fold, facets) VALUES (new.doc_no, new.title_fold, new.body_fold, new.facets);
    END`.execute(db);
    await sql`CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
      INSERT INTO search_fts(search_fts, rowid, title_fold, body_fold, facets) VALUES ('delete', old.doc_no, old.title_fold, old.body_fold, old.facets);
    END`.execute(db);
    await sql`CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
      INSERT INTO search_fts(search_fts, rowid, title_fold, body_fold, facets) VALUES ('delete', old.doc_no, old.title_fold, old.body_fold, old.facets);
      INSERT INTO search_fts(rowid, title_fold, body_fold, facets) VALUES (new.doc_no, new.title_fold, new.body_fold, new.facets);
    END`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) await sql`DROP TABLE IF EXISTS search_fts`.execute(db);
  for (const t of ['search_docs', 'resource_progress', 'resource_versions', 'resource_years', 'resources']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
