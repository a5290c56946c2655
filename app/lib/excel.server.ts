/**
 * exceljs, loaded the first time a spreadsheet is read or written. Importing it costs 1–2.7 s of
 * start-up on a 2-core machine, and the three modules that use it (contest banks and exports, report
 * exports) are imported by nearly every server module graph: every server start and every test file
 * paid for it. A CommonJS package, so a synchronous `require` keeps the callers unchanged.
 */
import { createRequire } from 'node:module';

import type ExcelJSModule from 'exceljs';

let loaded: typeof ExcelJSModule | undefined;

export function excel(): typeof ExcelJSModule {
  return (loaded ??= createRequire(import.meta.url)('exceljs') as typeof ExcelJSModule);
}
