/**
 * A submission keeps the form it was filled in: after the form is edited (labels renamed, a field
 * added, fields reordered), the submitted report's page, printable view and CSV export still show
 * the labels, order and fields of the version it was submitted under; a draft follows the form as
 * it now stands. Both dialects.
 */
import { beforeAll, expect, it } from 'vitest';

import { reportAccess } from '~/domain/reports/access.server';
import { reportCsv } from '~/domain/reports/exports.server';
import { formDefinition, getForm } from '~/domain/reports/forms.server';
import { reviewReport, saveReport } from '~/domain/reports/reports.server';
import { reportView } from '~/domain/reports/view.server';

import { editForm, schoolForm } from '../helpers/reports';
import { insertWeek } from '../helpers/weeks';
import { describeWorld } from '../helpers/world';

const LABELS = { unit: 'Đơn vị', own: 'tự thực hiện', total: 'Tổng cộng', yes: 'Có', no: 'Không' };

describeWorld('reports: an old submission shown with its own version', (w) => {
  beforeAll(async () => {
    await insertWeek(w.db, 2024);
  });

  it('renders and exports a version-1 submission with version 1’s labels after the form moves on', async () => {
    const { db } = w;
    const form = await schoolForm(db, {
      year: 2024,
      slug: 'bc-phien-ban',
      ownerUnitId: w.units.province,
      userId: w.users.provinceOrganiser,
      codes: ['hoat_dong', 'nguoi'],
    });
    const access = async () => {
      const a = await reportAccess(db, 2024, form.slug, w.units.school, w.users.organiser);
      if (a.status !== 'ok') throw new Error(a.status);
      return a;
    };
    const submitted = await saveReport(
      db,
      await access(),
      { intent: 'submit', version: 0, raw: { v_hoat_dong: '7', v_nguoi: '120' } },
      new Date('2024-10-20T03:00:00Z'),
    );
    expect(submitted).toMatchObject({ ok: true, status: 'submitted' });
    const submittedUnder = form.version;

    // The form moves on: a label renamed, a field added, the two first fields swapped.
    const def = await formDefinition(db, (await getForm(db, 2024, form.slug))!);
    const hd = def.indicators.find((i) => i.code === 'hoat_dong')!;
    let v = await editForm(db, 2024, form.slug, w.users.provinceOrganiser, {
      intent: 'updateIndicator',
      version: String(submittedUnder),
      indicatorId: hd.id,
      labelVi: 'Số hoạt động đã tổ chức',
      labelEn: 'Activities held',
      type: 'count',
      required: 'on',
    });
    v = await editForm(db, 2024, form.slug, w.users.provinceOrganiser, {
      intent: 'addIndicator',
      version: String(v),
      sectionId: def.sections[0]!.id,
      code: 'sach_muon',
      labelVi: 'Sách cho mượn',
      labelEn: 'Books lent',
      type: 'count',
    });
    v = await editForm(db, 2024, form.slug, w.users.provinceOrganiser, {
      intent: 'moveIndicator',
      version: String(v),
      indicatorId: hd.id,
      dir: 'down',
    });
    expect(v).toBe(submittedUnder + 3);

    // The submitted report: version-1 labels and order, no field added later, values intact.
    const view = await reportView(db, await access(), 'vi');
    expect(view.status).toBe('submitted');
    expect(view.formVersion).toEqual({ saved: submittedUnder, current: v });
    const rows = view.sections.flatMap((s) => s.indicators.map((i) => [i.label, i.saved]));
    expect(rows).toEqual([
      ['hoat_dong v1', 7],
      ['nguoi v1', 120],
    ]);
    const en = await reportView(db, await access(), 'en');
    expect(en.sections[0]!.indicators.map((i) => i.label)).toEqual(['hoat_dong v1 (en)', 'nguoi v1 (en)']);

    // Its export has the same columns.
    const csv = await reportCsv(db, await access(), 'vi', LABELS);
    expect(csv.split(/\r?\n/)[0]).toContain('hoat_dong v1');
    expect(csv).not.toContain('Sách cho mượn');
    expect(csv).not.toContain('Số hoạt động đã tổ chức');

    // Returned to the school, the report is filled again on the form as it now stands.
    const reviewer = await reportAccess(db, 2024, form.slug, w.units.school, w.users.provinceOrganiser);
    if (reviewer.status !== 'ok') throw new Error(reviewer.status);
    expect((await reviewReport(db, reviewer, 'return', 'Bổ sung số sách')).ok).toBe(true);
    const again = await reportView(db, await access(), 'vi');
    expect(again.sections[0]!.indicators.map((i) => i.label)).toEqual(['nguoi v1', 'Số hoạt động đã tổ chức', 'Sách cho mượn']);
    expect(again.sections[0]!.indicators.find((i) => i.code === 'hoat_dong')!.saved).toBe(7);
  });
});
