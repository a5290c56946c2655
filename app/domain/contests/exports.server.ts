/** Exports for the Week's report: the same rows as CSV (progress.server's toCsv) or XLSX (exceljs). */
import ExcelJS from 'exceljs';

import { toCsv } from '~/domain/courses/progress.server';

export { toCsv };

export async function toXlsx(sheetName: string, rows: Array<Array<string | number | null>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName.slice(0, 31));
  for (const r of rows) ws.addRow(r.map((v) => (v == null ? '' : v)));
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
