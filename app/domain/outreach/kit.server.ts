/**
 * Page queries of the outreach kit: one call per page, each answering `missing`/`hidden` (404)
 * or the data the page shows. Locale-dependent words (the eyebrow, the site's name) come from
 * the route, which owns translation.
 */
import { getActivities } from '~/domain/plans.server';
import { getUnitBySlug, unitName } from '~/domain/units.server';
import { getWeek } from '~/domain/weeks.server';
import type { DB } from '~/lib/db.server';

import { kitAccess, type KitContext, weekKitAccess } from './access.server';
import { generateAnnouncement, openingOf, savedAnnouncement } from './announcement.server';
import { type NewsItem, newsOfUnit, newsOfWeek, newsPhotoPath } from './news.server';
import { weekColours } from './palette';
import type { CardInput } from './share-card.server';
import { type Slogan, slogansFor, themeSlogans } from './slogans.server';

type Locale = 'vi' | 'en';
type Hidden = { status: 'missing' | 'hidden' };

export function cardInputFor(
  ctx: Pick<KitContext, 'week'> & { unit: KitContext['unit'] | null },
  locale: Locale,
  words: { eyebrow: string; siteName: string },
): CardInput {
  return {
    year: ctx.week.year,
    eyebrow: words.eyebrow,
    theme: locale === 'en' ? ctx.week.theme_en : ctx.week.theme_vi,
    unitName: ctx.unit ? unitName(ctx.unit, locale) : null,
    startsOn: ctx.week.starts_on,
    endsOn: ctx.week.ends_on,
    siteName: words.siteName,
  };
}

/** The slogans to offer: the unit's and those above it, else the ones made from the theme. */
function offered(slogans: Slogan[], week: KitContext['week']): string[] {
  return slogans.length ? slogans.map((s) => s.text) : themeSlogans(week);
}

/** The plan's share card input (the PNG route). */
export async function planCard(db: DB, year: number, slug: string, userId: string | null) {
  return kitAccess(db, year, slug, userId);
}

/** The banner and the poster: theme, dates, the Week's colours, the chosen slogan, the opening. */
export async function printablePage(db: DB, year: number, slug: string, userId: string | null, locale: Locale) {
  const a = await kitAccess(db, year, slug, userId);
  if (a.status !== 'ok') return a as Hidden;
  const [slogans, activities] = await Promise.all([slogansFor(db, year, a.unit.id), a.plan ? getActivities(db, a.plan.id) : []]);
  const opening = openingOf(activities);
  return {
    status: 'ok' as const,
    ctx: a,
    unitName: unitName(a.unit, locale),
    theme: locale === 'en' ? a.week.theme_en : a.week.theme_vi,
    slogans: offered(slogans, a.week),
    colours: weekColours(year),
    opening: opening
      ? { at: opening.starts_at, place: opening.place }
      : { at: a.week.opening_at, place: locale === 'en' ? a.week.opening_place_en : a.week.opening_place_vi },
  };
}

/** The unit's kit page: links, slogans (editable when the user organises the unit), news. */
export async function unitKitPage(db: DB, year: number, slug: string, userId: string | null, locale: Locale) {
  const a = await kitAccess(db, year, slug, userId);
  if (a.status !== 'ok') return a as Hidden;
  const [slogans, news] = await Promise.all([slogansFor(db, year, a.unit.id), newsOfUnit(db, a.unit.id, { year, limit: 20 })]);
  return {
    status: 'ok' as const,
    ctx: a,
    unitName: unitName(a.unit, locale),
    slogans,
    suggested: slogans.length ? [] : themeSlogans(a.week),
    news,
  };
}

/** The Week's own kit: the Ministry's slogans, every unit's latest news. */
export async function weekKitPage(db: DB, year: number, userId: string | null) {
  const a = await weekKitAccess(db, year, userId);
  if (a.status !== 'ok') return a;
  const [slogans, news] = await Promise.all([slogansFor(db, year, a.root.id), newsOfWeek(db, year, 20)]);
  return { ...a, slogans, suggested: slogans.length ? [] : themeSlogans(a.week), news };
}

/** The announcement page: the saved text, else the one generated from the plan. */
export async function announcementPage(db: DB, year: number, slug: string, userId: string | null, locale: Locale) {
  const a = await kitAccess(db, year, slug, userId);
  if (a.status !== 'ok') return a as Hidden;
  const [saved, activities] = await Promise.all([savedAnnouncement(db, year, a.unit.id), a.plan ? getActivities(db, a.plan.id) : []]);
  const generated = generateAnnouncement(a.week, a.unit, activities, locale);
  return {
    status: 'ok' as const,
    ctx: a,
    unitName: unitName(a.unit, locale),
    text: saved?.text ?? generated,
    generated,
    version: saved?.version ?? 0,
    updatedAt: saved?.updatedAt ?? null,
  };
}

/** The news page of a unit's Week (the form for organisers). */
export async function planNewsPage(db: DB, year: number, slug: string, userId: string | null, locale: Locale) {
  const a = await kitAccess(db, year, slug, userId);
  if (a.status !== 'ok') return a as Hidden;
  return {
    status: 'ok' as const,
    ctx: a,
    unitName: unitName(a.unit, locale),
    // The unit's organisers also see their drafts and scheduled items here (with their state).
    news: await newsOfUnit(db, a.unit.id, { year, limit: 100, withUnpublished: a.canManage }),
  };
}

/** A unit's news of every Week, for its feed and news page; null when the unit does not exist. */
export async function unitNewsFeed(db: DB, slug: string, limit = 50) {
  const unit = await getUnitBySlug(db, slug);
  if (!unit) return null;
  return { unit, news: await newsOfUnit(db, unit.id, { limit }) };
}

/** Every unit's news of a Week, for its feed; null when the Week does not exist. */
export async function weekNewsFeed(db: DB, year: number, limit = 50) {
  const week = Number.isInteger(year) ? await getWeek(db, year) : undefined;
  if (!week) return null;
  return { week, news: await newsOfWeek(db, year, limit) };
}

/** News items as pages show them (photo URL on this site; the unit named when `withUnit`). */
export function newsViews(items: NewsItem[], locale: Locale, withUnit = false) {
  return items.map((n) => ({
    id: n.id,
    title: n.title,
    html: n.html,
    date: n.date,
    photoUrl: newsPhotoPath(n),
    photoAlt: n.photoAlt,
    status: n.status,
    publishAt: n.publishAt,
    isPublic: n.isPublic,
    version: n.version,
    ...(withUnit
      ? {
          unitName: unitName({ name: n.unitName, name_en: n.unitNameEn }, locale),
          unitUrl: `/weeks/${n.year}/plans/${encodeURIComponent(n.unitSlug)}`,
        }
      : {}),
  }));
}

/** What a unit's plan page shows of the kit: the latest news of the unit for the Week. */
export async function planPageOutreach(db: DB, unitId: string, year: number, locale: Locale) {
  return { news: newsViews(await newsOfUnit(db, unitId, { year, limit: 5 }), locale) };
}

/** What a unit's page shows of the kit: its latest news, every Week. */
export async function unitPageOutreach(db: DB, unitId: string, locale: Locale) {
  return { news: newsViews(await newsOfUnit(db, unitId, { limit: 5 }), locale, false) };
}
