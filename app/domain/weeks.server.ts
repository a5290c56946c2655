import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import matter from 'gray-matter';

import type { WeeksTable } from '~/db/schema';
import { hasRole, userRoles } from '~/domain/accounts.server';
import { upcomingActivities } from '~/domain/plans.server';
import { getRootUnit } from '~/domain/units.server';
import { todayInVietnam } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { nowIso } from '~/lib/ids.server';
import { bumpCache, cachedData } from '~/lib/page-cache.server';

export type Week = WeeksTable;

/** The marker that separates the Vietnamese body of content/weeks/<year>.md from the English one. */
export const EN_MARKER = '<!-- en -->';

function dateOnly(v: unknown): string | null {
  if (v == null || v === '') return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  const s = String(v);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new Error(`not a date: ${s}`);
  return s;
}

function instant(v: unknown): string | null {
  if (v == null || v === '') return null;
  const d = v instanceof Date ? v : new Date(String(v));
  if (Number.isNaN(d.getTime())) throw new Error(`not a date-time: ${String(v)}`);
  return d.toISOString();
}

function str(v: unknown): string | null {
  return v == null || v === '' ? null : String(v);
}

/** Parses one content/weeks/<year>.md file into a weeks row (origin 'content'). */
export function parseWeekFile(text: string, fileName = ''): Week {
  const { data, content } = matter(text);
  const [vi, en = ''] = content.split(EN_MARKER);
  const year = Number(data.year);
  if (!Number.isInteger(year)) throw new Error(`${fileName}: year is missing`);
  const req = <T>(v: T | null, what: string): T => {
    if (v == null) throw new Error(`${fileName}: ${what} is missing`);
    return v;
  };
  return {
    year,
    theme_vi: req(str(data.theme_vi), 'theme_vi'),
    theme_en: req(str(data.theme_en), 'theme_en'),
    starts_on: req(dateOnly(data.starts_on), 'starts_on'),
    ends_on: req(dateOnly(data.ends_on), 'ends_on'),
    opening_at: req(instant(data.opening?.at), 'opening.at'),
    opening_place_vi: req(str(data.opening?.place_vi), 'opening.place_vi'),
    opening_place_en: req(str(data.opening?.place_en), 'opening.place_en'),
    livestream_url: str(data.opening?.livestream_url),
    closing_at: instant(data.closing?.at),
    closing_place_vi: str(data.closing?.place_vi),
    closing_place_en: str(data.closing?.place_en),
    report_deadline: dateOnly(data.report_deadline),
    source_vi: str(data.source_vi),
    source_en: str(data.source_en),
    body_vi: (vi ?? '').trim(),
    body_en: en.trim(),
    origin: 'content',
    content_hash: createHash('sha256').update(text).digest('hex'),
    updated_at: nowIso(),
  };
}

export function readWeekFiles(dir = path.resolve('content/weeks')): Week[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}\.md$/.test(f))
    .sort()
    .map((f) => parseWeekFile(fs.readFileSync(path.join(dir, f), 'utf8'), f));
}

/**
 * Loads the content files into the database, idempotently: a new year is inserted, a changed
 * file refreshes its row, and a Week that an admin has taken over in the UI (origin 'ui') is
 * left alone.
 */
export async function syncWeeksFromContent(db: DB, weeks = readWeekFiles()): Promise<number> {
  let changed = 0;
  for (const w of weeks) {
    const existing = await db.selectFrom('weeks').select(['origin', 'content_hash']).where('year', '=', w.year).executeTakeFirst();
    if (!existing) {
      await db.insertInto('weeks').values(w).execute();
      changed++;
    } else if (existing.origin === 'content' && existing.content_hash !== w.content_hash) {
      const { year, ...rest } = w;
      await db.updateTable('weeks').set(rest).where('year', '=', year).execute();
      changed++;
    }
  }
  if (changed) await bumpCache(db, 'weeks');
  return changed;
}

export function listWeeks(db: DB) {
  return db.selectFrom('weeks').selectAll().orderBy('year', 'desc').execute();
}

/** Every Week's year, newest first (the choices for "linked to the Week of …"). */
export async function weekYears(db: DB): Promise<number[]> {
  return (await db.selectFrom('weeks').select('year').orderBy('year', 'desc').execute()).map((w) => w.year);
}

export function getWeek(db: DB, year: number) {
  return db.selectFrom('weeks').selectAll().where('year', '=', year).executeTakeFirst();
}

/**
 * A Week's headline — what the header and the home page show. Not the Markdown bodies: they are
 * ~10 KB a row and this is read on every page (root loader), where `select *` was most of the
 * database time of a signed-in `/`.
 */
const HEADLINE = [
  'year',
  'theme_vi',
  'theme_en',
  'starts_on',
  'ends_on',
  'opening_at',
  'opening_place_vi',
  'opening_place_en',
  'livestream_url',
] as const;
export type WeekHeadline = Pick<Week, (typeof HEADLINE)[number]>;

type FeaturedWeek = { week: WeekHeadline; status: 'current' | 'upcoming' | 'past' } | null;

/**
 * The Week under way today, else the next one, else the latest past one. Every page's header shows
 * it (the root loader): kept per day until a Week changes (`cachedData`), up to three queries a view before.
 */
export function getFeaturedWeek(db: DB, today = todayInVietnam()): Promise<FeaturedWeek> {
  return cachedData(db, `weeks:featured:${today}`, ['weeks'], () => loadFeaturedWeek(db, today));
}

async function loadFeaturedWeek(db: DB, today: string): Promise<FeaturedWeek> {
  const current = await db
    .selectFrom('weeks')
    .select(HEADLINE)
    .where('starts_on', '<=', today)
    .where('ends_on', '>=', today)
    .orderBy('year', 'desc')
    .executeTakeFirst();
  if (current) return { week: current, status: 'current' };
  const next = await db.selectFrom('weeks').select(HEADLINE).where('starts_on', '>', today).orderBy('starts_on').executeTakeFirst();
  if (next) return { week: next, status: 'upcoming' };
  const last = await db.selectFrom('weeks').select(HEADLINE).orderBy('year', 'desc').executeTakeFirst();
  return last ? { week: last, status: 'past' } : null;
}

export type WeekInput = Omit<Week, 'origin' | 'content_hash' | 'updated_at'>;

/** An admin creates a new year's Week; false when that year exists already. */
export async function createWeek(db: DB, input: WeekInput): Promise<boolean> {
  const exists = await getWeek(db, input.year);
  if (exists) return false;
  await db
    .insertInto('weeks')
    .values({ ...input, origin: 'ui', content_hash: null, updated_at: nowIso() })
    .execute();
  await bumpCache(db, 'weeks', input.year);
  return true;
}

/** An admin edits a Week; from then on the UI owns it and content files no longer overwrite it. */
export async function updateWeek(db: DB, year: number, input: Omit<WeekInput, 'year'>): Promise<void> {
  await db
    .updateTable('weeks')
    .set({ ...input, origin: 'ui', updated_at: nowIso() })
    .where('year', '=', year)
    .execute();
  await bumpCache(db, 'weeks', year);
}

export function weekTheme(w: Pick<Week, 'theme_vi' | 'theme_en'>, locale: string): string {
  return locale === 'en' ? w.theme_en : w.theme_vi;
}

/**
 * The year a new Week should be for: the first year that has no Week and whose October has not
 * passed (on 30/11/2026 that is 2027, even when 2026 has no Week).
 */
export async function proposedNextYear(db: DB, today = todayInVietnam()): Promise<number> {
  const years = new Set((await db.selectFrom('weeks').select('year').execute()).map((r) => r.year));
  let y = Number(today.slice(0, 4));
  if (today > `${y}-10-31`) y++;
  while (years.has(y)) y++;
  return y;
}

/** Whether the user may create a new year's Week (an admin of the root unit, the Ministry). */
export async function canCreateWeek(db: DB, userId: string): Promise<boolean> {
  const root = await getRootUnit(db);
  return !!root && (await hasRole(db, userId, root.id, 'admin'));
}

/**
 * The home page: the Week under way or coming (with what is on), else the latest Week as past —
 * with no activities listed as "upcoming" — and, for organisers, the next Week to create.
 */
export async function homePage(db: DB, userId: string | null, now = new Date()) {
  const today = todayInVietnam(now);
  const featured = await getFeaturedWeek(db, today);
  const activities = featured && featured.status !== 'past' ? await upcomingActivities(db, featured.week.year, now.toISOString()) : [];
  const idle = !featured || featured.status === 'past';
  const nextYear = idle ? await proposedNextYear(db, today) : null;
  let organiser: { canCreate: boolean; nextYear: number } | null = null;
  if (userId && nextYear) {
    const roles = await userRoles(db, userId);
    if (roles.includes('organiser') || roles.includes('admin')) organiser = { canCreate: await canCreateWeek(db, userId), nextYear };
  }
  return { featured, activities, organiser, nextYear };
}
