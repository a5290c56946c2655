/**
 * One unit's report for a form: its page (definition, saved values, the platform's figures, the
 * sums of the reports below), saving drafts with an optimistic version check, submitting (after
 * the reports below are accepted, or explicitly without the late ones), review up the chain
 * (accept / return with a comment; accepted locks; a higher level reopens with a reason), with
 * every submitted version kept in `report_events`.
 */
import { createHash } from 'node:crypto';

import { lockRows, toNumber, writeTransaction } from '~/db/dialect';
import type { ReportStatus } from '~/db/schema/reports';
import { inForce } from '~/domain/units.server';
import { todayInVietnam } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { cachedData } from '~/lib/page-cache.server';
import { err, ok, type Result } from '~/lib/result';

import type { ReportAccess } from './access.server';
import { reportsCacheKey, reportsChanged } from './cache.server';
import { definitionAt, type FormDefinition, formDefinition, type Indicator, ownPart, reportChildren } from './forms.server';
import { platformFigures, type PrefillSource, type WeekRange, weekRange } from './prefill.server';
import { applyRollupChange, deadlineEnd, lockRollups, rollupsFollow, rollupTotals } from './rollups.server';

export type Value = number | string | null;
export type ValueMap = Record<string, Value>;

export async function formWeekRange(db: DB, year: number): Promise<WeekRange> {
  const w = await db.selectFrom('weeks').select(['starts_on', 'ends_on']).where('year', '=', year).executeTakeFirst();
  return weekRange(year, w?.starts_on ?? `${year}-10-01`, w?.ends_on ?? `${year}-10-07`);
}

/** The platform's figure for every pre-filled indicator, for the unit's own part of the tree. */
export async function prefillFor(
  db: DB,
  a: Pick<ReportAccess, 'form' | 'tree' | 'unitId'>,
  def: FormDefinition,
): Promise<Record<string, number>> {
  const sourced = def.indicators.filter((i) => i.source);
  if (!sourced.length) return {};
  const figures = await platformFigures(db, ownPart(a.tree, a.unitId), await formWeekRange(db, a.form.week_year));
  return Object.fromEntries(sourced.map((i) => [i.code, figures[i.source as PrefillSource]]));
}

async function reportRow(db: DB, formId: string, unitId: string) {
  return db.selectFrom('report_reports').selectAll().where('form_id', '=', formId).where('unit_id', '=', unitId).executeTakeFirst();
}

async function valuesOf(
  db: DB,
  reportId: string,
  def: FormDefinition,
): Promise<{ values: ValueMap; prefill: Record<string, number | null> }> {
  const rows = await db.selectFrom('report_values').selectAll().where('report_id', '=', reportId).execute();
  const byId = new Map(def.indicators.map((i) => [i.id, i]));
  const values: ValueMap = {};
  const prefill: Record<string, number | null> = {};
  for (const r of rows) {
    const ind = byId.get(r.indicator_id);
    if (!ind) continue;
    values[ind.code] = ind.type === 'text' ? r.text_value : r.num_value == null ? null : toNumber(r.num_value);
    prefill[ind.code] = r.prefill_value == null ? null : toNumber(r.prefill_value);
  }
  return { values, prefill };
}

/** Ids per `IN (…)` list: well under SQLite's and PostgreSQL's bound-parameter limits. */
const IN_CHUNK = 500;

/**
 * Sums (numbers, VND, yes counted as 1) of submitted/accepted reports, per reporting child of the
 * unit and its own. The sums below each child are added up by the database, grouped by the child
 * and the indicator: the child's subtree is the one in force on the tree's date
 * (`unit_tree_history`, the same rows `formTree` reads), restricted to the units that report (the
 * form's levels), so the Ministry's roll-up of a national Week reads a few hundred sums, not every
 * value of every report. Text answers are taken from the unit's own report and its children's.
 */
export function rollup(db: DB, a: Pick<ReportAccess, 'form' | 'tree' | 'unitId'>, def: FormDefinition): ReturnType<typeof loadRollup> {
  // The same for every reader of the unit's page: kept per process until a report of the form
  // changes (`reportsChanged` after every save and review: ./cache.server.ts) or the tree or form
  // does (in the key). Callers must not change what it returns.
  const shape = createHash('sha1')
    .update(def.indicators.map((i) => `${i.id}:${i.code}:${i.type}`).join(','))
    .digest('base64url');
  const key = `reports:rollup:${a.form.id}:${a.form.version}:${a.tree.on}:${a.tree.fingerprint}:${a.unitId}:${shape}`;
  return cachedData(db, key, [`reports:${reportsCacheKey(a.form)}`, 'units'], () => loadRollup(db, a, def));
}

async function loadRollup(db: DB, a: Pick<ReportAccess, 'form' | 'tree' | 'unitId'>, def: FormDefinition) {
  const children = reportChildren(a.tree, a.unitId);
  const byId = new Map(def.indicators.map((i) => [i.id, i]));
  const groups = new Map<string, ValueMap>(children.map((c) => [c, {}]));
  const own: ValueMap = {};
  const add = (target: ValueMap, code: string, v: number | string) => {
    target[code] = toNumber(target[code] ?? 0) + toNumber(v);
  };
  // The unit's own report and its children's, every answer.
  const direct = [a.unitId, ...children];
  for (let i = 0; i < direct.length; i += IN_CHUNK) {
    const rows = await db
      .selectFrom('report_values as v')
      .innerJoin('report_reports as r', 'r.id', 'v.report_id')
      .select(['r.unit_id', 'v.indicator_id', 'v.num_value', 'v.text_value'])
      .where('r.form_id', '=', a.form.id)
      .where('r.status', 'in', ['submitted', 'accepted'])
      .where('r.unit_id', 'in', direct.slice(i, i + IN_CHUNK))
      .execute();
    for (const r of rows) {
      const ind = byId.get(r.indicator_id);
      const target = r.unit_id === a.unitId ? own : groups.get(r.unit_id);
      if (!ind || !target) continue;
      if (ind.type === 'text') target[ind.code] = r.text_value;
      else if (r.num_value != null) add(target, ind.code, r.num_value);
    }
  }
  // Everything reported below each child, per indicator: the maintained sums when they follow
  // this tree (`rollups.server.ts`), else summed by the database, grouped by child and indicator
  // (text answers have no number; an indicator of another version of the form is left out below).
  const addBelow = (child: string, indicatorId: string, total: number | string | null) => {
    const ind = byId.get(indicatorId);
    const target = groups.get(child);
    if (ind && ind.type !== 'text' && target && total != null) add(target, ind.code, total);
  };
  if (children.length && (await rollupsFollow(db, a.form, a.tree))) {
    for (const [child, m] of await rollupTotals(db, a.form.id, children)) for (const [ind, v] of m) addBelow(child, ind, v);
  } else {
    const levels = [...new Set(a.form.appliesTo)];
    for (let i = 0; levels.length && i < children.length; i += IN_CHUNK) {
      const rows = await db
        .selectFrom('unit_tree_history as h')
        .innerJoin('report_reports as r', 'r.unit_id', 'h.descendant_id')
        .innerJoin('units as u', 'u.id', 'r.unit_id')
        .innerJoin('report_values as v', 'v.report_id', 'r.id')
        .select(['h.ancestor_id as child', 'v.indicator_id'])
        .select((eb) => eb.fn.sum<number | string>('v.num_value').as('total'))
        .where('h.ancestor_id', 'in', children.slice(i, i + IN_CHUNK))
        .where('h.depth', '>', 0)
        .where(inForce('h', a.tree.on))
        .where('r.form_id', '=', a.form.id)
        .where('r.status', 'in', ['submitted', 'accepted'])
        .where('u.kind', 'in', levels)
        .where('v.num_value', 'is not', null)
        .groupBy(['h.ancestor_id', 'v.indicator_id'])
        .execute();
      for (const r of rows) addBelow(r.child, r.indicator_id, r.total);
    }
  }
  const childSum: ValueMap = {};
  for (const g of groups.values())
    for (const i of def.indicators)
      if (i.type !== 'text' && g[i.code] != null) childSum[i.code] = toNumber(childSum[i.code] ?? 0) + toNumber(g[i.code]);
  const total: ValueMap = {};
  for (const i of def.indicators)
    if (i.type !== 'text' && (own[i.code] != null || childSum[i.code] != null))
      total[i.code] = toNumber(own[i.code] ?? 0) + toNumber(childSum[i.code] ?? 0);
  return { children, groups, own, childSum, total };
}

/**
 * The definition a unit's report is shown and exported with: a submitted or accepted report keeps
 * the form version it was submitted under (its labels, sections and order, even after the form is
 * edited); a report still being filled, or none yet, the form as it now stands.
 */
export async function reportDefinition(
  db: DB,
  a: Pick<ReportAccess, 'form' | 'tree' | 'unitId'>,
  report?: { status: ReportStatus; form_version: number | null } | null,
): Promise<FormDefinition> {
  const r = report !== undefined ? report : a.unitId === a.tree.ownerId ? null : await reportRow(db, a.form.id, a.unitId);
  if (r && r.form_version != null && r.form_version !== a.form.version && (r.status === 'submitted' || r.status === 'accepted'))
    return definitionAt(db, a.form, r.form_version);
  return formDefinition(db, a.form);
}

/** Whether this visitor fills the unit's report now: its organiser, while it is not submitted or accepted. */
export function reportEditable(a: Pick<ReportAccess, 'canEdit' | 'tree' | 'unitId'>, status: ReportStatus | 'none'): boolean {
  return a.canEdit && a.unitId !== a.tree.ownerId && (status === 'none' || status === 'draft' || status === 'returned');
}

/**
 * Everything the report page shows. The platform's figures (pre-filled values, counted from raw
 * records of the Week: the costliest part of the page) only while the visitor can edit the report —
 * the only time the page shows them; a reader, a reviewer or a submitted report gets none.
 */
export async function reportPage(db: DB, a: ReportAccess, platformNow?: Record<string, number> | null) {
  const report = a.unitId === a.tree.ownerId ? null : await reportRow(db, a.form.id, a.unitId);
  const def = await reportDefinition(db, a, report ?? null);
  const saved = report ? await valuesOf(db, report.id, def) : { values: {}, prefill: {} };
  const [platform, sums, events, childStatuses] = await Promise.all([
    reportEditable(a, report?.status ?? 'none') ? (platformNow ?? prefillFor(db, a, def)) : Promise.resolve({} as Record<string, number>),
    rollup(db, a, def),
    report
      ? db
          .selectFrom('report_events as e')
          .leftJoin('users as u', 'u.id', 'e.actor_id')
          .select(['e.id', 'e.version', 'e.action', 'e.comment', 'e.created_at', 'u.display_name as actor'])
          .where('e.report_id', '=', report.id)
          .orderBy('e.version', 'desc')
          .execute()
      : Promise.resolve([]),
    statusesOf(db, a.form.id, reportChildren(a.tree, a.unitId)),
  ]);
  return { def, report, saved, platform, sums, events, childStatuses };
}

export async function statusesOf(db: DB, formId: string, unitIds: string[]) {
  const out = new Map<string, { status: ReportStatus; firstSubmittedAt: string | null; submittedAt: string | null }>();
  const base = () =>
    db.selectFrom('report_reports').select(['unit_id', 'status', 'first_submitted_at', 'submitted_at']).where('form_id', '=', formId);
  const put = (r: { unit_id: string; status: ReportStatus; first_submitted_at: string | null; submitted_at: string | null }) =>
    out.set(r.unit_id, { status: r.status, firstSubmittedAt: r.first_submitted_at, submittedAt: r.submitted_at });
  if (unitIds.length > 4 * IN_CHUNK) {
    // A whole country's units: one pass over the form's reports, not a hundred lists of ids.
    const wanted = new Set(unitIds);
    for (const r of await base().execute()) if (wanted.has(r.unit_id)) put(r);
    return out;
  }
  for (let i = 0; i < unitIds.length; i += IN_CHUNK)
    for (const r of await base()
      .where('unit_id', 'in', unitIds.slice(i, i + IN_CHUNK))
      .execute())
      put(r);
  return out;
}

// ---- parsing typed values ----

export type FieldError = { message: string; params?: Record<string, string | number> };

/** A whole number as typed: digits, optionally grouped with spaces, dots or commas ("12.500.000"). */
function parseWhole(raw: string): { value: number | null; error?: string } {
  const s = raw.trim();
  if (!s) return { value: null };
  if (/^-\s*[\d\s.,]+$/.test(s)) return { value: null, error: 'reports.errors.negative' };
  if (!/^\d{1,3}([\s.,]?\d{3})*$/.test(s) && !/^\d+$/.test(s)) return { value: null, error: 'reports.errors.notNumber' };
  const v = Number(s.replace(/[\s.,]/g, ''));
  if (!Number.isSafeInteger(v)) return { value: null, error: 'reports.errors.notNumber' };
  return { value: v };
}

export function fieldName(code: string): string {
  return `v_${code}`;
}

/** Typed text → values, with a translated message per bad field (what was typed is kept by the caller). */
export function parseValues(def: FormDefinition, raw: Record<string, string>, submitting: boolean) {
  const values: ValueMap = {};
  const errors: Record<string, FieldError> = {};
  const label = (i: Indicator) => i.label_vi;
  for (const i of def.indicators) {
    const typed = raw[fieldName(i.code)] ?? '';
    if (i.type === 'text') {
      const t = typed.trim();
      if (t.length > 4000) errors[i.code] = { message: 'errors.tooLong' };
      else if (!t && submitting && i.required) errors[i.code] = { message: 'errors.required' };
      values[i.code] = t || null;
      continue;
    }
    if (i.type === 'bool') {
      if (typed === '1' || typed === '0') values[i.code] = Number(typed);
      else if (typed === '') values[i.code] = null;
      else errors[i.code] = { message: 'errors.invalid' };
    } else {
      const p = parseWhole(typed);
      if (p.error) errors[i.code] = { message: p.error };
      else values[i.code] = p.value;
    }
    const v = values[i.code];
    if (errors[i.code]) continue;
    if (v == null) {
      if (submitting && i.required) errors[i.code] = { message: 'errors.required' };
      continue;
    }
    if (i.min != null && (v as number) < i.min) errors[i.code] = { message: 'reports.errors.belowMin', params: { min: i.min } };
    else if (i.max != null && (v as number) > i.max) errors[i.code] = { message: 'reports.errors.aboveMax', params: { max: i.max } };
  }
  if (submitting) {
    const byCode = new Map(def.indicators.map((i) => [i.code, i]));
    for (const r of def.form.rules) {
      const l = values[r.left];
      const rv = values[r.right];
      if (errors[r.left] || errors[r.right] || l == null || rv == null) continue;
      const holds = r.op === '>=' ? Number(l) >= Number(rv) : r.op === '<=' ? Number(l) <= Number(rv) : Number(l) === Number(rv);
      if (!holds)
        errors[r.left] = {
          message: 'reports.errors.rule',
          params: {
            left: label(byCode.get(r.left)!),
            op: r.op === '>=' ? '≥' : r.op === '<=' ? '≤' : '=',
            right: label(byCode.get(r.right)!),
          },
        };
    }
  }
  return { values, errors };
}

// ---- saving and submitting ----

export type SaveError = 'forbidden' | 'locked' | 'not_editable' | 'invalid' | 'stale' | 'children_pending';
export type SaveFailure =
  | { ok: false; code: Exclude<SaveError, 'invalid' | 'stale' | 'children_pending'> }
  | { ok: false; code: 'invalid'; fields: Record<string, FieldError> }
  | { ok: false; code: 'stale'; version: number; theirs: ValueMap; updatedAt: string }
  | { ok: false; code: 'children_pending'; pending: string[] };

export interface SaveInput {
  intent: 'save' | 'submit';
  version: number;
  raw: Record<string, string>;
  /** Submit although some reports below are not accepted (they are listed as late). */
  without?: boolean;
}

export function isLocked(lockDate: string, now: Date): boolean {
  return todayInVietnam(now) >= lockDate;
}

export async function saveReport(
  db: DB,
  a: ReportAccess,
  input: SaveInput,
  now = new Date(),
): Promise<{ ok: true; status: ReportStatus; version: number } | SaveFailure> {
  if (!a.canEdit) return { ok: false, code: 'forbidden' };
  if (isLocked(a.form.lock_date, now)) return { ok: false, code: 'locked' };
  const def = await formDefinition(db, a.form);
  const submitting = input.intent === 'submit';
  const parsed = parseValues(def, input.raw, submitting);
  if (Object.keys(parsed.errors).length) return { ok: false, code: 'invalid', fields: parsed.errors };
  const platform = await prefillFor(db, a, def);
  const children = reportChildren(a.tree, a.unitId);
  const iso = now.toISOString();
  const result = await writeTransaction(db, async (trx) => {
    const { deadline } = await lockRollups(trx, a.form, a.tree);
    let report = await lockRows(
      db,
      trx.selectFrom('report_reports').selectAll().where('form_id', '=', a.form.id).where('unit_id', '=', a.unitId),
    ).executeTakeFirst();
    const current = report?.version ?? 0;
    if (current !== input.version) {
      const theirs = report ? (await valuesOf(trx, report.id, def)).values : {};
      return { ok: false as const, code: 'stale' as const, version: current, theirs, updatedAt: report?.updated_at ?? iso };
    }
    if (report && (report.status === 'submitted' || report.status === 'accepted'))
      return { ok: false as const, code: 'not_editable' as const };
    let late: string[] = [];
    if (submitting && children.length) {
      const st = await statusesOf(trx, a.form.id, children);
      late = children.filter((c) => st.get(c)?.status !== 'accepted');
      if (late.length && !input.without) return { ok: false as const, code: 'children_pending' as const, pending: late };
    }
    const version = current + 1;
    const status: ReportStatus = submitting ? 'submitted' : (report?.status ?? 'draft');
    if (!report) {
      report = {
        id: newId(),
        form_id: a.form.id,
        unit_id: a.unitId,
        status,
        version,
        first_submitted_at: null,
        submitted_at: null,
        submitted_by: null,
        submitted_without_json: null,
        reviewed_at: null,
        reviewed_by: null,
        review_comment: null,
        updated_at: iso,
        updated_by: a.userId,
        form_version: a.form.version,
      };
      await trx.insertInto('report_reports').values(report).execute();
    }
    await trx
      .updateTable('report_reports')
      .set({
        status,
        version,
        updated_at: iso,
        updated_by: a.userId,
        form_version: a.form.version,
        ...(submitting
          ? {
              submitted_at: iso,
              submitted_by: a.userId,
              first_submitted_at: report.first_submitted_at ?? iso,
              submitted_without_json: late.length ? JSON.stringify(late) : null,
            }
          : {}),
      })
      .where('id', '=', report.id)
      .execute();
    await trx.deleteFrom('report_values').where('report_id', '=', report.id).execute();
    const rows = def.indicators
      .filter((i) => parsed.values[i.code] != null)
      .map((i) => ({
        report_id: report!.id,
        indicator_id: i.id,
        num_value: i.type === 'text' ? null : (parsed.values[i.code] as number),
        text_value: i.type === 'text' ? (parsed.values[i.code] as string) : null,
        prefill_value: i.source ? (platform[i.code] ?? null) : null,
      }));
    if (rows.length) await trx.insertInto('report_values').values(rows).execute();
    if (submitting)
      await applyRollupChange(trx, a.form, a.tree, a.unitId, {
        counted: 1,
        accepted: 0,
        onTime: report.first_submitted_at == null && iso < deadlineEnd(deadline) ? 1 : 0,
        values: rows,
      });
    if (submitting)
      await trx
        .insertInto('report_events')
        .values({
          id: newId(),
          report_id: report.id,
          version,
          action: 'submitted',
          comment: late.length ? JSON.stringify(late) : null,
          values_json: JSON.stringify(parsed.values),
          form_version: a.form.version,
          actor_id: a.userId,
          created_at: iso,
        })
        .execute();
    return { ok: true as const, status, version };
  });
  if (result.ok && !db.isTransaction) await reportsChanged(db, a.form);
  return result;
}

// ---- review up the chain ----

export type ReviewError = 'forbidden' | 'not_found' | 'wrong_state' | 'comment_required';

/** The reviewer's decision on a submitted report below them: accept (it locks) or return with a comment. */
export async function reviewReport(
  db: DB,
  a: ReportAccess,
  decision: 'accept' | 'return',
  comment: string,
  now = new Date(),
): Promise<Result<ReportStatus, ReviewError>> {
  if (!a.canReview) return err('forbidden');
  if (decision === 'return' && !comment.trim()) return err('comment_required');
  return changeState(
    db,
    a,
    ['submitted'],
    decision === 'accept' ? 'accepted' : 'returned',
    decision === 'accept' ? 'accepted' : 'returned',
    comment,
    now,
  );
}

/** A level above the reviewer reopens an accepted report (back to the unit, with the reason). */
export async function reopenReport(db: DB, a: ReportAccess, reason: string, now = new Date()): Promise<Result<ReportStatus, ReviewError>> {
  if (!a.canReopen) return err('forbidden');
  if (!reason.trim()) return err('comment_required');
  return changeState(db, a, ['accepted'], 'returned', 'reopened', reason, now);
}

async function changeState(
  db: DB,
  a: ReportAccess,
  from: ReportStatus[],
  to: ReportStatus,
  action: 'accepted' | 'returned' | 'reopened',
  comment: string,
  now: Date,
): Promise<Result<ReportStatus, ReviewError>> {
  const iso = now.toISOString();
  const result = await writeTransaction(db, async (trx) => {
    await lockRollups(trx, a.form, a.tree);
    const r = await lockRows(
      db,
      trx.selectFrom('report_reports').selectAll().where('form_id', '=', a.form.id).where('unit_id', '=', a.unitId),
    ).executeTakeFirst();
    if (!r) return err('not_found' as const);
    if (!from.includes(r.status)) return err('wrong_state' as const);
    const wasIn = r.status === 'submitted' || r.status === 'accepted';
    const isIn = to === 'submitted' || to === 'accepted';
    const counted = wasIn === isIn ? 0 : isIn ? 1 : -1;
    await applyRollupChange(trx, a.form, a.tree, a.unitId, {
      counted,
      accepted: r.status === to ? 0 : to === 'accepted' ? 1 : r.status === 'accepted' ? -1 : 0,
      onTime: 0,
      values: counted
        ? await trx.selectFrom('report_values').select(['indicator_id', 'num_value']).where('report_id', '=', r.id).execute()
        : [],
    });
    await trx
      .updateTable('report_reports')
      .set({
        status: to,
        version: r.version + 1,
        reviewed_at: iso,
        reviewed_by: a.userId,
        review_comment: comment.trim() || null,
        updated_at: iso,
      })
      .where('id', '=', r.id)
      .execute();
    await trx
      .insertInto('report_events')
      .values({
        id: newId(),
        report_id: r.id,
        version: r.version + 1,
        action,
        comment: comment.trim() || null,
        values_json: null,
        form_version: null,
        actor_id: a.userId,
        created_at: iso,
      })
      .execute();
    return ok(to);
  });
  if (result.ok && !db.isTransaction) await reportsChanged(db, a.form);
  return result;
}

/** A submitted version's values (every version is kept). */
export async function submittedVersions(db: DB, reportId: string) {
  const rows = await db
    .selectFrom('report_events')
    .select(['version', 'values_json', 'created_at'])
    .where('report_id', '=', reportId)
    .where('action', '=', 'submitted')
    .orderBy('version')
    .execute();
  return rows.map((r) => ({ version: r.version, at: r.created_at, values: JSON.parse(r.values_json ?? '{}') as ValueMap }));
}
