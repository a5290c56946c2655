/** How Week report failures read to people: one table for the area (see app/CONVENTIONS.md §1). */
import type { ReportPageError } from '~/domain/reports/actions.server';
import type { SaveError } from '~/domain/reports/reports.server';
import { defineFailures } from '~/lib/result-http.server';

export const reportFailures = defineFailures<ReportPageError | SaveError>({
  not_found: { message: 'reports.errors.notFound', status: 404 },
  forbidden: { message: 'reports.errors.forbidden', status: 403 },
  wrong_state: { message: 'reports.errors.wrongState', status: 409 },
  comment_required: { message: 'reports.errors.commentRequired', status: 400 },
  locked: { message: 'reports.errors.locked', status: 409 },
  not_editable: { message: 'reports.errors.notEditable', status: 409 },
  invalid: { message: 'reports.errors.fixFields', status: 400 },
  stale: { message: 'reports.errors.fixFields', status: 409 },
  children_pending: { message: 'reports.errors.fixFields', status: 409 },
});
