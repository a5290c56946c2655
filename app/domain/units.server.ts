import type { UnitKind, UnitsTable } from '~/db/schema';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { localName } from '~/lib/names';

export type Unit = UnitsTable;

export const LIBRARY_KINDS: UnitKind[] = ['public_library', 'school_library', 'clc_library'];

export async function createUnit(
  db: DB,
  input: { parentId: string | null; kind: UnitKind; slug: string; name: string; nameEn?: string | null; id?: string },
): Promise<Unit> {
  return db.transaction().execute(async (trx) => {
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
    return unit;
  });
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

export function getChildren(db: DB, unitId: string) {
  return db.selectFrom('units').selectAll().where('parent_id', '=', unitId).orderBy('name').execute();
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

export function listUnits(db: DB) {
  return db.selectFrom('units').selectAll().orderBy('depth').orderBy('name').execute();
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
