/**
 * Every submitted version of a report shown as it was submitted: after the form is edited (a label
 * renamed, a field removed, a field added), the first submission shows the first version's labels
 * (vi and en), the removed field with its value (marked as removed), the added field as not asked;
 * the second submission shows the new form. The page answers the unit and its reviewer, refuses a
 * stranger, and has no page for a version that was not a submission; the version's printable
 * document and its XLSX/CSV show it the same way, with the same access. Both dialects.
 */
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';

import { reportAccess } from '~/domain/reports/access.server';
import { formDefinition, getForm } from '~/domain/reports/forms.server';
import { reviewReport, saveReport } from '~/domain/reports/reports.server';
import { submissionView } from '~/domain/reports/submissions.server';
import type { PrintDoc } from '~/domain/reports/view.server';
import { loader as exportLoader } from '~/routes/weeks.$year.reports.$form.$unit.export';
import { loader as printLoader } from '~/routes/weeks.$year.reports.$form.$unit.print';
import { loader } from '~/routes/weeks.$year.reports.$form.$unit.submissions.$version';

import { editForm, schoolForm } from '../helpers/reports';
import { callRoute } from '../helpers/routes';
import { insertWeek } from '../helpers/weeks';
import { describeWorld } from '../helpers/world';

const SLUG = 'bc-lan-nop';

describeWorld('reports: an old submission shown with its own form version', (w) => {
  beforeAll(async () => {
    await insertWeek(w.db, 2024);
  });

  it('keeps the first submission’s labels, removed field and value; the new submission shows the new form', async () => {
    const { db } = w;
    const form = await schoolForm(db, {
      year: 2024,
      slug: SLUG,
      ownerUnitId: w.units.province,
      userId: w.users.provinceOrganiser,
      codes: ['hoat_dong', 'nguoi'],
    });
    const def0 = await formDefinition(db, (await getForm(db, 2024, SLUG))!);
    // An optional field the unit answers the first time, then leaves blank (so it may be removed).
    let v = await editForm(db, 2024, SLUG, w.users.provinceOrganiser, {
      intent: 'addIndicator',
      version: String(form.version),
      sectionId: def0.sections[0]!.id,
      code: 'clb',
      labelVi: 'Số câu lạc bộ',
      labelEn: 'Clubs',
      type: 'count',
      min: '0',
      max: '50',
    });
    const firstFormVersion = v;
    const school = async () => {
      const a = await reportAccess(db, 2024, SLUG, w.units.school, w.users.organiser);
      if (a.status !== 'ok') throw new Error(a.status);
      return a;
    };
    const province = async () => {
      const a = await reportAccess(db, 2024, SLUG, w.units.school, w.users.provinceOrganiser);
      if (a.status !== 'ok') throw new Error(a.status);
      return a;
    };
    const t1 = new Date('2024-10-20T03:00:00Z');
    const first = await saveReport(
      db,
      await school(),
      { intent: 'submit', version: 0, raw: { v_hoat_dong: '7', v_nguoi: '120', v_clb: '5' } },
      t1,
    );
    expect(first).toMatchObject({ ok: true, status: 'submitted', version: 1 });
    expect((await reviewReport(db, await province(), 'return', 'Thiếu số sách', t1)).ok).toBe(true);
    // The unit clears the club count in a draft: no report holds it any more.
    const draft = await saveReport(
      db,
      await school(),
      { intent: 'save', version: 2, raw: { v_hoat_dong: '7', v_nguoi: '120', v_clb: '' } },
      t1,
    );
    expect(draft).toMatchObject({ ok: true, version: 3 });

    // The form moves on: a label renamed, the club field removed, a field added.
    const def = await formDefinition(db, (await getForm(db, 2024, SLUG))!);
    const byCode = (c: string) => def.indicators.find((i) => i.code === c)!;
    v = await editForm(db, 2024, SLUG, w.users.provinceOrganiser, {
      intent: 'updateIndicator',
      version: String(v),
      indicatorId: byCode('hoat_dong').id,
      labelVi: 'Số hoạt động đã tổ chức',
      labelEn: 'Activities held',
      type: 'count',
      required: 'on',
    });
    v = await editForm(db, 2024, SLUG, w.users.provinceOrganiser, {
      intent: 'removeIndicator',
      version: String(v),
      indicatorId: byCode('clb').id,
    });
    v = await editForm(db, 2024, SLUG, w.users.provinceOrganiser, {
      intent: 'addIndicator',
      version: String(v),
      sectionId: def.sections[0]!.id,
      code: 'sach_muon',
      labelVi: 'Sách cho mượn',
      labelEn: 'Books lent',
      type: 'count',
    });
    expect(v).toBe(firstFormVersion + 3);
    const second = await saveReport(
      db,
      await school(),
      { intent: 'submit', version: 3, raw: { v_hoat_dong: '8', v_nguoi: '130', v_sach_muon: '40' } },
      new Date('2024-10-22T03:00:00Z'),
    );
    expect(second).toMatchObject({ ok: true, status: 'submitted', version: 4 });

    // The first submission, as submitted.
    const old = await submissionView(db, await province(), 1, 'vi');
    if (!old.ok) throw new Error(old.code);
    expect(old.value.formVersion?.version).toBe(firstFormVersion);
    expect(old.value.currentFormVersion).toBe(v);
    expect(old.value.at).toBe(t1.toISOString());
    expect(old.value.latest).toBe(false);
    const rows = old.value.sections.flatMap((s) => s.fields.map((f) => [f.label, f.value, f.removed]));
    expect(rows).toEqual([
      ['hoat_dong v1', 7, false],
      ['nguoi v1', 120, false],
      ['Số câu lạc bộ', 5, true],
    ]);
    expect(old.value.sections[0]!.fields[2]).toMatchObject({ min: 0, max: 50, type: 'count' });
    expect(old.value.addedSince).toEqual([{ code: 'sach_muon', label: 'Sách cho mượn', section: 'Số liệu chung' }]);
    const oldEn = await submissionView(db, await school(), 1, 'en');
    if (!oldEn.ok) throw new Error(oldEn.code);
    expect(oldEn.value.sections[0]!.fields.map((f) => f.label)).toEqual(['hoat_dong v1 (en)', 'nguoi v1 (en)', 'Clubs']);
    expect(oldEn.value.addedSince.map((f) => f.label)).toEqual(['Books lent']);

    // The second submission: the new labels, no club count, the books lent.
    const now = await submissionView(db, await school(), 4, 'vi');
    if (!now.ok) throw new Error(now.code);
    expect(now.value.formVersion?.version).toBe(v);
    expect(now.value.latest).toBe(true);
    expect(now.value.sections.flatMap((s) => s.fields.map((f) => [f.label, f.value, f.removed]))).toEqual([
      ['Số hoạt động đã tổ chức', 8, false],
      ['nguoi v1', 130, false],
      ['Sách cho mượn', 40, false],
    ]);
    expect(now.value.addedSince).toEqual([]);
    expect(now.value.submissions.map((s) => s.version)).toEqual([1, 4]);

    // A version that was not a submission (the return, the draft) or does not exist: nothing.
    for (const n of [2, 3, 99]) expect(await submissionView(db, await school(), n, 'vi')).toEqual({ ok: false, code: 'not_found' });

    // The page: the unit and its reviewer read it; a stranger is refused; a bad version is a 404.
    const unitSlug = (await db.selectFrom('units').select('slug').where('id', '=', w.units.school).executeTakeFirstOrThrow()).slug;
    const params = { year: '2024', form: SLUG, unit: unitSlug };
    const path = (n: string) => `/weeks/2024/reports/${SLUG}/${unitSlug}/submissions/${n}`;
    for (const userId of [w.users.organiser, w.users.provinceOrganiser]) {
      const res = await callRoute(loader, { db, userId, path: path('1'), params: { ...params, version: '1' } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { view: { sections: Array<{ fields: Array<{ label: string }> }> } };
      expect(body.view.sections[0]!.fields.map((f) => f.label)).toContain('Số câu lạc bộ');
    }
    const stranger = await callRoute(loader, { db, userId: w.users.stranger, path: path('1'), params: { ...params, version: '1' } });
    expect(stranger.status).toBe(403);
    for (const n of ['2', 'abc', '-1'])
      expect((await callRoute(loader, { db, userId: w.users.organiser, path: path(n), params: { ...params, version: n } })).status).toBe(
        404,
      );

    // Printing and exporting the first submission: that version as submitted, with the page's access.
    const base = `/weeks/2024/reports/${SLUG}/${unitSlug}`;
    const print = (userId: string, q: string) => callRoute(printLoader, { db, userId, path: `${base}/print${q}`, params });
    const exported = (userId: string, q: string) => callRoute(exportLoader, { db, userId, path: `${base}/export${q}`, params });
    for (const userId of [w.users.organiser, w.users.provinceOrganiser]) {
      const res = await print(userId, '?version=1');
      expect(res.status).toBe(200);
      const { doc } = (await res.json()) as { doc: PrintDoc };
      expect(doc.submission).toMatchObject({ version: 1, at: t1.toISOString(), formVersion: firstFormVersion, currentFormVersion: v });
      expect(doc.day).toBe('2024-10-20'); // dated the day it was submitted
      expect(doc.sections.flatMap((s) => s.rows.map((r) => [r.label, r.value, r.removed]))).toEqual([
        ['hoat_dong v1', 7, false],
        ['nguoi v1', 120, false],
        ['Số câu lạc bộ', 5, true],
      ]);
      expect(doc.submission!.addedSince.map((f) => f.label)).toEqual(['Sách cho mượn']);
      expect(doc.attachments).toEqual([]);
    }
    // The report as it stands prints as before (the new labels, the latest figures).
    const current = (await (await print(w.users.organiser, '')).json()) as { doc: PrintDoc };
    expect(current.doc.submission).toBeNull();
    expect(current.doc.sections.flatMap((s) => s.rows.map((r) => [r.label, r.value]))).toEqual([
      ['Số hoạt động đã tổ chức', 8],
      ['nguoi v1', 130],
      ['Sách cho mượn', 40],
    ]);

    const xlsx = await exported(w.users.provinceOrganiser, '?format=xlsx&version=1');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toContain(`${SLUG}-2024-${unitSlug}-v1.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    // Sheet names are cut at 31 characters (Excel's limit).
    expect(wb.worksheets.map((s) => s.name)).toEqual(['1. Số liệu chung', 'Chỉ tiêu thêm vào mẫu sau lần nộp này'.slice(0, 31)]);
    const sheet = wb.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      'Đơn vị',
      'hoat_dong v1',
      'nguoi v1',
      'Số câu lạc bộ (đã bỏ khỏi mẫu sau lần nộp này)',
    ]);
    const unitName = (await db.selectFrom('units').select('name').where('id', '=', w.units.school).executeTakeFirstOrThrow()).name;
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual([`${unitName} (Bản đã nộp — phiên bản 1)`, 7, 120, 5]);
    expect(sheet.rowCount).toBe(2); // one unit's submission: no totals row
    expect((wb.worksheets[1]!.getRow(2).values as unknown[]).slice(1)).toEqual([
      'Sách cho mượn',
      'Số liệu chung',
      'không hỏi trong lần nộp này',
    ]);
    const csv = await (await exported(w.users.organiser, '?format=csv&version=1')).text();
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('Số câu lạc bộ (đã bỏ khỏi mẫu sau lần nộp này)');
    expect(lines[0]).toContain('Sách cho mượn (không hỏi trong lần nộp này)');
    expect(lines[1]).toContain('7,120,5,');
    // The report as it stands still exports with its own labels.
    expect(await (await exported(w.users.organiser, '?format=csv')).text()).toContain('Số hoạt động đã tổ chức');

    // The same refusals as the page: a stranger 403, a version that was not a submission 404.
    expect((await print(w.users.stranger, '?version=1')).status).toBe(403);
    expect((await exported(w.users.stranger, '?format=xlsx&version=1')).status).toBe(403);
    for (const n of ['2', '3', '99', 'abc', '-1']) {
      expect((await print(w.users.organiser, `?version=${n}`)).status).toBe(404);
      expect((await exported(w.users.organiser, `?format=xlsx&version=${n}`)).status).toBe(404);
      expect((await exported(w.users.organiser, `?format=csv&version=${n}`)).status).toBe(404);
    }
  });
});
