import type { DB } from '~/lib/db.server';

/**
 * A lesson's Markdown with its embedded resources. Authors write `{{resource:<id>}}` on a line
 * of its own; it becomes a link to the repository's resource page. (When the resources area's
 * `getResourceEmbed` lands, this is the one place to switch to a full embed.)
 */
export async function lessonMarkdown(db: DB, md: string): Promise<string> {
  const ids = [...md.matchAll(/\{\{resource:([a-z0-9]{4,40})\}\}/g)].map((m) => m[1]!);
  if (ids.length === 0) return md;
  const titles = new Map<string, string>();
  try {
    const rows = await db.selectFrom('search_docs' as never).select(['ref_id', 'title'] as never).where('source' as never, '=', 'resource' as never).where('ref_id' as never, 'in', ids as never).execute();
    for (const r of rows as Array<{ ref_id: string; title: string }>) titles.set(r.ref_id, r.title);
  } catch {
    // the resources index is not there: plain links
  }
  return md.replace(/\{\{resource:([a-z0-9]{4,40})\}\}/g, (_m, id: string) => `[📎 ${(titles.get(id) ?? id).replace(/[[\]]/g, '')}](/resources/${id})`);
}
