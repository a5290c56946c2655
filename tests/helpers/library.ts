/** Library rows for tests that need a title but are not about the catalogue (no vitest: the benches use it too). */
import type { DB } from '~/db/connection';
import { newId, nowIso } from '~/lib/ids.server';

/**
 * A library title without a file, written as a row (the catalogue's rules are not what such a test is
 * about): Vietnamese, for everyone, from the content folder unless `origin` says otherwise; its id.
 */
export async function insertTitleRow(
  db: DB,
  t: { title: string; author: string; id?: string; slug?: string; origin?: 'content' | 'upload'; at?: string },
): Promise<string> {
  const id = t.id ?? newId();
  const at = t.at ?? nowIso();
  await db
    .insertInto('lib_titles')
    .values({
      id,
      slug: t.slug ?? `t-${newId(6)}`,
      title: t.title,
      author: t.author,
      language: 'vi',
      description: '',
      subjects: '',
      audience: 'all',
      theme_year: null,
      publisher: null,
      published_year: null,
      file_path: null,
      file_size: null,
      origin: t.origin ?? 'content',
      created_by: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}
