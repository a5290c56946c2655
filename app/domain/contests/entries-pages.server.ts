/** Page queries of submission rounds (issue #15): one call per loader. */
import { sql } from 'kysely';

import { toNumber } from '~/db/dialect';
import { prepareQuery } from '~/db/prepared';
import type { DB } from '~/lib/db.server';
import { cachedData } from '~/lib/page-cache.server';

import { canManageUnit, contestAccess } from './access.server';
import { entrantOf, roundPhase } from './contests.server';
import { isPublic, moderationQueue, myEntry, submissionRound, submissionRoundsOf } from './entries.server';
import { computeStage, myStageResult, stageResults } from './entries-results.server';
import { isJudge, judgesOf, juryLoad, queueOf, rubricOf } from './jury.server';
import { myVotes, openVoteFlags } from './votes.server';

export type Page<T> = { status: 'missing' | 'forbidden' } | ({ status: 'ok' } & T);

async function roundOfContest(db: DB, slug: string, roundId: string, userId: string | null) {
  const a = await contestAccess(db, { slug }, userId);
  if (a.status !== 'ok') return null;
  const round = await submissionRound(db, roundId);
  if (!round || round.contest_id !== a.contest.id) return null;
  return { access: a, round };
}

/** The organiser's page: every submission round with its rubric, judges, moderation, flags and results. */
export async function entriesManagePage(db: DB, slug: string, userId: string) {
  const a = await contestAccess(db, { slug }, userId);
  if (a.status !== 'ok') return { status: 'missing' as const };
  if (!a.canManage) return { status: 'forbidden' as const };
  const rounds = await submissionRoundsOf(db, a.contest.id);
  const units = await db
    .selectFrom('unit_closure as c')
    .innerJoin('units as u', 'u.id', 'c.descendant_id')
    .select(['u.id', 'u.name'])
    .where('c.ancestor_id', '=', a.contest.unit_id)
    .orderBy('u.depth')
    .orderBy('u.name')
    .limit(500)
    .execute();
  const views = await Promise.all(
    rounds.map(async (r) => {
      const [criteria, judges, load, mod, flags, stage] = await Promise.all([
        rubricOf(db, r.id),
        judgesOf(db, r.id),
        juryLoad(db, r.id),
        moderationQueue(db, userId, r.id),
        openVoteFlags(db, userId, r.id),
        computeStage(db, r.id),
      ]);
      return {
        round: r,
        rubricText: criteria
          .map((c) =>
            [c.label, c.weight, c.max_points, c.description, c.levels.map((l) => `${l.points}: ${l.text}`).join('; ')].join(' | '),
          )
          .join('\n'),
        judges: judges.map((j) => ({ ...j, ...(load.get(j.user_id) ?? { assigned: 0, scored: 0 }) })),
        entries: mod.ok ? mod.value.entries : [],
        flags: flags.ok ? flags.value : [],
        stage: stage.rows,
        codes: Object.fromEntries((mod.ok ? mod.value.entries : []).map((e) => [e.id, e.code])),
      };
    }),
  );
  return { status: 'ok' as const, contest: a.contest, rounds: views, units };
}

/** The entrant's submit page. */
export async function submitPage(db: DB, slug: string, roundId: string, userId: string | null, now = new Date()) {
  const r = await roundOfContest(db, slug, roundId, userId);
  if (!r) return { status: 'missing' as const };
  const [entrant, mine, result] = await Promise.all([
    userId ? entrantOf(db, r.round.contest_id, userId) : undefined,
    userId ? myEntry(db, roundId, userId) : undefined,
    userId ? myStageResult(db, roundId, userId) : null,
  ]);
  return {
    status: 'ok' as const,
    contest: r.access.contest,
    round: r.round,
    phase: roundPhase(r.round, now),
    registered: !!entrant,
    mine: mine ?? null,
    result,
  };
}

export const GALLERY_PAGE_SIZE = 24;

/**
 * The SQL form of `isPublic` (without the round's gallery switch), the same expression as the
 * kept count's triggers (migration 2026-12-01T0350): `substr` is `startsWith` on both dialects, and
 * an entry without a file (an essay) is never a "visual" one.
 */
const hiddenMinorVisual = (t: 'p') =>
  sql<boolean>`(${sql.ref(`${t}.minor`)} = 1 and ${sql.ref(`${t}.parental_consent`)} = 0 and substr(coalesce(${sql.ref(`${t}.mime`)}, ''), 1, 6) in ('video/', 'image/'))`;

/** The pager of a round's gallery: its kept count of visible entries, the pages, and the page asked for, clamped. */
export function galleryPager(round: { gallery: number; gallery_entries: number | string | bigint }, page: number) {
  const total = round.gallery ? toNumber(round.gallery_entries) : 0;
  const pages = Math.max(1, Math.ceil(total / GALLERY_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  return { total, pages, current };
}

/**
 * The first code of each page of a round's gallery, in page order: one pass over the round's
 * visible entries in the gallery index (round, moderation, code), numbering them in code order and
 * keeping every GALLERY_PAGE_SIZE-th. Kept in the process's data cache (`cachedData`) until the
 * gallery's membership or order changes: an entry approved, rejected, given a new file or consent
 * (`galleryChanged`: `contest-gallery:<round>`), entries promoted into the round, the gallery
 * switched (`contestChanged`: `contests:<contest id>`); the TTL backs it up. With it a page is a
 * key range of the index (`code >= its anchor and < the next page's`), 24 rows whatever the depth,
 * where an OFFSET walked ~100,000 index rows for the last page of a round of 100,000 entries.
 */
function galleryAnchors(db: DB, round: { id: string; contest_id: string }): Promise<string[]> {
  return cachedData(
    db,
    `contest-gallery:anchors:${round.id}`,
    [`contest-gallery:${round.id}`, `contests:${round.contest_id}`],
    async () => {
      const rows = await db
        .selectFrom(
          db
            .selectFrom('contest_entries as p')
            .select(['p.code', sql<number>`row_number() over (order by p.code)`.as('n')])
            .where('p.round_id', '=', round.id)
            .where('p.moderation', '=', 'approved')
            .where(sql<boolean>`not ${hiddenMinorVisual('p')}`)
            .as('t'),
        )
        .select('t.code')
        .where(sql<boolean>`(t.n - 1) % ${GALLERY_PAGE_SIZE} = 0`)
        .orderBy('t.code')
        .execute();
      return rows.map((r) => r.code);
    },
  );
}

/**
 * The codes of a gallery page (null: past the last page), read in the gallery index (round,
 * moderation, code) alone as a key range between the page's anchor and the next page's
 * (`galleryAnchors`): the same entries as an OFFSET of (page - 1) × GALLERY_PAGE_SIZE.
 */
export async function galleryPageCodes(db: DB, round: { id: string; contest_id: string }, current: number) {
  const anchors = await galleryAnchors(db, round);
  const from = anchors[current - 1];
  if (from === undefined) return null;
  const to = anchors[current];
  let q = db
    .selectFrom('contest_entries as p')
    .select('p.code')
    .where('p.round_id', '=', round.id)
    .where('p.moderation', '=', 'approved')
    .where(sql<boolean>`not ${hiddenMinorVisual('p')}`)
    .where('p.code', '>=', from);
  if (to !== undefined) q = q.where('p.code', '<', to);
  return q.orderBy('p.code').limit(GALLERY_PAGE_SIZE);
}

/**
 * What the gallery shows of one signed-in visitor, captured for a shared render
 * (./gallery-shell.server.ts): their votes among the page's entries, with the page's vote counts
 * as read with them, so that the render is exactly the page of that key.
 */
export interface GalleryView {
  /** Entry id → its kept vote count, for the page's entries in code order. */
  votes: Record<string, number>;
  /** The page's entries the visitor has voted for. */
  voted: string[];
}

/**
 * The gallery of a round, a page at a time: approved public entries (the rule of `isPublic`, in
 * SQL so pages stay full) in code order, with their kept vote counts, the viewer's own votes on
 * the page, and the published results. The pager's total is the round's kept count of visible
 * entries (`gallery_entries`), not a count of the round per view; a page is a key range of the
 * gallery index (round, moderation, code) between the kept anchors of its page and the next. With `view` (a shared
 * signed-in render's stand-in), the viewer's votes and the page's counts are the captured ones.
 */
export async function galleryPage(
  db: DB,
  slug: string,
  roundId: string,
  userId: string | null,
  now = new Date(),
  page = 1,
  view?: GalleryView,
) {
  const r = await roundOfContest(db, slug, roundId, userId);
  if (!r) return { status: 'missing' as const };
  const { total, pages, current } = galleryPager(r.round, page);
  const codes = total ? await galleryPageCodes(db, r.round, current) : null;
  const rows = codes
    ? await db
        .selectFrom('contest_entries as e')
        .innerJoin('units as u', 'u.id', 'e.unit_id')
        .select([
          'e.id',
          'e.code',
          'e.title',
          'e.body_text',
          'e.mime',
          'e.moderation',
          'e.minor',
          'e.parental_consent',
          'e.votes_counted',
          'u.name as unit_name',
        ])
        .where('e.round_id', '=', roundId)
        .where('e.code', 'in', codes)
        .orderBy('e.code')
        .execute()
    : [];
  const entries = rows.filter((e) => isPublic(e, r.round));
  const [mine, results] = await Promise.all([
    view
      ? Promise.resolve(new Set(view.voted))
      : userId && r.round.voting
        ? myVotes(
            db,
            roundId,
            userId,
            entries.map((e) => e.id),
          )
        : Promise.resolve(new Set<string>()),
    r.round.results_status === 'published' ? stageResults(db, roundId, now) : Promise.resolve(null),
  ]);
  const t = now.toISOString();
  const votingOpen =
    !!r.round.voting && !!r.round.vote_opens_at && !!r.round.vote_closes_at && t >= r.round.vote_opens_at && t < r.round.vote_closes_at;
  const prizes = new Map((results?.rows ?? []).map((x) => [x.entryId, x.prize]));
  const choice = new Map((results?.peoplesChoice?.winners ?? []).map((x) => [x.entryId, x.votes]));
  return {
    status: 'ok' as const,
    contest: r.access.contest,
    round: r.round,
    votingOpen,
    page: current,
    pages,
    total,
    entries: entries.map((e) => ({
      id: e.id,
      code: e.code,
      title: e.title,
      bodyText: e.body_text,
      mime: e.mime,
      unit: e.unit_name,
      votes: view && Object.hasOwn(view.votes, e.id) ? view.votes[e.id]! : toNumber(e.votes_counted),
      voted: mine.has(e.id),
      prize: prizes.get(e.id) ?? null,
      peoplesChoice: choice.has(e.id),
    })),
    results: results?.rows ?? null,
    peoplesChoice: results?.peoplesChoice
      ? {
          label: results.peoplesChoice.label,
          winners: results.peoplesChoice.winners.map((w) => ({
            ...w,
            title: rows.find((e) => e.id === w.entryId)?.title ?? null,
            name: results.rows.find((x) => x.entryId === w.entryId)?.name ?? null,
          })),
        }
      : null,
  };
}

/** Whether the viewer judges this round (for the jury pages' guard). */
export async function juryRound(db: DB, slug: string, roundId: string, userId: string) {
  const r = await roundOfContest(db, slug, roundId, userId);
  if (!r) return { status: 'missing' as const };
  if (!(await isJudge(db, roundId, userId))) return { status: 'missing' as const };
  return { status: 'ok' as const, ...r };
}

/**
 * A judge's queue page (`/contests/<slug>/jury/<round>`): the guard of `juryRound` and the queue of
 * `judgeQueue`. The guard is one query — the contest by its slug, the submission round of that
 * contest, the viewer one of its judges — and, only for a contest not published, whether the viewer
 * manages it (`contestAccess`'s rule: an unpublished contest is hidden from everyone else). The
 * page is served to judges from a shared render, their queue read on each request
 * (~/components/contests/jury-queue.server.ts), so this query is most of what a request costs.
 */
export async function juryQueuePage(db: DB, slug: string, roundId: string, userId: string, page = 1) {
  const r = await juryGuard.executeTakeFirst(db, roundId, slug, userId);
  if (!r) return { status: 'missing' as const };
  if (r.status !== 'published' && !(await canManageUnit(db, userId, r.unit_id))) return { status: 'missing' as const };
  return { status: 'ok' as const, contest: { slug: r.slug, title: r.contest_title }, ...(await queueOf(db, userId, r, page)) };
}

/** The jury page's guard (see `juryQueuePage`), prepared (~/db/prepared): it runs on every view. */
const juryGuard = prepareQuery((db: DB, roundId: string, slug: string, userId: string) =>
  db
    .selectFrom('contest_rounds as r')
    .innerJoin('contest_submission_settings as s', 's.round_id', 'r.id')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .innerJoin('contest_judges as j', (j) => j.onRef('j.round_id', '=', 'r.id').on('j.user_id', '=', userId))
    .select(['r.id', 'r.title', 's.entry_kind', 'c.slug', 'c.title as contest_title', 'c.status', 'c.unit_id'])
    .where('r.id', '=', roundId)
    .where('c.slug', '=', slug),
);
