/**
 * A unit's consolidated report as XLSX (exceljs: one sheet per section, the reporting units below
 * as rows, the unit's own figures, a totals row) and as CSV (every indicator in one table) — or,
 * given a submitted version (./submissions.server.ts), that version exactly as submitted: its form
 * version's sections and labels, the unit's submitted figures as the one row, fields removed from
 * the form since marked in their heading, fields added since listed as not asked. One writer for
 * both: only the table it is given differs.
 */

import type { IndicatorType } from '~/db/schema/reports';
import { toCsv } from '~/domain/courses/progress.server';
import { excel } from '~/lib/excel.server';
import { localName } from '~/lib/names';
import { viCompare } from '~/lib/vi-sort';

import type { ReportAccess } from './access.server';
import type { formDefinition } from './forms.server';
import { reportDefinition, rollup, type Value } from './reports.server';
import type { SubmissionView } from './submissions.server';

export interface ExportLabels {
  unit: string;
  own: string;
  total: string;
  yes: string;
  no: string;
}

/** What a submitted version's export adds: the row's name, the marks of removed and added fields. */
export interface SubmissionExportLabels {
  /** The data row's name, e.g. "Trường A (Bản đã nộp — phiên bản 1)". */
  row: string;
  /** Suffix of a removed field's heading. */
  removed: string;
  /** The sheet (and CSV heading) of fields added since, and its columns. */
  added: string;
  indicator: string;
  section: string;
  notAsked: string;
}

/** What is written: sections of columns, rows of units, an optional totals row, fields not asked. */
interface ExportTable {
  sections: Array<{ title: string; columns: Array<{ code: string; label: string; type: IndicatorType }> }>;
  rows: Array<{ name: string; values: Record<string, Value> }>;
  total: Record<string, Value> | null;
  notAsked: Array<{ label: string; section: string }>;
}

/** The consolidated report as it stands: the units below as rows, the unit's own figures, the totals. */
async function currentTable(
  db: Parameters<typeof formDefinition>[0],
  a: ReportAccess,
  locale: 'vi' | 'en',
  labels: ExportLabels,
): Promise<ExportTable> {
  const def = await reportDefinition(db, a);
  const sums = await rollup(db, a, def);
  const en = locale === 'en';
  const unitName = (id: string) => localName(a.tree.units.get(id)!, locale);
  const rows: ExportTable['rows'] = sums.children
    .map((c) => ({ name: unitName(c), values: sums.groups.get(c) ?? {} }))
    .sort((x, y) => viCompare(x.name, y.name));
  if (a.unitId !== a.tree.ownerId) rows.push({ name: `${unitName(a.unitId)} (${labels.own})`, values: sums.own });
  return {
    sections: def.sections.map((s) => ({
      title: en ? s.title_en : s.title_vi,
      columns: s.indicators.map((i) => ({ code: i.code, label: en ? i.label_en : i.label_vi, type: i.type })),
    })),
    rows,
    total: sums.total,
    notAsked: [],
  };
}

/** One submitted version: its form version's sections and labels, the submitted figures as the row. */
function submissionTable(v: SubmissionView, sl: SubmissionExportLabels): ExportTable {
  return {
    sections: v.sections.map((s) => ({
      title: s.title,
      columns: s.fields.map((f) => ({ code: f.code, label: f.removed ? `${f.label} (${sl.removed})` : f.label, type: f.type })),
    })),
    rows: [{ name: sl.row, values: Object.fromEntries(v.sections.flatMap((s) => s.fields.map((f) => [f.code, f.value]))) }],
    total: null,
    notAsked: v.addedSince.map((f) => ({ label: f.label, section: f.section })),
  };
}

const cellOf = (type: string, v: Value | undefined): string | number => (v == null ? '' : type === 'text' ? String(v) : Number(v));

/** The export's table: the report as it stands, or the submitted version given. */
async function tableOf(
  db: Parameters<typeof formDefinition>[0],
  a: ReportAccess,
  locale: 'vi' | 'en',
  labels: ExportLabels,
  submission?: { view: SubmissionView; labels: SubmissionExportLabels },
) {
  return submission ? submissionTable(submission.view, submission.labels) : currentTable(db, a, locale, labels);
}

export async function reportXlsx(
  db: Parameters<typeof formDefinition>[0],
  a: ReportAccess,
  locale: 'vi' | 'en',
  labels: ExportLabels,
  submission?: { view: SubmissionView; labels: SubmissionExportLabels },
): Promise<Buffer> {
  const { sections, rows, total, notAsked } = await tableOf(db, a, locale, labels, submission);
  const wb = new (excel().Workbook)();
  const used = new Set<string>();
  // Sheet names: at most 31 characters, unique, without []:*?/\ .
  const sheet = (title: string, i: number) => {
    let name = title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
    while (used.has(name)) name = name.slice(0, 29) + String(i);
    used.add(name);
    return wb.addWorksheet(name);
  };
  for (const [i, s] of sections.entries()) {
    const ws = sheet(`${i + 1}. ${s.title}`, i);
    ws.addRow([labels.unit, ...s.columns.map((c) => c.label)]);
    for (const r of rows) ws.addRow([r.name, ...s.columns.map((c) => cellOf(c.type, r.values[c.code]))]);
    if (total) {
      ws.addRow([labels.total, ...s.columns.map((c) => (c.type === 'text' ? '' : cellOf(c.type, total[c.code] ?? 0)))]);
      ws.getRow(rows.length + 2).font = { bold: true };
    }
    ws.getRow(1).font = { bold: true };
    ws.getColumn(1).width = 40;
    for (let c = 2; c <= s.columns.length + 1; c++) ws.getColumn(c).width = 18;
    for (const [ci, c] of s.columns.entries()) if (c.type === 'vnd') ws.getColumn(ci + 2).numFmt = '#,##0';
  }
  if (notAsked.length && submission) {
    const ws = sheet(submission.labels.added, sections.length);
    ws.addRow([submission.labels.indicator, submission.labels.section, '']);
    for (const f of notAsked) ws.addRow([f.label, f.section, submission.labels.notAsked]);
    ws.getRow(1).font = { bold: true };
    ws.getColumn(1).width = 40;
    ws.getColumn(2).width = 30;
    ws.getColumn(3).width = 30;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function reportCsv(
  db: Parameters<typeof formDefinition>[0],
  a: ReportAccess,
  locale: 'vi' | 'en',
  labels: ExportLabels,
  submission?: { view: SubmissionView; labels: SubmissionExportLabels },
): Promise<string> {
  const { sections, rows, total, notAsked } = await tableOf(db, a, locale, labels, submission);
  const cols = sections.flatMap((s) => s.columns);
  // Fields added to the form since a submitted version: their columns, each "not asked".
  const added = notAsked.map((f) => `${f.label} (${submission!.labels.notAsked})`);
  return toCsv([
    [labels.unit, ...cols.map((c) => c.label), ...added],
    ...rows.map((r) => [r.name, ...cols.map((c) => cellOf(c.type, r.values[c.code])), ...added.map(() => '')]),
    ...(total ? [[labels.total, ...cols.map((c) => (c.type === 'text' ? '' : cellOf(c.type, total[c.code] ?? 0)))]] : []),
  ]);
}
