/**
 * The importer for an official list of units (CSV: code, name, kind, parent code, valid from), so
 * a province's IT team can load its real communes and schools. Every row is checked first; any
 * error is reported with its line and nothing is imported. Valid files go in one transaction.
 */
import { parse } from 'csv-parse/sync';

import { writeTransaction } from '~/db/dialect';
import { UNIT_KINDS, type UnitKind } from '~/db/schema';
import { foldVi } from '~/domain/search/fold';
import { inForce, insertUnit } from '~/domain/units.server';
import { parseDay } from '~/forms/units';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { bumpCache } from '~/lib/page-cache.server';

import { canChangeUnits } from './access.server';

export const IMPORT_COLUMNS = ['code', 'name', 'kind', 'parent_code', 'valid_from'] as const;
export type ImportField = (typeof IMPORT_COLUMNS)[number] | 'row';
export type ImportErrorCode =
  | 'unreadable'
  | 'empty'
  | 'too_many'
  | 'columns'
  | 'required'
  | 'bad_kind'
  | 'bad_date'
  | 'duplicate_code'
  | 'code_exists'
  | 'parent_missing'
  | 'parent_not_in_force'
  | 'forbidden';

export interface ImportRowError {
  /** 1-based line in the file (the header is line 1 when present). */
  line: number;
  field: ImportField;
  code: ImportErrorCode;
  value: string;
}

export type ImportOutcome = { ok: true; created: number; batchId: string } | { ok: false; errors: ImportRowError[] };

const MAX_ROWS = 20_000;

/** Kinds as officials write them (folded), besides the codes themselves. */
const KIND_ALIASES: Record<string, UnitKind> = {
  tinh: 'province',
  'thanh pho': 'province',
  'thanh pho truc thuoc trung uong': 'province',
  xa: 'ward',
  phuong: 'ward',
  'dac khu': 'ward',
  truong: 'school',
  'truong hoc': 'school',
  'dai hoc': 'university',
  'thu vien': 'public_library',
  'trung tam hoc tap cong dong': 'clc',
  'to chuc': 'organisation',
};

function parseKind(v: string): UnitKind | null {
  const t = v.trim();
  if ((UNIT_KINDS as readonly string[]).includes(t)) return t as UnitKind;
  return KIND_ALIASES[foldVi(t).replace(/\s+/g, ' ')] ?? null;
}

export function slugFor(name: string, code: string): string {
  const base = foldVi(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  const c = foldVi(code).replace(/[^a-z0-9]+/g, '-');
  return base ? `${base}-${c}` : c;
}

interface Row {
  line: number;
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string;
  validFrom: string;
}

function isHeader(cells: string[]): boolean {
  const first = foldVi(cells[0] ?? '').trim();
  return ['code', 'ma', 'ma don vi', 'ma dvhc'].includes(first);
}

/** Checks every row; imports all of them or none. */
export async function importUnits(db: DB, userId: string, csvText: string): Promise<ImportOutcome> {
  let records: string[][];
  try {
    records = parse(csvText.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch {
    return { ok: false, errors: [{ line: 0, field: 'row', code: 'unreadable', value: '' }] };
  }
  const headerOffset = records.length && isHeader(records[0]!) ? 1 : 0;
  const body = records.slice(headerOffset);
  if (!body.length) return { ok: false, errors: [{ line: 0, field: 'row', code: 'empty', value: '' }] };
  if (body.length > MAX_ROWS) return { ok: false, errors: [{ line: 0, field: 'row', code: 'too_many', value: String(body.length) }] };

  const errors: ImportRowError[] = [];
  const rows: Row[] = [];
  const seen = new Map<string, number>();
  body.forEach((cells, i) => {
    const line = i + 1 + headerOffset;
    if (cells.length !== IMPORT_COLUMNS.length) {
      errors.push({ line, field: 'row', code: 'columns', value: String(cells.length) });
      return;
    }
    const [code = '', name = '', kindText = '', parentCode = '', from = ''] = cells;
    let bad = false;
    const need = (field: ImportField, v: string) => {
      if (!v) {
        errors.push({ line, field, code: 'required', value: '' });
        bad = true;
      }
    };
    need('code', code);
    need('name', name);
    need('kind', kindText);
    need('parent_code', parentCode);
    need('valid_from', from);
    const kind = kindText ? parseKind(kindText) : null;
    if (kindText && !kind) {
      errors.push({ line, field: 'kind', code: 'bad_kind', value: kindText });
      bad = true;
    }
    const validFrom = from ? parseDay(from) : null;
    if (from && !validFrom) {
      errors.push({ line, field: 'valid_from', code: 'bad_date', value: from });
      bad = true;
    }
    if (code && seen.has(code)) {
      errors.push({ line, field: 'code', code: 'duplicate_code', value: code });
      bad = true;
    }
    if (code) seen.set(code, line);
    if (!bad) rows.push({ line, code, name, kind: kind!, parentCode, validFrom: validFrom! });
  });

  // Codes already loaded cannot be loaded again.
  const codes = rows.map((r) => r.code);
  const existing = new Set<string>();
  for (let i = 0; i < codes.length; i += 500) {
    const chunk = codes.slice(i, i + 500);
    for (const r of await db.selectFrom('units').select('code').where('code', 'in', chunk).execute()) if (r.code) existing.add(r.code);
  }
  for (const r of rows) if (existing.has(r.code)) errors.push({ line: r.line, field: 'code', code: 'code_exists', value: r.code });

  // Parents: another row of the file, or a unit already in force (by its code, or a demo unit's slug).
  const inFile = new Map(rows.map((r) => [r.code, r]));
  const parentKeys = [...new Set(rows.filter((r) => !inFile.has(r.parentCode)).map((r) => r.parentCode))];
  const dbParents = new Map<string, { id: string; valid_from: string | null; valid_to: string | null }>();
  for (let i = 0; i < parentKeys.length; i += 500) {
    const chunk = parentKeys.slice(i, i + 500);
    const found = await db
      .selectFrom('units')
      .select(['id', 'code', 'slug', 'valid_from', 'valid_to'])
      .where((eb) => eb.or([eb('code', 'in', chunk), eb('slug', 'in', chunk)]))
      .execute();
    for (const f of found) {
      if (f.code && chunk.includes(f.code)) dbParents.set(f.code, f);
      if (chunk.includes(f.slug) && !dbParents.has(f.slug)) dbParents.set(f.slug, f);
    }
  }
  const allowed = new Map<string, boolean>();
  for (const r of rows) {
    const fileParent = inFile.get(r.parentCode);
    if (fileParent) {
      if (fileParent.validFrom > r.validFrom)
        errors.push({ line: r.line, field: 'parent_code', code: 'parent_not_in_force', value: r.parentCode });
      continue;
    }
    const p = dbParents.get(r.parentCode);
    if (!p) {
      errors.push({ line: r.line, field: 'parent_code', code: 'parent_missing', value: r.parentCode });
      continue;
    }
    const held = await db
      .selectFrom('unit_tree_history as h')
      .select('h.depth')
      .where('h.descendant_id', '=', p.id)
      .where('h.depth', '=', 0)
      .where(inForce('h', r.validFrom))
      .executeTakeFirst();
    if (p.valid_to || !held) {
      errors.push({ line: r.line, field: 'parent_code', code: 'parent_not_in_force', value: r.parentCode });
      continue;
    }
    if (!allowed.has(p.id)) allowed.set(p.id, await canChangeUnits(db, userId, [p.id]));
    if (!allowed.get(p.id)) errors.push({ line: r.line, field: 'parent_code', code: 'forbidden', value: r.parentCode });
  }
  // A chain of rows whose top never reaches a loaded unit (a cycle inside the file).
  const resolved = new Set<string>();
  const order: Row[] = [];
  let pending = rows.slice();
  while (pending.length) {
    const next = pending.filter((r) => !(inFile.has(r.parentCode) && !resolved.has(r.parentCode)));
    if (!next.length) {
      for (const r of pending) errors.push({ line: r.line, field: 'parent_code', code: 'parent_missing', value: r.parentCode });
      break;
    }
    for (const r of next) {
      resolved.add(r.code);
      order.push(r);
    }
    pending = pending.filter((r) => !resolved.has(r.code));
  }
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };

  const batchId = newId();
  await writeTransaction(db, async (trx) => {
    const ids = new Map<string, string>();
    const created_at = nowIso();
    for (const r of order) {
      const parentId = ids.get(r.parentCode) ?? dbParents.get(r.parentCode)!.id;
      const u = await insertUnit(trx, {
        parentId,
        kind: r.kind,
        slug: slugFor(r.name, r.code),
        name: r.name,
        code: r.code,
        validFrom: r.validFrom,
      });
      ids.set(r.code, u.id);
      await trx
        .insertInto('unit_changes')
        .values({
          id: newId(),
          batch_id: batchId,
          effective_on: r.validFrom,
          kind: 'imported',
          unit_id: u.id,
          other_unit_id: parentId,
          user_id: null,
          detail: `${r.code} ${r.name}`,
          actor_id: userId,
          created_at,
        })
        .execute();
    }
  });
  await bumpCache(db, 'units');
  return { ok: true, created: order.length, batchId };
}
