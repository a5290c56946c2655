/**
 * Two server processes on one SQLite file (the cluster's workers, issue #12/#14): `writeTransaction`
 * waits for the write lock asynchronously (db/dialect.ts), so a process keeps running — its timers,
 * its other requests — while the other holds the lock, and every acknowledged write is on disk
 * exactly once. Two real Node child processes (tests/helpers/write-lock-child.ts), FULL durability.
 * SQLite only: PostgreSQL has no file lock (its path is covered by db-group-commit.test.ts).
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';

import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { anotherProcessWaiting, writeLockStats, writeTransaction } from '~/db/dialect';

import { freshSqlite } from '../helpers/db';

const CHILD = path.resolve(import.meta.dirname, '../helpers/write-lock-child.ts');

interface Reply {
  event: string;
  acked?: string[];
  errors?: string[];
  ticks?: number;
  maxGapMs?: number;
  error?: string;
}

/** A child process and the next message of a given kind from it. */
function start(file: string, name: string) {
  const child: ChildProcess = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, WL_FILE: file, WL_NAME: name },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const inbox: Reply[] = [];
  const waiting: Array<{ event: string; resolve: (r: Reply) => void }> = [];
  child.on('message', (m: Reply) => {
    if (m.event === 'error') throw new Error(`${name}: ${m.error}`);
    const w = waiting.findIndex((x) => x.event === m.event);
    if (w >= 0) waiting.splice(w, 1)[0]!.resolve(m);
    else inbox.push(m);
  });
  const next = (event: string) =>
    new Promise<Reply>((resolve, reject) => {
      const i = inbox.findIndex((x) => x.event === event);
      if (i >= 0) return resolve(inbox.splice(i, 1)[0]!);
      waiting.push({ event, resolve });
      child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before "${event}"`)));
    });
  return { child, next, send: (m: object) => child.send(m) };
}

describe('writeTransaction across two processes on one SQLite file', () => {
  let base: Awaited<ReturnType<typeof freshSqlite>>;
  let procs: Array<ReturnType<typeof start>>;
  beforeEach(async () => {
    base = await freshSqlite();
    await sql`CREATE TABLE wl_items (id text PRIMARY KEY, proc text NOT NULL)`.execute(base.db);
    await sql`CREATE TABLE wl_counter (id integer PRIMARY KEY, n integer NOT NULL)`.execute(base.db);
    await sql`INSERT INTO wl_counter (id, n) VALUES (1, 0)`.execute(base.db);
    procs = [start(base.file, 'A'), start(base.file, 'B')];
    await Promise.all(procs.map((p) => p.next('ready')));
  });
  afterEach(async () => {
    for (const p of procs) {
      if (p.child.exitCode !== null) continue;
      const gone = new Promise((r) => p.child.once('exit', r));
      p.send({ cmd: 'exit' });
      await gone;
    }
    await base.cleanup();
  });

  async function stored(): Promise<{ ids: string[]; counter: number }> {
    const rows = await sql<{ id: string }>`SELECT id FROM wl_items ORDER BY id`.execute(base.db);
    const c = await sql<{ n: number }>`SELECT n FROM wl_counter WHERE id = 1`.execute(base.db);
    return { ids: rows.rows.map((r) => r.id), counter: Number(c.rows[0]!.n) };
  }

  it('a process waiting for the lock keeps its event loop running, and commits once the lock is free', async () => {
    const [a, b] = procs as [ReturnType<typeof start>, ReturnType<typeof start>];
    // A holds the write lock for 1.5 s (one transaction sleeping inside); B writes meanwhile.
    a.send({ cmd: 'hold', ms: 1500 });
    await a.next('holding');
    b.send({ cmd: 'burst', n: 40, tag: 'during' });
    const [held, burst] = await Promise.all([a.next('held'), b.next('burst')]);
    expect(burst.errors).toEqual([]);
    expect(burst.acked).toHaveLength(40);
    // B's 10 ms timer kept firing while A held the lock: SQLite's own busy handler would have
    // blocked B's whole process inside BEGIN for about the 1.5 s. The bound is loose for a loaded
    // machine (a timer there can be late by a few hundred ms without any lock involved).
    expect(burst.maxGapMs!).toBeLessThan(750);
    expect(burst.ticks!).toBeGreaterThan(20);
    const s = await stored();
    expect(s.ids).toEqual([...held.acked!, ...burst.acked!].sort());
    expect(s.counter).toBe(41);
  });

  it('a process writing alone never pauses between writes; it leaves the lock free only while another says it waits', async () => {
    const [, b] = procs as [ReturnType<typeof start>, ReturnType<typeof start>];
    const write = (id: string) =>
      writeTransaction(base.db, async (trx) => {
        await sql`INSERT INTO wl_items (id, proc) VALUES (${id}, 'parent')`.execute(trx);
        await sql`UPDATE wl_counter SET n = n + 1 WHERE id = 1`.execute(trx);
      });
    // Alone (the children idle): one write after another, never a pause left for nobody.
    const yields = writeLockStats.yields;
    for (let i = 0; i < 100; i++) await write(`alone-${i}`);
    expect(writeLockStats.yields).toBe(yields);
    expect(await anotherProcessWaiting(base.db)).toBe(false);
    // B waits while this process holds the lock: B says so, and this process sees it.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let began!: () => void;
    const holding = new Promise<void>((r) => (began = r));
    const held = writeTransaction(base.db, async (trx) => {
      await sql`INSERT INTO wl_items (id, proc) VALUES ('parent-hold', 'parent')`.execute(trx);
      began();
      await gate;
    });
    await holding;
    b.send({ cmd: 'burst', n: 5, tag: 'waits' });
    for (let i = 0; !(await anotherProcessWaiting(base.db)); i++) {
      if (i > 2000) throw new Error('B never said it was waiting');
      await new Promise((r) => setTimeout(r, 5));
    }
    release();
    await held;
    const burst = await b.next('burst');
    expect(burst.errors).toEqual([]);
    expect(burst.acked).toHaveLength(5);
    const s = await stored();
    expect(s.ids).toEqual([...Array.from({ length: 100 }, (_, i) => `alone-${i}`), 'parent-hold', ...burst.acked!].sort());
    expect(s.counter).toBe(105);
  });

  it('two processes hammering writeTransaction: every acknowledged write stored exactly once', async () => {
    const n = 400;
    for (const p of procs) p.send({ cmd: 'hammer', n, concurrency: 16 });
    const replies = await Promise.all(procs.map((p) => p.next('hammer')));
    const acked = replies.flatMap((r) => r.acked!);
    expect(replies.flatMap((r) => r.errors!)).toEqual([]);
    expect(acked).toHaveLength(2 * n);
    const s = await stored();
    // Every acknowledged write present, none doubled (the counter counts each write once), none extra.
    expect(s.ids).toEqual([...acked].sort());
    expect(s.counter).toBe(2 * n);
  });
});
