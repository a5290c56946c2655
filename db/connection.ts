import fs from 'node:fs';
import path from 'node:path';

import Sqlite from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type Driver, Kysely, type LogEvent, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';

import { SQLITE_BUSY_TIMEOUT_MS } from './dialect';
import type { Database } from './schema';

export type DB = Kysely<Database>;

export interface OpenOptions {
  /** Called after every query with its SQL text, time and outcome (metrics: app/lib/db.server.ts). */
  onQuery?: (sqlText: string, ms: number, failed: boolean) => void;
  /**
   * SQLite's `synchronous` (README "Crash safety"): NORMAL (default here, for scripts and tests)
   * survives a crash of the process; FULL — what the server uses (SQLITE_SYNCHRONOUS) — also
   * survives a power cut: every commit is fsynced to the WAL before it is acknowledged.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * SQLite's overall wait for the write lock, in ms (default SQLITE_BUSY_TIMEOUT_MS). Tests that
   * write into a running test server's database from their own process wait longer: on a loaded
   * machine the server's jobs and requests can hold the lock past 5 s in all.
   */
  busyTimeoutMs?: number;
  /**
   * SQLite's `mmap_size` in MiB for the connection's life (default SQLITE_MMAP_MB_DEFAULT: 0, off).
   * Off because another process's commit makes SQLite unmap the whole file at the connection's next
   * read transaction, and every page it touches then is faulted in again: with two web workers and
   * the jobs committing all the time, each statement after another's commit paid ~250–300 µs more
   * than a `pread` of the same pages into the page cache (a 1.2 GB forum database; the cost grows
   * with the map's size). Work that reads a big share of a table turns the map on for its length
   * (`withMemoryMap`, db/dialect.ts: ranking a contest round).
   */
  mmapMb?: number;
}

/** The default `mmap_size` (MiB): off (see `OpenOptions.mmapMb`). */
export const SQLITE_MMAP_MB_DEFAULT = 0;

function logHook(o: OpenOptions): { log?: (e: LogEvent) => void } {
  const onQuery = o.onQuery;
  if (!onQuery) return {};
  return { log: (e) => onQuery(e.query.sql, e.queryDurationMillis, e.level === 'error') };
}

/** Resolves `DATABASE_URL` (or a default SQLite file in `dataDir`) to a Kysely handle. */
export function openDatabase(url: string, options: OpenOptions = {}): DB {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: Number(process.env.PG_POOL_MAX ?? 10) });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...logHook(options) });
  }
  const file = url.replace(/^file:/, '').replace(/^sqlite:/, '');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Sqlite(file);
  // WAL lets readers go on while one writer writes; busy_timeout makes a second writer wait
  // instead of failing at once; foreign keys are off by default in SQLite. `writeTransaction`
  // (db/dialect.ts) takes the write lock without it — BEGIN IMMEDIATE with a zero timeout, retried
  // on async timers, so the process keeps serving while it waits — and uses this value as its overall
  // limit. It stays for the autocommit writes outside `writeTransaction`, whose wait (SQLite's busy
  // handler, sleeping) blocks the process: keep hot paths inside `writeTransaction`.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`mmap_size = ${Math.max(0, Math.floor(options.mmapMb ?? SQLITE_MMAP_MB_DEFAULT)) * 1024 * 1024}`);
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS))}`);
  // The query planner's statistics (sqlite_stat1): without them SQLite guessed, e.g., that
  // "units where valid_to is null" is a few rows and scanned every unit of the country for a
  // signed-in /library (1.1 → 0.2 ms with them). `analysis_limit` keeps each table's ANALYZE to a
  // sample; the `db:optimize` job (one process, at start and hourly) runs `PRAGMA optimize`.
  sqlite.pragma('analysis_limit = 1000');
  return new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }), ...logHook(options) });
}

/**
 * Kysely's SQLite driver opens `db.transaction()` with a plain (deferred) `BEGIN`: the transaction
 * takes a read snapshot at its first read and asks for the write lock only at its first write.
 * If another process (the other worker, the jobs, a test writing into a running server's file)
 * committed in between, SQLite cannot upgrade that snapshot and fails at once with SQLITE_BUSY —
 * its busy handler is never called for an upgrade, so `busy_timeout` does not help. A read-then-write
 * transaction (creating a unit reads its parent's path first; a password reset checks its token) then
 * failed under any concurrent write. `BEGIN IMMEDIATE` takes the write lock at the start, waiting
 * up to `busy_timeout` for it like any autocommit write. Hot paths use `writeTransaction`
 * (db/dialect.ts), which already begins IMMEDIATE and waits without blocking the process.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

/**
 * Kysely prepares every query's SQL afresh; with better-sqlite3 that compile is ~6 % of a page's CPU
 * (a signed-in `/`, `node --cpu-prof`). The same few hundred SQL texts recur, so their prepared
 * statements are kept (least recently used dropped past `max`). A statement still being iterated
 * (`busy`: a streamed query) is never handed out twice; SQLite re-prepares a kept statement itself
 * after a schema change.
 */
export function withStatementCache(sqlite: Sqlite.Database, max = 500): Pick<Sqlite.Database, 'prepare' | 'close'> {
  const kept = new Map<string, Sqlite.Statement>();
  return {
    prepare(sql: string) {
      const stmt = kept.get(sql);
      if (stmt && !stmt.busy) {
        kept.delete(sql);
        kept.set(sql, stmt);
        return stmt;
      }
      const fresh = sqlite.prepare(sql);
      if (!stmt) {
        kept.set(sql, fresh);
        if (kept.size > max) kept.delete(kept.keys().next().value!);
      }
      return fresh;
    },
    close: () => sqlite.close(),
  } as Pick<Sqlite.Database, 'prepare' | 'close'>;
}

export function defaultDatabaseUrl(dataDir: string): string {
  return path.join(dataDir, 'app.sqlite');
}
