/**
 * The page-cache names of the reports area (app/lib/page-cache.server.ts): every write that
 * changes what a form's report pages show bumps `reports:<year>/<form slug>` — the name the
 * shared signed-in renders of those pages depend on (`reports` in app/lib/page-cache-routes.server.ts,
 * keyed from the page's path) and the kept roll-ups (`rollup` in ./reports.server.ts). A form's
 * slug never changes once made. Writes of other areas the pages show bump the whole area
 * (`reportsShowChanged`): a role granted or revoked (the organisers listed next to missing units,
 * who fills and who reviews) and a person's name (report history, attachments, organisers).
 */
import type { DB } from '~/lib/db.server';
import { bumpCache } from '~/lib/page-cache.server';

/** The key of a form's pages under the `reports` area: `<year>/<slug>` (from the page's path too). */
export function reportsCacheKey(form: { week_year: number; slug: string }): string {
  return `${form.week_year}/${form.slug}`;
}

/** After a write to one form's reports, attachments or definition has committed. */
export async function reportsChanged(db: DB, form: { week_year: number; slug: string }): Promise<void> {
  await bumpCache(db, 'reports', reportsCacheKey(form));
}

/** After a change elsewhere that every report page may show (role grants, people's names). */
export async function reportsShowChanged(db: DB): Promise<void> {
  await bumpCache(db, 'reports');
}
