/** The report page's intents → one domain call each (see app/forms/reports-report.ts). */
import type { ReportForm } from '~/forms/reports-report';
import type { DB } from '~/lib/db.server';
import { err, ok, type Result } from '~/lib/result';

import type { ReportAccess } from './access.server';
import { type DetachError, removeAttachment } from './attachments.server';
import { remindLate } from './completeness.server';
import { reopenReport, type ReviewError, reviewReport, type SaveFailure, saveReport } from './reports.server';

export type ReportFlash = 'saved' | 'submitted' | 'accepted' | 'returned' | 'reopened' | 'reminded' | 'detached';
export type ReportPageError = ReviewError | DetachError;

export async function reportIntent(
  db: DB,
  a: ReportAccess,
  form: ReportForm,
  raw: Record<string, string>,
  now = new Date(),
): Promise<Result<{ flash: ReportFlash; count?: number; name?: string }, ReportPageError> | SaveFailure> {
  switch (form.intent) {
    case 'save':
    case 'submit':
    case 'submitWithout': {
      const r = await saveReport(
        db,
        a,
        { intent: form.intent === 'save' ? 'save' : 'submit', version: form.version, raw, without: form.intent === 'submitWithout' },
        now,
      );
      return r.ok ? ok({ flash: form.intent === 'save' ? 'saved' : 'submitted' }) : r;
    }
    case 'accept':
    case 'return': {
      const r = await reviewReport(db, a, form.intent, form.comment, now);
      return r.ok ? ok({ flash: form.intent === 'accept' ? 'accepted' : 'returned' }) : r;
    }
    case 'reopen': {
      const r = await reopenReport(db, a, form.reason, now);
      return r.ok ? ok({ flash: 'reopened' }) : r;
    }
    case 'remind':
      return ok({ flash: 'reminded', count: await remindLate(db, a, now) });
    case 'detach': {
      const r = await removeAttachment(db, a, form.attachmentId, now);
      return r.ok ? ok({ flash: 'detached', name: r.value.name }) : r;
    }
    default:
      return err('forbidden');
  }
}
