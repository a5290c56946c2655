import fs from 'node:fs';
import path from 'node:path';

import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';

import type { Database } from './schema';

export type DB = Kysely<Database>;

/** Resolves `DATABASE_URL` (or a default SQLite file in `dataDir`) to a Kysely handle. */
export function openDatabase(url: string): DB {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: Number(process.env.PG_POOL_MAX ?? 10) });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const file = url.replace(/^file:/, '').replace(/^sqlite:/, '');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Sqlite(file);
  // WAL lets readers go on while one writer writes; busy_timeout makes a second writer wait
  // instead of failing at once; foreign keys are off by default in SQLite.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

export function defaultDatabaseUrl(dataDir: string): string {
  return path.join(dataDir, 'app.sqlite');
}
