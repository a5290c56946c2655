/**
 * A real database per test file: SQLite files copied from a migrated template (fast), or — when
 * TEST_DATABASE_URL is set and the file asks for it — a fresh PostgreSQL schema.
 */
import fs from 'node:fs';
import path from 'node:path';

import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';

import { type DB, openDatabase } from '~/db/connection';
import { migrateToLatest } from '~/db/migrate';
import type { Database } from '~/db/schema';

import { newId } from '../../app/lib/ids.server';

export const TMP_DIR = path.resolve(process.cwd(), 'tests/.tmp');
export const TEMPLATE_DB = path.join(TMP_DIR, 'template.sqlite');

export async function freshSqlite(): Promise<{ db: DB; file: string; cleanup: () => Promise<void> }> {
  fs.mkdirSync(TMP_DIR, { recursive: true });
  const file = path.join(TMP_DIR, `test-${process.pid}-${newId(8)}.sqlite`);
  if (fs.existsSync(TEMPLATE_DB)) fs.copyFileSync(TEMPLATE_DB, file);
  const db = openDatabase(file);
  await migrateToLatest(db); // no-op on the template; keeps a stale template honest
  return {
    db,
    file,
    cleanup: async () => {
      await db.destroy();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    },
  };
}

/** A fresh PostgreSQL schema on TEST_DATABASE_URL, migrated; null when the variable is unset. */
export async function freshPostgres(): Promise<{ db: DB; cleanup: () => Promise<void> } | null> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return null;
  const schema = `t_${newId(10)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: url, max: 10, options: `-c search_path=${schema},public` });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(db, schema);
  return {
    db,
    cleanup: async () => {
      await sql.raw(`DROP SCHEMA ${schema} CASCADE`).execute(db);
      await db.destroy();
    },
  };
}

/** Both dialects to run a suite on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const dialects: Array<'sqlite' | 'postgres'> = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export async function freshDb(dialect: 'sqlite' | 'postgres' = 'sqlite') {
  if (dialect === 'postgres') {
    const p = await freshPostgres();
    if (!p) throw new Error('TEST_DATABASE_URL is not set');
    return p;
  }
  return freshSqlite();
}
