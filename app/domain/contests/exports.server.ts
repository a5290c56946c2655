/** Exports for the Week's report: the same rows as CSV (progress.server's toCsv) or XLSX (exceljs). */

import { toCsv } from '~/domain/courses/progress.server';
import { excel } from '~/lib/excel.server';

export { toCsv };

export async function toXlsx(sheetName: string, rows: Array<Array<string | number | null>>): Promise<Buffer> {
  const wb = new (excel().Workbook)();
  const ws = wb.addWorksheet(sheetName.slice(0, 31));
  for (const r of rows) ws.addRow(r.map((v) => (v == null ? '' : v)));
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
