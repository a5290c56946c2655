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

/** TEST_TMP_DIR: another folder, so that two runs in one checkout do not remake each other's template. */
export const TMP_DIR = path.resolve(process.cwd(), process.env.TEST_TMP_DIR ?? 'tests/.tmp');
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

/**
 * Test files run two at a time, each in its own schema of one PostgreSQL database. Kysely's
 * migrator and introspector read the catalogue of EVERY schema (`getTables`), and a schema dropped
 * by another file meanwhile makes that read fail ("schema t_… does not exist"). Creating and
 * migrating a schema, dropping one, and reading the catalogue take this database-wide advisory
 * lock, one file at a time (a second or two each); the tests themselves run side by side.
 */
export async function withSchemaLock<T>(fn: () => Promise<T>): Promise<T> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return fn();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query("select pg_advisory_lock(hashtext('llw-test-schemas'))");
    return await fn();
  } finally {
    // Ending the session releases its advisory lock, also when fn threw.
    await admin.end();
  }
}

/** A fresh PostgreSQL schema on TEST_DATABASE_URL, migrated; null when the variable is unset. */
export async function freshPostgres(): Promise<{ db: DB; cleanup: () => Promise<void> } | null> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return null;
  const schema = `t_${newId(10).toLowerCase()}`;
  const pool = new pg.Pool({ connectionString: url, max: 10, options: `-c search_path=${schema},public` });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await withSchemaLock(async () => {
      await sql.raw(`CREATE SCHEMA ${schema}`).execute(db);
      await migrateToLatest(db);
    });
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return {
    db,
    cleanup: async () => {
      await withSchemaLock(() => sql.raw(`DROP SCHEMA ${schema} CASCADE`).execute(db));
      await db.destroy();
    },
  };
}

/**
 * Drops a test's own PostgreSQL database. Its pools have been ended, but pg resolves `end()` before
 * the server has closed those sessions; `WITH (FORCE)` would then terminate them, and each one
 * closing raises an uncaught "terminating connection due to administrator command" in the test
 * process. So this waits (up to 10 s) for the database's sessions to go, then forces what is left.
 */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const r = await c.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = $1', [name]);
      if (Number(r.rows[0]!.n) === 0) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await c.end();
  }
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
