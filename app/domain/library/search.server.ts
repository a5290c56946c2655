/**
 * Keeps the shared search index (app/domain/search) in step with the catalogue: a title is
 * (re)indexed whenever a librarian uploads or edits it, and the seed reindexes every title.
 * Documents use source 'title' and kind 'book', like the search module's reindexLibraryTitles,
 * but link to the title page by slug (/library/<slug>), the URL that exists.
 */
import type { DB } from '~/lib/db.server';
import { indexDocument } from '~/domain/search/index.server';
import { subjectsOf } from './titles.server';

export const SEARCH_SOURCE = 'title';

export async function indexTitle(db: DB, titleId: string): Promise<void> {
  const t = await db.selectFrom('lib_titles').selectAll().where('id', '=', titleId).executeTakeFirst();
  if (!t) return;
  const h = await db.selectFrom('lib_holdings').select('library_id').where('title_id', '=', titleId).orderBy('created_at').limit(1).executeTakeFirst();
  const subjects = subjectsOf(t);
  await indexDocument(db, {
    source: SEARCH_SOURCE,
    id: t.id,
    kind: 'book',
    title: t.title,
    body: [t.author, t.description, subjects.join(', '), t.publisher].filter(Boolean).join('\n'),
    url: `/library/${t.slug}`,
    subject: subjects[0] ?? null,
    language: t.language,
    unitId: h?.library_id ?? null,
    years: t.theme_year ? [t.theme_year] : [],
    publishedAt: t.created_at,
  });
}

/** Every title, e.g. after the seed has (re)built the demo books. */
export async function reindexTitles(db: DB): Promise<number> {
  const ids = await db.selectFrom('lib_titles').select('id').execute();
  for (const { id } of ids) await indexTitle(db, id);
  return ids.length;
}
