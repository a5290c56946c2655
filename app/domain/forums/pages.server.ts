/** Page queries of the forum routes: one call per loader. */
import '~/domain/places.server';

import { moderatedUnits } from '~/domain/discussion/members.server';
import { listWatchedWords, moderationLog, reviewQueue } from '~/domain/discussion/moderation.server';
import { placeThreads, threadPage } from '~/domain/discussion/read.server';
import { unitName } from '~/domain/units.server';
import type { DB } from '~/lib/db.server';

import { FORUM_PLACE, getCategoryBySlug, listCategories, moveTargets, organiserUnits } from './forums.server';

export async function forumsHome(db: DB, userId: string | null, locale: string) {
  const [categories, organiser, moderated] = await Promise.all([
    listCategories(db, userId),
    userId ? organiserUnits(db, userId) : Promise.resolve([]),
    userId ? moderatedUnits(db, userId) : Promise.resolve([]),
  ]);
  return {
    categories: categories.map((c) => ({
      slug: c.slug,
      name: c.name,
      description: c.description,
      visibility: c.visibility,
      weekYear: c.week_year,
      unit: unitName({ name: c.unit_name, name_en: c.unit_name_en }, locale),
      threads: c.threads,
      lastAt: c.last_at,
    })),
    canCreate: organiser.length > 0,
    moderates: moderated.length > 0,
  };
}

export async function categoryPage(db: DB, userId: string | null, slug: string, page: number) {
  const c = await getCategoryBySlug(db, slug);
  if (!c) return null;
  const list = await placeThreads(db, userId, { type: FORUM_PLACE, id: c.id }, page);
  if (!list) return null;
  return {
    category: { id: c.id, slug: c.slug, name: c.name, description: c.description, visibility: c.visibility, slowModeS: c.slow_mode_s },
    ...list,
  };
}

export async function forumThreadPage(db: DB, userId: string | null, threadId: string, opts: { page?: number; post?: number }) {
  const p = await threadPage(db, userId, threadId, opts);
  if (!p) return null;
  const c = await db.selectFrom('forum_categories').select(['slug', 'name']).where('id', '=', p.place.id).executeTakeFirst();
  const targets = p.moderator && userId ? await moveTargets(db, userId, p.place.id) : [];
  return { ...p, category: c ?? null, moveTargets: targets };
}

export async function queuePage(db: DB, userId: string, unitSlug: string | null, locale: string) {
  const units = await moderatedUnits(db, userId);
  if (!units.length) return null;
  const unit = units.find((u) => u.slug === unitSlug) ?? units[0]!;
  const [items, words, log, categories] = await Promise.all([
    reviewQueue(db, userId, unit.id),
    listWatchedWords(db, userId, unit.id),
    moderationLog(db, userId, unit.id, 30),
    db.selectFrom('forum_categories').select(['id', 'name', 'slow_mode_s']).where('unit_id', '=', unit.id).orderBy('position').execute(),
  ]);
  return {
    units: units.map((u) => ({ slug: u.slug, name: unitName(u, locale) })),
    unit: { id: unit.id, slug: unit.slug, name: unitName(unit, locale) },
    items: items ?? [],
    words: words ?? [],
    log: log ?? [],
    categories,
  };
}
