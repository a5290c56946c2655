/**
 * The contests' part of the data cache (app/lib/page-cache.server.ts). A unit leaderboard's figures
 * are a grouped scan of every published result of the contest (1,500,000 rows for three rounds of
 * 500,000 entrants: seconds of work) and the same for every visitor until results, prizes or
 * population figures change; every such write calls `contestChanged` once it is done.
 */
import type { DB } from '~/lib/db.server';
import { bumpCache } from '~/lib/page-cache.server';

export function contestChanged(db: DB, contestId: string): Promise<void> {
  return bumpCache(db, 'contests', contestId);
}

/** The data-cache names a contest's public figures depend on (units: names and the tree). */
export function contestDeps(contestId: string): string[] {
  return [`contests:${contestId}`, 'units'];
}
