/**
 * Periodic jobs run once across app instances (issue 17): on SQLite each run is claimed in the
 * database (one conditional UPDATE), on PostgreSQL under an advisory lock per job; when several
 * instances tick at once exactly one runs the job.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { type AdvisoryRunLock, advisoryRunLock, claimRun } from '~/lib/jobs.server';

import { waitUntil } from '../helpers/app-process';
import { dialects, freshDb } from '../helpers/db';

describe.each(dialects)('job runs claimed across instances on %s', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
  });
  afterAll(async () => {
    await cleanup();
  });

  it('20 instances ticking at the same moment: one runs the job, then none until the next interval', async () => {
    const hour = 60 * 60 * 1000;
    const t0 = new Date('2026-12-01T01:00:00Z');
    const won = await Promise.all(Array.from({ length: 20 }, (_, i) => claimRun(db, 'sessions:expire', hour, t0, `instance-${i}`)));
    expect(won.filter(Boolean)).toHaveLength(1);
    // Ten minutes later nobody runs it again.
    const later = await Promise.all(
      Array.from({ length: 5 }, (_, i) => claimRun(db, 'sessions:expire', hour, new Date(t0.getTime() + 10 * 60_000), `instance-${i}`)),
    );
    expect(later.filter(Boolean)).toHaveLength(0);
    // One interval later, exactly one instance runs it again.
    const next = await Promise.all(
      Array.from({ length: 5 }, (_, i) => claimRun(db, 'sessions:expire', hour, new Date(t0.getTime() + hour), `instance-${i}`)),
    );
    expect(next.filter(Boolean)).toHaveLength(1);
    const row = await db.selectFrom('ops_job_runs').selectAll().where('name', '=', 'sessions:expire').executeTakeFirstOrThrow();
    expect(row.claimed_by).toMatch(/^instance-\d+$/);
  });

  it('jobs are claimed independently of each other', async () => {
    const t = new Date('2026-12-02T00:00:00Z');
    expect(await claimRun(db, 'library:sweep', 300_000, t, 'a')).toBe(true);
    expect(await claimRun(db, 'notifications:mail', 60_000, t, 'b')).toBe(true);
    expect(await claimRun(db, 'library:sweep', 300_000, t, 'b')).toBe(false);
  });
});

/**
 * PostgreSQL: several instances, one advisory lock per job (advisoryRunLock). Each runner has its
 * own lock connection, as each app instance does.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('job runs under a PostgreSQL advisory lock', () => {
  let db: DB;
  let cleanup: () => Promise<void>;
  const locks: AdvisoryRunLock[] = [];
  const runner = (name: string) => {
    const l = advisoryRunLock(process.env.TEST_DATABASE_URL!, name);
    locks.push(l);
    return l;
  };
  beforeAll(async () => {
    ({ db, cleanup } = await freshDb('postgres'));
  });
  afterAll(async () => {
    for (const l of locks) await l.close();
    await cleanup();
  });

  it('three instances race every due run of a job 30 times: each run happens exactly once', async () => {
    const [a, b, c] = [runner('a'), runner('b'), runner('c')];
    const interval = 60_000;
    const t0 = new Date('2026-12-01T02:00:00Z').getTime();
    const ran: Array<{ slot: number; by: string }> = [];
    for (let slot = 0; slot < 30; slot++) {
      // Each instance's clock a little different, and each run takes a database round trip.
      const tries = [a, b, c].map((l, i) =>
        l.runIfDue(db, 'race', interval, new Date(t0 + slot * interval + i * 7), async () => {
          ran.push({ slot, by: 'abc'[i]! });
          await sql`select pg_sleep(0.005)`.execute(db);
        }),
      );
      expect((await Promise.all(tries)).filter(Boolean)).toHaveLength(1);
      // A late tick in the same interval (after the winner let go) finds the run done.
      expect(
        await b.runIfDue(db, 'race', interval, new Date(t0 + slot * interval + 30_000), async () => ran.push({ slot, by: 'late' })),
      ).toBe(false);
    }
    expect(ran.map((r) => r.slot)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const row = await db.selectFrom('ops_job_runs').selectAll().where('name', '=', 'race').executeTakeFirstOrThrow();
    expect(row.failed).toBe(0);
    expect(row.finished_at).not.toBeNull();
  });

  it('a crashed holder (its connection dropped mid-run) releases the lock; the run is then done by another instance', async () => {
    const [a, b] = [runner('crashing'), runner('survivor')];
    const now = new Date('2026-12-01T03:00:00Z');
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const hasStarted = new Promise<void>((r) => (started = r));
    const aRun = a.runIfDue(db, 'crash', 60_000, now, async () => {
      started();
      await stuck; // holds the lock, as a long run does
    });
    await hasStarted;
    // While a holds the lock, b cannot run the job.
    const bRuns: string[] = [];
    expect(await b.runIfDue(db, 'crash', 60_000, now, async () => bRuns.push('while held'))).toBe(false);
    // a's instance dies: PostgreSQL ends its lock session.
    await sql`select pg_terminate_backend(${a.backendPid()!})`.execute(db);
    await waitUntil(async () => b.runIfDue(db, 'crash', 60_000, now, async () => bRuns.push('after crash')), 10_000, 'b runs the job');
    expect(bRuns).toEqual(['after crash']);
    release();
    await aRun; // the dropped holder does not record its run
    const row = await db.selectFrom('ops_job_runs').selectAll().where('name', '=', 'crash').executeTakeFirstOrThrow();
    expect(row.claimed_by).toBe('survivor');
    // And the run is not repeated in that interval.
    expect(await a.runIfDue(db, 'crash', 60_000, new Date(now.getTime() + 1000), async () => bRuns.push('again'))).toBe(false);
    expect(bRuns).toEqual(['after crash']);
  });

  it('a failing run is recorded as failed and not retried before the next interval', async () => {
    const l = runner('failing');
    const now = new Date('2026-12-01T04:00:00Z');
    await expect(l.runIfDue(db, 'fails', 60_000, now, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const row = await db.selectFrom('ops_job_runs').selectAll().where('name', '=', 'fails').executeTakeFirstOrThrow();
    expect(row.failed).toBe(1);
    expect(await l.runIfDue(db, 'fails', 60_000, new Date(now.getTime() + 1000), async () => undefined)).toBe(false);
    expect(await l.runIfDue(db, 'fails', 60_000, new Date(now.getTime() + 60_000), async () => undefined)).toBe(true);
  });
});
