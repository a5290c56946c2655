/**
 * Public club pages are kept by the page cache for anonymous visitors
 * (app/lib/page-cache-routes.server.ts): the directory depends on the whole 'clubs' area, a club's
 * own pages (its page, discussion, threads, schedule) on `clubs:<slug>`. Every write that changes
 * what they show passes its result through `clubChanged`, which bumps the club's key after the
 * write committed (outside any transaction), and only when it succeeded.
 */
import type { DB } from '~/lib/db.server';
import { bumpCache } from '~/lib/page-cache.server';

export async function bumpClub(db: DB, clubId: string): Promise<void> {
  const c = await db.selectFrom('club_clubs').select('slug').where('id', '=', clubId).executeTakeFirst();
  await bumpCache(db, 'clubs', c?.slug ?? null);
}

/** Passes a mutator's result through, bumping the club's cached pages when it succeeded. */
export async function clubChanged<R extends { ok: boolean }>(db: DB, clubId: string | null | undefined, r: R): Promise<R> {
  if (r.ok && clubId) await bumpClub(db, clubId);
  return r;
}
