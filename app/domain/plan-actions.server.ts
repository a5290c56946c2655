/**
 * The plan editor's buttons: a parsed intent → one plan operation, saying what happened (codes,
 * no UI text, no HTTP). The organiser check is made here too, so no button runs without it; the
 * plan is created (as an empty draft) by the first change, never by reading the page.
 */
import { hasRole } from '~/domain/accounts.server';
import type { PlanEditorInput } from '~/forms/plan-editor';
import type { DB } from '~/lib/db.server';
import { err, ok, type Result } from '~/lib/result';

import { addActivity, deleteActivity, ensurePlan, moveActivity, savePurpose, setPlanStatus, updateActivity } from './plans.server';

export type PlanEditDone = 'purposeSaved' | 'published' | 'unpublished' | 'activities';
export type PlanEditError = 'forbidden' | 'purpose_required';

export async function runPlanEdit(
  db: DB,
  who: { unitId: string; year: number; userId: string },
  input: PlanEditorInput,
): Promise<Result<PlanEditDone, PlanEditError>> {
  if (!(await hasRole(db, who.userId, who.unitId, 'organiser'))) return err('forbidden');
  const plan = await ensurePlan(db, who.unitId, who.year, who.userId);
  switch (input.intent) {
    case 'save-purpose':
    case 'publish':
      await savePurpose(db, plan.id, input.purpose_md);
      if (input.intent === 'save-purpose') return ok('purposeSaved');
      if (!input.purpose_md.trim()) return err('purpose_required');
      await setPlanStatus(db, plan.id, 'published');
      return ok('published');
    case 'unpublish':
      await setPlanStatus(db, plan.id, 'draft');
      return ok('unpublished');
    case 'add-activity':
    case 'update-activity': {
      const a = {
        title: input.title,
        kind: input.kind,
        startsAt: input.starts_at,
        endsAt: input.ends_at,
        place: input.place,
        onlineUrl: input.online_url,
        audience: input.audience,
      };
      if (input.intent === 'add-activity') await addActivity(db, plan.id, a);
      else await updateActivity(db, plan.id, input.activityId, a);
      return ok('activities');
    }
    case 'delete-activity':
      await deleteActivity(db, plan.id, input.activityId);
      return ok('activities');
    case 'move-up':
    case 'move-down':
      await moveActivity(db, plan.id, input.activityId, input.intent === 'move-up' ? 'up' : 'down');
      return ok('activities');
  }
}
