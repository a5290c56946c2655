/**
 * Crash safety (issue 17): the built server is killed with SIGKILL in the middle of a write load
 * (sign-ups, borrows and returns, resource uploads, quiz answers and submissions, Week plan saves)
 * and started again; every acknowledged write
 * is there, no upload is half-written, the database passes its integrity check (SQLite)
 * (tests/drill/crash-drill.ts; `npm run drill` runs more rounds for the README's figures).
 * On SQLite always, and on PostgreSQL (a fresh database) when TEST_DATABASE_URL is set.
 */
import { describe, expect, it } from 'vitest';

import { ensureBuilt } from '../browser/setup/global';
import { runDrill } from '../drill/crash-drill';
import { ROOT } from '../helpers/app-process';
import { dialects } from '../helpers/db';

describe.each(dialects)('crash drill on the built server (%s)', (dialect) => {
  it('keeps every acknowledged write and no half-written upload across a SIGKILL mid-load', async () => {
    ensureBuilt(ROOT);
    const [r] = await runDrill({
      dialect,
      rounds: 1,
      killAfterAcks: 40,
      maxLoadMs: 30_000,
      clients: 5,
      entrants: 60, // a short round takes a few
      log: (l) => console.log(l),
    });
    expect(r!.integrity).toBe(dialect === 'sqlite' ? 'ok' : null);
    expect(r!.lost).toEqual([]);
    expect(r!.halfWritten).toEqual([]);
    // The load was real: several kinds acknowledged before the kill.
    expect(r!.acknowledged.signups).toBeGreaterThan(5);
    expect(r!.acknowledged.borrows).toBeGreaterThan(0);
    expect(r!.acknowledged.uploads).toBeGreaterThan(0);
    expect(r!.acknowledged.answerSaves).toBeGreaterThan(0);
    expect(r!.acknowledged.submissions).toBeGreaterThan(0);
    expect(r!.acknowledged.planSaves).toBeGreaterThan(0);
  }, 240_000);
});
