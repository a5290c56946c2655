/**
 * Reorganising the unit tree (merge several units into one, move a unit with its children,
 * rename), previewed first and applied in one transaction. Dissolved units keep their history
 * (past Weeks show them where they were); roles and home units on them carry over to the
 * successor, and every step is logged in `unit_changes`.
 */
import { writeTransaction } from '~/db/dialect';
import type { LineageKind, UnitChangeKind, UnitKind } from '~/db/schema';
import { dissolveUnit, insertUnit, moveSubtree } from '~/domain/units.server';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { bumpCache } from '~/lib/page-cache.server';
import { err, ok, type Result } from '~/lib/result';

import { canChangeUnits } from './access.server';

export interface NewUnitSpec {
  name: string;
  nameEn: string | null;
  slug: string;
  kind: UnitKind;
  parentId: string;
  code: string | null;
}

export type Reorganisation =
  | { op: 'merge'; sourceIds: string[]; target: { id: string } | { create: NewUnitSpec }; on: string }
  | { op: 'move'; unitId: string; parentId: string; on: string }
  | { op: 'rename'; unitId: string; name: string; nameEn: string | null; slug: string; on: string };

export type ReorganiseError =
  'forbidden' | 'not_found' | 'not_in_force' | 'cycle' | 'slug_taken' | 'code_taken' | 'no_sources' | 'date_order';

/** Marker for changes made by the system (the demo seed), which bypass the role check. */
const SYSTEM = '__system__';

interface Named {
  id: string;
  name: string;
}

export interface ReorganisationPreview {
  on: string;
  created: { name: string; slug: string; kind: UnitKind; parent: string } | null;
  target: Named | null;
  dissolved: Array<Named & { lineage: LineageKind }>;
  moved: Array<Named & { from: string; to: string }>;
  roles: Array<{ userId: string; email: string; role: string; from: string; to: string }>;
  homes: number;
}

type U = { id: string; name: string; valid_to: string | null; parent_id: string | null; kind: UnitKind };

async function loadUnits(db: DB, ids: string[]): Promise<Map<string, U>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('units').select(['id', 'name', 'valid_to', 'parent_id', 'kind']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

async function inSubtree(db: DB, ancestorIds: string[], unitId: string): Promise<boolean> {
  if (!ancestorIds.length) return false;
  const row = await db
    .selectFrom('unit_closure')
    .select('depth')
    .where('ancestor_id', 'in', ancestorIds)
    .where('descendant_id', '=', unitId)
    .executeTakeFirst();
  return !!row;
}

/** The last day on which the units' current placement began: a change must not predate it. */
async function latestStart(db: DB, ids: string[]): Promise<string | null> {
  if (!ids.length) return null;
  const row = await db
    .selectFrom('unit_tree_history')
    .select((eb) => eb.fn.max('valid_from').as('d'))
    .where('descendant_id', 'in', ids)
    .where('valid_to', 'is', null)
    .executeTakeFirst();
  return (row?.d as string | null) ?? null;
}

async function openChildren(db: DB, unitId: string) {
  return db
    .selectFrom('unit_tree_history as h')
    .innerJoin('units as u', 'u.id', 'h.descendant_id')
    .select(['u.id', 'u.name'])
    .where('h.ancestor_id', '=', unitId)
    .where('h.depth', '=', 1)
    .where('h.valid_to', 'is', null)
    .execute();
}

async function grantsOn(db: DB, unitId: string) {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('users as usr', 'usr.id', 'g.user_id')
    .select(['g.id', 'g.user_id', 'g.role', 'usr.email'])
    .where('g.unit_id', '=', unitId)
    .execute();
}

interface Plan {
  preview: ReorganisationPreview;
  sources: string[];
  lineage: LineageKind;
  targetId: string | null;
  create: NewUnitSpec | null;
  move: { unitId: string; parentId: string } | null;
}

/** Checks a reorganisation and works out everything it would do, without changing anything. */
async function plan(db: DB, userId: string, r: Reorganisation): Promise<Result<Plan, ReorganiseError>> {
  const preview: ReorganisationPreview = { on: r.on, created: null, target: null, dissolved: [], moved: [], roles: [], homes: 0 };
  if (r.op === 'move') {
    const units = await loadUnits(db, [r.unitId, r.parentId]);
    const unit = units.get(r.unitId);
    const parent = units.get(r.parentId);
    if (!unit || !parent) return err('not_found');
    if (userId !== SYSTEM && !(await canChangeUnits(db, userId, [r.unitId, r.parentId]))) return err('forbidden');
    if (unit.valid_to || parent.valid_to) return err('not_in_force');
    if (r.unitId === r.parentId || (await inSubtree(db, [r.unitId], r.parentId))) return err('cycle');
    const start = await latestStart(db, [r.unitId, r.parentId]);
    if (start && r.on < start) return err('date_order', { date: start });
    const from = unit.parent_id ? ((await loadUnits(db, [unit.parent_id])).get(unit.parent_id)?.name ?? '') : '';
    preview.moved.push({ id: unit.id, name: unit.name, from, to: parent.name });
    preview.target = { id: parent.id, name: parent.name };
    return ok({
      preview,
      sources: [],
      lineage: 'merged_into',
      targetId: parent.id,
      create: null,
      move: { unitId: unit.id, parentId: parent.id },
    });
  }

  let sources: string[];
  let targetId: string | null = null;
  let create: NewUnitSpec | null = null;
  let lineage: LineageKind = 'merged_into';
  if (r.op === 'rename') {
    const unit = (await loadUnits(db, [r.unitId])).get(r.unitId);
    if (!unit) return err('not_found');
    if (!unit.parent_id) return err('forbidden');
    sources = [r.unitId];
    create = { name: r.name, nameEn: r.nameEn, slug: r.slug, kind: unit.kind, parentId: unit.parent_id, code: null };
    lineage = 'renamed_to';
  } else {
    if ('id' in r.target) targetId = r.target.id;
    else create = r.target.create;
    sources = [...new Set(r.sourceIds)].filter((id) => id !== targetId);
  }
  if (!sources.length) return err('no_sources');
  const ids = [...sources, ...(targetId ? [targetId] : []), ...(create ? [create.parentId] : [])];
  const units = await loadUnits(db, ids);
  if (ids.some((id) => !units.has(id))) return err('not_found');
  if (userId !== SYSTEM && !(await canChangeUnits(db, userId, ids))) return err('forbidden');
  if (ids.some((id) => units.get(id)!.valid_to)) return err('not_in_force');
  const anchor = targetId ?? create!.parentId;
  if (await inSubtree(db, sources, anchor)) return err('cycle');
  if (create) {
    if (await db.selectFrom('units').select('id').where('slug', '=', create.slug).executeTakeFirst()) return err('slug_taken');
    if (create.code && (await db.selectFrom('units').select('id').where('code', '=', create.code).executeTakeFirst()))
      return err('code_taken');
  }
  const start = await latestStart(db, ids);
  if (start && r.on < start) return err('date_order', { date: start });

  const targetName = targetId ? units.get(targetId)!.name : create!.name;
  if (create) preview.created = { name: create.name, slug: create.slug, kind: create.kind, parent: units.get(create.parentId)!.name };
  else preview.target = { id: targetId!, name: targetName };
  for (const s of sources) {
    const src = units.get(s)!;
    preview.dissolved.push({ id: s, name: src.name, lineage });
    for (const c of await openChildren(db, s)) preview.moved.push({ id: c.id, name: c.name, from: src.name, to: targetName });
    for (const g of await grantsOn(db, s))
      preview.roles.push({ userId: g.user_id, email: g.email, role: g.role, from: src.name, to: targetName });
  }
  const homes = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('home_unit_id', 'in', sources)
    .executeTakeFirst();
  preview.homes = Number(homes?.n ?? 0);
  return ok({ preview, sources, lineage, targetId, create, move: null });
}

export function previewReorganisation(db: DB, userId: string, r: Reorganisation): Promise<Result<ReorganisationPreview, ReorganiseError>> {
  return plan(db, userId, r).then((p) => (p.ok ? ok(p.value.preview) : p));
}

/** Applies a reorganisation in one transaction (checked again inside it); returns the change batch id. */
export async function applyReorganisation(
  db: DB,
  userId: string | null,
  r: Reorganisation,
  opts: { system?: boolean } = {},
): Promise<Result<{ batchId: string; preview: ReorganisationPreview; targetId: string }, ReorganiseError>> {
  const result = await writeTransaction(db, async (trx) => {
    // The seed applies the 2025 reorganisation as the system (no user): skip the role check only then.
    const p = await plan(trx, opts.system ? SYSTEM : (userId ?? ''), r);
    if (!p.ok) return p;
    const { preview, sources, lineage, create, move } = p.value;
    const batchId = newId();
    const created_at = nowIso();
    const log = (kind: UnitChangeKind, unitId: string | null, otherId: string | null, detail: string, user: string | null = null) =>
      trx
        .insertInto('unit_changes')
        .values({
          id: newId(),
          batch_id: batchId,
          effective_on: r.on,
          kind,
          unit_id: unitId,
          other_unit_id: otherId,
          user_id: user,
          detail,
          actor_id: userId,
          created_at,
        })
        .execute();

    if (move) {
      await moveSubtree(trx, move.unitId, move.parentId, r.on);
      const m = preview.moved[0]!;
      await log('moved', move.unitId, move.parentId, `${m.name}: ${m.from} → ${m.to}`);
      return ok({ batchId, preview, targetId: move.parentId });
    }

    let targetId = p.value.targetId;
    if (create) {
      const u = await insertUnit(trx, {
        parentId: create.parentId,
        kind: create.kind,
        slug: create.slug,
        name: create.name,
        nameEn: create.nameEn,
        code: create.code,
        validFrom: r.on,
      });
      targetId = u.id;
      await log('created', u.id, create.parentId, `${create.name} (${preview.created!.parent})`);
    }
    const target = targetId!;
    for (const s of sources) {
      for (const c of await openChildren(trx, s)) {
        await moveSubtree(trx, c.id, target, r.on);
        await log('moved', c.id, target, `${c.name} → ${create?.name ?? preview.target!.name}`);
      }
      for (const g of await grantsOn(trx, s)) {
        await trx
          .insertInto('role_grants')
          .values({ id: newId(), user_id: g.user_id, unit_id: target, role: g.role, granted_by: userId, created_at })
          .onConflict((oc) => oc.columns(['user_id', 'unit_id', 'role']).doNothing())
          .execute();
        await trx.deleteFrom('role_grants').where('id', '=', g.id).execute();
        await log('role_carried', target, s, `${g.email}: ${g.role}`, g.user_id);
      }
      const homes = await trx.updateTable('users').set({ home_unit_id: target }).where('home_unit_id', '=', s).executeTakeFirst();
      if (Number(homes.numUpdatedRows)) await log('home_carried', target, s, String(homes.numUpdatedRows));
      await dissolveUnit(trx, s, target, r.on);
      await trx
        .insertInto('unit_lineage')
        .values({ id: newId(), predecessor_id: s, successor_id: target, kind: lineage, effective_on: r.on, change_id: batchId })
        .execute();
      const src = preview.dissolved.find((d) => d.id === s)!;
      await log(lineage === 'renamed_to' ? 'renamed' : 'merged', s, target, `${src.name} → ${create?.name ?? preview.target!.name}`);
    }
    return ok({ batchId, preview, targetId: target });
  });
  // Unit names and places show on public pages (page cache, data cache).
  if (result.ok && !db.isTransaction) await bumpCache(db, 'units');
  return result;
}

/** The change log, newest first. */
export function recentChanges(db: DB, limit = 50) {
  return db
    .selectFrom('unit_changes as c')
    .leftJoin('units as u', 'u.id', 'c.unit_id')
    .select(['c.id', 'c.batch_id', 'c.effective_on', 'c.kind', 'c.detail', 'c.created_at', 'u.name as unit_name', 'u.slug as unit_slug'])
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id')
    .limit(limit)
    .execute();
}
