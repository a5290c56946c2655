/**
 * News (tin tức) of a unit's Week: short items an organiser posts — a title, Markdown (sanitised
 * on display), an optional photo kept by the storage module and checked by content, and the day
 * it is about. Shown on the unit's plan page and unit page, and in the Atom feeds.
 */
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { renderMarkdown } from '~/lib/markdown.server';
import { bumpCache } from '~/lib/page-cache.server';
import { err, ok, type Result } from '~/lib/result';
import { deleteBlob } from '~/lib/storage/index.server';

import { canManageOutreach } from './access.server';

export type NewsError = 'not_found' | 'forbidden';

export interface NewsInput {
  year: number;
  unitId: string;
  title: string;
  bodyMd: string;
  /** yyyy-MM-dd */
  newsDate: string;
  photo: { key: string; alt: string } | null;
}

/** An organiser of the unit posts a news item about the unit's Week. */
export async function postNews(db: DB, userId: string, input: NewsInput): Promise<Result<string, NewsError>> {
  if (!(await canManageOutreach(db, userId, input.unitId))) return err('forbidden');
  const week = await db.selectFrom('weeks').select('year').where('year', '=', input.year).executeTakeFirst();
  if (!week) return err('not_found');
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('outreach_news')
    .values({
      id,
      week_year: input.year,
      unit_id: input.unitId,
      title: input.title.trim(),
      body_md: input.bodyMd,
      photo_key: input.photo?.key ?? null,
      photo_alt: input.photo?.alt.trim() ?? null,
      news_date: input.newsDate,
      created_by: userId,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await bumpCache(db, 'outreach', input.year);
  return ok(id);
}

/** An organiser of the unit removes a news item (and its photo). */
export async function deleteNews(db: DB, userId: string, id: string): Promise<Result<undefined, NewsError>> {
  const n = await db.selectFrom('outreach_news').select(['unit_id', 'week_year', 'photo_key']).where('id', '=', id).executeTakeFirst();
  if (!n) return err('not_found');
  if (!(await canManageOutreach(db, userId, n.unit_id))) return err('forbidden');
  await db.deleteFrom('outreach_news').where('id', '=', id).execute();
  await deleteBlob(n.photo_key);
  await bumpCache(db, 'outreach', n.week_year);
  return ok();
}

export interface NewsItem {
  id: string;
  year: number;
  title: string;
  html: string;
  date: string;
  photoKey: string | null;
  photoAlt: string | null;
  updatedAt: string;
  createdAt: string;
  unitSlug: string;
  unitName: string;
  unitNameEn: string | null;
}

function baseQuery(db: DB) {
  return db
    .selectFrom('outreach_news as n')
    .innerJoin('units as u', 'u.id', 'n.unit_id')
    .select([
      'n.id',
      'n.week_year',
      'n.title',
      'n.body_md',
      'n.news_date',
      'n.photo_key',
      'n.photo_alt',
      'n.created_at',
      'n.updated_at',
      'u.slug',
      'u.name',
      'u.name_en',
    ])
    .orderBy('n.news_date', 'desc')
    .orderBy('n.created_at', 'desc');
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

function toItem(r: Row): NewsItem {
  return {
    id: r.id,
    year: r.week_year,
    title: r.title,
    html: renderMarkdown(r.body_md),
    date: r.news_date,
    photoKey: r.photo_key,
    photoAlt: r.photo_alt,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    unitSlug: r.slug,
    unitName: r.name,
    unitNameEn: r.name_en,
  };
}

/** A unit's news, newest first: of one Week, or of every Week. */
export async function newsOfUnit(db: DB, unitId: string, opts: { year?: number; limit?: number } = {}): Promise<NewsItem[]> {
  let q = baseQuery(db).where('n.unit_id', '=', unitId);
  if (opts.year !== undefined) q = q.where('n.week_year', '=', opts.year);
  return (await q.limit(opts.limit ?? 50).execute()).map(toItem);
}

/** The news of every unit for a Week, newest first (the Week's feed). */
export async function newsOfWeek(db: DB, year: number, limit = 50): Promise<NewsItem[]> {
  return (await baseQuery(db).where('n.week_year', '=', year).limit(limit).execute()).map(toItem);
}

/** The stored photo of a news item of this unit (the photo route serves it). */
export async function newsPhoto(db: DB, unitSlug: string, id: string): Promise<{ key: string } | null> {
  const r = await db
    .selectFrom('outreach_news as n')
    .innerJoin('units as u', 'u.id', 'n.unit_id')
    .select('n.photo_key')
    .where('n.id', '=', id)
    .where('u.slug', '=', unitSlug)
    .executeTakeFirst();
  return r?.photo_key ? { key: r.photo_key } : null;
}

/** The path of a news item's photo on this site. */
export function newsPhotoPath(item: Pick<NewsItem, 'id' | 'unitSlug' | 'photoKey'>): string | null {
  return item.photoKey ? `/units/${encodeURIComponent(item.unitSlug)}/news/${encodeURIComponent(item.id)}/photo` : null;
}
