import { type Kysely, sql } from 'kysely';

import { licenceCode } from '../../app/lib/licences';
import { viSortKey } from '../../app/lib/vi-sort';
import { isPostgres } from '../dialect';

// Frozen once landed (issue 11 §5, a newcomer's rough edges):
// - lib_titles.sort_key: a Vietnamese sort key (app/lib/vi-sort.ts) so the catalogue pages in
//   Vietnamese alphabetical order on both dialects ("Đọc…" after "D…"); byte order, hence
//   COLLATE "C" on PostgreSQL (SQLite compares text as bytes by default).
// - courses.licence: the resources' licence codes instead of free text ("CC BY 4.0" → cc-by);
//   a value that names no known licence is left as it was.
// - demo_seeds: which demo record the seed made from which demo entry (a stable key, not the
//   title) and how (e.g. which video it got), so a later start can upgrade what it seeded
//   (a generated video once ffmpeg is installed) without touching what people edited.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .alterTable('lib_titles')
    .addColumn('sort_key', 'text', (c) => {
      const col = c.notNull().defaultTo('');
      return pg ? col.modifyFront(sql`collate "C"`) : col;
    })
    .execute();
  const titles = await db.selectFrom('lib_titles').select(['id', 'title']).execute();
  for (const t of titles as Array<{ id: string; title: string }>)
    await db.updateTable('lib_titles').set({ sort_key: viSortKey(t.title) }).where('id', '=', t.id).execute();
  await db.schema.createIndex('lib_titles_sort_idx').on('lib_titles').column('sort_key').execute();

  await db.schema
    .createTable('demo_seeds')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  const courses = await db.selectFrom('courses').select(['id', 'licence']).execute();
  for (const c of courses as Array<{ id: string; licence: string }>) {
    const code = licenceCode(c.licence);
    if (code && code !== c.licence) await db.updateTable('courses').set({ licence: code }).where('id', '=', c.id).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('demo_seeds').execute();
  await db.schema.dropIndex('lib_titles_sort_idx').execute();
  await db.schema.alterTable('lib_titles').dropColumn('sort_key').execute();
}
