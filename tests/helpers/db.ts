/**
 * A real database per test file: SQLite files copied from a migrated template (fast), or — when
 * TEST_DATABASE_URL is set and the file asks for it — a fresh PostgreSQL database copied from a
 * migrated template database.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

import { type DB, openDatabase } from '~/db/connection';
import { migrateToLatest } from '~/db/migrate';
import type { Database } from '~/db/schema';

import { newId } from '../../app/lib/ids.server';

/** TEST_TMP_DIR: another folder, so that two runs in one checkout do not remake each other's template. */
export const TMP_DIR = path.resolve(process.cwd(), process.env.TEST_TMP_DIR ?? 'tests/.tmp');
export const TEMPLATE_DB = path.join(TMP_DIR, 'template.sqlite');

export async function freshSqlite(): Promise<{ db: DB; file: string; url: string; cleanup: () => Promise<void> }> {
  fs.mkdirSync(TMP_DIR, { recursive: true });
  const file = path.join(TMP_DIR, `test-${process.pid}-${newId(8)}.sqlite`);
  if (fs.existsSync(TEMPLATE_DB)) fs.copyFileSync(TEMPLATE_DB, file);
  const db = openDatabase(file);
  await migrateToLatest(db); // no-op on the template; keeps a stale template honest
  return {
    db,
    file,
    url: file,
    cleanup: async () => {
      await db.destroy();
      for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-llw-wait`]) fs.rmSync(f, { force: true });
    },
  };
}

/**
 * Builds of the PostgreSQL template one at a time across test processes (a database-wide advisory
 * lock on TEST_DATABASE_URL's server): the first process builds it, the others then find it made.
 */
async function withTemplateLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query("select pg_advisory_lock(hashtext('llw-test-template'))");
    return await fn();
  } finally {
    // Ending the session releases its advisory lock, also when fn threw.
    await admin.end();
  }
}

/**
 * The migrated PostgreSQL template of the current migrations: a database `llw_tpl_<hash>` on
 * TEST_DATABASE_URL's server, named after the migration files' contents, so a changed or added
 * migration makes a new one. Made once, under an advisory lock, by whichever test process needs it
 * first; left in place for the next run (an older one is left too: another checkout's run on the
 * same server may be copying it).
 */
let templateName: Promise<string> | undefined;
export function postgresTemplate(url: string): Promise<string> {
  return (templateName ??= (async () => {
    const dir = path.resolve(import.meta.dirname, '../../db/migrations');
    const h = crypto.createHash('sha256');
    for (const f of fs.readdirSync(dir).sort()) h.update(f).update(fs.readFileSync(path.join(dir, f)));
    const name = `llw_tpl_${h.digest('hex').slice(0, 16)}`;
    await withTemplateLock(url, async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const r = await admin.query('select 1 from pg_database where datname = $1', [name]);
        if (r.rowCount) return;
        // Built under another name and renamed when complete: a run stopped half-way leaves no
        // half-migrated template behind (only a `…_building` database, dropped by the next run).
        const building = `${name}_building`;
        await dropDatabase(url, building);
        await admin.query(`CREATE DATABASE ${building}`);
        const db = new Kysely<Database>({
          dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: dbUrl(url, building), max: 1 }) }),
        });
        try {
          await migrateToLatest(db);
        } finally {
          await db.destroy();
        }
        await waitForNoSessions(admin, building); // a database with a session open cannot be renamed or copied
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      } finally {
        await admin.end();
      }
    });
    return name;
  })().catch((e: unknown) => {
    templateName = undefined;
    throw e;
  }));
}

/** `url` with its database name replaced by `name`. */
function dbUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A fresh PostgreSQL database on TEST_DATABASE_URL's server, copied from the migrated template
 * (`CREATE DATABASE … TEMPLATE`, ~0.1–0.3 s), with its URL; null when the variable is unset. It
 * used to be a schema created and migrated per test under a database-wide lock (Kysely's migrator
 * and introspector read every schema's catalogue, and another file's dropped schema broke that
 * read): 37 migrations, 1–2 s quiet and 5–10 s loaded, one test file at a time. A database of its
 * own keeps a test's catalogue and NOTIFYs to itself, so no lock is needed.
 */
export async function freshPostgres(): Promise<{ db: DB; url: string; cleanup: () => Promise<void> } | null> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return null;
  const template = await postgresTemplate(url);
  const name = `t_${newId(10).toLowerCase()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const own = dbUrl(url, name);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: own, max: 10 }) }) });
  return {
    db,
    url: own,
    cleanup: async () => {
      await db.destroy();
      await dropDatabase(url, name);
    },
  };
}

async function waitForNoSessions(c: pg.Client, name: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const r = await c.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = $1', [name]);
    if (Number(r.rows[0]!.n) === 0) return;
    await new Promise((res) => setTimeout(res, 50));
  }
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
    await waitForNoSessions(c, name);
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
