/**
 * Periodic jobs run once across app instances (issue 17): each run is claimed in the database,
 * so when several instances tick at once exactly one runs the job, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { claimRun } from '~/lib/jobs.server';

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
