/**
 * Who may do what with a unit's report for a form, following the Week's tree:
 * - edit: an organiser whose grant covers the unit now (on it, or on the unit it was merged into)
 *   without being one of its ancestors in the Week's tree (those review; they do not fill);
 * - review (accept / return): an organiser covering the unit it reports to;
 * - reopen an accepted report: an organiser covering a unit above the reviewer;
 * - read: any of these, or anyone covering an ancestor (a unit reads its subtree, never a sibling's).
 * Used by the routes and by every mutator.
 */
import type { DB } from '~/lib/db.server';

import { type FormTree, formTree, getForm, type ReportForm, reportParent, treeAncestors } from './forms.server';

export interface ReportAccess {
  status: 'ok';
  form: ReportForm;
  tree: FormTree;
  unitId: string;
  userId: string;
  /** Who the unit reports to (null: the owner itself). */
  parentId: string | null;
  canRead: true;
  canEdit: boolean;
  canReview: boolean;
  canReopen: boolean;
}
export type ReportAccessResult = { status: 'missing' } | { status: 'forbidden' } | ReportAccess;

/** Pure part of the check, given the units of the user's grants that cover `[unit, ...ancestors]`. */
export function decide(tree: FormTree, unitId: string, covering: Array<{ grant: string; covered: string }>) {
  const ancestors = treeAncestors(tree, unitId);
  const covered = new Set(covering.map((c) => c.covered));
  const parentId = reportParent(tree, unitId);
  const ancestorSet = new Set(ancestors);
  const canEdit =
    unitId !== tree.ownerId && covering.some((c) => c.covered === unitId && !ancestorSet.has(c.grant) && c.grant !== tree.ownerId);
  const canReview = parentId != null && covered.has(parentId);
  const aboveParent = parentId ? treeAncestors(tree, parentId) : [];
  const canReopen = aboveParent.some((a) => covered.has(a));
  return { parentId, canRead: covered.size > 0, canEdit, canReview, canReopen };
}

/** Grants (organiser or admin) of the user covering any of `unitIds` in today's closure. */
async function coveringGrants(db: DB, userId: string, unitIds: string[]) {
  if (!unitIds.length) return [];
  const rows = await db
    .selectFrom('role_grants as g')
    .innerJoin('unit_closure as c', 'c.ancestor_id', 'g.unit_id')
    .select(['g.unit_id as grant', 'c.descendant_id as covered'])
    .where('g.user_id', '=', userId)
    .where('g.role', 'in', ['organiser', 'admin'])
    .where('c.descendant_id', 'in', unitIds)
    .execute();
  return rows;
}

export async function reportAccessFor(
  db: DB,
  form: ReportForm,
  tree: FormTree,
  unitId: string,
  userId: string,
): Promise<ReportAccessResult> {
  if (unitId !== tree.ownerId && !tree.expected.has(unitId)) return { status: 'missing' };
  // A grant above the owner (the Ministry's admin for a province's form) covers the owner.
  const ids = [unitId, ...treeAncestors(tree, unitId)];
  const covering = await coveringGrants(db, userId, ids);
  const d = decide(tree, unitId, covering);
  if (!d.canRead) return { status: 'forbidden' };
  return { status: 'ok', form, tree, unitId, userId, ...d, canRead: true };
}

/** The access to one unit's report, by the Week, the form's slug and the unit's id. */
export async function reportAccess(db: DB, year: number, formSlug: string, unitId: string, userId: string): Promise<ReportAccessResult> {
  const form = await getForm(db, year, formSlug);
  if (!form) return { status: 'missing' };
  return reportAccessFor(db, form, await formTree(db, form), unitId, userId);
}

/** Units of a form the user fills or reviews: the reports page's "your reports". */
export async function myReportUnits(db: DB, form: ReportForm, tree: FormTree, userId: string) {
  const grants = await db
    .selectFrom('role_grants as g')
    .innerJoin('unit_closure as c', 'c.ancestor_id', 'g.unit_id')
    .select(['g.unit_id as grant', 'c.descendant_id as covered'])
    .where('g.user_id', '=', userId)
    .where('g.role', 'in', ['organiser', 'admin'])
    .execute();
  const byCovered = new Map<string, Array<{ grant: string; covered: string }>>();
  for (const g of grants) {
    if (!tree.units.has(g.covered)) continue;
    const list = byCovered.get(g.covered) ?? [];
    list.push(g);
    byCovered.set(g.covered, list);
  }
  const fill: string[] = [];
  const top: string[] = [];
  for (const id of [tree.ownerId, ...tree.expected]) {
    const covering = [id, ...treeAncestors(tree, id)].flatMap((a) => byCovered.get(a) ?? []);
    if (!covering.length) continue;
    const d = decide(tree, id, covering);
    if (d.canEdit) fill.push(id);
    // The highest units the user reads: their consolidated pages.
    const parentRead = id !== tree.ownerId && treeAncestors(tree, id).some((a) => (byCovered.get(a) ?? []).length);
    if (!parentRead) top.push(id);
  }
  return { fill, top };
}
