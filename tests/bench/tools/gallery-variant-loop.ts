/**
 * `DATA_DIR=<dir> node --import tsx tests/bench/tools/gallery-variant-loop.ts <gallery path> [n]`:
 * CPU per call, in this process, of what a signed-in visitor's gallery request reads on every
 * request before a shared render is served (`galleryVariant`, app/domain/contests/gallery-shell.server.ts:
 * the round, then the page's entries with the visitor's votes and counts), for the first and the
 * last page, next to the same reads with the page found by an OFFSET (as the variant read it before
 * the kept page anchors, issue 15), interleaved round by round. The database of
 * tools/entries-scale.ts (DATA_DIR it prints); the visitor is a voter of the round. Serving
 * conditions: the data cache is on (this process follows the page-cache bumps).
 */
import '../../../app/lib/serve-mode.server';

import { sql } from 'kysely';

import { galleryVariant } from '../../../app/domain/contests/gallery-shell.server';
import { getDb } from '../../../app/lib/db.server';
import { startPageCacheSync } from '../../../app/lib/page-cache.server';

const target = process.argv[2];
if (!target) throw new Error('usage: gallery-variant-loop.ts /contests/<slug>/gallery/<round> [n]');
const n = Number(process.argv[3] ?? 300);
const ROUNDS = 3;
const db = getDb();
await startPageCacheSync(db);
const roundId = target.split('/').at(-1)!;
const voter = await db.selectFrom('contest_votes').select('user_id').where('round_id', '=', roundId).limit(1).executeTakeFirstOrThrow();
const user = { id: voter.user_id };
const s = await db
  .selectFrom('contest_submission_settings')
  .select('gallery_entries')
  .where('round_id', '=', roundId)
  .executeTakeFirstOrThrow();
const last = Math.max(1, Math.ceil(Number(s.gallery_entries) / 24));

/** The reads as they were: the same round query, the page's codes by OFFSET in the gallery index. */
async function byOffset(url: URL) {
  const slug = decodeURIComponent(url.pathname.split('/')[2]!);
  const round = await db
    .selectFrom('contest_rounds as r')
    .innerJoin('contest_submission_settings as s', 's.round_id', 'r.id')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .select(['c.status', 's.gallery', 's.voting', 's.vote_opens_at', 's.vote_closes_at', 's.gallery_entries'])
    .where('r.id', '=', roundId)
    .where('c.slug', '=', slug)
    .executeTakeFirstOrThrow();
  const pages = Math.max(1, Math.ceil(Number(round.gallery_entries) / 24));
  const current = Math.min(Math.max(1, Number(url.searchParams.get('page')) || 1), pages);
  const codes = db
    .selectFrom('contest_entries as p')
    .select('p.code')
    .where('p.round_id', '=', roundId)
    .where('p.moderation', '=', 'approved')
    .where(sql<boolean>`not (p.minor = 1 and p.parental_consent = 0 and substr(coalesce(p.mime, ''), 1, 6) in ('video/', 'image/'))`)
    .orderBy('p.code')
    .limit(24)
    .offset((current - 1) * 24);
  return db
    .selectFrom('contest_entries as e')
    .leftJoin('contest_votes as v', (j) => j.onRef('v.entry_id', '=', 'e.id').on('v.user_id', '=', user.id))
    .select(['e.id', 'e.moderation', 'e.minor', 'e.parental_consent', 'e.mime', 'e.votes_counted', 'v.id as vote_id'])
    .where('e.round_id', '=', roundId)
    .where('e.code', 'in', codes)
    .orderBy('e.code')
    .execute();
}

async function cpu(fn: () => Promise<unknown>): Promise<number> {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
}

for (const page of [1, last]) {
  const url = new URL(`http://localhost${target}?page=${page}`);
  const variant = await galleryVariant(db, user, url);
  if (!variant) throw new Error('no variant for this page (not a published gallery?)');
  const old = await byOffset(url);
  if (old.map((e) => e.id).join() !== Object.keys(variant.view.votes).join()) throw new Error(`page ${page}: not the same entries`);
  for (let i = 0; i < 20; i++) await Promise.all([galleryVariant(db, user, url), byOffset(url)]); // warm-up
  const res: Record<'offset' | 'anchors', number[]> = { offset: [], anchors: [] };
  for (let r = 0; r < ROUNDS; r++) {
    res.offset.push(await cpu(() => byOffset(url)));
    res.anchors.push(await cpu(() => galleryVariant(db, user, url)));
  }
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ');
  console.log(
    `page ${page} of ${last}: by OFFSET ${fmt(res.offset)} µs CPU a request; by the kept anchors ${fmt(res.anchors)} µs (n=${n})`,
  );
}
process.exit(0);
