/**
 * Public club pages are kept by the page cache for anonymous visitors
 * (app/lib/page-cache-routes.server.ts): the directory depends on the whole 'clubs' area, a club's
 * own pages (its page, discussion, threads, schedule) on `clubs:<slug>`. Every write that changes
 * what they show passes its result through `clubChanged`, which bumps the club's key after the
 * write committed (outside any transaction), and only when it succeeded. The schedule, shared with
 * signed-in visitors only, also shows each member's progress from their reader's saved chapter:
 * `readerChapterMoved` bumps `club-progress:<slug>` for it.
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

/**
 * A reader's saved chapter changed (the library's `savePosition`, after its write): for a library
 * title that is the current book of clubs the reader is an active member of, and whose parts start
 * at chapters, each member's progress on the schedule may have moved (`finishedParts`), so those
 * clubs' schedules are rendered again. Moves within a chapter never come here.
 */
export async function readerChapterMoved(db: DB, userId: string, titleId: string): Promise<void> {
  const clubs = await db
    .selectFrom('club_books as b')
    .innerJoin('club_members as m', (j) =>
      j.onRef('m.club_id', '=', 'b.club_id').on('m.user_id', '=', userId).on('m.status', '=', 'active'),
    )
    .innerJoin('club_clubs as c', 'c.id', 'b.club_id')
    .select('c.slug')
    .where('b.title_id', '=', titleId)
    .where('b.status', '=', 'current')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('club_milestones as ms')
          .select('ms.id')
          .whereRef('ms.book_id', '=', 'b.id')
          .where('ms.start_chapter', 'is not', null),
      ),
    )
    .execute();
  for (const c of clubs) await bumpCache(db, 'club-progress', c.slug);
}
