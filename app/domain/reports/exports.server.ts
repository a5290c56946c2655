/**
 * A unit's consolidated report as XLSX (exceljs: one sheet per section, the reporting units below
 * as rows, the unit's own figures, a totals row) and as CSV (every indicator in one table).
 */
import ExcelJS from 'exceljs';

import { toCsv } from '~/domain/courses/progress.server';
import { localName } from '~/lib/names';
import { viCompare } from '~/lib/vi-sort';

import type { ReportAccess } from './access.server';
import type { formDefinition } from './forms.server';
import { reportDefinition, rollup, type Value } from './reports.server';

export interface ExportLabels {
  unit: string;
  own: string;
  total: string;
  yes: string;
  no: string;
}

async function table(db: Parameters<typeof formDefinition>[0], a: ReportAccess, locale: 'vi' | 'en', labels: ExportLabels) {
  const def = await reportDefinition(db, a);
  const sums = await rollup(db, a, def);
  const unitName = (id: string) => localName(a.tree.units.get(id)!, locale);
  const rows: Array<{ name: string; values: Record<string, Value> }> = sums.children
    .map((c) => ({ name: unitName(c), values: sums.groups.get(c) ?? {} }))
    .sort((x, y) => viCompare(x.name, y.name));
  if (a.unitId !== a.tree.ownerId) rows.push({ name: `${unitName(a.unitId)} (${labels.own})`, values: sums.own });
  return { def, rows, total: sums.total };
}

const cellOf = (type: string, v: Value | undefined): string | number => (v == null ? '' : type === 'text' ? String(v) : Number(v));

export async function reportXlsx(
  db: Parameters<typeof formDefinition>[0],
  a: ReportAccess,
  locale: 'vi' | 'en',
  labels: ExportLabels,
): Promise<Buffer> {
  const { def, rows, total } = await table(db, a, locale, labels);
  const wb = new ExcelJS.Workbook();
  const used = new Set<string>();
  for (const [i, s] of def.sections.entries()) {
    // Sheet names: at most 31 characters, unique, without []:*?/\ .
    let name = `${i + 1}. ${locale === 'en' ? s.title_en : s.title_vi}`.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
    while (used.has(name)) name = name.slice(0, 29) + String(i);
    used.add(name);
    const ws = wb.addWorksheet(name);
    ws.addRow([labels.unit, ...s.indicators.map((ind) => (locale === 'en' ? ind.label_en : ind.label_vi))]);
    for (const r of rows) ws.addRow([r.name, ...s.indicators.map((ind) => cellOf(ind.type, r.values[ind.code]))]);
    ws.addRow([labels.total, ...s.indicators.map((ind) => (ind.type === 'text' ? '' : cellOf(ind.type, total[ind.code] ?? 0)))]);
    ws.getRow(1).font = { bold: true };
    ws.getRow(rows.length + 2).font = { bold: true };
    ws.getColumn(1).width = 40;
    for (let c = 2; c <= s.indicators.length + 1; c++) ws.getColumn(c).width = 18;
    for (const [ci, ind] of s.indicators.entries()) if (ind.type === 'vnd') ws.getColumn(ci + 2).numFmt = '#,##0';
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function reportCsv(
  db: Parameters<typeof formDefinition>[0],
  a: ReportAccess,
  locale: 'vi' | 'en',
  labels: ExportLabels,
): Promise<string> {
  const { def, rows, total } = await table(db, a, locale, labels);
  const inds = def.indicators;
  return toCsv([
    [labels.unit, ...inds.map((i) => (locale === 'en' ? i.label_en : i.label_vi))],
    ...rows.map((r) => [r.name, ...inds.map((i) => cellOf(i.type, r.values[i.code]))]),
    [labels.total, ...inds.map((i) => (i.type === 'text' ? '' : cellOf(i.type, total[i.code] ?? 0)))],
  ]);
}
