/**
 * Forums (diễn đàn): categories created by organisers for a unit (and its subtree), optionally
 * for a Week. A category is a place of the discussion engine: 'public' categories are read by
 * anyone, 'members' categories by members of the unit's subtree and its staff. Posting needs an
 * account.
 */
import { sql } from 'kysely';

import { toNumber } from '~/db/dialect';
import { prepareQuery } from '~/db/prepared';
import { hasRole } from '~/domain/accounts.server';
import { isUnitModerator } from '~/domain/discussion/members.server';
import type { PlaceInfo, PlacePolicy } from '~/domain/discussion/places.server';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { bumpCache, bumpCacheIn } from '~/lib/page-cache.server';
import { err, ok, type Result } from '~/lib/result';

export const FORUM_PLACE = 'forum';

export function threadUrl(threadId: string): string {
  return `/forums/t/${threadId}`;
}

// Read on every reply and for each forum a member's notices are about (their read check on
// `/notifications`): built and compiled once (~/db/prepared).
const categoryById = prepareQuery((db: DB, id: string) => db.selectFrom('forum_categories').selectAll().where('id', '=', id));

export function getCategory(db: DB, id: string) {
  return categoryById.executeTakeFirst(db, id);
}

export function getCategoryBySlug(db: DB, slug: string) {
  return db.selectFrom('forum_categories').selectAll().where('slug', '=', slug).executeTakeFirst();
}

type Category = NonNullable<Awaited<ReturnType<typeof getCategory>>>;

async function isMemberOf(db: DB, userId: string, unitId: string): Promise<boolean> {
  const home = await db
    .selectFrom('users as u')
    .innerJoin('unit_closure as c', 'c.descendant_id', 'u.home_unit_id')
    .select('u.id')
    .where('u.id', '=', userId)
    .where('c.ancestor_id', '=', unitId)
    .executeTakeFirst();
  if (home) return true;
  for (const role of ['organiser', 'teacher', 'librarian'] as const) if (await hasRole(db, userId, unitId, role)) return true;
  return false;
}

export async function canReadCategory(db: DB, userId: string | null, c: Category): Promise<boolean> {
  if (c.visibility === 'public') return true;
  return !!userId && isMemberOf(db, userId, c.unit_id);
}

function categoryInfo(c: Category): PlaceInfo {
  const isPublic = c.visibility === 'public';
  return { unitId: c.unit_id, name: c.name, isPublic, readableByAll: isPublic, slowModeS: c.slow_mode_s, threadUrl };
}

export const forumPolicy: PlacePolicy = {
  async describe(db, placeId): Promise<PlaceInfo | null> {
    const c = await getCategory(db, placeId);
    return c ? categoryInfo(c) : null;
  },
  // Reading and posting are the same rule in a category: one look-up for a reply's checks.
  async access(db, userId, placeId) {
    const c = await getCategory(db, placeId);
    if (!c) return null;
    const read = await canReadCategory(db, userId, c);
    return { info: categoryInfo(c), read, post: read };
  },
  async canRead(db, userId, placeId) {
    const c = await getCategory(db, placeId);
    return !!c && canReadCategory(db, userId, c);
  },
  // Public forum pages are kept by the page cache for anonymous visitors: a change of a thread
  // re-renders that thread's pages and the forum lists (app/lib/page-cache-routes.server.ts).
  async changed(db, _placeId, threadId) {
    await bumpCache(db, 'forums', threadId);
  },
  changedIn(trx, _placeId, threadId) {
    return bumpCacheIn(trx, 'forums', threadId);
  },
  // Public forums take the most posts: followers' and mentioned members' notices come in batches.
  deferNotices: true,
  async canPost(db, userId, placeId) {
    const c = await getCategory(db, placeId);
    return !!c && (await canReadCategory(db, userId, c));
  },
  async canModerate(db, userId, placeId) {
    const c = await getCategory(db, placeId);
    return !!c && isUnitModerator(db, userId, c.unit_id);
  },
};

/** Categories the member may read, with their thread counts and the latest activity. */
export async function listCategories(db: DB, userId: string | null) {
  const rows = await db
    .selectFrom('forum_categories as c')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .leftJoin('disc_threads as t', (j) =>
      j.onRef('t.place_id', '=', 'c.id').on('t.place_type', '=', FORUM_PLACE).on('t.status', '=', 'visible'),
    )
    .select([
      'c.id',
      'c.slug',
      'c.name',
      'c.description',
      'c.visibility',
      'c.week_year',
      'c.unit_id',
      'c.position',
      'u.name as unit_name',
      'u.name_en as unit_name_en',
      sql<number>`count(t.id)`.as('threads'),
      sql<string | null>`max(t.last_post_at)`.as('last_at'),
    ])
    .groupBy(['c.id', 'c.slug', 'c.name', 'c.description', 'c.visibility', 'c.week_year', 'c.unit_id', 'c.position', 'u.name', 'u.name_en'])
    .orderBy('c.position')
    .orderBy('c.name')
    .execute();
  const out = [];
  for (const r of rows) {
    if (r.visibility !== 'public' && !(userId && (await isMemberOf(db, userId, r.unit_id)))) continue;
    out.push({ ...r, threads: toNumber(r.threads) });
  }
  return out;
}

export type CategoryError = 'forbidden' | 'slug_taken' | 'name';

export interface CategoryInput {
  unitId: string;
  name: string;
  slug: string;
  description: string;
  visibility: 'public' | 'members';
  weekYear: number | null;
}

/** An organiser of the unit creates a category for it. */
export async function createCategory(
  db: DB,
  actorId: string,
  input: CategoryInput,
  now = new Date(),
): Promise<Result<{ slug: string }, CategoryError>> {
  if (!(await hasRole(db, actorId, input.unitId, 'organiser'))) return err('forbidden');
  const name = input.name.trim();
  if (!name) return err('name');
  if (await getCategoryBySlug(db, input.slug)) return err('slug_taken');
  const max = await db
    .selectFrom('forum_categories')
    .select(sql<number>`max(position)`.as('m'))
    .executeTakeFirst();
  await db
    .insertInto('forum_categories')
    .values({
      id: newId(),
      slug: input.slug,
      unit_id: input.unitId,
      week_year: input.weekYear,
      name,
      description: input.description.trim(),
      visibility: input.visibility,
      slow_mode_s: 0,
      position: toNumber(max?.m) + 1,
      created_by: actorId,
      created_at: now.toISOString(),
    })
    .execute();
  await bumpCache(db, 'forums');
  return ok({ slug: input.slug });
}

/** Slow mode for a whole category, with the reason logged. */
export async function setCategorySlowMode(
  db: DB,
  actorId: string,
  categoryId: string,
  seconds: number,
  reason: string,
  now = new Date(),
): Promise<Result<undefined, 'forbidden' | 'not_found' | 'reason_required'>> {
  const c = await getCategory(db, categoryId);
  if (!c) return err('not_found');
  if (!(await isUnitModerator(db, actorId, c.unit_id))) return err('forbidden');
  if (!reason.trim()) return err('reason_required');
  const s = Math.max(0, Math.min(86_400, Math.trunc(seconds)));
  await db.updateTable('forum_categories').set({ slow_mode_s: s }).where('id', '=', categoryId).execute();
  await bumpCache(db, 'forums');
  await db
    .insertInto('disc_mod_log')
    .values({
      id: newId(),
      actor_id: actorId,
      action: 'slow_category',
      thread_id: null,
      post_id: null,
      subject_user_id: null,
      unit_id: c.unit_id,
      reason: `${reason.trim().slice(0, 500)} (${s}s, ${c.name})`,
      created_at: now.toISOString(),
    })
    .execute();
  return ok();
}

/** Units where the member may create categories (organiser), for the form. */
export function organiserUnits(db: DB, userId: string) {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('units as u', 'u.id', 'g.unit_id')
    .select(['u.id', 'u.name', 'u.name_en', 'u.depth'])
    .where('g.user_id', '=', userId)
    .where('g.role', 'in', ['organiser', 'admin'])
    .orderBy('u.depth')
    .execute();
}

/** Other categories a moderator may move a thread to. */
export async function moveTargets(db: DB, userId: string, exceptId: string) {
  const all = await db
    .selectFrom('forum_categories')
    .select(['id', 'name', 'unit_id'])
    .where('id', '!=', exceptId)
    .orderBy('position')
    .execute();
  const out = [];
  for (const c of all) if (await isUnitModerator(db, userId, c.unit_id)) out.push({ id: c.id, name: c.name });
  return out;
}
