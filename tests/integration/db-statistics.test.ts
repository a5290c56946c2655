/**
 * The planner's statistics on SQLite (issue 12): `optimizeStatistics` — the hourly `db:optimize`
 * job, also run at start — must leave FTS5's own tables without statistics, and every other
 * connection must plan with what it wrote.
 *
 * Found at full scale: the job ran while the search index was empty, recorded that
 * `search_fts_data` holds 2 rows, and every serving process kept that figure (SQLite reads
 * statistics with the schema, and ANALYZE does not change the schema cookie). FTS5 removes merged
 * segments with `DELETE … WHERE id>=? AND id<=?`, which SQLite then planned as a scan of the whole
 * index: each new post spent 1–3 s reading 20,000 index pages with the write lock held.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { optimizeStatistics } from '~/db/dialect';

import { freshSqlite } from '../helpers/db';

/** How SQLite would read FTS5's segment range (the plan its internal DELETE gets). */
const segmentRangePlan = (conn: Database.Database) =>
  conn
    .prepare('explain query plan select block from search_fts_data where id >= ? and id <= ?')
    .all(1, 2)
    .map((r) => (r as { detail: string }).detail)
    .join('; ');

describe('planner statistics (sqlite)', () => {
  let db: DB;
  let file: string;
  let cleanup: () => Promise<void>;
  let worker: Database.Database;
  beforeEach(async () => {
    ({ db, file, cleanup } = await freshSqlite());
    // Another process's long-lived connection, which has read the schema already.
    worker = new Database(file);
    worker.prepare('select count(*) from users').get();
  });
  afterEach(async () => {
    worker.close();
    await cleanup();
  });

  it('keeps no statistics for the full-text index, so removing a merged segment never scans the index', async () => {
    // The job on a new deployment: every table empty or nearly, the search index among them.
    const { analysed } = await optimizeStatistics(db);
    expect(analysed.length).toBeGreaterThan(0);
    expect(analysed.some((t) => t.startsWith('search_fts_'))).toBe(false);
    const kept = worker.prepare("select tbl from sqlite_stat1 where tbl like 'search\\_fts\\_%' escape '\\'").all();
    expect(kept).toEqual([]);
    expect(segmentRangePlan(worker)).toMatch(/SEARCH search_fts_data USING INTEGER PRIMARY KEY/);
    expect(segmentRangePlan(new Database(file, { readonly: true }))).toMatch(/SEARCH search_fts_data USING INTEGER PRIMARY KEY/);
  });

  it('drops the statistics already taken of an empty index, and a connection that had read them plans again with the new ones', async () => {
    // A database analysed before this fix, with the index empty (its 2 rows: averages, structure).
    worker.exec('ANALYZE search_fts_data');
    expect(worker.prepare("select stat from sqlite_stat1 where tbl = 'search_fts_data'").get()).toEqual({ stat: '2' });
    expect(segmentRangePlan(worker)).toBe('SCAN search_fts_data');
    const stale = new Database(file);
    expect(segmentRangePlan(stale)).toBe('SCAN search_fts_data');

    await optimizeStatistics(db);

    expect(worker.prepare("select count(*) as n from sqlite_stat1 where tbl = 'search_fts_data'").get()).toEqual({ n: 0 });
    // `stale` read the schema with the old figure: its next statement finds the schema changed and
    // reads it again, statistics included (as FTS5's own DELETE would, being a statement).
    stale.prepare('select count(*) from users').get();
    expect(segmentRangePlan(stale)).toMatch(/SEARCH search_fts_data USING INTEGER PRIMARY KEY/);
    expect(segmentRangePlan(worker)).toMatch(/SEARCH search_fts_data USING INTEGER PRIMARY KEY/);
    stale.close();
  });

  it('makes no connection re-read its schema when the figures did not change', async () => {
    await optimizeStatistics(db);
    const version = () => worker.pragma('schema_version', { simple: true });
    const before = version();
    await optimizeStatistics(db);
    expect(version()).toBe(before);
  });
});
