/** Weeks and unit plans: each domain failure code → the message the user sees and the HTTP status, in one place. */
import type { PlanEditError } from '~/domain/plan-actions.server';
import { defineFailures } from '~/lib/result-http.server';

export const planFailures = defineFailures<PlanEditError>({
  forbidden: { message: 'errors.page.forbidden.title', status: 403 },
  purpose_required: { message: 'errors.required', status: 400 },
});
