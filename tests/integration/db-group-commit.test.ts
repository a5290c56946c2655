/**
 * Group commit (issue #14, db/dialect.ts `writeTransaction`): concurrent write transactions of a
 * process share one BEGIN IMMEDIATE … COMMIT on SQLite, each call in its own savepoint; nothing is
 * acknowledged before its COMMIT. PostgreSQL (one transaction per call) must behave the same for
 * the callers.
 */
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openDatabase } from '~/db/connection';
import { deferredSyncStats, lockRows, writeTransaction } from '~/db/dialect';

import { dialects, freshDb, freshSqlite } from '../helpers/db';

/** Two scratch tables of this file (created in the fresh database, not a migration). */
interface Probe {
  gc_items: { id: number; who: string; parent: number | null };
  gc_stock: { id: number; left_count: number };
}
const asProbe = (d: unknown) => d as Kysely<Probe>;

async function probeTables(db: Kysely<Probe>): Promise<void> {
  await sql`CREATE TABLE gc_items (id integer PRIMARY KEY, who text NOT NULL, parent integer REFERENCES gc_items (id))`.execute(db);
  await sql`CREATE TABLE gc_stock (id integer PRIMARY KEY, left_count integer NOT NULL)`.execute(db);
  await sql`INSERT INTO gc_stock (id, left_count) VALUES (1, 5)`.execute(db);
}

async function items(db: Kysely<Probe>): Promise<string[]> {
  const rows = await db.selectFrom('gc_items').select('who').orderBy('id').execute();
  return rows.map((r) => r.who);
}

describe.each(dialects)('writeTransaction under concurrency (%s)', (dialect) => {
  let db: Kysely<Probe>;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    const fresh = await freshDb(dialect);
    db = asProbe(fresh.db);
    cleanup = fresh.cleanup;
    await probeTables(db);
  });
  afterEach(async () => cleanup());

  it('commits 200 concurrent calls, each resolving with its own result', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        writeTransaction(db, async (trx) => {
          await trx
            .insertInto('gc_items')
            .values({ id: i + 1, who: `c${i}` })
            .execute();
          return i * 2;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
    expect((await items(db)).length).toBe(200);
  });

  it('rolls back only the failing call: its writes are gone, the others are kept', async () => {
    const calls = Array.from({ length: 30 }, (_, i) =>
      writeTransaction(db, async (trx) => {
        await trx
          .insertInto('gc_items')
          .values({ id: i + 1, who: `c${i}` })
          .execute();
        if (i === 7) {
          await trx.insertInto('gc_items').values({ id: 1000, who: 'second write of c7' }).execute();
          throw new Error('refused');
        }
        return i;
      }),
    );
    const settled = await Promise.allSettled(calls);
    expect(settled.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason.message)).toEqual(['refused']);
    const kept = await items(db);
    expect(kept).toHaveLength(29);
    expect(kept).not.toContain('c7');
    expect(kept).not.toContain('second write of c7');
  });

  it('keeps a limit checked inside the transaction exact: 5 left, 200 takers, 5 served', async () => {
    const settled = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        writeTransaction(db, async (trx) => {
          const row = await lockRows(db, trx.selectFrom('gc_stock').select('left_count').where('id', '=', 1)).executeTakeFirstOrThrow();
          if (Number(row.left_count) <= 0) throw new Error('none left');
          await trx
            .updateTable('gc_stock')
            .set({ left_count: Number(row.left_count) - 1 })
            .where('id', '=', 1)
            .execute();
          await trx
            .insertInto('gc_items')
            .values({ id: i + 1, who: `taker${i}` })
            .execute();
          return i;
        }),
      ),
    );
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(5);
    expect((await items(db)).length).toBe(5);
    const stock = await db.selectFrom('gc_stock').select('left_count').where('id', '=', 1).executeTakeFirstOrThrow();
    expect(Number(stock.left_count)).toBe(0);
  });
});

describe('group commit on SQLite', () => {
  let base: Awaited<ReturnType<typeof freshSqlite>>;
  let db: Kysely<Probe>;
  let statements: string[];
  beforeEach(async () => {
    base = await freshSqlite();
    await probeTables(asProbe(base.db));
    statements = [];
    // The server's settings (FULL), with every statement counted.
    db = asProbe(openDatabase(base.file, { synchronous: 'FULL', onQuery: (text) => statements.push(text) }));
  });
  afterEach(async () => {
    delete process.env.SQLITE_GROUP_COMMIT;
    delete process.env.SQLITE_DEFERRED_SYNC;
    await db.destroy();
    await base.cleanup();
  });
  const count = (text: string) => statements.filter((s) => s === text).length;

  it('commits 200 concurrent calls in far fewer COMMITs than calls', async () => {
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        writeTransaction(db, (trx) =>
          trx
            .insertInto('gc_items')
            .values({ id: i + 1, who: `c${i}` })
            .execute(),
        ),
      ),
    );
    expect((await items(asProbe(base.db))).length).toBe(200); // seen by another connection: committed
    expect(count('SAVEPOINT llw_call')).toBe(200);
    expect(count('COMMIT')).toBeGreaterThanOrEqual(Math.ceil(200 / 64));
    expect(count('COMMIT')).toBeLessThanOrEqual(20);
    expect(count('BEGIN IMMEDIATE')).toBe(count('COMMIT'));
  });

  it("with FULL, commits without SQLite's fsync and answers each call only after the WAL's own fsync", async () => {
    const before = deferredSyncStats.syncs;
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        writeTransaction(db, (trx) =>
          trx
            .insertInto('gc_items')
            .values({ id: i + 1, who: `c${i}` })
            .execute(),
        ).then(() => seen.push(deferredSyncStats.syncs - before)),
      ),
    );
    const commits = count('COMMIT');
    // One fsync of the WAL per batch, and no call answered before its batch's fsync.
    expect(deferredSyncStats.syncs - before).toBe(commits);
    expect(seen).toHaveLength(100);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(1);
    // NORMAL only around each batch (set before BEGIN: SQLite refuses it inside a transaction), FULL again after.
    expect(count('PRAGMA synchronous = NORMAL')).toBe(commits);
    expect(count('PRAGMA synchronous = FULL')).toBe(commits);
    const order = statements.filter((t) => /^(PRAGMA synchronous = |BEGIN IMMEDIATE|COMMIT)/.test(t));
    expect(order.slice(0, 4)).toEqual(['PRAGMA synchronous = NORMAL', 'BEGIN IMMEDIATE', 'COMMIT', 'PRAGMA synchronous = FULL']);
    const level = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db);
    expect(Number(level.rows[0]!.synchronous)).toBe(2); // autocommit statements keep FULL
    expect((await items(asProbe(base.db))).length).toBe(100);
  });

  it('SQLITE_DEFERRED_SYNC=0, or a NORMAL connection: the fsync stays where SQLite does it', async () => {
    process.env.SQLITE_DEFERRED_SYNC = '0';
    const before = deferredSyncStats.syncs;
    await writeTransaction(db, (trx) => trx.insertInto('gc_items').values({ id: 1, who: 'full' }).execute());
    await writeTransaction(base.db, (trx) => asProbe(trx).insertInto('gc_items').values({ id: 2, who: 'normal' }).execute());
    expect(deferredSyncStats.syncs).toBe(before);
    expect(count('PRAGMA synchronous = NORMAL')).toBe(0);
    expect(await items(asProbe(base.db))).toEqual(['full', 'normal']);
  });

  it('SQLITE_GROUP_COMMIT=0: one transaction per call, as before', async () => {
    process.env.SQLITE_GROUP_COMMIT = '0';
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        writeTransaction(db, (trx) =>
          trx
            .insertInto('gc_items')
            .values({ id: i + 1, who: `c${i}` })
            .execute(),
        ),
      ),
    );
    expect(count('COMMIT')).toBe(20);
    expect(count('SAVEPOINT llw_call')).toBe(0);
    expect((await items(asProbe(base.db))).length).toBe(20);
  });

  it('a failed COMMIT rejects every call of the batch and keeps none of their writes', async () => {
    const calls = Array.from({ length: 10 }, (_, i) =>
      writeTransaction(db, async (trx) => {
        if (i === 4) {
          // A deferred foreign key to a row that does not exist: only COMMIT can refuse it.
          await sql`PRAGMA defer_foreign_keys = ON`.execute(trx);
          await trx.insertInto('gc_items').values({ id: 500, who: 'orphan', parent: 9999 }).execute();
        } else {
          await trx
            .insertInto('gc_items')
            .values({ id: i + 1, who: `c${i}` })
            .execute();
        }
        return i;
      }),
    );
    const settled = await Promise.allSettled(calls);
    expect(count('COMMIT')).toBe(1); // all ten were in the one batch
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
    expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/i);
    expect(await items(asProbe(base.db))).toEqual([]);
    // The connection is usable afterwards, and the next calls commit.
    await writeTransaction(db, (trx) => trx.insertInto('gc_items').values({ id: 1, who: 'after' }).execute());
    expect(await items(asProbe(base.db))).toEqual(['after']);
  });

  it('a read through db while a batch is open waits for its COMMIT', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = writeTransaction(db, async (trx) => {
      await trx.insertInto('gc_items').values({ id: 1, who: 'first' }).execute();
      await gate;
    });
    const second = writeTransaction(db, (trx) => trx.insertInto('gc_items').values({ id: 2, who: 'second' }).execute());
    const read = items(db);
    let readDone = false;
    void read.then(() => (readDone = true));
    // Wait until the first call is inside the batch, then let it finish.
    await expect.poll(() => count('SAVEPOINT llw_call')).toBe(1);
    expect(readDone).toBe(false);
    release();
    await Promise.all([first, second]);
    // The read ran after the first call's COMMIT (the held-up call passed the 20 ms cap, so the
    // second call went to the next batch, queued behind the read).
    expect(await read).toEqual(['first']);
    expect(await items(db)).toEqual(['first', 'second']);
  });

  it('db.transaction() reads, then writes, though another process writes meanwhile (it waits for the lock instead of failing ours)', async () => {
    // base.db plays the other process; with a zero busy_timeout its wait shows as SQLITE_BUSY
    // instead of blocking this one thread.
    await sql`PRAGMA busy_timeout = 0`.execute(base.db);
    const other = () =>
      sql`INSERT INTO gc_items (id, who) VALUES (100, 'other')`.execute(base.db).then(
        () => 'written',
        (e: { code?: string }) => e.code,
      );
    const seen = await db.transaction().execute(async (trx) => {
      const before = await items(trx); // the read snapshot
      const otherMeanwhile = await other();
      await trx.insertInto('gc_items').values({ id: 1, who: 'ours' }).execute();
      return { before, otherMeanwhile };
    });
    // A deferred BEGIN let the other commit, then failed our write at once with SQLITE_BUSY_SNAPSHOT.
    expect(seen).toEqual({ before: [], otherMeanwhile: 'SQLITE_BUSY' });
    expect(await other()).toBe('written');
    expect(await items(asProbe(base.db))).toEqual(['ours', 'other']);
  });

  it('a BEGIN that cannot get the write lock (another process holds it) rejects the batch; later calls commit', async () => {
    // Another connection (as the other worker process would) holds the write lock past busy_timeout.
    await sql`PRAGMA busy_timeout = 50`.execute(db);
    await sql`BEGIN IMMEDIATE`.execute(base.db);
    const settled = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        writeTransaction(db, (trx) =>
          trx
            .insertInto('gc_items')
            .values({ id: i + 1, who: `c${i}` })
            .execute(),
        ),
      ),
    );
    expect(settled.every((s) => s.status === 'rejected' && /locked|busy/i.test(String(s.reason)))).toBe(true);
    await sql`ROLLBACK`.execute(base.db);
    await writeTransaction(db, (trx) => trx.insertInto('gc_items').values({ id: 1, who: 'after' }).execute());
    expect(await items(asProbe(base.db))).toEqual(['after']);
  });
});
