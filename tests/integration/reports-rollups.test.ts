/**
 * The maintained roll-ups of Week reports (rollups.server.ts) on both dialects: after every submit,
 * accept, return, amendment and reopening, every unit's sums of the reports below it and its
 * completeness (submitted, accepted, on time, missing, late) equal what the reports themselves say,
 * at every level — on the 2024 three-level tree and, after the 2025 reorganisation (provinces and
 * wards merged, a ward moved, districts dissolved), on the two-tier tree, the 2024 figures staying
 * those of the 2024 tree. A unit added to a Week's tree makes readers sum from the reports until the
 * next write rebuilds the figures.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import type { UnitKind } from '~/db/schema';
import { report2024Spec } from '~/db/seed/reports';
import type { ReportAccess } from '~/domain/reports/access.server';
import { completeness, deadlineEnd } from '~/domain/reports/completeness.server';
import { reportXlsx } from '~/domain/reports/exports.server';
import { defineForm, expectedBelow, formDefinition, formTree, type ReportForm, reportParent } from '~/domain/reports/forms.server';
import { reopenReport, reviewReport, rollup, saveReport } from '~/domain/reports/reports.server';
import { applyRollupChange, rollupsFollow } from '~/domain/reports/rollups.server';
import { createUnit } from '~/domain/units.server';
import { applyReorganisation, type Reorganisation } from '~/domain/units/reorganise.server';
import { newId } from '~/lib/ids.server';
import { unwrap } from '~/lib/result';

import { dialects, freshDb } from '../helpers/db';
import { figures } from '../helpers/reports';
import { makeUser } from '../helpers/users';
import { insertWeek } from '../helpers/weeks';

const D2024 = new Date('2024-10-18T03:00:00Z');
const LATE2024 = new Date('2024-11-03T03:00:00Z');
const D2025 = new Date('2025-10-15T03:00:00Z');

/** Every unit of the form's tree: its maintained sums and completeness equal the reports' own. */
async function expectExact(db: DB, form: ReportForm, now: Date) {
  const tree = await formTree(db, form);
  const def = await formDefinition(db, form);
  const byId = new Map(def.indicators.map((i) => [i.id, i]));
  const reports = await db.selectFrom('report_reports').selectAll().where('form_id', '=', form.id).execute();
  const values = await db
    .selectFrom('report_values as v')
    .innerJoin('report_reports as r', 'r.id', 'v.report_id')
    .select(['r.unit_id', 'v.indicator_id', 'v.num_value'])
    .where('r.form_id', '=', form.id)
    .execute();
  const status = new Map(reports.map((r) => [r.unit_id, r]));
  const end = deadlineEnd(form.deadline);
  const past = now.toISOString() >= end;
  let checked = 0;
  for (const unitId of [tree.ownerId, ...tree.expected]) {
    const below = expectedBelow(tree, unitId);
    if (!below.length) continue;
    const set = new Set(below);
    const counted = new Set(below.filter((x) => ['submitted', 'accepted'].includes(status.get(x)?.status ?? '')));
    const want: Record<string, number> = {};
    for (const v of values) {
      const ind = byId.get(v.indicator_id);
      if (!counted.has(v.unit_id) || !ind || ind.type === 'text' || v.num_value == null) continue;
      want[ind.code] = (want[ind.code] ?? 0) + Number(v.num_value);
    }
    const a = { form, tree, unitId };
    expect((await rollup(db, a, def)).childSum, `sums below ${tree.units.get(unitId)?.name}`).toEqual(want);
    const c = await completeness(db, a, now);
    const first = (x: string) => status.get(x)?.first_submitted_at ?? null;
    const timely = (x: string) => first(x) != null && first(x)! < end;
    expect(
      {
        expected: c.expected,
        submitted: c.submitted,
        accepted: c.accepted,
        onTime: c.onTime,
        missing: c.missing.map((m) => m.unitId).sort(),
        late: c.late.map((m) => m.unitId).sort(),
      },
      `completeness of ${tree.units.get(unitId)?.name}`,
    ).toEqual({
      expected: set.size,
      submitted: counted.size,
      accepted: below.filter((x) => status.get(x)?.status === 'accepted').length,
      onTime: below.filter(timely).length,
      missing: below.filter((x) => !counted.has(x)).sort(),
      late: below.filter((x) => (first(x) ? !timely(x) : past) || (!counted.has(x) && past)).sort(),
    });
    checked++;
  }
  expect(checked).toBeGreaterThan(1);
  return { tree, follows: await rollupsFollow(db, form, tree) };
}

describe.each(dialects)('report roll-ups kept up to date (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ db, cleanup } = await freshDb(dialect));
  });
  afterEach(async () => cleanup());

  it('stay exact at every level through submit, accept, return, amend and reopen, on the 2024 and the 2025 trees', async () => {
    await insertWeek(db, 2024);
    await insertWeek(db, 2025);
    const ids = new Map<string, string>();
    const u = async (key: string, parent: string | null, kind: UnitKind, name: string) => {
      const unit = await createUnit(db, { parentId: parent ? ids.get(parent)! : null, kind, slug: `${key}-${newId(6)}`, name });
      ids.set(key, unit.id);
    };
    await u('M', null, 'ministry', 'Bộ GDĐT');
    await u('P1', 'M', 'province', 'Tỉnh Một');
    await u('D1', 'P1', 'district', 'Huyện Một');
    await u('W1', 'D1', 'ward', 'Phường Một');
    await u('S1', 'W1', 'school', 'Trường Một');
    await u('W2', 'D1', 'ward', 'Phường Hai');
    await u('P2', 'M', 'province', 'Tỉnh Hai');
    await u('D2', 'P2', 'district', 'Huyện Hai');
    await u('W3', 'D2', 'ward', 'Xã Ba');
    await u('S3', 'W3', 'school', 'Trường Ba');
    const id = (k: string) => ids.get(k)!;
    const userId = await makeUser(db, 'Người báo cáo', 1980);
    const spec = report2024Spec(id('M'));
    const f2024 = unwrap(await defineForm(db, userId, { ...spec, appliesTo: ['province', 'district', 'ward', 'school'] }));
    // Mutators are called with an access that lets them act (who may act is tested in reports-domain).
    const access = async (form: ReportForm, unitId: string): Promise<ReportAccess> => {
      const tree = await formTree(db, form);
      return {
        status: 'ok',
        form,
        tree,
        unitId,
        userId,
        parentId: reportParent(tree, unitId),
        canRead: true,
        canEdit: true,
        canReview: true,
        canReopen: true,
      };
    };
    const version = async (form: ReportForm, unitId: string) =>
      (
        await db
          .selectFrom('report_reports')
          .select('version')
          .where('form_id', '=', form.id)
          .where('unit_id', '=', unitId)
          .executeTakeFirst()
      )?.version ?? 0;
    const submit = async (form: ReportForm, k: string, scale: number, now: Date) => {
      const r = await saveReport(
        db,
        await access(form, id(k)),
        { intent: 'submit', version: await version(form, id(k)), raw: figures(scale), without: true },
        now,
      );
      expect(r.ok, `submit ${k}`).toBe(true);
    };
    const review = async (form: ReportForm, k: string, d: 'accept' | 'return', now: Date) =>
      unwrap(await reviewReport(db, await access(form, id(k)), d, d === 'return' ? 'Xem lại số liệu' : '', now));

    // 2024: schools, wards, a district; some accepted, one returned and amended, one reopened.
    for (const [k, scale] of [
      ['S1', 1],
      ['W1', 2],
      ['W2', 3],
      ['S3', 4],
      ['W3', 1],
      ['D2', 2],
    ] as const)
      await submit(f2024, k, scale, D2024);
    let check = await expectExact(db, f2024, D2024);
    expect(check.follows).toBe(true);
    const m2024 = { form: f2024, tree: check.tree, unitId: id('M') };
    const def2024 = await formDefinition(db, f2024);
    // What the Ministry reads: 10 × (1+2+3+4+1+2) books, every report submitted below it.
    expect((await rollup(db, m2024, def2024)).total).toMatchObject({ books_lent: 130, budget_vnd: 65_000_000 });
    await review(f2024, 'S1', 'accept', D2024);
    await review(f2024, 'W2', 'accept', D2024);
    await review(f2024, 'S3', 'return', D2024);
    expect((await rollup(db, m2024, def2024)).total).toMatchObject({ books_lent: 90 });
    await expectExact(db, f2024, D2024);
    await submit(f2024, 'S3', 7, D2024); // amended: 70 books instead of 40
    await review(f2024, 'S3', 'accept', D2024);
    expect((await rollup(db, m2024, def2024)).total).toMatchObject({ books_lent: 160 });
    expect((await rollup(db, { ...m2024, unitId: id('P2') }, def2024)).childSum).toMatchObject({ books_lent: 100 });
    await expectExact(db, f2024, D2024);
    unwrap(await reopenReport(db, await access(f2024, id('W2')), 'Sai số người tham gia', LATE2024));
    await expectExact(db, f2024, LATE2024);
    await submit(f2024, 'W2', 5, LATE2024); // resubmitted after the deadline: first submission was on time
    await submit(f2024, 'P1', 1, LATE2024); // first submitted late
    await review(f2024, 'W2', 'accept', LATE2024);
    check = await expectExact(db, f2024, LATE2024);
    expect(check.follows).toBe(true);
    const p1 = await completeness(db, { form: f2024, tree: check.tree, unitId: id('P1') }, LATE2024);
    // Below Tỉnh Một: its district (never submitted), two wards and a school.
    expect(p1).toMatchObject({ expected: 4, submitted: 3, accepted: 2, onTime: 3 });
    const mc = await completeness(db, m2024, LATE2024);
    expect(mc).toMatchObject({ expected: 9, submitted: 7, onTime: 6, accepted: 3, acceptedRate: 33.3 });
    expect(mc.late.map((x) => x.unitId).sort()).toEqual([id('P1'), id('D1'), id('P2')].sort());

    // The 2025 reorganisation: wards merged into a new ward, a ward moved, districts and a province dissolved.
    const on = '2025-07-01';
    const reorg = async (r: Reorganisation) => unwrap(await applyReorganisation(db, null, r, { system: true }));
    const nw = await reorg({
      op: 'merge',
      sourceIds: [id('W1'), id('W2')],
      target: { create: { name: 'Phường Mới', nameEn: null, slug: `nw-${newId(6)}`, kind: 'ward', parentId: id('P1'), code: null } },
      on,
    });
    ids.set('NW', nw.targetId);
    await reorg({ op: 'merge', sourceIds: [id('D1')], target: { id: id('P1') }, on });
    await reorg({ op: 'move', unitId: id('W3'), parentId: id('P1'), on });
    await reorg({ op: 'merge', sourceIds: [id('D2')], target: { id: id('P1') }, on });
    await reorg({ op: 'merge', sourceIds: [id('P2')], target: { id: id('P1') }, on });

    // The 2024 figures still follow the 2024 tree: unchanged, and still read from the kept sums.
    check = await expectExact(db, f2024, LATE2024);
    expect(check.follows).toBe(true);
    expect(check.tree.units.get(id('W3'))?.parent).toBe(id('D2'));
    expect((await rollup(db, { ...m2024, tree: check.tree }, def2024)).childSum).toMatchObject({ books_lent: 160 + 50 - 30 + 10 });

    // 2025: the two-tier tree (no districts), a fresh form for it.
    const f2025 = unwrap(
      await defineForm(db, userId, {
        ...spec,
        year: 2025,
        slug: 'bao-cao-2025',
        appliesTo: ['province', 'ward', 'school'],
        deadline: '2025-10-30',
        lockDate: '2027-12-31',
      }),
    );
    const t2025 = await formTree(db, f2025);
    expect(t2025.units.get(id('W3'))?.parent).toBe(id('P1'));
    expect(t2025.units.get(id('S1'))?.parent).toBe(id('NW'));
    expect(t2025.units.has(id('P2'))).toBe(false);
    for (const [k, scale] of [
      ['S1', 2],
      ['S3', 1],
      ['W3', 3],
      ['NW', 4],
    ] as const)
      await submit(f2025, k, scale, D2025);
    await review(f2025, 'S3', 'accept', D2025);
    await review(f2025, 'W3', 'return', D2025);
    check = await expectExact(db, f2025, D2025);
    expect(check.follows).toBe(true);
    const m2025 = { form: f2025, tree: check.tree, unitId: id('M') };
    const def2025 = await formDefinition(db, f2025);
    expect((await rollup(db, m2025, def2025)).total).toMatchObject({ books_lent: 70 });
    await submit(f2025, 'W3', 6, D2025);
    await review(f2025, 'W3', 'accept', D2025);
    expect((await rollup(db, m2025, def2025)).total).toMatchObject({ books_lent: 130 });
    expect(await completeness(db, m2025, D2025)).toMatchObject({ expected: 5, submitted: 4, accepted: 2, onTime: 4 });

    // A school opened in the 2025 tree after the reports: the kept sums no longer follow the tree,
    // readers sum from the reports (still exact), and the next write rebuilds them.
    await createUnit(db, { parentId: id('NW'), kind: 'school', slug: `s4-${newId(6)}`, name: 'Trường Bốn', validFrom: '2025-09-01' });
    check = await expectExact(db, f2025, D2025);
    expect(check.follows).toBe(false);
    expect((await completeness(db, { ...m2025, tree: check.tree }, D2025)).expected).toBe(6);
    await submit(f2025, 'P1', 1, D2025);
    check = await expectExact(db, f2025, D2025);
    expect(check.follows).toBe(true);
    expect((await rollup(db, { ...m2025, tree: check.tree }, def2025)).total).toMatchObject({ books_lent: 140 });
    // The XLSX the Ministry downloads reads the same sums.
    const xlsx = await reportXlsx(db, { ...(await access(f2025, id('M'))), tree: check.tree }, 'vi', {
      unit: 'Đơn vị',
      own: 'tự thực hiện',
      total: 'Tổng cộng',
      yes: 'Có',
      no: 'Không',
    });
    expect(xlsx.length).toBeGreaterThan(1000);
  });

  it('concurrent submits of sibling units, the figures being rebuilt by the first: every one counted once', async () => {
    await insertWeek(db, 2024);
    const m = await createUnit(db, { parentId: null, kind: 'ministry', slug: `m-${newId(6)}`, name: 'Bộ' });
    const p = await createUnit(db, { parentId: m.id, kind: 'province', slug: `p-${newId(6)}`, name: 'Tỉnh' });
    const wards = [];
    for (let i = 0; i < 4; i++)
      wards.push(await createUnit(db, { parentId: p.id, kind: 'ward', slug: `w${i}-${newId(6)}`, name: `Phường ${i}` }));
    const userId = await makeUser(db, 'Người báo cáo', 1980);
    const form = unwrap(await defineForm(db, userId, report2024Spec(m.id)));
    const tree = await formTree(db, form);
    const access = (unitId: string): ReportAccess => ({
      status: 'ok',
      form,
      tree,
      unitId,
      userId,
      parentId: p.id,
      canRead: true,
      canEdit: true,
      canReview: true,
      canReopen: true,
    });
    // One submitted before, then its figures forgotten (as after a migration or a bulk import).
    expect((await saveReport(db, access(wards[0]!.id), { intent: 'submit', version: 0, raw: figures(1) }, D2024)).ok).toBe(true);
    await db.deleteFrom('report_rollup_state').execute();
    await db.deleteFrom('report_rollups').execute();
    const results = await Promise.all(
      wards.slice(1).map((w, i) => saveReport(db, access(w.id), { intent: 'submit', version: 0, raw: figures(i + 2) }, D2024)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const check = await expectExact(db, form, D2024);
    expect(check.follows).toBe(true);
    const def = await formDefinition(db, form);
    expect((await rollup(db, { form, tree, unitId: m.id }, def)).total).toMatchObject({ books_lent: 100 });
    expect(await completeness(db, { form, tree, unitId: m.id }, D2024)).toMatchObject({ expected: 5, submitted: 4, onTime: 4 });
  });

  it('a change applied twice is visible, so the comparison would catch a slip', async () => {
    await insertWeek(db, 2024);
    const m = await createUnit(db, { parentId: null, kind: 'ministry', slug: `m-${newId(6)}`, name: 'Bộ' });
    const p = await createUnit(db, { parentId: m.id, kind: 'province', slug: `p-${newId(6)}`, name: 'Tỉnh' });
    const w = await createUnit(db, { parentId: p.id, kind: 'ward', slug: `w-${newId(6)}`, name: 'Phường' });
    const userId = await makeUser(db, 'Người báo cáo', 1980);
    const form = unwrap(await defineForm(db, userId, report2024Spec(m.id)));
    const tree = await formTree(db, form);
    const a: ReportAccess = {
      status: 'ok',
      form,
      tree,
      unitId: w.id,
      userId,
      parentId: p.id,
      canRead: true,
      canEdit: true,
      canReview: true,
      canReopen: true,
    };
    expect((await saveReport(db, a, { intent: 'submit', version: 0, raw: figures(1) }, D2024)).ok).toBe(true);
    const def = await formDefinition(db, form);
    const pa = { form, tree, unitId: m.id };
    expect((await rollup(db, pa, def)).childSum).toMatchObject({ books_lent: 10 });
    const books = def.indicators.find((i) => i.code === 'books_lent')!;
    await applyRollupChange(db, form, tree, w.id, {
      counted: 1,
      accepted: 0,
      onTime: 0,
      values: [{ indicator_id: books.id, num_value: 10 }],
    });
    expect((await rollup(db, pa, def)).childSum).toMatchObject({ books_lent: 20 });
    await expect(expectExact(db, form, D2024)).rejects.toThrow();
  });
});
