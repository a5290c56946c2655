import fs from 'node:fs';
import path from 'node:path';

import Sqlite from 'better-sqlite3';
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';

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
}

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
  // instead of failing at once; foreign keys are off by default in SQLite.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), ...logHook(options) });
}

export function defaultDatabaseUrl(dataDir: string): string {
  return path.join(dataDir, 'app.sqlite');
}
