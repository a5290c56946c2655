/**
 * The report form editor on both dialects: who may edit, every edit a new kept version, a stale
 * edit refused, a copy of last year's form with its dates moved, answered indicators kept, the
 * `required` flag honoured when submitting, and a report keeping the form version it was filled in.
 */
import { beforeAll, expect, it } from 'vitest';

import { grantRole } from '~/domain/accounts.server';
import { reportAccess } from '~/domain/reports/access.server';
import { createForm, type FormEditor, formEditor, runFormEdit } from '~/domain/reports/editor.server';
import { formDefinition, formVersions, getForm } from '~/domain/reports/forms.server';
import { saveReport, submittedVersions } from '~/domain/reports/reports.server';
import { formEditorSchema } from '~/forms/reports-editor';
import { unwrap } from '~/lib/result';

import { insertWeek } from '../helpers/weeks';
import { describeWorld } from '../helpers/world';

describeWorld('reports: the form editor and form versions', (w) => {
  beforeAll(async () => {
    for (const year of [2024, 2025]) await insertWeek(w.db, year);
    await grantRole(w.db, { userId: w.users.organiser, unitId: w.units.school, role: 'organiser', grantedBy: null });
    await grantRole(w.db, { userId: w.users.provinceOrganiser, unitId: w.units.province, role: 'organiser', grantedBy: null });
  });

  const edit = async (editor: FormEditor, raw: Record<string, string>) => {
    const p = formEditorSchema.safeParse(raw);
    if (!p.success) throw new Error(JSON.stringify(p.error.issues));
    return runFormEdit(w.db, editor, p.data);
  };
  const editorOf = async (year: number, slug: string, userId: string) => {
    const a = await formEditor(w.db, year, slug, userId);
    if (a.status !== 'ok') throw new Error(a.status);
    return a.editor;
  };

  it('lets the owner’s organisers define a form version by version, refuses others and stale edits', async () => {
    const { db } = w;
    expect(
      (
        await createForm(db, w.users.stranger, 2024, {
          ownerUnitId: w.units.province,
          slug: 'bc',
          titleVi: 'BC',
          titleEn: 'R',
          copyFrom: null,
        })
      ).ok,
    ).toBe(false);
    const form = unwrap(
      await createForm(db, w.users.provinceOrganiser, 2024, {
        ownerUnitId: w.units.province,
        slug: 'bao-cao-tinh',
        titleVi: 'Báo cáo của tỉnh',
        titleEn: 'Province report',
        copyFrom: null,
      }),
    );
    expect(form.version).toBe(1);
    expect((await formEditor(db, 2024, form.slug, w.users.organiser)).status).toBe('forbidden');
    expect((await formEditor(db, 2024, form.slug, w.users.admin)).status).toBe('ok');

    let ed = await editorOf(2024, form.slug, w.users.provinceOrganiser);
    const def1 = await formDefinition(db, form);
    const sectionId = def1.sections[0]!.id;
    const add = (version: number, code: string, extra: Record<string, string> = {}) =>
      edit(ed, {
        intent: 'addIndicator',
        version: String(version),
        sectionId,
        code,
        labelVi: code,
        labelEn: code,
        type: 'count',
        required: 'on',
        ...extra,
      });
    expect(unwrap(await add(1, 'hoat_dong'))).toEqual({ done: 'addIndicator', version: 2 });
    expect(unwrap(await add(2, 'nguoi_tham_gia', { min: '0', max: '100000' }))).toEqual({ done: 'addIndicator', version: 3 });
    expect(unwrap(await add(3, 'ghi_chu', { type: 'text', required: '' })).version).toBe(4);
    // Another organiser, shown version 3, is told instead of overwriting.
    const stale = await add(3, 'khac');
    expect(stale).toMatchObject({ ok: false, code: 'stale', detail: { version: 4 } });
    expect((await add(4, 'hoat_dong')).ok).toBe(false); // duplicate code
    expect(await add(4, 'sai', { min: '10', max: '1' })).toMatchObject({ ok: false, code: 'bad_range' });
    expect(await edit(ed, { intent: 'addRule', version: '4', left: 'nguoi_tham_gia', op: '>=', right: 'ghi_chu' })).toMatchObject({
      ok: false,
      code: 'bad_rule',
    });
    unwrap(await edit(ed, { intent: 'addRule', version: '4', left: 'nguoi_tham_gia', op: '>=', right: 'hoat_dong' }));
    unwrap(
      await edit(ed, {
        intent: 'settings',
        version: '5',
        titleVi: 'Báo cáo của tỉnh',
        titleEn: 'Province report',
        deadline: '25/10/2024',
        lockDate: '05/11/2024',
        docCode: 'BC-SGDĐT',
        level_school: 'on',
      }),
    );
    expect(
      await edit(ed, {
        intent: 'settings',
        version: '6',
        titleVi: 'X',
        titleEn: 'X',
        deadline: '25/10/2024',
        lockDate: '01/10/2024',
        docCode: 'BC',
        level_school: 'on',
      }),
    ).toMatchObject({ ok: false, code: 'bad_dates' });

    const now = (await getForm(db, 2024, form.slug))!;
    expect(now).toMatchObject({ version: 6, deadline: '2024-10-25', lock_date: '2024-11-05', appliesTo: ['school'] });
    const versions = await formVersions(db, form.id);
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(versions[1]!.snapshot.sections[0]!.indicators.map((i) => i.code)).toEqual(['hoat_dong']);
    expect(versions[5]!.snapshot.rules).toEqual([{ left: 'nguoi_tham_gia', op: '>=', right: 'hoat_dong' }]);

    // The school fills version 6: the optional text may stay empty; the range and rule hold.
    const a = await reportAccess(db, 2024, form.slug, w.units.school, w.users.organiser);
    if (a.status !== 'ok') throw new Error(a.status);
    const bad = await saveReport(
      db,
      a,
      { intent: 'submit', version: 0, raw: { v_hoat_dong: '5', v_nguoi_tham_gia: '', v_ghi_chu: '' } },
      new Date('2024-10-20T03:00:00Z'),
    );
    expect(bad).toMatchObject({ ok: false, code: 'invalid', fields: { nguoi_tham_gia: { message: 'errors.required' } } });
    const good = await saveReport(
      db,
      a,
      { intent: 'submit', version: 0, raw: { v_hoat_dong: '5', v_nguoi_tham_gia: '40', v_ghi_chu: '' } },
      new Date('2024-10-20T03:00:00Z'),
    );
    expect(good).toMatchObject({ ok: true, status: 'submitted' });
    const report = await db.selectFrom('report_reports').selectAll().where('form_id', '=', form.id).executeTakeFirstOrThrow();
    expect(report.form_version).toBe(6);
    const ev = await db.selectFrom('report_events').select('form_version').where('report_id', '=', report.id).executeTakeFirstOrThrow();
    expect(ev.form_version).toBe(6);

    // Later edits make version 7; the answered indicator stays and keeps its type; the submission keeps version 6.
    ed = await editorOf(2024, form.slug, w.users.provinceOrganiser);
    const hd = (await formDefinition(db, now)).indicators.find((i) => i.code === 'hoat_dong')!;
    expect(await edit(ed, { intent: 'removeIndicator', version: '6', indicatorId: hd.id })).toMatchObject({ ok: false, code: 'in_use' });
    expect(
      await edit(ed, {
        intent: 'updateIndicator',
        version: '6',
        indicatorId: hd.id,
        labelVi: 'Hoạt động',
        labelEn: 'Activities',
        type: 'text',
      }),
    ).toMatchObject({ ok: false, code: 'in_use' });
    unwrap(
      await edit(ed, {
        intent: 'updateIndicator',
        version: '6',
        indicatorId: hd.id,
        labelVi: 'Số hoạt động',
        labelEn: 'Activities',
        type: 'count',
        required: 'on',
      }),
    );
    expect((await getForm(db, 2024, form.slug))!.version).toBe(7);
    expect(
      (await db.selectFrom('report_reports').select('form_version').where('id', '=', report.id).executeTakeFirstOrThrow()).form_version,
    ).toBe(6);
    expect((await submittedVersions(db, report.id))[0]!.values).toMatchObject({ hoat_dong: 5, nguoi_tham_gia: 40 });

    // Next year's form, copied: same indicators and rules, dates moved a year, version 1.
    const copy = unwrap(
      await createForm(db, w.users.provinceOrganiser, 2025, {
        ownerUnitId: w.units.province,
        slug: 'bao-cao-tinh',
        titleVi: 'Báo cáo của tỉnh 2025',
        titleEn: 'Province report 2025',
        copyFrom: form.id,
      }),
    );
    expect(copy).toMatchObject({ version: 1, deadline: '2025-10-25', lock_date: '2025-11-05', appliesTo: ['school'] });
    const copied = await formDefinition(db, copy);
    expect(copied.indicators.map((i) => [i.code, i.label_vi, i.required])).toEqual([
      ['hoat_dong', 'Số hoạt động', 1],
      ['nguoi_tham_gia', 'nguoi_tham_gia', 1],
      ['ghi_chu', 'ghi_chu', 0],
    ]);
    expect(copy.rules).toHaveLength(1);
  });
});
