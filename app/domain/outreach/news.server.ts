/**
 * News (tin tức) of a unit's Week: short items an organiser writes — a title, Markdown (sanitised
 * on display), an optional cover photo kept by the storage module and checked by content, and the
 * day it is about. An item is a draft (only the unit's organisers see it), scheduled (public from
 * its time), or published; organisers edit it (an optimistic version check: two editors never
 * overwrite each other silently), publish it, take it down again (unpublish = back to draft) or
 * delete it. Public items show on the unit's news page, its unit page, the plan page of its
 * Week, the Week's kit page and the Atom feeds; every change bumps those cached pages, and the
 * periodic job `outreach:publish-due` bumps them when a scheduled item's time comes.
 */
import type { ExpressionBuilder } from 'kysely';

import type { Database } from '~/db/schema';
import type { NewsStatus } from '~/db/schema/outreach';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { renderMarkdown } from '~/lib/markdown.server';
import { bumpCache } from '~/lib/page-cache.server';
import { err, ok, type Result } from '~/lib/result';
import { deleteBlob } from '~/lib/storage/index.server';

import { canManageOutreach } from './access.server';

export type NewsError = 'not_found' | 'forbidden' | 'conflict';

/** When the item goes public: now, at a time (ISO), or not yet (a draft). */
export type Publish = { mode: 'now' } | { mode: 'draft' } | { mode: 'schedule'; at: string };

export interface NewsInput {
  year: number;
  unitId: string;
  title: string;
  bodyMd: string;
  /** yyyy-MM-dd */
  newsDate: string;
  photo: { key: string; alt: string } | null;
  publish?: Publish;
}

function lifeCycle(p: Publish | undefined, now: Date): { status: NewsStatus; publish_at: string | null } {
  const at = now.toISOString();
  if (!p || p.mode === 'now') return { status: 'published', publish_at: at };
  if (p.mode === 'draft') return { status: 'draft', publish_at: null };
  // A time already past publishes at once (nothing would ever be "scheduled" for yesterday).
  return p.at <= at ? { status: 'published', publish_at: at } : { status: 'scheduled', publish_at: p.at };
}

/** An organiser of the unit writes a news item about the unit's Week. */
export async function postNews(db: DB, userId: string, input: NewsInput, now = new Date()): Promise<Result<string, NewsError>> {
  if (!(await canManageOutreach(db, userId, input.unitId))) return err('forbidden');
  const week = await db.selectFrom('weeks').select('year').where('year', '=', input.year).executeTakeFirst();
  if (!week) return err('not_found');
  const id = newId();
  const at = now.toISOString();
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
      created_at: at,
      updated_at: at,
      updated_by: userId,
      version: 1,
      ...lifeCycle(input.publish, now),
    })
    .execute();
  await bumpCache(db, 'outreach', input.year);
  return ok(id);
}

export interface NewsEdit {
  title: string;
  bodyMd: string;
  newsDate: string;
  /** A new cover photo (replaces the old one), or null to keep what is there. */
  photo: { key: string } | null;
  photoAlt: string;
  removePhoto: boolean;
  publish: Publish;
  /** The version the editor started from. */
  version: number;
}

async function managed(db: DB, userId: string, id: string) {
  const n = await db.selectFrom('outreach_news').selectAll().where('id', '=', id).executeTakeFirst();
  if (!n) return err('not_found' as const);
  if (!(await canManageOutreach(db, userId, n.unit_id)))
    return err(isPublic(n, new Date()) ? ('forbidden' as const) : ('not_found' as const));
  return ok(n);
}

/**
 * Saves an edit when nobody saved in between (else `conflict`, and nothing is written: the
 * editor sees the current text next to theirs). A published item edited with "publish now"
 * keeps its first publication time.
 */
export async function updateNews(db: DB, userId: string, id: string, e: NewsEdit, now = new Date()): Promise<Result<undefined, NewsError>> {
  const m = await managed(db, userId, id);
  if (!m.ok) return m;
  const n = m.value;
  const life =
    e.publish.mode === 'now' && n.status === 'published' ? { status: n.status, publish_at: n.publish_at } : lifeCycle(e.publish, now);
  const photoKey = e.photo ? e.photo.key : e.removePhoto ? null : n.photo_key;
  const r = await db
    .updateTable('outreach_news')
    .set({
      title: e.title.trim(),
      body_md: e.bodyMd,
      news_date: e.newsDate,
      photo_key: photoKey,
      photo_alt: photoKey ? e.photoAlt.trim() || n.photo_alt : null,
      ...life,
      version: n.version + 1,
      updated_at: now.toISOString(),
      updated_by: userId,
    })
    .where('id', '=', id)
    .where('version', '=', e.version)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return err('conflict');
  if (n.photo_key && n.photo_key !== photoKey) await deleteBlob(n.photo_key);
  await bumpCache(db, 'outreach', n.week_year);
  return ok();
}

/** Publishes a draft or scheduled item now, or takes a public one down (back to a draft). */
export async function setNewsPublished(
  db: DB,
  userId: string,
  id: string,
  publish: boolean,
  now = new Date(),
): Promise<Result<undefined, NewsError>> {
  const m = await managed(db, userId, id);
  if (!m.ok) return m;
  const n = m.value;
  await db
    .updateTable('outreach_news')
    .set({
      ...(publish ? { status: 'published' as const, publish_at: now.toISOString() } : { status: 'draft' as const, publish_at: null }),
      version: n.version + 1,
      updated_at: now.toISOString(),
      updated_by: userId,
    })
    .where('id', '=', id)
    .execute();
  await bumpCache(db, 'outreach', n.week_year);
  return ok();
}

/** An organiser of the unit removes a news item (and its photo). */
export async function deleteNews(db: DB, userId: string, id: string): Promise<Result<undefined, NewsError>> {
  const m = await managed(db, userId, id);
  if (!m.ok) return m;
  await db.deleteFrom('outreach_news').where('id', '=', id).execute();
  await deleteBlob(m.value.photo_key);
  await bumpCache(db, 'outreach', m.value.week_year);
  return ok();
}

/**
 * The periodic job: scheduled items whose time came become published, and the cached pages
 * that show them are bumped (the public queries already show a due item; this refreshes caches).
 */
export async function publishDueNews(db: DB, now = new Date()): Promise<number> {
  const at = now.toISOString();
  const due = await db
    .selectFrom('outreach_news')
    .select(['id', 'week_year'])
    .where('status', '=', 'scheduled')
    .where('publish_at', '<=', at)
    .execute();
  if (!due.length) return 0;
  await db
    .updateTable('outreach_news')
    .set({ status: 'published' })
    .where(
      'id',
      'in',
      due.map((d) => d.id),
    )
    .where('status', '=', 'scheduled')
    .execute();
  for (const year of new Set(due.map((d) => d.week_year))) await bumpCache(db, 'outreach', year);
  return due.length;
}

function isPublic(n: { status: NewsStatus; publish_at: string | null }, now: Date): boolean {
  return n.status === 'published' || (n.status === 'scheduled' && !!n.publish_at && n.publish_at <= now.toISOString());
}

/** Public: published, or scheduled and due (whether or not the job has run yet). */
function publicOnly(now: Date) {
  const at = now.toISOString();
  return (eb: ExpressionBuilder<Database & { n: Database['outreach_news'] }, 'n'>) =>
    eb.or([eb('n.status', '=', 'published'), eb.and([eb('n.status', '=', 'scheduled'), eb('n.publish_at', '<=', at)])]);
}

export interface NewsItem {
  id: string;
  year: number;
  title: string;
  bodyMd: string;
  html: string;
  date: string;
  photoKey: string | null;
  photoAlt: string | null;
  status: NewsStatus;
  publishAt: string | null;
  isPublic: boolean;
  version: number;
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
      'n.status',
      'n.publish_at',
      'n.version',
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

function toItem(r: Row, now: Date): NewsItem {
  return {
    id: r.id,
    year: r.week_year,
    title: r.title,
    bodyMd: r.body_md,
    html: renderMarkdown(r.body_md),
    date: r.news_date,
    photoKey: r.photo_key,
    photoAlt: r.photo_alt,
    status: r.status,
    publishAt: r.publish_at,
    isPublic: isPublic(r, now),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    unitSlug: r.slug,
    unitName: r.name,
    unitNameEn: r.name_en,
  };
}

/**
 * A unit's news, newest first: of one Week, or of every Week. Public items only, unless
 * `withUnpublished` (the organisers' page: drafts and scheduled items too).
 */
export async function newsOfUnit(
  db: DB,
  unitId: string,
  opts: { year?: number; limit?: number; withUnpublished?: boolean; now?: Date } = {},
): Promise<NewsItem[]> {
  const now = opts.now ?? new Date();
  let q = baseQuery(db).where('n.unit_id', '=', unitId);
  if (opts.year !== undefined) q = q.where('n.week_year', '=', opts.year);
  if (!opts.withUnpublished) q = q.where(publicOnly(now));
  return (await q.limit(opts.limit ?? 50).execute()).map((r) => toItem(r, now));
}

/** The public news of every unit for a Week, newest first (the Week's feed). */
export async function newsOfWeek(db: DB, year: number, limit = 50, now = new Date()): Promise<NewsItem[]> {
  return (await baseQuery(db).where('n.week_year', '=', year).where(publicOnly(now)).limit(limit).execute()).map((r) => toItem(r, now));
}

/** One item for its edit form (organisers of its unit only); null when missing or not theirs. */
export async function newsForEdit(db: DB, userId: string, unitId: string, id: string, now = new Date()): Promise<NewsItem | null> {
  const r = await baseQuery(db).where('n.id', '=', id).where('n.unit_id', '=', unitId).executeTakeFirst();
  if (!r || !(await canManageOutreach(db, userId, unitId))) return null;
  return toItem(r, now);
}

/**
 * The stored photo of a news item of this unit: anyone's when the item is public, its unit's
 * organisers' otherwise (`isPublic` tells the route how it may be cached).
 */
export async function newsPhoto(
  db: DB,
  unitSlug: string,
  id: string,
  userId: string | null = null,
  now = new Date(),
): Promise<{ key: string; isPublic: boolean } | null> {
  const r = await db
    .selectFrom('outreach_news as n')
    .innerJoin('units as u', 'u.id', 'n.unit_id')
    .select(['n.photo_key', 'n.status', 'n.publish_at', 'n.unit_id'])
    .where('n.id', '=', id)
    .where('u.slug', '=', unitSlug)
    .executeTakeFirst();
  if (!r?.photo_key) return null;
  const pub = isPublic(r, now);
  if (!pub && !(await canManageOutreach(db, userId, r.unit_id))) return null;
  return { key: r.photo_key, isPublic: pub };
}

/** The path of a news item's photo on this site. */
export function newsPhotoPath(item: Pick<NewsItem, 'id' | 'unitSlug' | 'photoKey'>): string | null {
  return item.photoKey ? `/units/${encodeURIComponent(item.unitSlug)}/news/${encodeURIComponent(item.id)}/photo` : null;
}
