/**
 * Defining a Week's report form: organisers of the owner unit (or above it) start a form — blank,
 * or copied from an earlier form that applies to them with its dates moved to this Week — and edit
 * its settings, sections, indicators and cross-field rules. Every edit is a new form version
 * (the definition as it then stands is kept in `report_form_versions`); a report records the
 * version it was saved against, so a submitted report keeps the form it was filled in.
 * Edits quote the version they were shown: a second organiser's edit made meanwhile is refused
 * (`stale`), never silently overwritten.
 */
import { lockRows, writeTransaction } from '~/db/dialect';
import { UNIT_KINDS, type UnitKind } from '~/db/schema';
import type { ReportRule } from '~/db/schema/reports';
import { hasAnyRole } from '~/domain/accounts.server';
import type { FormEditorInput, NewFormInput } from '~/forms/reports-editor';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';

import { reportsChanged } from './cache.server';
import {
  defineForm,
  type DefineFormError,
  formDefinition,
  getForm,
  getFormById,
  type ReportForm,
  snapshotOf,
  writeSnapshot,
} from './forms.server';
import { isPrefillSource } from './prefill.server';

const EDITOR_ROLES = ['organiser', 'admin'] as const;

/** Minted only by `formEditor` after the check; every edit takes one. */
export interface FormEditor {
  readonly form: ReportForm;
  readonly userId: string;
  readonly brand: typeof BRAND;
}
const BRAND = Symbol('FormEditor');

export type FormEditorAccess = { status: 'missing' } | { status: 'forbidden' } | { status: 'ok'; editor: FormEditor };

/** Who edits a form: an organiser (or admin) whose grant covers the owner unit. */
export async function formEditor(db: DB, year: number, slug: string, userId: string): Promise<FormEditorAccess> {
  const form = await getForm(db, year, slug);
  if (!form) return { status: 'missing' };
  if (!(await hasAnyRole(db, userId, [...EDITOR_ROLES], form.owner_unit_id))) return { status: 'forbidden' };
  return { status: 'ok', editor: { form, userId, brand: BRAND } };
}

export async function canEditForm(db: DB, form: ReportForm, userId: string | null): Promise<boolean> {
  return !!userId && hasAnyRole(db, userId, [...EDITOR_ROLES], form.owner_unit_id);
}

/** Units the user may define a form for (their organiser/admin grants), and earlier forms they may copy. */
export async function newFormChoices(db: DB, year: number, userId: string) {
  const owners = await db
    .selectFrom('role_grants as g')
    .innerJoin('units as u', 'u.id', 'g.unit_id')
    .select(['u.id', 'u.name', 'u.name_en', 'u.kind'])
    .where('g.user_id', '=', userId)
    .where('g.role', 'in', [...EDITOR_ROLES])
    .distinct()
    .execute();
  if (!owners.length) return { owners: [], copies: [] };
  // Forms of this Week or the one before, owned by one of those units or a unit above them.
  const copies = await db
    .selectFrom('report_forms as f')
    .innerJoin('unit_closure as c', 'c.ancestor_id', 'f.owner_unit_id')
    .select(['f.id', 'f.week_year', 'f.slug', 'f.title_vi', 'f.title_en', 'f.version', 'f.created_at'])
    .where(
      'c.descendant_id',
      'in',
      owners.map((o) => o.id),
    )
    .where('f.week_year', 'in', [year, year - 1])
    .distinct()
    .orderBy('f.week_year', 'desc')
    .orderBy('f.created_at')
    .execute();
  return { owners, copies };
}

export type NewFormError = 'forbidden' | 'not_found' | DefineFormError;

/** Starts a form for a Week: blank (one empty section), or a copy of an earlier form the user may copy. */
export async function createForm(db: DB, userId: string, year: number, input: NewFormInput): Promise<Result<ReportForm, NewFormError>> {
  if (!(await hasAnyRole(db, userId, [...EDITOR_ROLES], input.ownerUnitId))) return err('forbidden');
  const week = await db.selectFrom('weeks').select(['report_deadline']).where('year', '=', year).executeTakeFirst();
  if (!week) return err('not_found');
  const base = {
    year,
    slug: input.slug,
    ownerUnitId: input.ownerUnitId,
    titleVi: input.titleVi,
    titleEn: input.titleEn,
  };
  if (!input.copyFrom) {
    const deadline = week.report_deadline ?? `${year}-10-30`;
    return defineForm(db, userId, {
      ...base,
      appliesTo: ['ward'],
      deadline,
      lockDate: shiftDay(deadline, 0, 15),
      docCode: 'BC',
      rules: [],
      sections: [{ titleVi: 'Số liệu chung', titleEn: 'General figures', indicators: [] }],
    });
  }
  const { copies } = await newFormChoices(db, year, userId);
  const chosen = copies.find((c) => c.id === input.copyFrom);
  if (!chosen) return err('not_found');
  const src = await getFormById(db, chosen.id);
  if (!src) return err('not_found');
  const snap = snapshotOf(await formDefinition(db, src));
  const years = year - src.week_year;
  return defineForm(db, userId, {
    ...base,
    appliesTo: snap.appliesTo,
    deadline: shiftDay(snap.deadline, years, 0),
    lockDate: shiftDay(snap.lockDate, years, 0),
    docCode: snap.docCode,
    rules: snap.rules,
    sections: snap.sections,
  });
}

/** `YYYY-MM-DD` moved by whole years (29/02 → 28/02) and days. */
export function shiftDay(day: string, years: number, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  const t = new Date(Date.UTC(y + years, m - 1, Math.min(d, last)));
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

// ---- edits ----

export type FormEditError =
  | 'stale'
  | 'not_found'
  | 'bad_dates'
  | 'bad_level'
  | 'duplicate_code'
  | 'bad_source'
  | 'bad_range'
  | 'bad_rule'
  | 'in_use'
  | 'not_empty'
  | 'last_section';
export type FormEditDone = { done: FormEditorInput['intent']; version: number };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** One edit of the form (the editor page's intents), as a new version; the whole edit in one transaction. */
export async function runFormEdit(
  db: DB,
  editor: FormEditor,
  input: FormEditorInput,
  now = new Date(),
): Promise<Result<FormEditDone, FormEditError>> {
  if (editor.brand !== BRAND) throw new Error('runFormEdit: a FormEditor comes from formEditor()');
  const formId = editor.form.id;
  const at = now.toISOString();
  const r = await writeTransaction(db, async (trx) => {
    const current = await lockRows(
      db,
      trx.selectFrom('report_forms').select(['version', 'rules_json']).where('id', '=', formId),
    ).executeTakeFirst();
    if (!current) return err('not_found' as const);
    if (current.version !== input.version) return err('stale' as const, { version: current.version });
    const rules = JSON.parse(current.rules_json) as ReportRule[];
    const indicators = await trx.selectFrom('report_indicators').selectAll().where('form_id', '=', formId).orderBy('position').execute();
    const sections = await trx.selectFrom('report_sections').selectAll().where('form_id', '=', formId).orderBy('position').execute();
    const hasValues = async (indicatorId: string) =>
      !!(await trx.selectFrom('report_values').select('report_id').where('indicator_id', '=', indicatorId).limit(1).executeTakeFirst());
    const checkIndicator = (i: { type: string; min: number | null; max: number | null; source: string | null }) => {
      if (i.source && !isPrefillSource(i.source)) return 'bad_source' as const;
      if (i.source && i.type === 'text') return 'bad_source' as const;
      if (i.min != null && i.max != null && i.min > i.max) return 'bad_range' as const;
      return null;
    };
    const bounds = (i: { type: string; min: number | null; max: number | null }) => ({
      min_value: i.type === 'text' ? null : (i.min ?? 0),
      max_value: i.type === 'text' ? null : (i.max ?? (i.type === 'bool' ? 1 : null)),
    });

    switch (input.intent) {
      case 'settings': {
        if (!DAY.test(input.deadline) || !DAY.test(input.lockDate) || input.lockDate < input.deadline) return err('bad_dates' as const);
        const appliesTo = input.appliesTo.filter((k): k is UnitKind => UNIT_KINDS.includes(k));
        if (!appliesTo.length) return err('bad_level' as const);
        await trx
          .updateTable('report_forms')
          .set({
            title_vi: input.titleVi,
            title_en: input.titleEn,
            deadline: input.deadline,
            lock_date: input.lockDate,
            doc_code: input.docCode,
            applies_to_json: JSON.stringify(appliesTo),
          })
          .where('id', '=', formId)
          .execute();
        break;
      }
      case 'addSection':
        await trx
          .insertInto('report_sections')
          .values({ id: newId(), form_id: formId, position: sections.length, title_vi: input.titleVi, title_en: input.titleEn })
          .execute();
        break;
      case 'renameSection': {
        if (!sections.some((s) => s.id === input.sectionId)) return err('not_found' as const);
        await trx
          .updateTable('report_sections')
          .set({ title_vi: input.titleVi, title_en: input.titleEn })
          .where('id', '=', input.sectionId)
          .execute();
        break;
      }
      case 'removeSection': {
        if (!sections.some((s) => s.id === input.sectionId)) return err('not_found' as const);
        if (indicators.some((i) => i.section_id === input.sectionId)) return err('not_empty' as const);
        if (sections.length <= 1) return err('last_section' as const);
        await trx.deleteFrom('report_sections').where('id', '=', input.sectionId).execute();
        break;
      }
      case 'addIndicator': {
        if (!sections.some((s) => s.id === input.sectionId)) return err('not_found' as const);
        if (indicators.some((i) => i.code === input.code)) return err('duplicate_code' as const);
        const bad = checkIndicator(input);
        if (bad) return err(bad);
        // Placed at the end of its section; positions after it move down by one.
        const inSection = indicators.filter((i) => i.section_id === input.sectionId);
        const sectionPos = sections.findIndex((s) => s.id === input.sectionId);
        const before = indicators.filter((i) => sections.findIndex((s) => s.id === i.section_id) <= sectionPos);
        const position = inSection.length ? Math.max(...inSection.map((i) => i.position)) + 1 : before.length;
        for (const i of indicators.filter((x) => x.position >= position).reverse())
          await trx
            .updateTable('report_indicators')
            .set({ position: i.position + 1 })
            .where('id', '=', i.id)
            .execute();
        await trx
          .insertInto('report_indicators')
          .values({
            id: newId(),
            form_id: formId,
            section_id: input.sectionId,
            position,
            code: input.code,
            label_vi: input.labelVi,
            label_en: input.labelEn,
            type: input.type,
            ...bounds(input),
            source: input.source,
            required: input.required ? 1 : 0,
          })
          .execute();
        break;
      }
      case 'updateIndicator': {
        const ind = indicators.find((i) => i.id === input.indicatorId);
        if (!ind) return err('not_found' as const);
        const bad = checkIndicator(input);
        if (bad) return err(bad);
        // Answers already given keep their meaning: the kind of answer changes only while none exists.
        if (ind.type !== input.type && (await hasValues(ind.id))) return err('in_use' as const);
        if (input.type === 'text' && rules.some((r) => r.left === ind.code || r.right === ind.code)) return err('bad_rule' as const);
        await trx
          .updateTable('report_indicators')
          .set({
            label_vi: input.labelVi,
            label_en: input.labelEn,
            type: input.type,
            ...bounds(input),
            source: input.source,
            required: input.required ? 1 : 0,
          })
          .where('id', '=', ind.id)
          .execute();
        break;
      }
      case 'removeIndicator': {
        const ind = indicators.find((i) => i.id === input.indicatorId);
        if (!ind) return err('not_found' as const);
        // Answered indicators stay (a report's figures are never dropped by an edit of the form).
        if (await hasValues(ind.id)) return err('in_use' as const);
        if (rules.some((r) => r.left === ind.code || r.right === ind.code)) return err('bad_rule' as const);
        await trx.deleteFrom('report_indicators').where('id', '=', ind.id).execute();
        break;
      }
      case 'moveIndicator': {
        const ind = indicators.find((i) => i.id === input.indicatorId);
        if (!ind) return err('not_found' as const);
        const sib = indicators.filter((i) => i.section_id === ind.section_id);
        const k = sib.findIndex((i) => i.id === ind.id);
        const other = sib[input.dir === 'up' ? k - 1 : k + 1];
        if (other) {
          await trx.updateTable('report_indicators').set({ position: -1 }).where('id', '=', ind.id).execute();
          await trx.updateTable('report_indicators').set({ position: ind.position }).where('id', '=', other.id).execute();
          await trx.updateTable('report_indicators').set({ position: other.position }).where('id', '=', ind.id).execute();
        }
        break;
      }
      case 'addRule': {
        const numeric = new Set(indicators.filter((i) => i.type !== 'text').map((i) => i.code));
        if (!numeric.has(input.left) || !numeric.has(input.right) || input.left === input.right) return err('bad_rule' as const);
        rules.push({ left: input.left, op: input.op, right: input.right });
        await trx
          .updateTable('report_forms')
          .set({ rules_json: JSON.stringify(rules) })
          .where('id', '=', formId)
          .execute();
        break;
      }
      case 'removeRule': {
        if (!rules[input.index]) return err('not_found' as const);
        rules.splice(input.index, 1);
        await trx
          .updateTable('report_forms')
          .set({ rules_json: JSON.stringify(rules) })
          .where('id', '=', formId)
          .execute();
        break;
      }
    }
    const version = current.version + 1;
    await trx.updateTable('report_forms').set({ version, updated_at: at }).where('id', '=', formId).execute();
    await writeSnapshot(trx, formId, version, editor.userId, at);
    return ok({ done: input.intent, version });
  });
  // Every report page of the form shows its definition, dates and levels.
  if (r.ok && !db.isTransaction) await reportsChanged(db, editor.form);
  return r;
}

/** The editor page: the form as it now stands, its versions, and what a field may be pre-filled from. */
export async function formEditorPage(db: DB, editor: FormEditor) {
  const form = (await getFormById(db, editor.form.id))!;
  const def = await formDefinition(db, form);
  const [versions, answered, reports] = await Promise.all([
    db
      .selectFrom('report_form_versions as v')
      .leftJoin('users as u', 'u.id', 'v.created_by')
      .select(['v.version', 'v.created_at', 'u.display_name as by'])
      .where('v.form_id', '=', form.id)
      .orderBy('v.version', 'desc')
      .limit(30)
      .execute(),
    db
      .selectFrom('report_values as v')
      .innerJoin('report_indicators as i', 'i.id', 'v.indicator_id')
      .select('i.id')
      .where('i.form_id', '=', form.id)
      .distinct()
      .execute(),
    db
      .selectFrom('report_reports')
      .select(['form_version', (e) => e.fn.countAll<number>().as('n')])
      .where('form_id', '=', form.id)
      .groupBy('form_version')
      .execute(),
  ]);
  const answeredIds = new Set(answered.map((r) => r.id));
  return {
    def,
    versions: versions.map((v) => ({ version: v.version, at: v.created_at, by: v.by })),
    answered: answeredIds,
    reportsByVersion: reports.map((r) => ({ version: r.form_version, count: Number(r.n) })),
  };
}
