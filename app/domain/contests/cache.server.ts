/**
 * The contests' part of the caches (app/lib/page-cache.server.ts). A unit leaderboard's figures
 * (from the stored per-unit totals) are kept in the data cache under `contests:<id>`; the public
 * contest pages (the contest page outside open rounds, leaderboards, results: the rules in
 * app/lib/page-cache-routes.server.ts) are kept for anonymous visitors under `contests:<slug>`.
 * Every write that changes what they show calls `contestChanged` once it is done, which bumps both.
 */
import type { DB } from '~/lib/db.server';
import { bumpCache } from '~/lib/page-cache.server';

export async function contestChanged(db: DB, contestId: string): Promise<void> {
  await bumpCache(db, 'contests', contestId);
  const c = await db.selectFrom('contests').select('slug').where('id', '=', contestId).executeTakeFirst();
  if (c) await bumpCache(db, 'contests', c.slug);
}

/** The data-cache names a contest's public figures depend on (units: names and the tree). */
export function contestDeps(contestId: string): string[] {
  return [`contests:${contestId}`, 'units'];
}

/**
 * A submission round's public gallery changed (an entry approved, hidden, retitled or given a new
 * file; held votes reviewed): its anonymous pages are rendered again. Call it after the write.
 */
export async function galleryChanged(db: DB, roundId: string): Promise<void> {
  await bumpCache(db, 'contest-gallery', roundId);
}
