/**
 * Completeness and timeliness of a unit's subtree for a form (DHIS2's reporting rate): accepted ÷
 * expected and on time ÷ expected, where "expected" is the reporting units below the unit in the
 * Week's tree — a unit created after the Week began is not expected, and a report of a unit that is
 * not expected never counts, so neither rate can pass 100 %. Late and missing units are listed with
 * their organisers; reminders (one click, and automatically 3 days and 1 day before the deadline)
 * go through the notification centre (bell + email).
 */
import { notify } from '~/domain/notifications/notify.server';
import { todayInVietnam } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';

import type { ReportAccess } from './access.server';
import { expectedBelow, type FormTree, formTree, type ReportForm, treeAncestors } from './forms.server';
import { statusesOf } from './reports.server';
import { deadlineEnd, rollupCounts, rollupsFollow } from './rollups.server';

export { deadlineEnd };

export interface UnitState {
  unitId: string;
  name: string;
  name_en: string | null;
  slug: string;
  status: 'none' | 'draft' | 'submitted' | 'returned' | 'accepted';
  onTime: boolean;
  late: boolean;
  organisers: Array<{ name: string; email: string }>;
}

/** Organisers who fill each unit's report (grants covering it now, not its ancestors in the Week's tree). */
export async function organisersOf(db: DB, tree: FormTree, unitIds: string[]) {
  const out = new Map<string, Array<{ userId: string; name: string; email: string }>>();
  for (let i = 0; i < unitIds.length; i += 500) {
    const rows = await db
      .selectFrom('role_grants as g')
      .innerJoin('unit_closure as c', 'c.ancestor_id', 'g.unit_id')
      .innerJoin('users as u', 'u.id', 'g.user_id')
      .select(['c.descendant_id as unit', 'g.unit_id as grant', 'u.id as userId', 'u.display_name as name', 'u.email'])
      .where('g.role', '=', 'organiser')
      .where('c.descendant_id', 'in', unitIds.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      if (treeAncestors(tree, r.unit).includes(r.grant)) continue;
      const list = out.get(r.unit) ?? [];
      if (!list.some((x) => x.userId === r.userId)) list.push({ userId: r.userId, name: r.name, email: r.email });
      out.set(r.unit, list);
    }
  }
  return out;
}

export async function completeness(db: DB, a: Pick<ReportAccess, 'form' | 'tree' | 'unitId'>, now = new Date()) {
  const expected = expectedBelow(a.tree, a.unitId);
  const end = deadlineEnd(a.form.deadline);
  const pastDeadline = now.toISOString() >= end;
  const n = expected.length;
  const pct = (x: number) => (n ? Math.min(100, Math.round((x / n) * 1000) / 10) : 100);
  // The maintained counts (`rollups.server.ts`): when every unit below has submitted, and on time,
  // nobody is missing or late, and the rates are the counts — no status of the subtree is read.
  if (await rollupsFollow(db, a.form, a.tree)) {
    const c = await rollupCounts(db, a.form.id, a.unitId);
    if (c.submitted === n && c.onTime === n)
      return {
        expected: n,
        accepted: c.accepted,
        submitted: c.submitted,
        onTime: c.onTime,
        acceptedRate: pct(c.accepted),
        onTimeRate: pct(c.onTime),
        pastDeadline,
        missing: [] as UnitState[],
        late: [] as UnitState[],
      };
  }
  const statuses = await statusesOf(db, a.form.id, expected);
  let accepted = 0;
  let onTime = 0;
  let submitted = 0;
  const states: UnitState[] = [];
  for (const id of expected) {
    const s = statuses.get(id);
    const u = a.tree.units.get(id)!;
    const isSubmitted = s?.status === 'submitted' || s?.status === 'accepted';
    const timely = !!s?.firstSubmittedAt && s.firstSubmittedAt < end;
    if (s?.status === 'accepted') accepted++;
    if (isSubmitted) submitted++;
    if (timely) onTime++;
    const late = (s?.firstSubmittedAt ? !timely : pastDeadline) || (!isSubmitted && pastDeadline);
    states.push({
      unitId: id,
      name: u.name,
      name_en: u.name_en,
      slug: u.slug,
      status: s?.status ?? 'none',
      onTime: timely,
      late,
      organisers: [],
    });
  }
  const needing = states.filter((s) => s.status !== 'accepted' && s.status !== 'submitted').map((s) => s.unitId);
  const orgs = await organisersOf(db, a.tree, [...new Set([...needing, ...states.filter((s) => s.late).map((s) => s.unitId)])]);
  for (const s of states) s.organisers = (orgs.get(s.unitId) ?? []).map(({ name, email }) => ({ name, email }));
  return {
    expected: n,
    accepted,
    submitted,
    onTime,
    acceptedRate: pct(accepted),
    onTimeRate: pct(onTime),
    pastDeadline,
    missing: states.filter((s) => s.status !== 'submitted' && s.status !== 'accepted'),
    late: states.filter((s) => s.late),
  };
}

/** Notifies the organisers of the given units once per (kind, day); returns how many units were reminded. */
async function remindUnits(
  db: DB,
  form: ReportForm,
  tree: FormTree,
  unitIds: string[],
  kind: 'd3' | 'd1' | 'manual',
  senderId: string | null,
  now: Date,
): Promise<number> {
  const today = todayInVietnam(now);
  const orgs = await organisersOf(db, tree, unitIds);
  let reminded = 0;
  for (const unitId of unitIds) {
    const res = await db
      .insertInto('report_reminders')
      .values({ id: newId(), form_id: form.id, unit_id: unitId, kind, sent_on: today, sent_by: senderId, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['form_id', 'unit_id', 'kind', 'sent_on']).doNothing())
      .executeTakeFirst();
    if (!res.numInsertedOrUpdatedRows) continue;
    reminded++;
    const unit = tree.units.get(unitId)!;
    for (const o of orgs.get(unitId) ?? [])
      await notify(db, {
        userId: o.userId,
        type: 'reports.reminder',
        params: { form: form.title_vi, unit: unit.name, deadline: form.deadline.split('-').reverse().join('/') },
        url: `/weeks/${form.week_year}/reports/${form.slug}/${unit.slug}`,
        now,
      });
  }
  return reminded;
}

/** One click: remind every unit below that has not submitted (at most once a day per unit). */
export async function remindLate(db: DB, a: ReportAccess, now = new Date()): Promise<number> {
  const c = await completeness(db, a, now);
  return remindUnits(
    db,
    a.form,
    a.tree,
    c.missing.map((m) => m.unitId),
    'manual',
    a.userId,
    now,
  );
}

/** The periodic job: 3 days and 1 day before each form's deadline, remind every unit that has not submitted. */
export async function sendDeadlineReminders(db: DB, now = new Date()): Promise<number> {
  const today = todayInVietnam(now);
  const dayPlus = (d: number) => todayInVietnam(new Date(now.getTime() + d * 86_400_000));
  const forms = await db
    .selectFrom('report_forms')
    .selectAll()
    .where('deadline', 'in', [dayPlus(3), dayPlus(1)])
    .execute();
  let total = 0;
  for (const f of forms) {
    if (today >= f.lock_date) continue;
    const form: ReportForm = { ...f, appliesTo: JSON.parse(f.applies_to_json), rules: JSON.parse(f.rules_json) };
    const tree = await formTree(db, form);
    const c = await completeness(db, { form, tree, unitId: tree.ownerId }, now);
    total += await remindUnits(
      db,
      form,
      tree,
      c.missing.map((m) => m.unitId),
      f.deadline === dayPlus(3) ? 'd3' : 'd1',
      null,
      now,
    );
  }
  return total;
}
