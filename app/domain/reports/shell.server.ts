/**
 * What a unit's report page (`/weeks/<year>/reports/<form>/<unit>`) reads about its visitor,
 * captured fresh on each request, so that visitors seen the same way share one render (the shared
 * signed-in renders of app/lib/page-shell.server.ts: `SHELL_VARIANT_PAGES` in
 * app/lib/page-cache-routes.server.ts).
 *
 * The page's loader reads of the visitor only their access to that unit's report (./access.server.ts:
 * may they fill it, review it — accept or return —, reopen it; a reader otherwise); everything else
 * on the page is the unit's (its report, the sums and statuses below, attachments, history,
 * completeness with the organisers' contacts), bumped under `reports:<year>/<form>` by every
 * write (./cache.server.ts), `units` and `weeks:<year>`. Two more inputs are read here:
 * - the clock: whether the deadline has passed (who is late) and the lock date (attachments can no
 *   longer be changed) — both in the key, so the page changes on the first request after either;
 * - while the visitor can fill the report, the platform's own figures for the unit (pre-filled
 *   values, counted from other areas' records that bump nothing here): read on each request and
 *   put in the key, so a new loan or enrolment gives a new render.
 * The report's status and version are in the key too: a render started across a write is never
 * served for the state before it. A visitor without access (403), an unknown form or unit (404):
 * null, their page is rendered for them.
 */
import type { DB } from '~/lib/db.server';

import type { ReportAccess } from './access.server';
import { isLocked, prefillFor, reportDefinition, reportEditable } from './reports.server';
import { deadlineEnd } from './rollups.server';
import { reportAccessBySlug } from './view.server';

export interface ReportPageView {
  access: ReportAccess;
  /** The instant the visitor's state was read: the render's clock. */
  at: string;
  /** The platform's figures for the unit, read now (null: the visitor does not fill the report now). */
  platform: Record<string, number> | null;
}

const PAGE = /^\/weeks\/(\d{4})\/reports\/([^/]+)\/([^/]+)\/?$/;

export async function reportPageVariant(
  db: DB,
  user: { id: string },
  url: URL,
  now = new Date(),
): Promise<{ key: string; view: ReportPageView } | null> {
  const m = PAGE.exec(url.pathname);
  if (!m) return null;
  let formSlug: string;
  let unitSlug: string;
  try {
    formSlug = decodeURIComponent(m[2]!);
    unitSlug = decodeURIComponent(m[3]!);
  } catch {
    return null;
  }
  const a = await reportAccessBySlug(db, Number(m[1]), formSlug, unitSlug, user.id);
  if (a.status !== 'ok') return null;
  const report =
    a.unitId === a.tree.ownerId
      ? null
      : ((await db
          .selectFrom('report_reports')
          .select(['status', 'version', 'form_version'])
          .where('form_id', '=', a.form.id)
          .where('unit_id', '=', a.unitId)
          .executeTakeFirst()) ?? null);
  const status = report?.status ?? 'none';
  const editable = reportEditable(a, status);
  const platform = editable ? await prefillFor(db, a, await reportDefinition(db, a, report)) : null;
  const state = {
    edit: a.canEdit,
    review: a.canReview,
    reopen: a.canReopen,
    late: now.toISOString() >= deadlineEnd(a.form.deadline),
    locked: isLocked(a.form.lock_date, now),
    status,
    version: report?.version ?? 0,
    platform,
  };
  return { key: JSON.stringify(state), view: { access: a, at: now.toISOString(), platform } };
}

/** The report page's captured view, when the request is a shared render's stand-in (else undefined). */
export function asReportPageView(v: unknown): ReportPageView | undefined {
  if (!v || typeof v !== 'object' || !('access' in v) || !('at' in v) || !('platform' in v)) return undefined;
  return v as ReportPageView;
}
