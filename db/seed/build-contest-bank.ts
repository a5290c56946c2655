/**
 * Builds content/contests/cong-dan-so.xlsx (the organiser's template format) from the CSV source,
 * after checking every row with the import parser. Run by hand after editing the CSV:
 *   node --import tsx db/seed/build-contest-bank.ts
 */
import fs from 'node:fs';
import path from 'node:path';

import ExcelJS from 'exceljs';

import { parseRow, readSheet, TEMPLATE_HEADER } from '../../app/domain/contests/bank.server';

const SRC = path.resolve('content/contests/cong-dan-so.csv');
const OUT = path.resolve('content/contests/cong-dan-so.xlsx');

const sheet = await readSheet(new Uint8Array(fs.readFileSync(SRC)), 'cong-dan-so.csv');
if (!sheet.ok) throw new Error(sheet.code);
const wb = new ExcelJS.Workbook();
wb.created = new Date('2024-09-01T00:00:00Z');
wb.modified = wb.created;
const ws = wb.addWorksheet('questions');
ws.addRow([...TEMPLATE_HEADER]);
ws.getRow(1).font = { bold: true };
for (const r of sheet.value) {
  const p = parseRow(r.cells);
  if (typeof p === 'string') throw new Error(`row ${r.row}: ${p}`);
  ws.addRow(r.cells.map((c, i) => (i === 12 && c ? Number(c) : c)));
}
fs.writeFileSync(OUT, Buffer.from(await wb.xlsx.writeBuffer()));
console.log(`${sheet.value.length} questions → ${path.relative(process.cwd(), OUT)}`);
