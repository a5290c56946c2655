import fs from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

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
 *
 * **Group commit on SQLite** (issue #14; `SQLITE_GROUP_COMMIT=0` turns it off). With
 * `synchronous=FULL` every COMMIT waits 6–15 ms for the disk, and one SQLite file commits one
 * writer at a time, so one transaction per call caps a file near 100–150 writes/s. Instead, the
 * concurrent calls of one process share one `BEGIN IMMEDIATE … COMMIT`:
 *  - a call finds the process's *pending batch* for this `db` (one whose COMMIT has not started:
 *    still waiting for the connection, or running its calls) and joins its queue; if there is
 *    none it opens one, which asks Kysely for the one SQLite connection (so reads through `db`
 *    queue for the connection exactly as before, and calls keep joining while they wait);
 *  - the batch runs `BEGIN IMMEDIATE`, then each call's `fn` in turn, strictly one after another on
 *    that connection, inside `SAVEPOINT llw_call … RELEASE llw_call`: each call sees the writes of
 *    the calls before it, exactly as if they had committed in that order, so every limit checked
 *    inside a transaction (loans, holds, RSVPs, attempts, votes) holds as before. A `fn` that
 *    throws is rolled back to its savepoint (only its own writes undone) and its promise rejects
 *    with its error; the others go on;
 *  - when no call is waiting — after one more turn of the event loop (`setImmediate`), so calls
 *    whose requests were read in the same I/O turn can still join — or at a cap (64 calls, or
 *    20 ms since BEGIN), the batch stops taking calls, runs one COMMIT, and only then resolves
 *    every call with its result: nothing is acknowledged before it is on disk (with `synchronous=FULL`
 *    the WAL's fsync runs after the lock is let go, off the event loop: `deferredSyncOf`). Calls still queued
 *    at a cap form the next batch. The caps bound what a batch adds to its first call's latency
 *    (about one more fsync) and how long the write lock is held while the other worker process
 *    waits; 64 short calls of ~0.2–0.3 ms fit in them;
 *  - **across processes** (the cluster's workers on one file) the write lock is waited for
 *    asynchronously (`withWriteLock`): BEGIN IMMEDIATE runs with `busy_timeout = 0` and, on
 *    SQLITE_BUSY, is retried after setImmediate, then ~1–4 ms timers with jitter, the connection
 *    let go in between, up to the connection's `busy_timeout` (5 s) in all, then the same
 *    SQLITE_BUSY error as before. The waiting process keeps serving (its reads run, new calls join
 *    the batch) instead of sleeping inside SQLite's busy handler, which blocked its event loop; a
 *    process leaves the lock free ~1 ms after releasing it so the other's tries can win;
 *  - if BEGIN or COMMIT fails (e.g. SQLITE_BUSY past the overall wait, a deferred foreign key, the
 *    disk), or SQLite itself rolled the whole transaction back under a call (its `ROLLBACK TO`
 *    then fails), every call of the batch rejects — none is acknowledged without being committed.
 * A `fn` must use the `trx` it is given: calling `writeTransaction(db, …)` or reading through `db`
 * inside it waits for the connection its own batch holds — a deadlock, as it already was with one
 * transaction per call. `SQLITE_GROUP_COMMIT=0` (one transaction per call) waits for the lock the
 * same asynchronous way. PostgreSQL is unchanged (one transaction per call from the pool).
 */
export async function writeTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (isPostgres(db)) return db.transaction().execute((trx: Transaction<DB>) => fn(trx));
  if (process.env.SQLITE_GROUP_COMMIT === '0') return singleTransaction(db, fn);
  return new Promise<T>((resolve, reject) => {
    const call: BatchCall = { fn: fn as BatchCall['fn'], resolve: resolve as BatchCall['resolve'], reject };
    const batch = pendingBatches.get(db);
    if (batch) batch.queue.push(call);
    else openBatch(db, [call]);
  });
}

/** One transaction per call (`SQLITE_GROUP_COMMIT=0`): the behaviour before group commit. */
async function singleTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return withWriteLock(db as Kysely<any>, async (conn) => {
    try {
      const result = await fn(conn as Kysely<DB>);
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (e) {
      await sql`ROLLBACK`.execute(conn).catch(() => undefined);
      throw e;
    }
  });
}

/**
 * Overall wait for SQLite's write lock, in ms: the connection's `busy_timeout` (db/connection.ts),
 * which autocommit statements outside `writeTransaction` still wait on synchronously.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** Per Kysely handle: when this process last released the write lock (performance.now()). */
const lastCommitAt = new WeakMap<Kysely<any>, number>();
/** After releasing the write lock, this process leaves it free about this long before taking it again. */
export const WRITE_LOCK_YIELD_MS = 1;
/** Async retries of BEGIN IMMEDIATE: the pause grows from ~0.5 ms by half each try, up to this. */
const RETRY_MAX_MS = 4;

/**
 * Whether another process is waiting for the write lock, told through a small file next to the
 * database (`<file>-llw-wait`) whose modification time a waiting process sets at each failed try.
 * The yield above is only for that case: a process writing alone (one write after another) would
 * otherwise pause ~1 ms before every transaction (the reading-log bench fell from 2,056 to 663
 * inserts/s). Checking costs one stat() when a write follows the last within WRITE_LOCK_YIELD_MS.
 */
const waitFiles = new WeakMap<Kysely<any>, string>();
/** The last time this process set a wait file's time (its own signal is not another's). */
const ownSignals = new Map<string, number>();
/** A signal at most this old means the other process is still waiting (it retries every ≤ 4 ms). */
const WAITER_FRESH_MS = 25;
/** Counters for tests: how often this process left the lock free for a waiting one. */
export const writeLockStats = { yields: 0, signals: 0 };

async function waitFileOf(db: Kysely<any>, conn: Kysely<any>): Promise<string> {
  let file = waitFiles.get(db);
  if (file === undefined) {
    const r = await sql<{ name: string; file: string }>`PRAGMA database_list`.execute(conn);
    const main = r.rows.find((x) => x.name === 'main')?.file ?? '';
    file = main ? `${main}-llw-wait` : ''; // '' for an in-memory database: one process, nobody to wait
    waitFiles.set(db, file);
  }
  return file;
}

function signalWaiting(file: string): void {
  if (!file) return;
  const now = Date.now();
  try {
    fs.utimesSync(file, now / 1000, now / 1000);
  } catch {
    try {
      fs.writeFileSync(file, '');
      fs.utimesSync(file, now / 1000, now / 1000);
    } catch {
      return; // no signal (read-only folder): the other process just does not yield
    }
  }
  ownSignals.set(file, now);
  writeLockStats.signals++;
}

function otherProcessWaiting(file: string): boolean {
  if (!file) return false;
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (!st || Date.now() - st.mtimeMs > WAITER_FRESH_MS) return false;
  const own = ownSignals.get(file);
  return own === undefined || Math.abs(st.mtimeMs - own) >= 0.5; // the time comes back within float error
}

/** Whether another process has said, in the last few ms, that it waits for this database's write lock. */
export async function anotherProcessWaiting(db: Kysely<any>): Promise<boolean> {
  if (isPostgres(db)) return false;
  // Known after this handle's first write transaction; asking SQLite would wait for its one
  // connection, which a transaction may be holding.
  const file = waitFiles.get(db) ?? (await db.connection().execute((conn) => waitFileOf(db, conn)));
  return otherProcessWaiting(file);
}

/**
 * **The fsync of a batch's COMMIT off the event loop.** With `synchronous=FULL` SQLite fsyncs the
 * WAL inside COMMIT, and better-sqlite3 runs it on the event loop: for those 5–30 ms the worker
 * reads no request (so no call can join the next batch) and the write lock stays held (so the
 * other worker waits too). A batch of `writeTransaction` calls on a FULL connection in WAL mode
 * therefore commits with `synchronous=NORMAL` (set before its BEGIN: SQLite refuses the change
 * inside a transaction; restored to FULL right after, for every other statement), lets the lock
 * and the connection go, and only then fsyncs the WAL file asynchronously (libuv's thread pool)
 * before it resolves any call: **no call is acknowledged before its commit is on disk**, as with
 * FULL. One fsync covers every frame written before it, so overlapping batches stay safe. What
 * differs: another request may *read* a batch's rows during that fsync, before its callers are
 * answered (as FULL does not allow). NORMAL's own checkpoints still sync the WAL before copying it
 * and the database after, and the WAL header when it is reused. `SQLITE_DEFERRED_SYNC=0` keeps
 * the fsync inside COMMIT.
 * Per handle: the WAL file to fsync, or '' (NORMAL, not WAL, in memory, or switched off).
 */
const deferredSyncWal = new WeakMap<Kysely<any>, string>();

async function deferredSyncOf(db: Kysely<any>, conn: Kysely<any>): Promise<string> {
  let wal = deferredSyncWal.get(db);
  if (wal === undefined) {
    wal = '';
    if (process.env.SQLITE_DEFERRED_SYNC !== '0') {
      const level = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(conn);
      const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(conn);
      const list = await sql<{ name: string; file: string }>`PRAGMA database_list`.execute(conn);
      const main = list.rows.find((x) => x.name === 'main')?.file ?? '';
      if (Number(level.rows[0]?.synchronous) === 2 && String(mode.rows[0]?.journal_mode).toLowerCase() === 'wal' && main)
        wal = `${main}-wal`;
    }
    deferredSyncWal.set(db, wal);
  }
  return wal;
}

/** Counters for tests: WAL fsyncs done after a batch's COMMIT. */
export const deferredSyncStats = { syncs: 0 };

/**
 * Per handle: the WAL file kept open for its fsyncs (opened at the first), instead of opening and
 * closing it around every batch's fsync (three trips to libuv's thread pool and a FileHandle each;
 * an answer save's server CPU 0.71 → 0.69 ms, issue 14). One descriptor per handle is safe:
 * SQLite deletes a WAL only when the database's last connection closes, and this handle's own
 * connection is open while it commits; truncating or rewinding the WAL keeps the same file. A
 * handle that is dropped has its descriptor closed when it is collected.
 */
const walDescriptors = new WeakMap<Kysely<any>, Promise<number>>();
const closeDescriptor = new FinalizationRegistry<Promise<number>>(
  (fd) => void fd.then((n) => fs.close(n, () => undefined)).catch(() => undefined),
);

/** fsync (data) of the WAL file: every frame written to it so far is on disk when this resolves. */
async function syncWal(db: Kysely<any>, wal: string): Promise<void> {
  let opened = walDescriptors.get(db);
  if (!opened) {
    opened = new Promise<number>((resolve, reject) => fs.open(wal, 'r', (e, n) => (e ? reject(e) : resolve(n))));
    walDescriptors.set(db, opened);
    closeDescriptor.register(db, opened);
    // A failed open is tried again by the next batch (this one's calls are refused).
    opened.catch(() => walDescriptors.delete(db));
  }
  const fd = await opened;
  await new Promise<void>((resolve, reject) => fs.fdatasync(fd, (e) => (e ? reject(e) : resolve())));
  deferredSyncStats.syncs++;
}

const isBusy = (e: unknown) => /^SQLITE_BUSY/.test(String((e as { code?: unknown })?.code ?? ''));
const pause = (ms: number) => new Promise<void>((resolve) => (ms <= 0 ? setImmediate(resolve) : setTimeout(resolve, ms)));

/**
 * Runs `run` on the one SQLite connection inside `BEGIN IMMEDIATE` (`run` ends the transaction),
 * waiting for the write lock **asynchronously**. SQLite's own busy handler sleeps inside the
 * statement (1, 2, 5 … 100 ms between tries) and with better-sqlite3 that sleep blocks the whole
 * process: while the other worker process held the lock, this one served nothing, and woke up late
 * after the lock was free (measured: web workers blocked 32–39 % of the time in BEGIN, the lock idle
 * most of the time, `tests/bench/tools/sqlite-wait-probe.ts`). Here BEGIN is tried with
 * `busy_timeout = 0` (restored at once, for the statements that follow and for autocommit ones);
 * on SQLITE_BUSY the connection is let go (this process's reads run meanwhile, and new calls join the
 * pending batch) and BEGIN is tried again after a short timer (setImmediate, then ~1–4 ms with
 * jitter), until the connection's `busy_timeout` has passed in all — then the last SQLITE_BUSY error
 * is thrown, as BEGIN threw it before. A process that released the lock less than
 * WRITE_LOCK_YIELD_MS ago waits that long first, so that the other process's next try can win: with
 * no queue for SQLite's lock, a process with a steady stream of batches would otherwise take it back
 * every time and leave the other waiting until its deadline. It does so only while another process
 * says it is waiting (`otherProcessWaiting`).
 */
async function withWriteLock<T>(db: Kysely<any>, run: (conn: Kysely<any>) => Promise<T>, deferSync = false): Promise<T> {
  let busyMs: number | null = null; // the connection's busy_timeout, read at the first try
  let deadline = Infinity;
  for (let attempt = 0; ; attempt++) {
    let wait = 0;
    let busy: unknown = null;
    const out = await db.connection().execute(async (conn): Promise<{ value: T } | null> => {
      const waitFile = waitFiles.get(db) ?? (await waitFileOf(db, conn));
      const since = performance.now() - (lastCommitAt.get(db) ?? -Infinity);
      if (since < WRITE_LOCK_YIELD_MS && otherProcessWaiting(waitFile)) {
        wait = WRITE_LOCK_YIELD_MS - since;
        writeLockStats.yields++;
        return null;
      }
      if (busyMs === null) {
        const r = await sql<{ timeout: number }>`PRAGMA busy_timeout`.execute(conn);
        busyMs = Math.max(0, Math.floor(Number(r.rows[0]?.timeout ?? SQLITE_BUSY_TIMEOUT_MS)));
        deadline = performance.now() + busyMs;
      }
      // The commit's fsync done by the caller after the lock is let go (see deferredSyncOf).
      const normal = deferSync && (await deferredSyncOf(db, conn)) !== '';
      await sql.raw('PRAGMA busy_timeout = 0').execute(conn);
      if (normal) await sql.raw('PRAGMA synchronous = NORMAL').execute(conn);
      try {
        await sql`BEGIN IMMEDIATE`.execute(conn);
      } catch (e) {
        if (normal) await sql.raw('PRAGMA synchronous = FULL').execute(conn);
        if (!isBusy(e)) throw e;
        busy = e;
        signalWaiting(waitFile);
        return null;
      } finally {
        await sql.raw(`PRAGMA busy_timeout = ${busyMs}`).execute(conn);
      }
      try {
        return { value: await run(conn) };
      } finally {
        lastCommitAt.set(db, performance.now());
        // Outside the transaction (the batch ended it); if it could not (a failed ROLLBACK), the
        // connection is broken anyway and the batch's calls are rejected.
        if (normal)
          await sql
            .raw('PRAGMA synchronous = FULL')
            .execute(conn)
            .catch(() => undefined);
      }
    });
    if (out) return out.value;
    if (busy) {
      if (performance.now() >= deadline) throw busy;
      // The next turn of the event loop first, then ~0.5 ms growing by half a try up to
      // RETRY_MAX_MS, with jitter (two waiting processes do not retry in step).
      wait = attempt === 0 ? 0 : Math.min(RETRY_MAX_MS, 0.5 * 1.5 ** attempt) * (0.5 + Math.random());
    }
    await pause(wait);
  }
}

interface BatchCall {
  fn: (trx: Kysely<any>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}
interface Batch {
  queue: BatchCall[];
}

/** Per Kysely handle: the batch new calls join (absent once its COMMIT has started). */
const pendingBatches = new WeakMap<Kysely<any>, Batch>();
export const GROUP_COMMIT_MAX_CALLS = 64;
export const GROUP_COMMIT_MAX_MS = 20;

function openBatch(db: Kysely<any>, queue: BatchCall[]): void {
  const batch: Batch = { queue };
  pendingBatches.set(db, batch);
  void runBatch(db, batch);
}

/** Stops a batch taking calls; calls already queued but not run go to a new batch. */
function closeBatch(db: Kysely<any>, batch: Batch): void {
  if (pendingBatches.get(db) === batch) pendingBatches.delete(db);
  const left = batch.queue.splice(0);
  if (left.length) openBatch(db, left);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `SQLITE_BATCH_TRACE=<file>`: every batch appends one line — process, then the wall-clock ms (with
 * fractions) when the batch opened, took the write lock, began and ended its COMMIT, and had its
 * WAL synced, then its calls — and every garbage-collection pause of the process one line
 * (`gc <pid> <start> <ms> <kind> <heap MB>`). For finding where a latency tail comes from (issue #14); off by default.
 */
const batchTrace = process.env.SQLITE_BATCH_TRACE || '';
const wallNow = () => performance.timeOrigin + performance.now();
if (batchTrace) {
  new PerformanceObserver((list) => {
    const lines = list
      .getEntries()
      .map(
        (e) =>
          `gc ${process.pid} ${(performance.timeOrigin + e.startTime).toFixed(1)} ${e.duration.toFixed(1)} ${(e.detail as { kind?: number } | undefined)?.kind ?? ''} ${Math.round(process.memoryUsage().heapUsed / 1e6)}\n`,
      );
    fs.appendFileSync(batchTrace, lines.join(''));
  }).observe({ entryTypes: ['gc'] });
}

async function runBatch(db: Kysely<any>, batch: Batch): Promise<void> {
  const done: Array<{ call: BatchCall; result: unknown }> = [];
  let committed = false;
  const trace = batchTrace ? [wallNow()] : null;
  try {
    await withWriteLock(
      db,
      async (conn) => {
        const began = performance.now();
        trace?.push(wallNow());
        let calls = 0;
        let aborted: unknown = null;
        for (;;) {
          let call = batch.queue.shift();
          if (!call) {
            await nextTurn();
            call = batch.queue.shift();
            if (!call) break;
          }
          calls++;
          try {
            await sql`SAVEPOINT llw_call`.execute(conn);
            const result = await call.fn(conn);
            await sql`RELEASE llw_call`.execute(conn);
            done.push({ call, result });
          } catch (e) {
            try {
              await sql`ROLLBACK TO llw_call`.execute(conn);
              await sql`RELEASE llw_call`.execute(conn);
            } catch (lost) {
              // SQLite rolled back the whole transaction under this call (e.g. SQLITE_FULL): the
              // calls before it in this batch are lost too.
              aborted = lost;
            }
            call.reject(e);
            if (aborted) break;
          }
          if (calls >= GROUP_COMMIT_MAX_CALLS || performance.now() - began >= GROUP_COMMIT_MAX_MS) break;
        }
        closeBatch(db, batch);
        trace?.push(wallNow());
        try {
          if (aborted) throw aborted;
          await sql`COMMIT`.execute(conn);
          trace?.push(wallNow());
        } catch (e) {
          await sql`ROLLBACK`.execute(conn).catch(() => undefined);
          for (const d of done.splice(0)) d.call.reject(e);
          return;
        }
        committed = true;
      },
      true,
    );
    if (!committed) return;
    const wal = deferredSyncWal.get(db) ?? '';
    if (wal) {
      try {
        await syncWal(db, wal);
      } catch (e) {
        // Committed, but not known to be on disk: no call is told it succeeded.
        for (const d of done.splice(0)) d.call.reject(e);
        return;
      }
    }
    if (trace)
      fs.appendFileSync(
        batchTrace,
        `batch ${process.pid} ${trace.map((x) => x.toFixed(1)).join(' ')} ${wallNow().toFixed(1)} ${done.length}\n`,
      );
    for (const d of done.splice(0)) d.call.resolve(d.result);
  } catch (e) {
    // No transaction (BEGIN failed: SQLITE_BUSY past busy_timeout, or another error), or the
    // connection itself failed (e.g. the database was closed): nothing was committed, and every
    // call of this batch fails, as its own BEGIN would have, rather than retry.
    if (pendingBatches.get(db) === batch) pendingBatches.delete(db);
    for (const d of done.splice(0)) d.call.reject(e);
    for (const call of batch.queue.splice(0)) call.reject(e);
  }
}

/**
 * Adds `FOR UPDATE` on PostgreSQL; SQLite's IMMEDIATE transaction already holds the lock. In a
 * join, `of` names the table (alias) whose rows to lock (`FOR UPDATE OF a`), leaving the joined
 * rows (a contest every entrant's save reads) unlocked.
 */
export function lockRows<QB extends { forUpdate(of?: any): QB }>(db: Kysely<any>, qb: QB, of?: Parameters<QB['forUpdate']>[0]): QB {
  return isPostgres(db) ? qb.forUpdate(of) : qb;
}

/** True when an error is a unique-constraint violation in either dialect. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === '23505' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Refreshes the query planner's statistics where they have gone stale: on SQLite, the tables
 * `PRAGMA optimize` names (`analysis_limit` is set per connection) are analysed in one write
 * transaction, then
 * - **FTS5's own tables keep no statistics** (`<name>_data`, `_idx`, `_docsize`, `_config`,
 *   `_content` of every fts5 table): FTS5 reaches them by key only, and statistics taken while an
 *   index was empty say `_data` holds 2 rows — with that, SQLite plans FTS5's
 *   `DELETE … WHERE id>=? AND id<=?` (removing a merged segment, on most writes) as a scan of the
 *   whole index: at 20,000 index pages a post took 1–3 s with the write lock held (issue 12);
 * - every connection of every process is made to re-read the statistics: SQLite loads them with
 *   the schema, and ANALYZE does not change the schema cookie, so a serving process kept the
 *   figures of its start (an empty database's) until it restarted. A throwaway table created and
 *   dropped in the same transaction changes the cookie; each connection re-reads its schema and
 *   statistics on its next statement.
 * Returns the tables analysed (named by `optimize`, whether or not their figures changed).
 * PostgreSQL's autovacuum does all of this itself.
 */
export async function optimizeStatistics(db: Kysely<any>): Promise<{ analysed: string[] }> {
  if (isPostgres(db)) return { analysed: [] };
  return writeTransaction(db, async (trx) => {
    const fts = await ftsShadowTables(trx);
    const before = await statisticsOf(trx);
    // 0x10003: list (0x01) what `optimize` would analyse (0x02), checking every table (0x10000:
    // also those never analysed, SQLite's advice for a long-lived connection's start).
    const listed = await sql<{ optimize: string }>`PRAGMA optimize = 0x10003`.execute(trx);
    const analysed: string[] = [];
    for (const row of listed.rows) {
      const m = /^ANALYZE "main"\."((?:[^"]|"")+)"$/.exec(row.optimize);
      if (!m) continue;
      const table = m[1]!.replaceAll('""', '"');
      if (fts.has(table)) continue;
      await sql.raw(`ANALYZE "main"."${m[1]}"`).execute(trx);
      analysed.push(table);
    }
    for (const stat of ['sqlite_stat1', 'sqlite_stat4']) {
      if (fts.size && (await sqliteTableExists(trx, stat)))
        await trx
          .deleteFrom(stat)
          .where('tbl', 'in', [...fts])
          .execute();
    }
    // Only when the figures changed (a table with an index ANALYZE writes no row for, e.g. a
    // partial one, is named by `optimize` every time).
    if ((await statisticsOf(trx)) !== before) {
      await sql`CREATE TABLE llw_statistics_reload (x)`.execute(trx);
      await sql`DROP TABLE llw_statistics_reload`.execute(trx);
    }
    return { analysed };
  });
}

const FTS5_SHADOWS = ['data', 'idx', 'docsize', 'config', 'content'];

/** The tables FTS5 keeps for each fts5 virtual table of the main schema. */
async function ftsShadowTables(db: Kysely<any>): Promise<Set<string>> {
  const r = await sql<{
    name: string;
  }>`select name from sqlite_schema where type = 'table' and sql like 'create virtual table % using fts5%'`.execute(db);
  return new Set(r.rows.flatMap((t) => FTS5_SHADOWS.map((s) => `${t.name}_${s}`)));
}

/** sqlite_stat1 as one string ('' before any ANALYZE). */
async function statisticsOf(db: Kysely<any>): Promise<string> {
  if (!(await sqliteTableExists(db, 'sqlite_stat1'))) return '';
  const r = await sql<{
    s: string;
  }>`select tbl || ' ' || coalesce(idx, '') || ' ' || stat as s from sqlite_stat1 order by tbl, idx`.execute(db);
  return r.rows.map((x) => x.s).join('\n');
}

async function sqliteTableExists(db: Kysely<any>, name: string): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*) as n from sqlite_schema where type = 'table' and name = ${name}`.execute(db);
  return Number(r.rows[0]?.n) > 0;
}

/**
 * SQLite's memory map of the database file (`PRAGMA mmap_size`, SQLITE_MMAP_MB_SCOPED MiB) for the
 * length of `run`: for work that reads a large share of a big table in a few statements (ranking a
 * contest round's 500,000 attempts: 22.6 → 11.8 s, system time 11.1 → 2.7 s, its `pread`s into the
 * 2 MB page cache gone). Not kept on for the connection's life (SQLITE_MMAP_MB, 0 by default): when
 * another process has committed, SQLite unmaps the whole file at the start of the next read
 * transaction and every page touched afterwards is faulted in again — on a 1.2 GB forum database a
 * primary-key lookup after another process's commit took ~330 µs mapped against ~60 µs read, and a
 * forum reply runs a dozen such statements (issue 12, `tools/post-http-kept.ts`). Overlapping calls
 * in one process keep the map until the last one ends; the connection's own setting comes back after.
 * The map is the connection's, so the worker's other requests meanwhile read through it too (a
 * round is ranked a few times in a contest's life). Call it with the process's handle, never from
 * inside a transaction's callback: it waits for the one connection the transaction holds.
 * A no-op on PostgreSQL.
 */
export async function withMemoryMap<T>(db: Kysely<any>, run: () => Promise<T>): Promise<T> {
  if (isPostgres(db)) return run();
  const state = mapped.get(db) ?? { users: 0, setUp: null };
  mapped.set(db, state);
  state.users++;
  // One set-up shared by every call that overlaps it: a call reading `mmap_size` after another had
  // set it would take the map for the connection's own setting and put it back for good.
  const setUp = (state.setUp ??= (async () => {
    const base = Number((await sql<{ mmap_size: number }>`PRAGMA mmap_size`.execute(db)).rows[0]?.mmap_size ?? 0);
    await sql.raw(`PRAGMA mmap_size = ${Math.max(base, SQLITE_MMAP_MB_SCOPED * 1024 * 1024)}`).execute(db);
    return base;
  })());
  let base: number | null = null; // known once the set-up succeeded (else it changed nothing)
  try {
    base = await setUp;
    return await run();
  } finally {
    // The last call out restores, asked at once (no await before it): a call starting meanwhile
    // begins a new set-up whose read comes after the restore.
    if (--state.users === 0) {
      state.setUp = null;
      if (base !== null)
        await sql
          .raw(`PRAGMA mmap_size = ${base}`)
          .execute(db)
          .catch((e: unknown) => console.error('[db] memory map: could not restore mmap_size', e));
    }
  }
}

/** The memory map `withMemoryMap` sets (MiB): more than the databases this platform runs on one machine. */
export const SQLITE_MMAP_MB_SCOPED = 2048;

const mapped = new WeakMap<Kysely<any>, { users: number; setUp: Promise<number> | null }>();
