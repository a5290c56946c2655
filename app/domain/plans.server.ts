import type { ActivityKind } from '~/db/schema';
import { childrenOn, inForce, treeOnDate } from '~/domain/units.server';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { bumpCache, cachedData } from '~/lib/page-cache.server';

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

/** The status of each of these units' plans for a Week (units without a plan are absent). */
export async function planStatuses(db: DB, unitIds: string[], year: number) {
  if (!unitIds.length) return new Map<string, 'draft' | 'published'>();
  const rows = await db
    .selectFrom('plans')
    .select(['unit_id', 'status'])
    .where('week_year', '=', year)
    .where('unit_id', 'in', unitIds)
    .execute();
  return new Map(rows.map((p) => [p.unit_id, p.status]));
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
    .values({
      id: newId(),
      unit_id: unitId,
      week_year: year,
      status: 'draft',
      purpose_md: '',
      created_by: userId,
      created_at: now,
      updated_at: now,
      published_at: null,
    })
    .onConflict((oc) => oc.columns(['unit_id', 'week_year']).doNothing())
    .execute();
  return (await getPlan(db, unitId, year))!;
}

/** Published plans show on public pages: every change re-renders that year's cached pages. */
async function bumpPlan(db: DB, planId: string): Promise<void> {
  const p = await db.selectFrom('plans').select('week_year').where('id', '=', planId).executeTakeFirst();
  await bumpCache(db, 'plans', p?.week_year ?? null);
}

export async function savePurpose(db: DB, planId: string, purposeMd: string): Promise<void> {
  await db.updateTable('plans').set({ purpose_md: purposeMd, updated_at: nowIso() }).where('id', '=', planId).execute();
  await bumpPlan(db, planId);
}

export async function setPlanStatus(db: DB, planId: string, status: 'draft' | 'published'): Promise<void> {
  const now = nowIso();
  await db
    .updateTable('plans')
    .set({ status, updated_at: now, published_at: status === 'published' ? now : null })
    .where('id', '=', planId)
    .execute();
  await bumpPlan(db, planId);
}

export async function addActivity(db: DB, planId: string, a: ActivityInput): Promise<string> {
  const id = newId();
  await db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('plan_activities')
      .select('position')
      .where('plan_id', '=', planId)
      .orderBy('position', 'desc')
      .limit(1)
      .executeTakeFirst();
    await trx
      .insertInto('plan_activities')
      .values({
        id,
        plan_id: planId,
        position: (last?.position ?? 0) + 1,
        title: a.title,
        kind: a.kind,
        starts_at: a.startsAt,
        ends_at: a.endsAt,
        place: a.place,
        online_url: a.onlineUrl,
        audience: a.audience,
      })
      .execute();
    await trx.updateTable('plans').set({ updated_at: nowIso() }).where('id', '=', planId).execute();
  });
  await bumpPlan(db, planId);
  return id;
}

export async function updateActivity(db: DB, planId: string, activityId: string, a: ActivityInput): Promise<void> {
  await db
    .updateTable('plan_activities')
    .set({
      title: a.title,
      kind: a.kind,
      starts_at: a.startsAt,
      ends_at: a.endsAt,
      place: a.place,
      online_url: a.onlineUrl,
      audience: a.audience,
    })
    .where('id', '=', activityId)
    .where('plan_id', '=', planId)
    .execute();
  await bumpPlan(db, planId);
}

export async function deleteActivity(db: DB, planId: string, activityId: string): Promise<void> {
  await db.deleteFrom('plan_activities').where('id', '=', activityId).where('plan_id', '=', planId).execute();
  await bumpPlan(db, planId);
}

/** Swaps an activity with its neighbour (up or down): reordering that works without JavaScript. */
export async function moveActivity(db: DB, planId: string, activityId: string, dir: 'up' | 'down'): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('plan_activities')
      .select(['id', 'position'])
      .where('plan_id', '=', planId)
      .orderBy('position')
      .execute();
    const i = rows.findIndex((r) => r.id === activityId);
    const j = dir === 'up' ? i - 1 : i + 1;
    if (i < 0 || j < 0 || j >= rows.length) return;
    await trx.updateTable('plan_activities').set({ position: rows[j]!.position }).where('id', '=', rows[i]!.id).execute();
    await trx.updateTable('plan_activities').set({ position: rows[i]!.position }).where('id', '=', rows[j]!.id).execute();
  });
  await bumpPlan(db, planId);
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

/** The day whose unit tree a Week's roll-ups follow: its first day (a 2024 Week, the 2024 tree). */
export async function weekTreeDate(db: DB, year: number): Promise<string> {
  const w = await db.selectFrom('weeks').select('starts_on').where('year', '=', year).executeTakeFirst();
  return w?.starts_on ?? `${year}-10-01`;
}

/** Child units of a unit in the Week's tree, each with the status of its plan for the Week (if any). */
export async function childPlans(db: DB, unitId: string, year: number) {
  const children = await childrenOn(db, unitId, await weekTreeDate(db, year));
  if (!children.length) return [];
  const plans = await db
    .selectFrom('plans')
    .select(['unit_id', 'status'])
    .where('week_year', '=', year)
    .where(
      'unit_id',
      'in',
      children.map((c) => c.id),
    )
    .execute();
  const status = new Map(plans.map((p) => [p.unit_id, p.status]));
  return children.map((c) => ({
    id: c.id,
    slug: c.slug,
    name: c.name,
    name_en: c.name_en,
    kind: c.kind,
    status: status.get(c.id) ?? null,
  }));
}

/**
 * Activities of every published plan in a Week, soonest first: "what is on". The same for every
 * visitor, so kept until a plan of the Week or a unit changes (`cachedData`); `fromIso` counts to
 * the minute (an activity is listed until the minute after it ends).
 */
export function upcomingActivities(db: DB, year: number, fromIso: string, limit = 8) {
  const from = fromIso.slice(0, 16);
  return cachedData(db, `plans:activities:${year}:${from}:${limit}`, [`plans:${year}`, 'units'], () =>
    loadUpcomingActivities(db, year, from, limit),
  );
}

function loadUpcomingActivities(db: DB, year: number, fromIso: string, limit: number) {
  return db
    .selectFrom('plan_activities as a')
    .innerJoin('plans as p', 'p.id', 'a.plan_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select([
      'a.id',
      'a.title',
      'a.kind',
      'a.starts_at',
      'a.ends_at',
      'a.place',
      'a.online_url',
      'u.name as unit_name',
      'u.name_en as unit_name_en',
      'u.slug as unit_slug',
    ])
    .where('p.week_year', '=', year)
    .where('p.status', '=', 'published')
    .where('a.ends_at', '>=', fromIso)
    .orderBy('a.starts_at')
    .limit(limit)
    .execute();
}

export function plansOfUnit(db: DB, unitId: string) {
  return db
    .selectFrom('plans')
    .select(['week_year', 'status', 'updated_at'])
    .where('unit_id', '=', unitId)
    .orderBy('week_year', 'desc')
    .execute();
}

export interface PlanTreeNode {
  id: string;
  slug: string;
  name: string;
  name_en: string | null;
  kind: string;
  hasPlan: boolean;
  /** Published plans in this unit's subtree, its own included. */
  planCount: number;
  children: PlanTreeNode[];
}

/** Published plans of a Week counted per unit subtree (unit id → count), in the tree of the Week. */
async function planCountsBySubtree(db: DB, year: number): Promise<Map<string, number>> {
  const on = await weekTreeDate(db, year);
  const rows = await db
    .selectFrom('unit_tree_history as c')
    .innerJoin('plans as p', 'p.unit_id', 'c.descendant_id')
    .select(['c.ancestor_id', (eb) => eb.fn.countAll().as('n')])
    .where('p.week_year', '=', year)
    .where('p.status', '=', 'published')
    .where(inForce('c', on))
    .groupBy('c.ancestor_id')
    .execute();
  return new Map(rows.map((r) => [r.ancestor_id, Number(r.n)]));
}

/**
 * The Week's map of the hierarchy, in the tree in force when the Week began: units down to
 * `maxDepth` (the ministry and provinces) whose subtree published a plan, with how many. Deeper
 * units are reached from a unit's own Week page, so the map stays small however many schools
 * and wards take part.
 */
export function publishedPlanTree(db: DB, year: number, maxDepth = 1): Promise<PlanTreeNode[]> {
  // The same for every visitor: kept until a plan of the Week, the Week (its tree date) or a unit changes.
  return cachedData(db, `plans:tree:${year}:${maxDepth}`, [`plans:${year}`, `weeks:${year}`, 'units'], () =>
    loadPublishedPlanTree(db, year, maxDepth),
  );
}

async function loadPublishedPlanTree(db: DB, year: number, maxDepth: number): Promise<PlanTreeNode[]> {
  const counts = await planCountsBySubtree(db, year);
  if (!counts.size) return [];
  const own = new Set(
    (await db.selectFrom('plans').select('unit_id').where('week_year', '=', year).where('status', '=', 'published').execute()).map(
      (r) => r.unit_id,
    ),
  );
  const units = (await treeOnDate(db, await weekTreeDate(db, year))).filter((u) => u.level <= maxDepth && counts.has(u.id));
  const nodes = new Map<string, PlanTreeNode>();
  const roots: PlanTreeNode[] = [];
  for (const u of units) {
    const node: PlanTreeNode = {
      id: u.id,
      slug: u.slug,
      name: u.name,
      name_en: u.name_en,
      kind: u.kind,
      hasPlan: own.has(u.id),
      planCount: counts.get(u.id) ?? 0,
      children: [],
    };
    nodes.set(u.id, node);
    const parent = u.parent_on ? nodes.get(u.parent_on) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Child units of a unit with their own plan status and the published plans in their subtree. */
export async function childPlanCounts(db: DB, unitId: string, year: number) {
  const [children, counts] = await Promise.all([childPlans(db, unitId, year), planCountsBySubtree(db, year)]);
  return children.map((c) => ({ ...c, planCount: counts.get(c.id) ?? 0 }));
}
