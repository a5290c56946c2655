/**
 * Week results reports on both dialects: pre-filled figures equal counts of the underlying rows
 * for a unit's part of the tree and the Week's dates; sums up the hierarchy; approval states and
 * locks; the reporting rate never above 100 % with units created and closed around the Week;
 * optimistic concurrency; bad input per field (values kept by the caller); XLSX read back.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import type { ActivityKind } from '~/db/schema';
import { report2024Spec } from '~/db/seed/reports';
import { grantRole } from '~/domain/accounts.server';
import { borrow } from '~/domain/library/circulation.server';
import { createTitle, upsertHolding } from '~/domain/library/titles.server';
import { addActivity, ensurePlan, setPlanStatus } from '~/domain/plans.server';
import { type ReportAccess, reportAccess } from '~/domain/reports/access.server';
import { completeness, remindLate, sendDeadlineReminders } from '~/domain/reports/completeness.server';
import { reportCsv, reportXlsx } from '~/domain/reports/exports.server';
import { defineForm, formDefinition } from '~/domain/reports/forms.server';
import { prefillFor, reopenReport, reportPage, reviewReport, rollup, saveReport, submittedVersions } from '~/domain/reports/reports.server';
import { reportView } from '~/domain/reports/view.server';
import { createUnit, dissolveUnit } from '~/domain/units.server';
import { newId } from '~/lib/ids.server';
import { unwrap } from '~/lib/result';

import { dialects, freshDb } from '../helpers/db';
import { figures } from '../helpers/reports';
import { makeUser } from '../helpers/users';
import { insertWeek } from '../helpers/weeks';

const DURING = new Date('2024-10-18T03:00:00Z');
const LABELS = { unit: 'Đơn vị', own: 'tự thực hiện', total: 'Tổng cộng', yes: 'Có', no: 'Không' };

async function world(db: DB) {
  await insertWeek(db, 2024);
  const u = (parentId: string | null, kind: Parameters<typeof createUnit>[1]['kind'], name: string, validFrom?: string) =>
    createUnit(db, { parentId, kind, slug: `${kind}-${newId(6)}`, name, validFrom });
  const ministry = await u(null, 'ministry', 'Bộ GDĐT');
  const province = await u(ministry.id, 'province', 'Thành phố Hà Nội');
  const district = await u(province.id, 'district', 'Quận Hà Đông');
  const w1 = await u(district.id, 'ward', 'Phường Biên Giang');
  const w2 = await u(district.id, 'ward', 'Phường Vạn Phúc');
  const school = await u(w1.id, 'school', 'Trường THCS Biên Giang');
  const lib1 = await u(w1.id, 'clc_library', 'Thư viện TTHTCĐ Biên Giang');
  const lib2 = await u(w2.id, 'clc_library', 'Thư viện Vạn Phúc');
  const user = async (name: string, unitId?: string) => {
    const id = await makeUser(db, name, 1980);
    if (unitId) await grantRole(db, { userId: id, unitId, role: 'organiser', grantedBy: null });
    return id;
  };
  const users = {
    admin: await user('Quản trị'),
    w1: await user('BTC Biên Giang', w1.id),
    w1b: await user('BTC Biên Giang 2', w1.id),
    w2: await user('BTC Vạn Phúc', w2.id),
    district: await user('BTC Hà Đông', district.id),
    province: await user('BTC Hà Nội', province.id),
  };
  await grantRole(db, { userId: users.admin, unitId: ministry.id, role: 'admin', grantedBy: null });
  const form = unwrap(await defineForm(db, users.admin, report2024Spec(ministry.id)));
  const access = async (unitId: string, userId: string): Promise<ReportAccess> => {
    const a = await reportAccess(db, 2024, form.slug, unitId, userId);
    if (a.status !== 'ok') throw new Error(`no access: ${a.status}`);
    return a;
  };
  return { ministry, province, district, w1, w2, school, lib1, lib2, users, form, access, user };
}

async function plan(db: DB, unitId: string, userId: string, kinds: ActivityKind[], status: 'published' | 'draft' = 'published') {
  const p = await ensurePlan(db, unitId, 2024, userId);
  for (const [i, kind] of kinds.entries())
    await addActivity(db, p.id, {
      title: `Hoạt động ${i}`,
      kind,
      startsAt: '2024-10-02T01:00:00.000Z',
      endsAt: '2024-10-02T03:00:00.000Z',
      place: 'Nhà văn hóa',
      onlineUrl: null,
      audience: 'Mọi người',
    });
  await setPlanStatus(db, p.id, status);
}

async function loanAt(db: DB, libraryId: string, userId: string, at: Date) {
  const titleId = await createTitle(
    db,
    {
      slug: newId(8),
      title: `Sách ${newId(4)}`,
      author: 'Tác giả',
      language: 'vi',
      description: '',
      subjects: [],
      audience: 'all',
      themeYear: 2024,
      publisher: null,
      publishedYear: null,
    },
    { origin: 'upload', createdBy: null },
  );
  const h = await upsertHolding(db, titleId, libraryId, { openAccess: false, copies: 1 });
  unwrap(await borrow(db, userId, h.id, at));
}

describe.each(dialects)('Week reports (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ db, cleanup } = await freshDb(dialect));
  });
  afterEach(async () => cleanup());

  it('pre-fills figures equal to the counts of the rows in the unit’s part of the tree and the Week’s dates', async () => {
    const w = await world(db);
    await plan(db, w.w1.id, w.users.w1, ['ceremony', 'talk', 'talk']);
    await plan(db, w.school.id, w.users.w1, ['exhibition']);
    await plan(db, w.w2.id, w.users.w2, ['talk']);
    const reader = await w.user('Bạn đọc');
    await loanAt(db, w.lib1.id, reader, new Date('2024-10-01T00:00:00Z')); // 07:00 on 1 Oct in Vietnam: in
    await loanAt(db, w.lib1.id, reader, new Date('2024-10-07T16:30:00Z')); // 23:30 on 7 Oct: in
    await loanAt(db, w.lib1.id, reader, new Date('2024-09-30T16:59:00Z')); // 23:59 on 30 Sep: out
    await loanAt(db, w.lib1.id, reader, new Date('2024-10-07T17:00:00Z')); // 00:00 on 8 Oct: out
    await loanAt(db, w.lib2.id, reader, new Date('2024-10-03T03:00:00Z')); // another ward
    const a = await w.access(w.w1.id, w.users.w1);
    const def = await formDefinition(db, w.form);
    const pre = await prefillFor(db, a, def);
    expect(pre).toMatchObject({
      opening_held: 1,
      activities_total: 4,
      activities_talk: 2,
      activities_exhibition: 1,
      activities_training: 0,
      books_lent: 2,
      online_learners: 0,
      contest_entrants: 0,
    });
    // The district's own part excludes its reporting wards: nothing counted twice.
    const d = await w.access(w.district.id, w.users.district);
    expect(await prefillFor(db, d, def)).toMatchObject({ activities_total: 0, books_lent: 0 });
    // Saved values remember what the platform counted; a correction is visible as such.
    unwrap(
      await saveReport(db, a, { intent: 'save', version: 0, raw: figures(1, { books_lent: 25 }) }, DURING).then((r) =>
        r.ok ? { ok: true as const, value: r } : { ok: false as const, code: r.code },
      ),
    );
    const page = await reportPage(db, await w.access(w.w1.id, w.users.w1));
    expect(page.saved.values.books_lent).toBe(25);
    expect(page.saved.prefill.books_lent).toBe(2);
    expect(page.platform.books_lent).toBe(2);
  });

  it('sums submitted figures up the hierarchy; a parent submits after its children are accepted or lists the late ones', async () => {
    const w = await world(db);
    const def = await formDefinition(db, w.form);
    expect((await saveReport(db, await w.access(w.w1.id, w.users.w1), { intent: 'submit', version: 0, raw: figures(1) }, DURING)).ok).toBe(
      true,
    );
    const d0 = await w.access(w.district.id, w.users.district);
    // Only submitted reports count: Vạn Phúc's draft is not in the sum.
    await saveReport(db, await w.access(w.w2.id, w.users.w2), { intent: 'save', version: 0, raw: figures(2) }, DURING);
    expect((await rollup(db, d0, def)).childSum).toMatchObject({ books_lent: 10, budget_vnd: 5_000_000 });
    expect((await saveReport(db, await w.access(w.w2.id, w.users.w2), { intent: 'submit', version: 1, raw: figures(2) }, DURING)).ok).toBe(
      true,
    );
    const sums = await rollup(db, d0, def);
    expect(sums.childSum).toMatchObject({ books_lent: 30, participants_total: 900, budget_vnd: 15_000_000, opening_held: 2 });
    // The district cannot submit before both wards are accepted…
    const blocked = await saveReport(db, d0, { intent: 'submit', version: 0, raw: figures(1, { books_lent: 7 }) }, DURING);
    expect(blocked).toMatchObject({ ok: false, code: 'children_pending' });
    if (!blocked.ok && blocked.code === 'children_pending') expect(blocked.pending.sort()).toEqual([w.w1.id, w.w2.id].sort());
    unwrap(await reviewReport(db, await w.access(w.w1.id, w.users.district), 'accept', '', DURING));
    // …or it submits explicitly without the late one, which is recorded.
    const without = await saveReport(db, d0, { intent: 'submit', version: 0, raw: figures(1, { books_lent: 7 }), without: true }, DURING);
    expect(without.ok).toBe(true);
    const dRow = await db.selectFrom('report_reports').selectAll().where('unit_id', '=', w.district.id).executeTakeFirstOrThrow();
    expect(JSON.parse(dRow.submitted_without_json ?? '[]')).toEqual([w.w2.id]);
    // The province sees the district's own figures plus both wards (submitted), and the Ministry the same total.
    const p = await w.access(w.province.id, w.users.province);
    expect((await rollup(db, p, def)).childSum).toMatchObject({ books_lent: 37, budget_vnd: 20_000_000 });
    const m = await w.access(w.ministry.id, w.users.admin);
    expect((await rollup(db, m, def)).total).toMatchObject({ books_lent: 37, budget_vnd: 20_000_000 });
    // XLSX: one sheet per section, the children as rows and a totals row; CSV likewise.
    const buf = await reportXlsx(db, d0, 'vi', LABELS);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toHaveLength(def.sections.length);
    const sheet = wb.worksheets[2]!;
    const header = sheet.getRow(1).values as unknown[];
    const col = header.indexOf('Lượt sách cho mượn');
    const last = sheet.getRow(sheet.rowCount);
    expect(last.getCell(1).value).toBe('Tổng cộng');
    expect(last.getCell(col).value).toBe(37);
    expect(sheet.rowCount).toBe(5); // header, two wards, the district's own row, totals
    const csv = await reportCsv(db, d0, 'vi', LABELS);
    expect(csv).toContain('Tổng cộng');
  });

  it('approval: return with a comment, resubmit (every version kept), accept locks, a higher level reopens with a reason', async () => {
    const w = await world(db);
    const a1 = await w.access(w.w1.id, w.users.w1);
    expect(a1).toMatchObject({ canEdit: true, canReview: false, canReopen: false });
    await saveReport(db, a1, { intent: 'submit', version: 0, raw: figures(1) }, DURING);
    const byDistrict = await w.access(w.w1.id, w.users.district);
    expect(byDistrict).toMatchObject({ canEdit: false, canReview: true, canReopen: false });
    // The ward cannot review itself; a sibling cannot even read it.
    expect(await reviewReport(db, a1, 'accept', '', DURING)).toMatchObject({ ok: false, code: 'forbidden' });
    expect((await reportAccess(db, 2024, w.form.slug, w.w1.id, w.users.w2)).status).toBe('forbidden');
    expect(await reviewReport(db, byDistrict, 'return', '  ', DURING)).toMatchObject({ ok: false, code: 'comment_required' });
    unwrap(await reviewReport(db, byDistrict, 'return', 'Số người tham gia chưa khớp', DURING));
    // Submitted reports cannot be saved; returned ones can, then resubmitted.
    const returned = await reportPage(db, await w.access(w.w1.id, w.users.w1));
    expect(returned.report).toMatchObject({ status: 'returned', review_comment: 'Số người tham gia chưa khớp' });
    const v = returned.report!.version;
    expect(
      (
        await saveReport(
          db,
          await w.access(w.w1.id, w.users.w1),
          { intent: 'submit', version: v, raw: figures(1, { participants_total: 420 }) },
          DURING,
        )
      ).ok,
    ).toBe(true);
    const versions = await submittedVersions(db, returned.report!.id);
    expect(versions.map((x) => x.values.participants_total)).toEqual([300, 420]);
    unwrap(await reviewReport(db, await w.access(w.w1.id, w.users.district), 'accept', '', DURING));
    const accepted = await reportPage(db, await w.access(w.w1.id, w.users.w1));
    expect(accepted.report?.status).toBe('accepted');
    // The platform's figures are counted only while the report can be edited (the edit form is the
    // only place they show): an accepted report's page, its reviewer's too, does not count them.
    expect(returned.platform).not.toEqual({});
    expect(accepted.platform).toEqual({});
    expect((await reportPage(db, await w.access(w.w1.id, w.users.district))).platform).toEqual({});
    const acceptedView = await reportView(db, await w.access(w.w1.id, w.users.w1), 'vi');
    expect(acceptedView.can.edit).toBe(false);
    expect(acceptedView.sections.flatMap((x) => x.indicators).every((i) => i.platform == null && !i.prefilled)).toBe(true);
    expect(acceptedView.sections.flatMap((x) => x.indicators).find((i) => i.code === 'participants_total')!.saved).toBe(420);
    expect(
      await saveReport(
        db,
        await w.access(w.w1.id, w.users.w1),
        { intent: 'save', version: accepted.report!.version, raw: figures(1) },
        DURING,
      ),
    ).toMatchObject({ ok: false, code: 'not_editable' });
    // The district accepted it; only a level above (the province) may reopen, with a reason.
    expect(await reopenReport(db, await w.access(w.w1.id, w.users.district), 'x', DURING)).toMatchObject({ ok: false, code: 'forbidden' });
    const byProvince = await w.access(w.w1.id, w.users.province);
    expect(await reopenReport(db, byProvince, '', DURING)).toMatchObject({ ok: false, code: 'comment_required' });
    unwrap(await reopenReport(db, byProvince, 'Cần bổ sung kinh phí', DURING));
    const reopened = await reportPage(db, await w.access(w.w1.id, w.users.w1));
    expect(reopened.report?.status).toBe('returned');
    expect(reopened.events.map((e) => e.action)).toEqual(['reopened', 'accepted', 'submitted', 'returned', 'submitted']);
  });

  it('the reporting rate stays within 100 % when units are created or closed around the Week', async () => {
    const w = await world(db);
    // A ward created after the Week began is not expected; one closed during the Week still is.
    const late = await createUnit(db, {
      parentId: w.district.id,
      kind: 'ward',
      slug: `new-${newId(6)}`,
      name: 'Phường mới',
      validFrom: '2024-10-03',
    });
    await grantRole(db, { userId: w.users.w2, unitId: late.id, role: 'organiser', grantedBy: null });
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('unit_tree_history').where('descendant_id', 'in', [w.lib2.id]).execute();
      await dissolveUnit(trx, w.lib2.id, null, '2024-10-02');
    });
    for (const [unit, user] of [
      [w.w1.id, w.users.w1],
      [w.w2.id, w.users.w2],
    ] as const) {
      await saveReport(db, await w.access(unit, user), { intent: 'submit', version: 0, raw: figures(1) }, DURING);
      unwrap(await reviewReport(db, await w.access(unit, w.users.district), 'accept', '', DURING));
    }
    // A stray report row for the new ward (not expected for 2024) must not count.
    expect((await reportAccess(db, 2024, w.form.slug, late.id, w.users.w2)).status).toBe('missing');
    await db
      .insertInto('report_reports')
      .values({
        id: newId(),
        form_id: w.form.id,
        unit_id: late.id,
        status: 'accepted',
        version: 1,
        first_submitted_at: DURING.toISOString(),
        submitted_at: DURING.toISOString(),
        submitted_by: null,
        submitted_without_json: null,
        reviewed_at: null,
        reviewed_by: null,
        review_comment: null,
        updated_at: DURING.toISOString(),
        updated_by: null,
      })
      .execute();
    const c = await completeness(db, await w.access(w.district.id, w.users.district), DURING);
    expect(c).toMatchObject({ expected: 2, accepted: 2, acceptedRate: 100, onTimeRate: 100 });
    const p = await completeness(db, await w.access(w.province.id, w.users.province), new Date('2024-11-02T00:00:00Z'));
    // Province: the district (not submitted, now late) and two wards.
    expect(p).toMatchObject({ expected: 3, accepted: 2, acceptedRate: 66.7, onTime: 2 });
    expect(p.missing.map((m) => m.unitId)).toEqual([w.district.id]);
    expect(p.missing[0]!.organisers.map((o) => o.name)).toEqual(['BTC Hà Đông']);
    expect(p.late.map((m) => m.unitId)).toEqual([w.district.id]);
  });

  it('reminds late units once a day by hand, and 3 days and 1 day before the deadline automatically', async () => {
    const w = await world(db);
    const p = await w.access(w.province.id, w.users.province);
    expect(await remindLate(db, p, DURING)).toBe(3); // district and both wards
    expect(await remindLate(db, p, DURING)).toBe(0); // the same day: not again
    const bell = await db.selectFrom('notif_notifications').selectAll().where('type', '=', 'reports.reminder').execute();
    expect(bell.map((n) => n.user_id).sort()).toEqual([w.users.w1, w.users.w1b, w.users.w2, w.users.district].sort());
    expect(bell.every((n) => n.email === 'pending')).toBe(true);
    await saveReport(db, await w.access(w.w1.id, w.users.w1), { intent: 'submit', version: 0, raw: figures(1) }, DURING);
    // Deadline 30/10: the job sends on 27/10 and 29/10 (Vietnam days), to units that have not submitted.
    expect(await sendDeadlineReminders(db, new Date('2024-10-26T03:00:00Z'))).toBe(0);
    expect(await sendDeadlineReminders(db, new Date('2024-10-27T03:00:00Z'))).toBe(3); // province, district, Vạn Phúc
    expect(await sendDeadlineReminders(db, new Date('2024-10-27T09:00:00Z'))).toBe(0);
    expect(await sendDeadlineReminders(db, new Date('2024-10-29T03:00:00Z'))).toBe(3);
  });

  it('two organisers saving the same report: the second is told and gets both values', async () => {
    const w = await world(db);
    const first = await saveReport(
      db,
      await w.access(w.w1.id, w.users.w1),
      { intent: 'save', version: 0, raw: figures(1, { books_lent: 11 }) },
      DURING,
    );
    expect(first).toMatchObject({ ok: true, version: 1 });
    // Both opened version 1; the first saves again (version 2)…
    await saveReport(db, await w.access(w.w1.id, w.users.w1), { intent: 'save', version: 1, raw: figures(1, { books_lent: 12 }) }, DURING);
    // …the second, still on version 1, is refused with the saved values to compare.
    const second = await saveReport(
      db,
      await w.access(w.w1.id, w.users.w1b),
      { intent: 'save', version: 1, raw: figures(1, { books_lent: 99 }) },
      DURING,
    );
    expect(second).toMatchObject({ ok: false, code: 'stale', version: 2 });
    if (!second.ok && second.code === 'stale') expect(second.theirs.books_lent).toBe(12);
    // Racing saves on the same version: exactly one wins.
    const [x, y] = await Promise.all([
      saveReport(db, await w.access(w.w1.id, w.users.w1), { intent: 'save', version: 2, raw: figures(1, { books_lent: 1 }) }, DURING),
      saveReport(db, await w.access(w.w1.id, w.users.w1b), { intent: 'save', version: 2, raw: figures(1, { books_lent: 2 }) }, DURING),
    ]);
    expect([x.ok, y.ok].sort()).toEqual([false, true]);
    const page = await reportPage(db, await w.access(w.w1.id, w.users.w1));
    expect(page.report?.version).toBe(3);
  });

  it('bad input per field: a negative count, text in a number field, a broken rule, after the lock date', async () => {
    const w = await world(db);
    const a = await w.access(w.w1.id, w.users.w1);
    const r = await saveReport(
      db,
      a,
      {
        intent: 'save',
        version: 0,
        raw: figures(1, { books_lent: -3, online_learners: 'mười', budget_vnd: '12.500.000', opening_held: 2 }),
      },
      DURING,
    );
    expect(r.ok).toBe(false);
    if (!r.ok && r.code === 'invalid') {
      expect(r.fields.books_lent?.message).toBe('reports.errors.negative');
      expect(r.fields.online_learners?.message).toBe('reports.errors.notNumber');
      expect(r.fields.opening_held?.message).toBe('errors.invalid'); // yes/no only
      expect(r.fields.budget_vnd).toBeUndefined(); // "12.500.000" is a valid amount
    } else throw new Error('expected invalid');
    // Rules apply on submit: participants below activities.
    const rule = await saveReport(
      db,
      a,
      { intent: 'submit', version: 0, raw: figures(1, { participants_total: 2, participants_students: 1 }) },
      DURING,
    );
    if (!rule.ok && rule.code === 'invalid') {
      expect(rule.fields.participants_total).toMatchObject({
        message: 'reports.errors.rule',
        params: { op: '≥', right: 'Tổng số hoạt động' },
      });
    } else throw new Error('expected a rule failure');
    // Submitting with an empty required figure.
    const empty = await saveReport(db, a, { intent: 'submit', version: 0, raw: figures(1, { exemplary_learners: '' }) }, DURING);
    expect(!empty.ok && empty.code === 'invalid' && empty.fields.exemplary_learners?.message).toBe('errors.required');
    // After the lock date nothing is saved.
    expect(await saveReport(db, a, { intent: 'save', version: 0, raw: figures(1) }, new Date('2028-01-02T00:00:00Z'))).toMatchObject({
      ok: false,
      code: 'locked',
    });
    expect(await db.selectFrom('report_reports').selectAll().execute()).toHaveLength(0);
  });
});
