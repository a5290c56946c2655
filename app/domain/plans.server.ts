import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import type { ActivityKind } from '../../db/schema';

export interface ActivityInput {
  title: string;
  kind: ActivityKind;
  startsAt: string;
  endsAt: string;
  place: string;
  onlineUrl: string | null;
  audience: string;
}

export function getPlan(db: DB, unitId: string, year: number) {
  return db.selectFrom('plans').selectAll().where('unit_id', '=', unitId).where('week_year', '=', year).executeTakeFirst();
}

export function getActivities(db: DB, planId: string) {
  return db.selectFrom('plan_activities').selectAll().where('plan_id', '=', planId).orderBy('position').execute();
}

/** The plan of a unit for a Week, created as an empty draft the first time an organiser opens it. */
export async function ensurePlan(db: DB, unitId: string, year: number, userId: string) {
  const existing = await getPlan(db, unitId, year);
  if (existing) return existing;
  const now = nowIso();
  await db
    .insertInto('plans')
    .values({ id: newId(), unit_id: unitId, week_year: year, status: 'draft', purpose_md: '', created_by: userId, created_at: now, updated_at: now, published_at: null })
    .onConflict((oc) => oc.columns(['unit_id', 'week_year']).doNothing())
    .execute();
  return (await getPlan(db, unitId, year))!;
}

export async function savePurpose(db: DB, planId: string, purposeMd: string): Promise<void> {
  await db.updateTable('plans').set({ purpose_md: purposeMd, updated_at: nowIso() }).where('id', '=', planId).execute();
}

export async function setPlanStatus(db: DB, planId: string, status: 'draft' | 'published'): Promise<void> {
  const now = nowIso();
  await db
    .updateTable('plans')
    .set({ status, updated_at: now, published_at: status === 'published' ? now : null })
    .where('id', '=', planId)
    .execute();
}

export async function addActivity(db: DB, planId: string, a: ActivityInput): Promise<string> {
  const id = newId();
  await db.transaction().execute(async (trx) => {
    const last = await trx.selectFrom('plan_activities').select('position').where('plan_id', '=', planId).orderBy('position', 'desc').limit(1).executeTakeFirst();
    await trx
      .insertInto('plan_activities')
      .values({ id, plan_id: planId, position: (last?.position ?? 0) + 1, title: a.title, kind: a.kind, starts_at: a.startsAt, ends_at: a.endsAt, place: a.place, online_url: a.onlineUrl, audience: a.audience })
      .execute();
    await trx.updateTable('plans').set({ updated_at: nowIso() }).where('id', '=', planId).execute();
  });
  return id;
}

export async function updateActivity(db: DB, planId: string, activityId: string, a: ActivityInput): Promise<void> {
  await db
    .updateTable('plan_activities')
    .set({ title: a.title, kind: a.kind, starts_at: a.startsAt, ends_at: a.endsAt, place: a.place, online_url: a.onlineUrl, audience: a.audience })
    .where('id', '=', activityId)
    .where('plan_id', '=', planId)
    .execute();
}

export async function deleteActivity(db: DB, planId: string, activityId: string): Promise<void> {
  await db.deleteFrom('plan_activities').where('id', '=', activityId).where('plan_id', '=', planId).execute();
}

/** Swaps an activity with its neighbour (up or down): reordering that works without JavaScript. */
export async function moveActivity(db: DB, planId: string, activityId: string, dir: 'up' | 'down'): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('plan_activities').select(['id', 'position']).where('plan_id', '=', planId).orderBy('position').execute();
    const i = rows.findIndex((r) => r.id === activityId);
    const j = dir === 'up' ? i - 1 : i + 1;
    if (i < 0 || j < 0 || j >= rows.length) return;
    await trx.updateTable('plan_activities').set({ position: rows[j]!.position }).where('id', '=', rows[i]!.id).execute();
    await trx.updateTable('plan_activities').set({ position: rows[i]!.position }).where('id', '=', rows[j]!.id).execute();
  });
}

/** Published plans of a Week with their units: the Week page's map of the hierarchy. */
export function publishedPlansOfWeek(db: DB, year: number) {
  return db
    .selectFrom('plans as p')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select(['p.id', 'p.published_at', 'u.id as unit_id', 'u.parent_id', 'u.slug', 'u.name', 'u.name_en', 'u.kind', 'u.depth'])
    .where('p.week_year', '=', year)
    .where('p.status', '=', 'published')
    .orderBy('u.depth')
    .orderBy('u.name')
    .execute();
}

/** Child units of a unit, each with the status of its plan for the Week (if any). */
export function childPlans(db: DB, unitId: string, year: number) {
  return db
    .selectFrom('units as u')
    .leftJoin('plans as p', (j) => j.onRef('p.unit_id', '=', 'u.id').on('p.week_year', '=', year))
    .select(['u.id', 'u.slug', 'u.name', 'u.name_en', 'u.kind', 'p.status'])
    .where('u.parent_id', '=', unitId)
    .orderBy('u.name')
    .execute();
}

/** Activities of every published plan in a Week, soonest first: "what is on". */
export function upcomingActivities(db: DB, year: number, fromIso: string, limit = 8) {
  return db
    .selectFrom('plan_activities as a')
    .innerJoin('plans as p', 'p.id', 'a.plan_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select(['a.id', 'a.title', 'a.kind', 'a.starts_at', 'a.ends_at', 'a.place', 'a.online_url', 'u.name as unit_name', 'u.name_en as unit_name_en', 'u.slug as unit_slug'])
    .where('p.week_year', '=', year)
    .where('p.status', '=', 'published')
    .where('a.ends_at', '>=', fromIso)
    .orderBy('a.starts_at')
    .limit(limit)
    .execute();
}

export function plansOfUnit(db: DB, unitId: string) {
  return db.selectFrom('plans').select(['week_year', 'status', 'updated_at']).where('unit_id', '=', unitId).orderBy('week_year', 'desc').execute();
}

export interface PlanTreeNode {
  id: string;
  slug: string;
  name: string;
  name_en: string | null;
  kind: string;
  hasPlan: boolean;
  children: PlanTreeNode[];
}

/**
 * The hierarchy of units that published a plan for the Week, with the ancestors that connect
 * them (an ancestor without a plan of its own is shown but not linked).
 */
export async function publishedPlanTree(db: DB, year: number): Promise<PlanTreeNode[]> {
  const withPlan = db.selectFrom('plans').select('unit_id').where('week_year', '=', year).where('status', '=', 'published');
  const units = await db
    .selectFrom('units as u')
    .select(['u.id', 'u.parent_id', 'u.slug', 'u.name', 'u.name_en', 'u.kind', 'u.depth'])
    .where('u.id', 'in', db.selectFrom('unit_closure').select('ancestor_id').where('descendant_id', 'in', withPlan))
    .orderBy('u.depth')
    .orderBy('u.name')
    .execute();
  const planned = new Set((await withPlan.execute()).map((r) => r.unit_id));
  const nodes = new Map<string, PlanTreeNode>();
  const roots: PlanTreeNode[] = [];
  for (const u of units) {
    const node: PlanTreeNode = { id: u.id, slug: u.slug, name: u.name, name_en: u.name_en, kind: u.kind, hasPlan: planned.has(u.id), children: [] };
    nodes.set(u.id, node);
    const parent = u.parent_id ? nodes.get(u.parent_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
