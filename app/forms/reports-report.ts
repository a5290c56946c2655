import { z } from 'zod';

/**
 * The report page's forms: filling (save a draft, submit, submit without the late units below —
 * the figures themselves are `v_<code>` fields checked by the domain against the form's
 * indicators), reviewing (accept / return with a comment), reopening, reminding and removing an
 * attachment (adding one is a multipart form: app/lib/uploads/report-attachment-form.server.ts).
 */
const version = z.coerce.number().int().min(0).max(1_000_000);
export const reportSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('save'), version }),
  z.object({ intent: z.literal('submit'), version }),
  z.object({ intent: z.literal('submitWithout'), version }),
  z.object({ intent: z.literal('accept'), comment: z.string().max(2000).optional().default('') }),
  z.object({ intent: z.literal('return'), comment: z.string().trim().min(1, 'reports.errors.commentRequired').max(2000) }),
  z.object({ intent: z.literal('reopen'), reason: z.string().trim().min(1, 'reports.errors.commentRequired').max(2000) }),
  z.object({ intent: z.literal('remind') }),
  z.object({ intent: z.literal('detach'), attachmentId: z.string().trim().min(1).max(64) }),
]);
export type ReportForm = z.infer<typeof reportSchema>;
