import { type Kysely, PostgresAdapter, sql, type Transaction } from 'kysely';

/**
 * The few places where SQLite and PostgreSQL truly differ, kept in one small module.
 */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** `count(*)` is a number on SQLite and a string (int8) on PostgreSQL. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return Number.parseInt(v, 10) || 0;
  return 0;
}

/**
 * A write transaction that takes the write lock up front: `BEGIN IMMEDIATE` on SQLite (so two
 * processes cannot both read "1 copy left" and then both write), a normal transaction on
 * PostgreSQL where callers lock the rows they read with `forUpdate()` (see `lockRows`).
 */
export async function writeTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (isPostgres(db)) return db.transaction().execute((trx: Transaction<DB>) => fn(trx));
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (e) {
      await sql`ROLLBACK`.execute(conn).catch(() => undefined);
      throw e;
    }
  });
}

/** Adds `FOR UPDATE` on PostgreSQL; SQLite's IMMEDIATE transaction already holds the lock. */
export function lockRows<QB extends { forUpdate(): QB }>(db: Kysely<any>, qb: QB): QB {
  return isPostgres(db) ? qb.forUpdate() : qb;
}

/** True when an error is a unique-constraint violation in either dialect. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === '23505' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Refreshes the query planner's statistics where they have gone stale: `PRAGMA optimize` on SQLite
 * (cheap when nothing changed; `analysis_limit` is set per connection). PostgreSQL's autovacuum
 * does this itself.
 */
export async function optimizeStatistics(db: Kysely<any>): Promise<void> {
  // 0x10002: also analyse tables never analysed (SQLite's advice for a long-lived connection's start).
  if (!isPostgres(db)) await sql`PRAGMA optimize = 0x10002`.execute(db);
}
