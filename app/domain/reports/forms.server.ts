/**
 * Report forms of a Week and the unit tree a form follows: the tree in force on the Week's first
 * day (a 2024 report rolls up the 2024 three-level tree; a 2025 one the two-tier tree), the units
 * that report (their kind is one the form applies to), and who each reports to (the nearest
 * reporting unit above it, else the form's owner).
 */
import { createHash } from 'node:crypto';

import { sql } from 'kysely';

import { writeTransaction } from '~/db/dialect';
import { UNIT_KINDS, type UnitKind } from '~/db/schema';
import type { IndicatorType, ReportFormsTable, ReportIndicatorsTable, ReportRule, ReportSectionsTable } from '~/db/schema/reports';
import { INDICATOR_TYPES } from '~/db/schema/reports';
import { inForce } from '~/domain/units.server';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { cachedData } from '~/lib/page-cache.server';
import { err, ok, type Result } from '~/lib/result';

import { isPrefillSource } from './prefill.server';

export type ReportForm = ReportFormsTable & { appliesTo: UnitKind[]; rules: ReportRule[] };
export type Indicator = ReportIndicatorsTable & { min: number | null; max: number | null };
export interface FormDefinition {
  form: ReportForm;
  sections: Array<ReportSectionsTable & { indicators: Indicator[] }>;
  indicators: Indicator[];
}

const num = (v: number | string | null): number | null => (v == null ? null : Number(v));

function toForm(f: ReportFormsTable): ReportForm {
  return { ...f, appliesTo: JSON.parse(f.applies_to_json) as UnitKind[], rules: JSON.parse(f.rules_json) as ReportRule[] };
}

export async function listForms(db: DB, year: number): Promise<ReportForm[]> {
  const rows = await db.selectFrom('report_forms').selectAll().where('week_year', '=', year).orderBy('created_at').execute();
  return rows.map(toForm);
}

export async function getForm(db: DB, year: number, slug: string): Promise<ReportForm | null> {
  const f = await db.selectFrom('report_forms').selectAll().where('week_year', '=', year).where('slug', '=', slug).executeTakeFirst();
  return f ? toForm(f) : null;
}

export async function getFormById(db: DB, id: string): Promise<ReportForm | null> {
  const f = await db.selectFrom('report_forms').selectAll().where('id', '=', id).executeTakeFirst();
  return f ? toForm(f) : null;
}

export async function formDefinition(db: DB, form: ReportForm): Promise<FormDefinition> {
  const [sections, inds] = await Promise.all([
    db.selectFrom('report_sections').selectAll().where('form_id', '=', form.id).orderBy('position').execute(),
    db.selectFrom('report_indicators').selectAll().where('form_id', '=', form.id).orderBy('position').execute(),
  ]);
  const indicators = inds.map((i) => ({ ...i, min: num(i.min_value), max: num(i.max_value) }));
  return {
    form,
    indicators,
    sections: sections.map((s) => ({ ...s, indicators: indicators.filter((i) => i.section_id === s.id) })),
  };
}

// ---- defining a form ----

export interface IndicatorSpec {
  code: string;
  labelVi: string;
  labelEn: string;
  type: IndicatorType;
  min?: number | null;
  max?: number | null;
  source?: string | null;
  /** Must be answered to submit (default: numbers and yes/no yes, text no). */
  required?: boolean;
}
export interface FormSpec {
  year: number;
  slug: string;
  ownerUnitId: string;
  titleVi: string;
  titleEn: string;
  appliesTo: UnitKind[];
  deadline: string;
  lockDate: string;
  docCode: string;
  sections: Array<{ titleVi: string; titleEn: string; indicators: IndicatorSpec[] }>;
  rules: ReportRule[];
}
export type DefineFormError =
  'slug_taken' | 'bad_code' | 'duplicate_code' | 'bad_source' | 'bad_rule' | 'bad_range' | 'bad_dates' | 'bad_level';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Validates and stores a form with its sections, indicators and rules (one transaction). */
export async function defineForm(db: DB, userId: string | null, spec: FormSpec): Promise<Result<ReportForm, DefineFormError>> {
  const all = spec.sections.flatMap((s) => s.indicators);
  const codes = new Set<string>();
  for (const i of all) {
    if (!/^[a-z][a-z0-9_]{0,40}$/.test(i.code) || !INDICATOR_TYPES.includes(i.type)) return err('bad_code', { code: i.code });
    if (codes.has(i.code)) return err('duplicate_code', { code: i.code });
    codes.add(i.code);
    if (i.source && !isPrefillSource(i.source)) return err('bad_source', { code: i.code });
    if (i.min != null && i.max != null && i.min > i.max) return err('bad_range', { code: i.code });
  }
  const numeric = new Set(all.filter((i) => i.type !== 'text').map((i) => i.code));
  for (const r of spec.rules)
    if (!numeric.has(r.left) || !numeric.has(r.right) || !['>=', '<=', '='].includes(r.op)) return err('bad_rule');
  if (!DAY.test(spec.deadline) || !DAY.test(spec.lockDate) || spec.lockDate < spec.deadline) return err('bad_dates');
  if (!spec.appliesTo.length || spec.appliesTo.some((k) => !UNIT_KINDS.includes(k))) return err('bad_level');
  const now = nowIso();
  const form: ReportFormsTable = {
    id: newId(),
    week_year: spec.year,
    slug: spec.slug,
    owner_unit_id: spec.ownerUnitId,
    title_vi: spec.titleVi,
    title_en: spec.titleEn,
    applies_to_json: JSON.stringify(spec.appliesTo),
    rules_json: JSON.stringify(spec.rules),
    deadline: spec.deadline,
    lock_date: spec.lockDate,
    doc_code: spec.docCode,
    version: 1,
    created_by: userId,
    created_at: now,
    updated_at: now,
  };
  return writeTransaction(db, async (trx) => {
    const taken = await trx
      .selectFrom('report_forms')
      .select('id')
      .where('week_year', '=', spec.year)
      .where('slug', '=', spec.slug)
      .executeTakeFirst();
    if (taken) return err('slug_taken' as const);
    await trx.insertInto('report_forms').values(form).execute();
    let pos = 0;
    for (const [si, s] of spec.sections.entries()) {
      const sectionId = newId();
      await trx
        .insertInto('report_sections')
        .values({ id: sectionId, form_id: form.id, position: si, title_vi: s.titleVi, title_en: s.titleEn })
        .execute();
      for (const i of s.indicators)
        await trx
          .insertInto('report_indicators')
          .values({
            id: newId(),
            form_id: form.id,
            section_id: sectionId,
            position: pos++,
            code: i.code,
            label_vi: i.labelVi,
            label_en: i.labelEn,
            type: i.type,
            min_value: i.min ?? (i.type === 'text' ? null : 0),
            max_value: i.max ?? (i.type === 'bool' ? 1 : null),
            source: i.source ?? null,
            required: (i.required ?? i.type !== 'text') ? 1 : 0,
          })
          .execute();
    }
    await writeSnapshot(trx, form.id, 1, userId, now);
    return ok(toForm(form));
  });
}

// ---- versions ----

/** A form's definition at one version, as stored in `report_form_versions` (same shape as a `FormSpec`'s content). */
export interface FormSnapshot {
  titleVi: string;
  titleEn: string;
  appliesTo: UnitKind[];
  rules: ReportRule[];
  deadline: string;
  lockDate: string;
  docCode: string;
  sections: Array<{
    titleVi: string;
    titleEn: string;
    indicators: Array<
      Required<Omit<IndicatorSpec, 'min' | 'max' | 'source'>> & { min: number | null; max: number | null; source: string | null }
    >;
  }>;
}

export function snapshotOf(def: FormDefinition): FormSnapshot {
  const f = def.form;
  return {
    titleVi: f.title_vi,
    titleEn: f.title_en,
    appliesTo: f.appliesTo,
    rules: f.rules,
    deadline: f.deadline,
    lockDate: f.lock_date,
    docCode: f.doc_code,
    sections: def.sections.map((s) => ({
      titleVi: s.title_vi,
      titleEn: s.title_en,
      indicators: s.indicators.map((i) => ({
        code: i.code,
        labelVi: i.label_vi,
        labelEn: i.label_en,
        type: i.type,
        min: i.min,
        max: i.max,
        source: i.source,
        required: i.required === 1,
      })),
    })),
  };
}

/** Stores the form's definition as it now stands as `version` (inside the edit's transaction). */
export async function writeSnapshot(db: DB, formId: string, version: number, userId: string | null, at: string): Promise<void> {
  const form = await getFormById(db, formId);
  if (!form) throw new Error(`writeSnapshot: no form ${formId}`);
  const def = await formDefinition(db, form);
  await db
    .insertInto('report_form_versions')
    .values({ form_id: formId, version, definition_json: JSON.stringify(snapshotOf(def)), created_by: userId, created_at: at })
    .execute();
}

/** Every version of a form, oldest first. */
export async function formVersions(db: DB, formId: string): Promise<Array<{ version: number; at: string; snapshot: FormSnapshot }>> {
  const rows = await db
    .selectFrom('report_form_versions')
    .select(['version', 'created_at', 'definition_json'])
    .where('form_id', '=', formId)
    .orderBy('version')
    .execute();
  return rows.map((r) => ({ version: r.version, at: r.created_at, snapshot: JSON.parse(r.definition_json) as FormSnapshot }));
}

/**
 * The form as it stood at `version`: that version's title, document code, rules, sections, order,
 * labels, kinds and ranges, each indicator keyed to today's row by its code (codes never change,
 * and an answered indicator is never removed, so every saved value still finds its field). An
 * indicator added later is not part of it. The current definition when the version is the form's
 * own or was never kept.
 */
export async function definitionAt(db: DB, form: ReportForm, version: number): Promise<FormDefinition> {
  const current = await formDefinition(db, form);
  if (version === form.version) return current;
  const row = await db
    .selectFrom('report_form_versions')
    .select('definition_json')
    .where('form_id', '=', form.id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) return current;
  const snap = JSON.parse(row.definition_json) as FormSnapshot;
  const byCode = new Map(current.indicators.map((i) => [i.code, i]));
  let position = 0;
  const sections = snap.sections.map((s, si) => {
    const id = byCode.get(s.indicators[0]?.code ?? '')?.section_id ?? `v${version}-s${si}`;
    const indicators: Indicator[] = s.indicators.map((i) => ({
      id: byCode.get(i.code)?.id ?? `v${version}-${i.code}`,
      form_id: form.id,
      section_id: id,
      position: position++,
      code: i.code,
      label_vi: i.labelVi,
      label_en: i.labelEn,
      type: i.type,
      min_value: i.min,
      max_value: i.max,
      min: i.min,
      max: i.max,
      source: i.source,
      required: i.required ? 1 : 0,
    }));
    return { id, form_id: form.id, position: si, title_vi: s.titleVi, title_en: s.titleEn, indicators };
  });
  return {
    form: {
      ...form,
      title_vi: snap.titleVi,
      title_en: snap.titleEn,
      doc_code: snap.docCode,
      rules: snap.rules,
      rules_json: JSON.stringify(snap.rules),
    },
    sections,
    indicators: sections.flatMap((s) => s.indicators),
  };
}

// ---- the tree a form follows ----

export interface TreeUnit {
  id: string;
  parent: string | null;
  kind: UnitKind;
  slug: string;
  name: string;
  name_en: string | null;
}

export interface FormTree {
  on: string;
  ownerId: string;
  units: Map<string, TreeUnit>;
  children: Map<string, string[]>;
  /** Units that must report (in the owner's subtree on the tree date, of a kind the form applies to). */
  expected: Set<string>;
  /** Every unit with its parent and whether it reports, hashed: what the maintained roll-ups follow. */
  fingerprint: string;
}

/** The Week's first day: the tree its reports follow. */
export async function formTreeDate(db: DB, form: ReportForm): Promise<string> {
  const w = await db.selectFrom('weeks').select('starts_on').where('year', '=', form.week_year).executeTakeFirst();
  return w?.starts_on ?? `${form.week_year}-10-01`;
}

/**
 * The owner's subtree in force on the Week's first day, in one query. Every report page and export
 * needs it (a national Week's is ~60,000 units), and it changes only when units do: kept per
 * process by the data cache, dropped by the `units` bump every reorganisation and import makes
 * (the Week's date and the form's levels are in the key). Callers must not change it.
 */
export async function formTree(db: DB, form: ReportForm): Promise<FormTree> {
  const on = await formTreeDate(db, form);
  return cachedData(db, `reports:tree:${form.id}:${form.owner_unit_id}:${form.applies_to_json}:${on}`, ['units'], () =>
    loadFormTree(db, form, on),
  );
}

async function loadFormTree(db: DB, form: ReportForm, on: string): Promise<FormTree> {
  const rows = await db
    .selectFrom('unit_tree_history as h')
    .innerJoin('units as u', 'u.id', 'h.descendant_id')
    .leftJoin('unit_tree_history as p', (j) =>
      j.onRef('p.descendant_id', '=', 'h.descendant_id').on('p.depth', '=', 1).on(inForce('p', on)),
    )
    .select(['u.id', 'u.kind', 'u.slug', 'u.name', 'u.name_en', 'p.ancestor_id as parent', 'h.depth'])
    .where('h.ancestor_id', '=', form.owner_unit_id)
    .where(inForce('h', on))
    .execute();
  const units = new Map<string, TreeUnit>();
  const children = new Map<string, string[]>();
  const kinds = new Set(form.appliesTo);
  const expected = new Set<string>();
  for (const r of rows) {
    const parent = r.depth === 0 ? null : r.parent;
    units.set(r.id, { id: r.id, kind: r.kind, slug: r.slug, name: r.name, name_en: r.name_en, parent });
    if (parent) {
      const list = children.get(parent) ?? [];
      list.push(r.id);
      children.set(parent, list);
    }
    if (r.depth > 0 && kinds.has(r.kind)) expected.add(r.id);
  }
  return { on, ownerId: form.owner_unit_id, units, children, expected, fingerprint: treeFingerprint(units.values(), expected) };
}

/** A fingerprint of a form tree: every unit with its parent and whether it reports. */
export function treeFingerprint(units: Iterable<{ id: string; parent: string | null }>, expected: Set<string>): string {
  const lines: string[] = [];
  for (const u of units) lines.push(`${u.id}>${u.parent ?? ''}${expected.has(u.id) ? '*' : ''}`);
  lines.sort();
  return createHash('sha1').update(lines.join('\n')).digest('base64url');
}

/** Ancestors in the form's tree, nearest first (up to the owner). */
export function treeAncestors(tree: FormTree, unitId: string): string[] {
  const out: string[] = [];
  let p = tree.units.get(unitId)?.parent ?? null;
  while (p) {
    out.push(p);
    p = tree.units.get(p)?.parent ?? null;
  }
  return out;
}

/** Who a unit reports to: the nearest reporting unit above it, else the owner. */
export function reportParent(tree: FormTree, unitId: string): string | null {
  if (unitId === tree.ownerId) return null;
  for (const a of treeAncestors(tree, unitId)) if (tree.expected.has(a)) return a;
  return tree.ownerId;
}

/** Reporting units that report to `unitId` (the owner's: the top level). */
export function reportChildren(tree: FormTree, unitId: string): string[] {
  const out: string[] = [];
  const walk = (id: string) => {
    for (const c of tree.children.get(id) ?? []) {
      if (tree.expected.has(c)) out.push(c);
      else walk(c);
    }
  };
  walk(unitId);
  return out;
}

const belowOf = new WeakMap<FormTree, Map<string, string[]>>();

/**
 * Every reporting unit strictly below `unitId`. Walked once per tree and unit: a tree is never
 * changed once made (`formTree` keeps it per process), and every view of the unit's page and its
 * completeness asks again (the Ministry's: the whole country). Callers must not change the list.
 */
export function expectedBelow(tree: FormTree, unitId: string): string[] {
  let byUnit = belowOf.get(tree);
  if (!byUnit) belowOf.set(tree, (byUnit = new Map()));
  let out = byUnit.get(unitId);
  if (!out) byUnit.set(unitId, (out = walkBelow(tree, unitId)));
  return out;
}

function walkBelow(tree: FormTree, unitId: string): string[] {
  const out: string[] = [];
  const walk = (id: string) => {
    for (const c of tree.children.get(id) ?? []) {
      if (tree.expected.has(c)) out.push(c);
      walk(c);
    }
  };
  walk(unitId);
  return out;
}

/**
 * The part of the tree a unit reports for itself: the unit and the units below it that do not
 * report on their own (a ward with its schools and libraries; a district without its wards). The
 * consolidated figure is this plus the reports below, so nothing is counted twice.
 */
export function ownPart(tree: FormTree, unitId: string): string[] {
  const out = [unitId];
  const walk = (id: string) => {
    for (const c of tree.children.get(id) ?? []) {
      if (tree.expected.has(c)) continue;
      out.push(c);
      walk(c);
    }
  };
  walk(unitId);
  return out;
}

/** `count(*)`-style helper kept here for the area's few raw aggregates. */
export const countAll = sql<number>`count(*)`;
