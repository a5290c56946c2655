/**
 * The SQLite full-text index's segment structure (FTS5's structure record, row 10 of
 * `<table>_data`), decoded for the bench tools: how many levels and segments, how big, and which
 * level has a merge under way. This SQLite is built without `fts5_structure`/`fts5_decode`
 * (SQLITE_TEST only), so the record is read as FTS5 writes it (fts5StructureDecode in sqlite3.c).
 */
import { sql } from 'kysely';

import type { DB } from '~/db/connection';

export interface FtsSegment {
  id: number;
  first: number;
  last: number;
}
export interface FtsLevel {
  merge: number;
  segs: FtsSegment[];
}

/** SQLite's varint: 7 bits a byte, high bit set on all but the last; a 9th byte carries 8 bits. */
function varint(b: Uint8Array, at: number): [number, number] {
  let v = 0n;
  for (let i = 0; i < 9; i++) {
    const x = b[at + i]!;
    if (i === 8) return [Number((v << 8n) | BigInt(x)), 9];
    v = (v << 7n) | BigInt(x & 0x7f);
    if (!(x & 0x80)) return [Number(v), i + 1];
  }
  return [Number(v), 9];
}

export function decodeFtsStructure(b: Uint8Array): { writes: number; levels: FtsLevel[] } {
  let i = 4;
  const v2 = b[4] === 0xff && b[5] === 0 && b[6] === 0 && b[7] === 1;
  if (v2) i += 4;
  const next = () => {
    const [v, n] = varint(b, i);
    i += n;
    return v;
  };
  const nLevel = next();
  next(); // nSegment
  const writes = next();
  const levels: FtsLevel[] = [];
  for (let l = 0; l < nLevel; l++) {
    const merge = next();
    const total = next();
    const segs: FtsSegment[] = [];
    for (let s = 0; s < total; s++) {
      const id = next();
      const first = next();
      const last = next();
      if (v2) for (let k = 0; k < 5; k++) next(); // origins, tombstone pages/entries, entries
      segs.push({ id, first, last });
    }
    levels.push({ merge, segs });
  }
  return { writes, levels };
}

export async function ftsStructure(db: DB, table = 'search_fts'): Promise<{ writes: number; levels: FtsLevel[] }> {
  const r = await sql<{ block: Uint8Array }>`select block from ${sql.table(`${table}_data`)} where id = 10`.execute(db);
  return decodeFtsStructure(r.rows[0]!.block);
}

/** One line: per non-empty level, its segments' leaf counts (and the merge under way). */
export function describeFts(s: { writes: number; levels: FtsLevel[] }): string {
  const parts = s.levels.map((l, n) =>
    l.segs.length === 0
      ? null
      : `L${n}${l.merge ? ` (merging ${l.merge})` : ''}: ${l.segs.map((g) => (g.last ? g.last - g.first + 1 : 0)).join('+')}`,
  );
  return `${s.levels.length} levels, writes ${s.writes}; ${parts.filter(Boolean).join('; ')}`;
}
