/**
 * SQLite's memory map (issue 12): off for a connection's life — another process's commit makes
 * SQLite unmap the file at the next read and fault every page in again, which cost a forum reply's
 * dozen statements ~250–300 µs each at full scale — and on only around work that reads a big share
 * of a table (`withMemoryMap`: ranking a contest round).
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { SQLITE_MMAP_MB_SCOPED, withMemoryMap } from '~/db/dialect';

import { freshSqlite } from '../helpers/db';

describe('memory map (sqlite)', () => {
  let db: DB;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ db, cleanup } = await freshSqlite());
  });
  afterEach(async () => {
    await cleanup();
  });

  const mapSize = async () => Number((await sql<{ mmap_size: number }>`PRAGMA mmap_size`.execute(db)).rows[0]?.mmap_size);

  it('is off for the connection, on for the length of the work that asks for it, and off again after — even after a failure', async () => {
    expect(await mapSize()).toBe(0);
    const seen: number[] = [];
    await withMemoryMap(db, async () => {
      seen.push(await mapSize());
      // A second, overlapping call (another request of the same process) ending first keeps the map.
      await withMemoryMap(db, async () => seen.push(await mapSize()));
      seen.push(await mapSize());
    });
    expect(seen.every((n) => n > 0 && n <= SQLITE_MMAP_MB_SCOPED * 1024 * 1024)).toBe(true);
    expect(seen).toHaveLength(3);
    expect(await mapSize()).toBe(0);
    // A call starting while another is still setting the map up (two requests of one process), at
    // every point of that set-up: the map is on inside both and off again after.
    const ticks = async (n: number) => {
      for (let i = 0; i < n; i++) await Promise.resolve();
    };
    for (let delay = 0; delay < 40; delay++) {
      const inside: number[] = [];
      const one = () => withMemoryMap(db, async () => void inside.push(await mapSize()));
      const first = one();
      await ticks(delay);
      await Promise.all([first, one()]);
      expect(inside.every((n) => n > 0)).toBe(true);
      expect(await mapSize()).toBe(0);
    }
    await expect(
      withMemoryMap(db, () => {
        throw new Error('ranking failed');
      }),
    ).rejects.toThrow('ranking failed');
    expect(await mapSize()).toBe(0);
  });
});
