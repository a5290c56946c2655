import { sql } from 'kysely';

import type { UnitKind, UnitsTable } from '~/db/schema';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { localName } from '~/lib/names';
import { inTreeOrder } from '~/lib/unit-tree';

export type Unit = UnitsTable;

export const LIBRARY_KINDS: UnitKind[] = ['public_library', 'school_library', 'clc_library'];

export interface NewUnit {
  parentId: string | null;
  kind: UnitKind;
  slug: string;
  name: string;
  nameEn?: string | null;
  id?: string;
  code?: string | null;
  /** First day in force (`YYYY-MM-DD`); omitted: since before the records. */
  validFrom?: string | null;
}

export async function createUnit(db: DB, input: NewUnit): Promise<Unit> {
  return db.transaction().execute((trx) => insertUnit(trx, input));
}

/** Inserts a unit under its parent (closure rows now, and history rows from its first day), inside the caller's transaction. */
export async function insertUnit(trx: DB, input: NewUnit): Promise<Unit> {
  const parent = input.parentId
    ? await trx.selectFrom('units').selectAll().where('id', '=', input.parentId).executeTakeFirstOrThrow()
    : null;
  const unit: Unit = {
    id: input.id ?? newId(),
    parent_id: parent?.id ?? null,
    kind: input.kind,
    slug: input.slug,
    name: input.name,
    name_en: input.nameEn ?? null,
    depth: parent ? parent.depth + 1 : 0,
    created_at: nowIso(),
    code: input.code ?? null,
    valid_from: input.validFrom ?? null,
    valid_to: null,
  };
  await trx.insertInto('units').values(unit).execute();
  // Closure rows: every ancestor of the parent (and the parent itself) gains this descendant.
  const rows = [{ ancestor_id: unit.id, descendant_id: unit.id, depth: 0 }];
  if (parent) {
    const ancestors = await trx
      .selectFrom('unit_closure')
      .select(['ancestor_id', 'depth'])
      .where('descendant_id', '=', parent.id)
      .execute();
    for (const a of ancestors) rows.push({ ancestor_id: a.ancestor_id, descendant_id: unit.id, depth: a.depth + 1 });
  }
  await trx.insertInto('unit_closure').values(rows).execute();
  // History: the same pairs, from the unit's first day, with the parent's ancestors in force on that day.
  const from = unit.valid_from ?? SINCE_ALWAYS;
  const hist = [{ ancestor_id: unit.id, descendant_id: unit.id, depth: 0, valid_from: from, valid_to: null as string | null }];
  if (parent) {
    const ancestors = await trx
      .selectFrom('unit_tree_history as h')
      .select(['h.ancestor_id', 'h.depth'])
      .where('h.descendant_id', '=', parent.id)
      .where(inForce('h', from))
      .execute();
    for (const a of ancestors)
      hist.push({ ancestor_id: a.ancestor_id, descendant_id: unit.id, depth: a.depth + 1, valid_from: from, valid_to: null });
  }
  await trx.insertInto('unit_tree_history').values(hist).execute();
  return unit;
}

export function getUnitBySlug(db: DB, slug: string) {
  return db.selectFrom('units').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function getUnit(db: DB, id: string) {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Ancestors from the root down to (and including) the unit: the breadcrumb. */
export function getAncestors(db: DB, unitId: string) {
  return db
    .selectFrom('unit_closure as c')
    .innerJoin('units as u', 'u.id', 'c.ancestor_id')
    .selectAll('u')
    .where('c.descendant_id', '=', unitId)
    .orderBy('c.depth', 'desc')
    .execute();
}

/** Children in force now, in Vietnamese alphabetical order. */
export async function getChildren(db: DB, unitId: string) {
  return inTreeOrder(await db.selectFrom('units').selectAll().where('parent_id', '=', unitId).where('valid_to', 'is', null).execute());
}

/** Every unit in the subtree rooted at `unitId` (itself included), shallowest first. */
export function getSubtree(db: DB, unitId: string) {
  return db
    .selectFrom('unit_closure as c')
    .innerJoin('units as u', 'u.id', 'c.descendant_id')
    .selectAll('u')
    .where('c.ancestor_id', '=', unitId)
    .orderBy('u.depth')
    .orderBy('u.name')
    .execute();
}

/** A sub-query of the ids in a subtree, to use in `where('unit_id', 'in', subtreeIds(db, id))`. */
export function subtreeIds(db: DB, unitId: string) {
  return db.selectFrom('unit_closure').select('descendant_id').where('ancestor_id', '=', unitId);
}

export async function isInSubtree(db: DB, ancestorId: string, unitId: string): Promise<boolean> {
  const row = await db
    .selectFrom('unit_closure')
    .select('depth')
    .where('ancestor_id', '=', ancestorId)
    .where('descendant_id', '=', unitId)
    .executeTakeFirst();
  return !!row;
}

/** Every unit in force now (the current tree), in tree order with each one's level: what pickers show. */
export async function listUnits(db: DB) {
  return inTreeOrder(await db.selectFrom('units').selectAll().where('valid_to', 'is', null).execute());
}

export function listLibraries(db: DB) {
  return db.selectFrom('units').selectAll().where('kind', 'in', LIBRARY_KINDS).orderBy('name').execute();
}

/** A unit's name in the page's language (`localName` from `~/lib/names`, for unit rows). */
export function unitName(unit: Pick<Unit, 'name' | 'name_en'>, locale: string): string {
  return localName(unit, locale);
}

/** The top of the hierarchy (the Ministry): national decisions such as a new Week need its admins. */
export function getRootUnit(db: DB) {
  return db.selectFrom('units').selectAll().where('parent_id', 'is', null).orderBy('created_at').executeTakeFirst();
}

// ---- history: the tree in force on a date ----

/** The `valid_from` of history rows that hold "since the records began". */
export const SINCE_ALWAYS = '0001-01-01';

/** `alias.valid_from <= on and (alias.valid_to is null or alias.valid_to > on)`: the row holds on that day. */
export function inForce(alias: string, on: string) {
  const from = sql.ref(`${alias}.valid_from`);
  const to = sql.ref(`${alias}.valid_to`);
  return sql<boolean>`(${from} <= ${on} and (${to} is null or ${to} > ${on}))`;
}

export type UnitOnDate = Unit & { parent_on: string | null; level: number };

/**
 * The tree in force on a date (`YYYY-MM-DD`): every unit in force that day with its parent that
 * day, in tree order. A 2024 Week uses the 2024 tree; today's pickers use today's.
 */
export async function treeOnDate(db: DB, on: string): Promise<UnitOnDate[]> {
  const rows = await db
    .selectFrom('unit_tree_history as h')
    .innerJoin('units as u', 'u.id', 'h.descendant_id')
    .leftJoin('unit_tree_history as p', (j) => j.onRef('p.descendant_id', '=', 'u.id').on('p.depth', '=', 1).on(inForce('p', on)))
    .selectAll('u')
    .select('p.ancestor_id as parent_on')
    .where('h.depth', '=', 0)
    .where(inForce('h', on))
    .execute();
  return inTreeOrder(rows.map((r) => ({ ...r, parent_id_now: r.parent_id, parent_id: r.parent_on }))).map(
    ({ parent_id_now, ...r }) => ({ ...r, parent_id: parent_id_now, parent_on: r.parent_id }) as UnitOnDate,
  );
}

/** Ids in the subtree of a unit on a date (itself included), as a sub-query. */
export function subtreeIdsOn(db: DB, unitId: string, on: string) {
  return db.selectFrom('unit_tree_history as h').select('h.descendant_id').where('h.ancestor_id', '=', unitId).where(inForce('h', on));
}

/** Ancestors on a date, from the root down to the unit: a past plan's breadcrumb. */
export function ancestorsOn(db: DB, unitId: string, on: string) {
  return db
    .selectFrom('unit_tree_history as h')
    .innerJoin('units as u', 'u.id', 'h.ancestor_id')
    .selectAll('u')
    .where('h.descendant_id', '=', unitId)
    .where(inForce('h', on))
    .orderBy('h.depth', 'desc')
    .execute();
}

/** Children of a unit on a date, in Vietnamese order. */
export async function childrenOn(db: DB, unitId: string, on: string) {
  const rows = await db
    .selectFrom('unit_tree_history as h')
    .innerJoin('units as u', 'u.id', 'h.descendant_id')
    .selectAll('u')
    .where('h.ancestor_id', '=', unitId)
    .where('h.depth', '=', 1)
    .where(inForce('h', on))
    .execute();
  return inTreeOrder(rows.map((r) => ({ ...r, parent_id: null })));
}

/** True when the unit is in force on the date. */
export async function isInForce(db: DB, unitId: string, on: string): Promise<boolean> {
  const row = await db
    .selectFrom('unit_tree_history as h')
    .select('h.depth')
    .where('h.descendant_id', '=', unitId)
    .where('h.depth', '=', 0)
    .where(inForce('h', on))
    .executeTakeFirst();
  return !!row;
}

/** The unit in force now that a unit became (itself when still in force), following the lineage. */
export async function currentSuccessor(db: DB, unitId: string): Promise<string> {
  let id = unitId;
  for (let i = 0; i < 20; i++) {
    const u = await db.selectFrom('units').select(['id', 'valid_to']).where('id', '=', id).executeTakeFirst();
    if (!u || u.valid_to == null) return id;
    const next = await db
      .selectFrom('unit_lineage')
      .select('successor_id')
      .where('predecessor_id', '=', id)
      .where('kind', 'in', ['merged_into', 'renamed_to'])
      .orderBy('effective_on', 'desc')
      .executeTakeFirst();
    if (!next) return id;
    id = next.successor_id;
  }
  return id;
}

/** Predecessors and successors of a unit, with names: the unit page's lineage. */
export function lineageOf(db: DB, unitId: string) {
  return db
    .selectFrom('unit_lineage as l')
    .innerJoin('units as p', 'p.id', 'l.predecessor_id')
    .innerJoin('units as s', 's.id', 'l.successor_id')
    .select([
      'l.kind',
      'l.effective_on',
      'p.id as predecessor_id',
      'p.slug as predecessor_slug',
      'p.name as predecessor_name',
      'p.name_en as predecessor_name_en',
      's.id as successor_id',
      's.slug as successor_slug',
      's.name as successor_name',
      's.name_en as successor_name_en',
    ])
    .where((eb) => eb.or([eb('l.predecessor_id', '=', unitId), eb('l.successor_id', '=', unitId)]))
    .orderBy('l.effective_on')
    .execute();
}

// ---- primitives of a reorganisation (inside the caller's transaction) ----

/** Ends (or, when they began that very day, removes) the open history rows matched by `where`. */
async function closeOpenRows(trx: DB, on: string, ids: { descendants: string[]; notAncestors?: string[]; ancestor?: string }) {
  if (!ids.descendants.length) return;
  const base = () => {
    let q = trx.updateTable('unit_tree_history').where('valid_to', 'is', null).where('descendant_id', 'in', ids.descendants);
    if (ids.notAncestors?.length) q = q.where('ancestor_id', 'not in', ids.notAncestors);
    if (ids.ancestor) q = q.where('ancestor_id', '=', ids.ancestor);
    return q;
  };
  await base().set({ valid_to: on }).where('valid_from', '<', on).execute();
  let del = trx
    .deleteFrom('unit_tree_history')
    .where('valid_to', 'is', null)
    .where('descendant_id', 'in', ids.descendants)
    .where('valid_from', '>=', on);
  if (ids.notAncestors?.length) del = del.where('ancestor_id', 'not in', ids.notAncestors);
  if (ids.ancestor) del = del.where('ancestor_id', '=', ids.ancestor);
  await del.execute();
}

/**
 * Moves a unit and everything under it to a new parent from `on`: the current closure and
 * parent/depth now, the history from that day (the old ancestry ends the day before).
 */
export async function moveSubtree(trx: DB, unitId: string, newParentId: string, on: string): Promise<void> {
  const sub = await trx.selectFrom('unit_closure').select(['descendant_id', 'depth']).where('ancestor_id', '=', unitId).execute();
  const subIds = sub.map((r) => r.descendant_id);
  if (subIds.includes(newParentId)) throw new Error('moveSubtree: the new parent is inside the subtree');
  const parent = await trx.selectFrom('units').select(['id', 'depth']).where('id', '=', newParentId).executeTakeFirstOrThrow();
  const unit = await trx.selectFrom('units').select(['depth']).where('id', '=', unitId).executeTakeFirstOrThrow();
  // Current closure.
  await trx.deleteFrom('unit_closure').where('descendant_id', 'in', subIds).where('ancestor_id', 'not in', subIds).execute();
  const ancestors = await trx
    .selectFrom('unit_closure')
    .select(['ancestor_id', 'depth'])
    .where('descendant_id', '=', newParentId)
    .execute();
  const rows = ancestors.flatMap((a) =>
    sub.map((d) => ({ ancestor_id: a.ancestor_id, descendant_id: d.descendant_id, depth: a.depth + d.depth + 1 })),
  );
  if (rows.length) await trx.insertInto('unit_closure').values(rows).execute();
  await trx.updateTable('units').set({ parent_id: newParentId }).where('id', '=', unitId).execute();
  const delta = parent.depth + 1 - unit.depth;
  if (delta)
    await trx
      .updateTable('units')
      .set((eb) => ({ depth: eb('depth', '+', delta) }))
      .where('id', 'in', subIds)
      .execute();
  // History: only units still in force take part (dissolved ones keep their past).
  const open = await trx
    .selectFrom('unit_tree_history')
    .select(['descendant_id', 'depth'])
    .where('ancestor_id', '=', unitId)
    .where('valid_to', 'is', null)
    .execute();
  const openIds = open.map((r) => r.descendant_id);
  await closeOpenRows(trx, on, { descendants: openIds, notAncestors: openIds });
  const histAnc = await trx
    .selectFrom('unit_tree_history')
    .select(['ancestor_id', 'depth'])
    .where('descendant_id', '=', newParentId)
    .where('valid_to', 'is', null)
    .execute();
  const hist = histAnc.flatMap((a) =>
    open.map((d) => ({
      ancestor_id: a.ancestor_id,
      descendant_id: d.descendant_id,
      depth: a.depth + d.depth + 1,
      valid_from: on,
      valid_to: null,
    })),
  );
  if (hist.length) await trx.insertInto('unit_tree_history').values(hist).execute();
}

/**
 * Ends a unit on `on` (it must have no children in force left). In the current closure it is
 * hung under its successor, so whoever holds a role on the successor also answers for the
 * dissolved unit's records (its past plans); the history keeps where it stood.
 */
export async function dissolveUnit(trx: DB, unitId: string, successorId: string | null, on: string): Promise<void> {
  const children = await trx
    .selectFrom('unit_tree_history')
    .select('descendant_id')
    .where('ancestor_id', '=', unitId)
    .where('depth', '=', 1)
    .where('valid_to', 'is', null)
    .execute();
  if (children.length) throw new Error('dissolveUnit: the unit still has children in force');
  await closeOpenRows(trx, on, { descendants: [unitId] });
  await trx.updateTable('units').set({ valid_to: on }).where('id', '=', unitId).execute();
  if (successorId) {
    const sub = await trx.selectFrom('unit_closure').select('descendant_id').where('ancestor_id', '=', unitId).execute();
    const subIds = sub.map((r) => r.descendant_id);
    await trx.deleteFrom('unit_closure').where('descendant_id', 'in', subIds).where('ancestor_id', 'not in', subIds).execute();
    const sub2 = await trx.selectFrom('unit_closure').select(['descendant_id', 'depth']).where('ancestor_id', '=', unitId).execute();
    const anc = await trx.selectFrom('unit_closure').select(['ancestor_id', 'depth']).where('descendant_id', '=', successorId).execute();
    const rows = anc.flatMap((a) =>
      sub2.map((d) => ({ ancestor_id: a.ancestor_id, descendant_id: d.descendant_id, depth: a.depth + d.depth + 1 })),
    );
    if (rows.length) await trx.insertInto('unit_closure').values(rows).execute();
    const succ = await trx.selectFrom('units').select('depth').where('id', '=', successorId).executeTakeFirstOrThrow();
    const unit = await trx.selectFrom('units').select('depth').where('id', '=', unitId).executeTakeFirstOrThrow();
    const delta = succ.depth + 1 - unit.depth;
    await trx.updateTable('units').set({ parent_id: successorId }).where('id', '=', unitId).execute();
    if (delta)
      await trx
        .updateTable('units')
        .set((eb) => ({ depth: eb('depth', '+', delta) }))
        .where('id', 'in', subIds)
        .execute();
  }
}
