/**
 * Roll-ups kept up to date (issue #16 at national scale): per form, for every unit of the form's
 * tree, the sum of each indicator over the submitted/accepted reports strictly below it, and how
 * many of those reports are submitted (or accepted), accepted, and were first submitted on time.
 * The Ministry's consolidated page then reads its 34 or 63 children's sums instead of adding up
 * every value of every report in the country.
 *
 * Exact by construction: every change of a report that moves it into or out of the counted set
 * (submit; return; reopen) or changes its review state (accept) applies its difference to the
 * unit's ancestors in the form's tree inside the same transaction, after locking the form's row
 * (so changes of one form are applied one at a time on both dialects). The figures are tied to one
 * tree and deadline (`rollupKey`: the Week's tree as `formTree` reads it, the form's levels, its
 * deadline): when the units change (a reorganisation, an import) or the form's deadline or levels
 * are edited, the key no longer matches, readers sum from the reports as before, and the next
 * write (or `rebuildRollups`) rebuilds them from the reports for the new key.
 */
import { sql } from 'kysely';

import { lockRows, toNumber } from '~/db/dialect';
import type { DB } from '~/lib/db.server';
import { nowIso } from '~/lib/ids.server';

import type { FormTree, ReportForm } from './forms.server';
import { treeAncestors } from './forms.server';

/** The instant a submission stops being on time: the day after the deadline, 00:00 in Vietnam. */
export function deadlineEnd(deadline: string): string {
  return new Date(new Date(`${deadline}T00:00:00+07:00`).getTime() + 86_400_000).toISOString();
}

/** What the maintained figures of a form follow: its tree (with its levels) and its deadline. */
export function rollupKey(form: Pick<ReportForm, 'deadline'>, tree: Pick<FormTree, 'fingerprint' | 'on' | 'ownerId'>): string {
  return `${tree.ownerId}|${tree.on}|${tree.fingerprint}|${form.deadline}`;
}

/** True when the form's maintained figures follow this tree and deadline (else: sum from the reports). */
export async function rollupsFollow(db: DB, form: ReportForm, tree: FormTree): Promise<boolean> {
  const s = await db.selectFrom('report_rollup_state').select('tree_key').where('form_id', '=', form.id).executeTakeFirst();
  return s?.tree_key === rollupKey(form, tree);
}

const IN_CHUNK = 500;

/** Sums below each of `unitIds` (maintained), by unit and indicator id. */
export async function rollupTotals(db: DB, formId: string, unitIds: string[]): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  for (let i = 0; i < unitIds.length; i += IN_CHUNK) {
    const rows = await db
      .selectFrom('report_rollups')
      .select(['unit_id', 'indicator_id', 'total'])
      .where('form_id', '=', formId)
      .where('n', '>', 0)
      .where('unit_id', 'in', unitIds.slice(i, i + IN_CHUNK))
      .execute();
    for (const r of rows) {
      const m = out.get(r.unit_id) ?? new Map<string, number>();
      m.set(r.indicator_id, toNumber(r.total));
      out.set(r.unit_id, m);
    }
  }
  return out;
}

export interface RollupCounts {
  submitted: number;
  accepted: number;
  onTime: number;
}

/** How many reports strictly below the unit are submitted (or accepted), accepted, on time (maintained). */
export async function rollupCounts(db: DB, formId: string, unitId: string): Promise<RollupCounts> {
  const r = await db
    .selectFrom('report_rollup_counts')
    .select(['submitted', 'accepted', 'on_time'])
    .where('form_id', '=', formId)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
  return { submitted: toNumber(r?.submitted ?? 0), accepted: toNumber(r?.accepted ?? 0), onTime: toNumber(r?.on_time ?? 0) };
}

type Sum = { total: number; n: number };

/** Adds `add` to the sums of each unit (multi-row upserts; totals and counts may be negative). */
async function addTotals(trx: DB, formId: string, add: Map<string, Map<string, Sum>>) {
  const rows: Array<{ form_id: string; unit_id: string; indicator_id: string; total: number; n: number }> = [];
  for (const [unit, m] of add)
    for (const [ind, v] of m) if (v.n !== 0) rows.push({ form_id: formId, unit_id: unit, indicator_id: ind, total: v.total, n: v.n });
  // 5 parameters a row: well under SQLite's 32,766 and PostgreSQL's 65,535 per statement.
  for (let i = 0; i < rows.length; i += 2000)
    await trx
      .insertInto('report_rollups')
      .values(rows.slice(i, i + 2000))
      .onConflict((oc) =>
        oc
          .columns(['form_id', 'unit_id', 'indicator_id'])
          .doUpdateSet({ total: sql`report_rollups.total + excluded.total`, n: sql`report_rollups.n + excluded.n` }),
      )
      .execute();
}

async function addCounts(trx: DB, formId: string, add: Map<string, RollupCounts>) {
  const rows = [...add]
    .filter(([, c]) => c.submitted || c.accepted || c.onTime)
    .map(([unit, c]) => ({ form_id: formId, unit_id: unit, submitted: c.submitted, accepted: c.accepted, on_time: c.onTime }));
  for (let i = 0; i < rows.length; i += 2000)
    await trx
      .insertInto('report_rollup_counts')
      .values(rows.slice(i, i + 2000))
      .onConflict((oc) =>
        oc.columns(['form_id', 'unit_id']).doUpdateSet({
          submitted: sql`report_rollup_counts.submitted + excluded.submitted`,
          accepted: sql`report_rollup_counts.accepted + excluded.accepted`,
          on_time: sql`report_rollup_counts.on_time + excluded.on_time`,
        }),
      )
      .execute();
}

/**
 * Recomputes a form's figures from its reports for `tree` (inside a write transaction that holds
 * the form's lock: `lockRollups`, or a bench/seed script writing alone). A national Week reads
 * every value once, by chunks of units.
 */
export async function rebuildRollups(trx: DB, form: ReportForm, tree: FormTree): Promise<void> {
  await trx.deleteFrom('report_rollups').where('form_id', '=', form.id).execute();
  await trx.deleteFrom('report_rollup_counts').where('form_id', '=', form.id).execute();
  const end = deadlineEnd(form.deadline);
  const ancestors = new Map<string, string[]>();
  const up = (id: string) => {
    let a = ancestors.get(id);
    if (!a) ancestors.set(id, (a = treeAncestors(tree, id)));
    return a;
  };
  const totals = new Map<string, Map<string, Sum>>();
  const counts = new Map<string, RollupCounts>();
  const reports = await trx
    .selectFrom('report_reports')
    .select(['unit_id', 'status', 'first_submitted_at'])
    .where('form_id', '=', form.id)
    .execute();
  const counted: string[] = [];
  for (const r of reports) {
    if (!tree.expected.has(r.unit_id)) continue;
    const isIn = r.status === 'submitted' || r.status === 'accepted';
    if (isIn) counted.push(r.unit_id);
    const d = {
      submitted: isIn ? 1 : 0,
      accepted: r.status === 'accepted' ? 1 : 0,
      onTime: r.first_submitted_at != null && r.first_submitted_at < end ? 1 : 0,
    };
    if (!d.submitted && !d.onTime) continue;
    for (const a of up(r.unit_id)) {
      const c = counts.get(a) ?? { submitted: 0, accepted: 0, onTime: 0 };
      c.submitted += d.submitted;
      c.accepted += d.accepted;
      c.onTime += d.onTime;
      counts.set(a, c);
    }
  }
  for (let i = 0; i < counted.length; i += IN_CHUNK) {
    const rows = await trx
      .selectFrom('report_values as v')
      .innerJoin('report_reports as r', 'r.id', 'v.report_id')
      .select(['r.unit_id', 'v.indicator_id', 'v.num_value'])
      .where('r.form_id', '=', form.id)
      .where('r.unit_id', 'in', counted.slice(i, i + IN_CHUNK))
      .where('v.num_value', 'is not', null)
      .execute();
    for (const r of rows) {
      const v = toNumber(r.num_value);
      for (const a of up(r.unit_id)) {
        let m = totals.get(a);
        if (!m) totals.set(a, (m = new Map()));
        const s = m.get(r.indicator_id);
        if (s) {
          s.total += v;
          s.n++;
        } else m.set(r.indicator_id, { total: v, n: 1 });
      }
    }
  }
  await addTotals(trx, form.id, totals);
  await addCounts(trx, form.id, counts);
  const key = rollupKey(form, tree);
  const built = nowIso();
  await trx
    .insertInto('report_rollup_state')
    .values({ form_id: form.id, tree_key: key, built_at: built })
    .onConflict((oc) => oc.column('form_id').doUpdateSet({ tree_key: key, built_at: built }))
    .execute();
}

/**
 * At the start of a write transaction changing a report of the form: locks the form's row (the
 * form's changes are applied one at a time) and makes sure its figures follow `tree` (rebuilt
 * from the reports if not: once after the units or the form's deadline change).
 */
export async function lockRollups(trx: DB, form: ReportForm, tree: FormTree): Promise<{ deadline: string }> {
  await lockRows(trx, trx.selectFrom('report_forms').select('id').where('id', '=', form.id)).executeTakeFirst();
  // The deadline as it stands now (the form object may predate an edit).
  const f = await trx.selectFrom('report_forms').select('deadline').where('id', '=', form.id).executeTakeFirstOrThrow();
  const current = { ...form, deadline: f.deadline };
  const s = await trx.selectFrom('report_rollup_state').select('tree_key').where('form_id', '=', form.id).executeTakeFirst();
  if (s?.tree_key !== rollupKey(current, tree)) await rebuildRollups(trx, current, tree);
  return { deadline: f.deadline };
}

export interface RollupChange {
  /** +1: the report enters the counted set (submitted); -1: it leaves it (returned, reopened); 0: neither. */
  counted: -1 | 0 | 1;
  /** +1 accepted, -1 no longer accepted. */
  accepted: -1 | 0 | 1;
  /** 1 when this is the report's first submission and it is on time. */
  onTime: 0 | 1;
  /** The report's numeric values by indicator id (added when counted is +1, taken away when -1). */
  values: Array<{ indicator_id: string; num_value: number | string | null }>;
}

/** Applies one report's change to its ancestors' figures (after `lockRollups`, in the same transaction). */
export async function applyRollupChange(trx: DB, form: ReportForm, tree: FormTree, unitId: string, c: RollupChange): Promise<void> {
  if (!tree.expected.has(unitId)) return;
  const ancestors = treeAncestors(tree, unitId);
  if (c.counted) {
    const m = new Map<string, Sum>();
    for (const v of c.values) {
      if (v.num_value == null) continue;
      const s = m.get(v.indicator_id) ?? { total: 0, n: 0 };
      s.total += c.counted * toNumber(v.num_value);
      s.n += c.counted;
      m.set(v.indicator_id, s);
    }
    await addTotals(trx, form.id, new Map(ancestors.map((a) => [a, m])));
  }
  if (c.counted || c.accepted || c.onTime) {
    const d: RollupCounts = { submitted: c.counted, accepted: c.accepted, onTime: c.onTime };
    await addCounts(trx, form.id, new Map(ancestors.map((a) => [a, d])));
  }
}
