/**
 * Keeps the shared search index (app/domain/search) in step with the catalogue: a title is
 * (re)indexed whenever a librarian uploads or edits it, and the seed reindexes every title.
 * The library owns how its titles are searched: title, author, description, subjects and
 * publisher; the unit is the first library holding it (so a unit-scoped search finds its
 * libraries' books); the year is its Week theme year; results link to /library/<slug>.
 */
import { writeTransaction } from '~/db/dialect';
import { indexDocuments } from '~/domain/search/index.server';
import type { DB } from '~/lib/db.server';

import { subjectsOf } from './titles.server';

export const SEARCH_SOURCE = 'title';

export const titleUrl = (slug: string) => `/library/${encodeURIComponent(slug)}`;

/**
 * (Re)indexes every title, or only `titleId`; titles no longer in the catalogue leave the index.
 * Returns how many titles were indexed.
 */
export async function reindexTitles(db: DB, titleId?: string): Promise<number> {
  let q = db
    .selectFrom('lib_titles as t')
    .selectAll('t')
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
      rows.map((t) => {
        const subjects = subjectsOf(t);
        return {
          source: SEARCH_SOURCE,
          id: t.id,
          kind: 'book',
          title: t.title,
          body: [t.author, t.description, subjects.join(', '), t.publisher].filter(Boolean).join('\n'),
          url: titleUrl(t.slug),
          subject: subjects[0] ?? null,
          language: t.language,
          unitId: t.library_id ?? null,
          years: t.theme_year ? [t.theme_year] : [],
          publishedAt: t.created_at,
        };
      }),
    );
    const stale = trx.deleteFrom('search_docs').where('source', '=', SEARCH_SOURCE);
    if (!titleId) await stale.where('ref_id', 'not in', trx.selectFrom('lib_titles').select('id')).execute();
    else if (!rows.length) await stale.where('ref_id', '=', titleId).execute();
    return rows.length;
  });
}

export async function indexTitle(db: DB, titleId: string): Promise<void> {
  await reindexTitles(db, titleId);
}
