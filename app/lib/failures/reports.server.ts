/** How Week report failures read to people: one table for the area (see app/CONVENTIONS.md §1). */
import type { UploadError } from '~/domain/oer/uploads.server';
import type { ReportPageError } from '~/domain/reports/actions.server';
import type { AttachError, DetachError } from '~/domain/reports/attachments.server';
import type { FormEditError, NewFormError } from '~/domain/reports/editor.server';
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

/** The report form editor and the new-form page. */
export const formEditorFailures = defineFailures<FormEditError | NewFormError>({
  stale: { message: 'reports.editor.errors.stale', status: 409 },
  not_found: { message: 'reports.editor.errors.notFound', status: 404 },
  forbidden: { message: 'reports.editor.errors.forbidden', status: 403 },
  bad_dates: { message: 'reports.editor.errors.badDates', status: 400 },
  bad_level: { message: 'reports.editor.errors.badLevel', status: 400 },
  duplicate_code: { message: 'reports.editor.errors.duplicateCode', status: 400 },
  bad_code: { message: 'reports.editor.errors.code', status: 400 },
  bad_source: { message: 'reports.editor.errors.badSource', status: 400 },
  bad_range: { message: 'reports.editor.errors.badRange', status: 400 },
  bad_rule: { message: 'reports.editor.errors.badRule', status: 400 },
  in_use: { message: 'reports.editor.errors.inUse', status: 409 },
  not_empty: { message: 'reports.editor.errors.notEmpty', status: 409 },
  last_section: { message: 'reports.editor.errors.lastSection', status: 409 },
  slug_taken: { message: 'reports.editor.errors.slugTaken', status: 409 },
});

/** A report's attachments: the upload check's codes, the caps, and the report's state. */
export const attachmentFailures = defineFailures<AttachError | DetachError | UploadError | 'missing'>({
  missing: { message: 'reports.attachments.errors.missing', status: 400 },
  file_type: { message: 'reports.attachments.errors.fileType', status: 400 },
  file_too_big: { message: 'reports.attachments.errors.fileTooBig', status: 413 },
  too_many: { message: 'reports.attachments.errors.tooMany', status: 409 },
  total_too_big: { message: 'reports.attachments.errors.totalTooBig', status: 409 },
  not_editable: { message: 'reports.attachments.errors.notEditable', status: 409 },
  not_found: { message: 'reports.attachments.errors.notFound', status: 404 },
  forbidden: { message: 'reports.errors.forbidden', status: 403 },
  locked: { message: 'reports.errors.locked', status: 409 },
});
