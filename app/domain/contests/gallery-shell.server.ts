/**
 * What a read-aloud round's gallery (`/contests/<slug>/gallery/<round>`) reads about a signed-in
 * visitor, captured in two small queries, so that visitors seen the same way share one render (the
 * shared signed-in renders of app/lib/page-shell.server.ts: `SHELL_VARIANT_PAGES` in
 * app/lib/page-cache-routes.server.ts). Issue 15.
 *
 * The page's loaders read of the visitor: whether they are signed in (the vote buttons), their own
 * votes among the page's entries (`myVotes`: "you voted" instead of the button), and — only for a
 * contest that is not published — whether they manage it. Nothing else: the vote button is shown to
 * every signed-in visitor while voting is open, and whether a vote is accepted (account age, rate
 * limits, bursts, one per entry or N per contest) is decided by `castVote` when it is cast.
 * - A published contest: the view is the visitor's votes on the page, and the page's vote counts
 *   as read in the same query. Votes bump no cache (./cache.server.ts), so the counts are part of
 *   the key: a shared render is served only while no vote has changed the counts of the page's
 *   entries since it was made, and the render shows the counts of its key (`galleryPage(…, view)`),
 *   so it is byte for byte the page a fresh render gives (but for its "as of" time). A visitor's
 *   own vote changes both their votes and the count: the next request is another key.
 * - A contest not published (its managers preview it), no such contest or round (404), or a
 *   script's data request (`?_data=`: JSON, no page to share): null, rendered for that visitor.
 * What the page shows of the round and its entries (titles, moderation, files, results, the voting
 * window) is bumped under `contest-gallery:<round>` and `contests:<slug>`, as for anonymous visitors.
 */
import { toNumber } from '~/db/dialect';
import type { DB } from '~/lib/db.server';

import { isPublic } from './entries.server';
import { galleryPageCodes, galleryPager, type GalleryView } from './entries-pages.server';
import { roundPathOf } from './round-path.server';

const GALLERY_PATH = /^\/contests\/([^/]+)\/gallery\/([^/]+)\/?$/;

export async function galleryVariant(db: DB, user: { id: string }, url: URL): Promise<{ key: string; view: GalleryView } | null> {
  // A script's data request (`?_data=`, after a vote or between pages) is JSON, not a page: not shared.
  const at = roundPathOf(GALLERY_PATH, url);
  if (!at) return null;
  const { slug, roundId } = at;
  // As `roundOfContest` finds it: the contest by its slug, the submission round of that contest.
  const round = await db
    .selectFrom('contest_rounds as r')
    .innerJoin('contest_submission_settings as s', 's.round_id', 'r.id')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .select(['c.status', 'r.contest_id', 's.gallery', 's.voting', 's.vote_opens_at', 's.vote_closes_at', 's.gallery_entries'])
    .where('r.id', '=', roundId)
    .where('c.slug', '=', slug)
    .executeTakeFirst();
  if (!round || round.status !== 'published') return null;
  // The page as the loader reads it (`Number(page) || 1`, clamped to the pages there are).
  const { total, current } = galleryPager(round, Number(url.searchParams.get('page')) || 1);
  // The page's codes as a key range of the gallery index (the kept anchors): no OFFSET, whatever the page.
  const codes = total ? await galleryPageCodes(db, { id: roundId, contest_id: round.contest_id }, current) : null;
  const rows = codes
    ? await db
        .selectFrom('contest_entries as e')
        .leftJoin('contest_votes as v', (j) => j.onRef('v.entry_id', '=', 'e.id').on('v.user_id', '=', user.id))
        .select(['e.id', 'e.moderation', 'e.minor', 'e.parental_consent', 'e.mime', 'e.votes_counted', 'v.id as vote_id'])
        .where('e.round_id', '=', roundId)
        .where('e.code', 'in', codes)
        .orderBy('e.code')
        .execute()
    : [];
  const view: GalleryView = { votes: {}, voted: [] };
  for (const e of rows) {
    if (!isPublic(e, round)) continue;
    view.votes[e.id] = toNumber(e.votes_counted);
    // `myVotes` is read only for a round with voting (one vote per account and entry: a unique key).
    if (round.voting && e.vote_id) view.voted.push(e.id);
  }
  const t = new Date().toISOString();
  const open = !!round.voting && !!round.vote_opens_at && !!round.vote_closes_at && t >= round.vote_opens_at && t < round.vote_closes_at;
  return { key: JSON.stringify([open, view.votes, view.voted]), view };
}

/** The gallery's captured view, when the request is a shared render's stand-in (else undefined). */
export function asGalleryView(v: unknown): GalleryView | undefined {
  if (!v || typeof v !== 'object' || !('votes' in v) || !('voted' in v)) return undefined;
  return v as GalleryView;
}
