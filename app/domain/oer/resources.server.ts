/**
 * Open educational resources: authoring, moderation (draft → submitted → published | returned),
 * version history of published edits, views and watch progress, and the search index feed.
 */
import { sql } from 'kysely';

import { lockRows, toNumber, writeTransaction } from '~/db/dialect';
import type { Licence, ResourceKind, ResourceLevel, ResourcesTable, Subject } from '~/db/schema/oer';
import { hasRole, unitsWithAnyRole } from '~/domain/accounts.server';
import { indexDocument, removeDocument } from '~/domain/search/index.server';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { bumpCache, cachedData } from '~/lib/page-cache.server';
import { err, ok, type Result } from '~/lib/result';
import { deleteBlob } from '~/lib/storage/index.server';

import { creditHeartbeat } from '../watch-time.server';

export type Resource = ResourcesTable;

/**
 * Why a change to a resource was refused: `not_found`/`forbidden` (the shared access codes),
 * `state` (not in a status that allows it, or changed meanwhile), `no_source` (nothing to show yet),
 * `comment_required` (returning or taking down needs a reason).
 */
export type ResourceError = 'not_found' | 'forbidden' | 'state' | 'no_source' | 'comment_required';

export const AUTHOR_UNIT_KINDS = ['school', 'university'] as const;

/** Teachers publish for their school or university: any staff role there (held there or above). */
export async function canAuthor(db: DB, userId: string, unitId: string): Promise<boolean> {
  const unit = await db.selectFrom('units').select('kind').where('id', '=', unitId).executeTakeFirst();
  if (!unit || !(AUTHOR_UNIT_KINDS as readonly string[]).includes(unit.kind)) return false;
  for (const role of ['teacher', 'organiser', 'librarian'] as const) if (await hasRole(db, userId, unitId, role)) return true;
  return false;
}

/** Organisers and librarians of the resource's unit or of any unit above it review. */
export async function canReview(db: DB, userId: string, unitId: string): Promise<boolean> {
  return (await hasRole(db, userId, unitId, 'organiser')) || (await hasRole(db, userId, unitId, 'librarian'));
}

/** The school/university units where the user may create resources. */
export function authorUnits(db: DB, userId: string) {
  return unitsWithAnyRole(db, userId, ['teacher', 'organiser', 'librarian'], AUTHOR_UNIT_KINDS)
    .clearSelect()
    .select(['u.id', 'u.name', 'u.name_en', 'u.slug'])
    .orderBy('u.name')
    .execute();
}

export interface ResourceInput {
  unitId: string;
  kind: ResourceKind;
  title: string;
  summary: string;
  authors: string;
  subject: Subject;
  level: ResourceLevel;
  language: string;
  licence: Licence;
  rightsHolder: string | null;
  years: number[];
  durationSeconds: number | null;
  pageCount: number | null;
  bodyMd: string;
  hlsUrl: string | null;
  externalUrl: string | null;
  chapters: string;
}

/** Files already stored (see uploads.server.ts); null leaves the current file in place. */
export interface ResourceFiles {
  media?: { key: string; mime: string; size: number; name: string } | null;
  captionsKey?: string | null;
  thumbnailKey?: string | null;
}

function columns(input: ResourceInput) {
  return {
    unit_id: input.unitId,
    kind: input.kind,
    title: input.title.trim(),
    summary: input.summary.trim(),
    authors: input.authors.trim(),
    subject: input.subject,
    level: input.level,
    language: input.language,
    licence: input.licence,
    rights_holder: input.rightsHolder?.trim() || null,
    duration_seconds: input.durationSeconds,
    page_count: input.pageCount,
    body_md: input.bodyMd,
    hls_url: input.hlsUrl || null,
    external_url: input.externalUrl || null,
    chapters: input.chapters.trim(),
  };
}

function fileColumns(files: ResourceFiles) {
  const c: Partial<Resource> = {};
  if (files.media)
    Object.assign(c, {
      media_key: files.media.key,
      media_type: files.media.mime,
      media_size: files.media.size,
      media_name: files.media.name,
    });
  if (files.captionsKey) c.captions_key = files.captionsKey;
  if (files.thumbnailKey) c.thumbnail_key = files.thumbnailKey;
  return c;
}

export async function createResource(
  db: DB,
  authorId: string,
  input: ResourceInput,
  files: ResourceFiles = {},
): Promise<Result<string, 'forbidden'>> {
  if (!(await canAuthor(db, authorId, input.unitId))) return err('forbidden');
  const id = newId();
  const now = nowIso();
  await writeTransaction(db, async (trx) => {
    await trx
      .insertInto('resources')
      .values({
        id,
        author_id: authorId,
        status: 'draft',
        ...columns(input),
        media_key: null,
        media_type: null,
        media_size: null,
        media_name: null,
        captions_key: null,
        thumbnail_key: null,
        ...fileColumns(files),
        review_comment: null,
        reviewed_by: null,
        reviewed_at: null,
        version: 1,
        views: 0,
        published_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await setYears(trx, id, input.years);
  });
  return ok(id);
}

async function setYears(db: DB, id: string, years: number[]) {
  await db.deleteFrom('resource_years').where('resource_id', '=', id).execute();
  const uniq = [...new Set(years.filter((y) => Number.isInteger(y) && y >= 2000 && y <= 2100))];
  if (uniq.length)
    await db
      .insertInto('resource_years')
      .values(uniq.map((year) => ({ resource_id: id, year })))
      .execute();
}

export function getResource(db: DB, id: string) {
  return db.selectFrom('resources').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getYears(db: DB, id: string): Promise<number[]> {
  const rows = await db.selectFrom('resource_years').select('year').where('resource_id', '=', id).orderBy('year').execute();
  return rows.map((r) => r.year);
}

/** Who may edit: the author while not under review; reviewers of the unit at any time. */
export async function canEdit(db: DB, userId: string, r: Pick<Resource, 'author_id' | 'unit_id' | 'status'>): Promise<boolean> {
  if (r.author_id === userId && r.status !== 'submitted') return true;
  return canReview(db, userId, r.unit_id);
}

/**
 * Saves an author's edit. A published resource is not changed: the edit waits as a pending edit
 * (one per resource; a newer one replaces it) until a reviewer approves it, so what the public
 * sees has always been reviewed. `pending: true` tells the author so.
 */
export async function updateResource(
  db: DB,
  userId: string,
  id: string,
  input: ResourceInput,
  files: ResourceFiles = {},
): Promise<Result<{ pending: boolean }, 'not_found' | 'forbidden'>> {
  const replaced: Array<string | null> = [];
  const done = await writeTransaction(db, async (trx): Promise<Result<{ pending: boolean }, 'not_found' | 'forbidden'>> => {
    const r = await lockRows(trx, trx.selectFrom('resources').selectAll().where('id', '=', id)).executeTakeFirst();
    if (!r) return err('not_found');
    if (!(await canEdit(trx, userId, r))) return err('forbidden');
    if (input.unitId !== r.unit_id && !(await canAuthor(trx, userId, input.unitId)) && !(await canReview(trx, userId, input.unitId)))
      return err('forbidden');
    const fc = fileColumns(files);
    if (r.status === 'published') {
      const changes: PendingChanges = { ...columns(input), ...fc, years: input.years };
      const previous = await trx.selectFrom('resource_pending_edits').select('changes').where('resource_id', '=', id).executeTakeFirst();
      if (previous) replaced.push(...pendingFileKeys(JSON.parse(previous.changes) as PendingChanges));
      await trx
        .insertInto('resource_pending_edits')
        .values({ resource_id: id, changes: JSON.stringify(changes), edited_by: userId, created_at: nowIso() })
        .onConflict((oc) =>
          oc.column('resource_id').doUpdateSet({ changes: JSON.stringify(changes), edited_by: userId, created_at: nowIso() }),
        )
        .execute();
      return ok({ pending: true });
    }
    if (fc.media_key) replaced.push(r.media_key);
    if (fc.captions_key) replaced.push(r.captions_key);
    if (fc.thumbnail_key) replaced.push(r.thumbnail_key);
    await trx
      .updateTable('resources')
      .set({ ...columns(input), ...fc, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    await setYears(trx, id, input.years);
    return ok({ pending: false });
  });
  if (!done.ok) return done;
  // Files of a superseded pending edit, or replaced on an unpublished resource, are not referred to.
  for (const k of replaced) await deleteBlob(k);
  return done;
}

// ---- pending edits of published resources (reviewed like a submission) ----

export type PendingChanges = ReturnType<typeof columns> &
  Partial<Pick<Resource, 'media_key' | 'media_type' | 'media_size' | 'media_name' | 'captions_key' | 'thumbnail_key'>> & {
    years: number[];
  };

function pendingFileKeys(c: PendingChanges): string[] {
  return [c.media_key, c.captions_key, c.thumbnail_key].filter((k): k is string => !!k);
}

export async function getPendingEdit(db: DB, id: string) {
  const row = await db
    .selectFrom('resource_pending_edits as p')
    .innerJoin('users as u', 'u.id', 'p.edited_by')
    .select(['p.changes', 'p.created_at', 'u.display_name as edited_by_name'])
    .where('p.resource_id', '=', id)
    .executeTakeFirst();
  return row ? { changes: JSON.parse(row.changes) as PendingChanges, createdAt: row.created_at, editedBy: row.edited_by_name } : null;
}

export const DIFF_FIELDS = [
  'title',
  'summary',
  'authors',
  'unit_id',
  'kind',
  'subject',
  'level',
  'language',
  'licence',
  'rights_holder',
  'duration_seconds',
  'page_count',
  'body_md',
  'hls_url',
  'external_url',
  'chapters',
  'years',
  'media_name',
  'captions_key',
  'thumbnail_key',
] as const;
export type DiffField = (typeof DIFF_FIELDS)[number];
export interface FieldChange {
  field: DiffField;
  before: string;
  after: string;
}

/** What the pending edit changes, field by field (published value → proposed value). */
export async function pendingDiff(db: DB, id: string): Promise<FieldChange[] | null> {
  const [r, pending] = await Promise.all([getResource(db, id), getPendingEdit(db, id)]);
  if (!r || !pending) return null;
  const years = (await getYears(db, id)).join(', ');
  const current: Record<DiffField, unknown> = { ...r, years };
  const proposed: Record<string, unknown> = { ...pending.changes, years: pending.changes.years.join(', ') };
  const out: FieldChange[] = [];
  for (const field of DIFF_FIELDS) {
    if (!(field in proposed)) continue;
    const before = current[field] == null ? '' : String(current[field]);
    const after = proposed[field] == null ? '' : String(proposed[field]);
    if (field === 'captions_key' || field === 'thumbnail_key') {
      if (after && after !== before) out.push({ field, before: before ? '✓' : '', after: '✓ (new)' });
      continue;
    }
    if (before !== after) out.push({ field, before, after });
  }
  return out;
}

/** A reviewer applies the pending edit: the published metadata is kept as a numbered version. */
export async function approvePendingEdit(db: DB, userId: string, id: string): Promise<Result<undefined, ResourceError>> {
  const done = await writeTransaction(db, async (trx): Promise<Result<undefined, ResourceError>> => {
    const r = await lockRows(trx, trx.selectFrom('resources').selectAll().where('id', '=', id)).executeTakeFirst();
    if (!r) return err('not_found');
    if (!(await canReview(trx, userId, r.unit_id))) return err('forbidden');
    const pending = await trx.selectFrom('resource_pending_edits').selectAll().where('resource_id', '=', id).executeTakeFirst();
    if (!pending || r.status !== 'published') return err('state');
    const { years: newYears, ...changes } = JSON.parse(pending.changes) as PendingChanges;
    if (changes.unit_id !== r.unit_id && !(await canReview(trx, userId, changes.unit_id))) return err('forbidden');
    const years = await getYears(trx, id);
    await trx
      .insertInto('resource_versions')
      .values({
        id: newId(),
        resource_id: id,
        version: r.version,
        snapshot: JSON.stringify({ ...r, years }),
        edited_by: pending.edited_by,
        created_at: nowIso(),
      })
      .execute();
    await trx
      .updateTable('resources')
      .set({ ...changes, version: r.version + 1, reviewed_by: userId, reviewed_at: nowIso(), updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    await setYears(trx, id, newYears);
    await trx.deleteFrom('resource_pending_edits').where('resource_id', '=', id).execute();
    return ok();
  });
  if (!done.ok) return done;
  await reindex(db, id);
  await bumpCache(db, 'oer', id);
  return ok();
}

/** A reviewer turns the pending edit down; the published version stays, the comment goes to the author. */
export async function rejectPendingEdit(db: DB, userId: string, id: string, comment: string): Promise<Result<undefined, ResourceError>> {
  const done = await writeTransaction(db, async (trx): Promise<Result<string[], ResourceError>> => {
    const r = await lockRows(trx, trx.selectFrom('resources').selectAll().where('id', '=', id)).executeTakeFirst();
    if (!r) return err('not_found');
    if (!(await canReview(trx, userId, r.unit_id))) return err('forbidden');
    if (!comment.trim()) return err('comment_required');
    const pending = await trx.selectFrom('resource_pending_edits').selectAll().where('resource_id', '=', id).executeTakeFirst();
    if (!pending) return err('state');
    await trx.deleteFrom('resource_pending_edits').where('resource_id', '=', id).execute();
    await trx
      .updateTable('resources')
      .set({ review_comment: comment.trim(), reviewed_by: userId, reviewed_at: nowIso() })
      .where('id', '=', id)
      .execute();
    return ok(pendingFileKeys(JSON.parse(pending.changes) as PendingChanges));
  });
  if (!done.ok) return done;
  for (const k of done.value) await deleteBlob(k);
  return ok();
}

export function hasSource(r: Pick<Resource, 'kind' | 'media_key' | 'hls_url' | 'external_url' | 'body_md'>): boolean {
  switch (r.kind) {
    case 'article':
      return r.body_md.trim().length > 0;
    case 'video':
      return !!(r.media_key || r.hls_url);
    case 'interactive':
    case 'simulation':
      return !!(r.media_key || r.external_url);
    default:
      return !!(r.media_key || r.external_url);
  }
}

/** The author sends a draft (or a returned resource) for review. */
export async function submitResource(db: DB, userId: string, id: string): Promise<Result<undefined, ResourceError>> {
  return writeTransaction(db, async (trx): Promise<Result<undefined, ResourceError>> => {
    const r = await lockRows(trx, trx.selectFrom('resources').selectAll().where('id', '=', id)).executeTakeFirst();
    if (!r) return err('not_found');
    if (r.author_id !== userId) return err('forbidden');
    if (r.status !== 'draft' && r.status !== 'returned') return err('state');
    if (!hasSource(r)) return err('no_source');
    await trx
      .updateTable('resources')
      .set({ status: 'submitted', updated_at: nowIso() })
      .where('id', '=', id)
      .where('status', 'in', ['draft', 'returned'])
      .execute();
    return ok();
  });
}

/** A reviewer publishes a submitted resource or returns it with a comment. */
export async function reviewResource(
  db: DB,
  userId: string,
  id: string,
  decision: 'publish' | 'return',
  comment: string,
): Promise<Result<undefined, ResourceError>> {
  const done = await writeTransaction(db, async (trx): Promise<Result<undefined, ResourceError>> => {
    const r = await lockRows(trx, trx.selectFrom('resources').selectAll().where('id', '=', id)).executeTakeFirst();
    if (!r) return err('not_found');
    if (!(await canReview(trx, userId, r.unit_id))) return err('forbidden');
    if (r.status !== 'submitted') return err('state');
    if (decision === 'return' && !comment.trim()) return err('comment_required');
    const now = nowIso();
    const res = await trx
      .updateTable('resources')
      .set({
        status: decision === 'publish' ? 'published' : 'returned',
        review_comment: comment.trim() || null,
        reviewed_by: userId,
        reviewed_at: now,
        published_at: decision === 'publish' ? (r.published_at ?? now) : r.published_at,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('status', '=', 'submitted')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1 ? ok() : err('state');
  });
  if (done.ok && decision === 'publish') {
    await reindex(db, id);
    await bumpCache(db, 'oer', id);
  }
  return done;
}

/** A reviewer takes a published resource down (back to the author as returned). */
export async function withdrawResource(db: DB, userId: string, id: string, comment: string): Promise<Result<undefined, ResourceError>> {
  const done = await writeTransaction(db, async (trx): Promise<Result<undefined, ResourceError>> => {
    const r = await lockRows(trx, trx.selectFrom('resources').selectAll().where('id', '=', id)).executeTakeFirst();
    if (!r) return err('not_found');
    if (!(await canReview(trx, userId, r.unit_id))) return err('forbidden');
    // Only a published resource can be taken down (a draft or a submission is not public).
    if (r.status !== 'published') return err('state');
    if (!comment.trim()) return err('comment_required');
    await trx
      .updateTable('resources')
      .set({ status: 'returned', review_comment: comment.trim(), reviewed_by: userId, reviewed_at: nowIso(), updated_at: nowIso() })
      .where('id', '=', id)
      .where('status', '=', 'published')
      .execute();
    await removeDocument(trx, 'resource', id);
    return ok();
  });
  if (done.ok) await bumpCache(db, 'oer', id);
  return done;
}

export function listVersions(db: DB, id: string) {
  return db
    .selectFrom('resource_versions as v')
    .innerJoin('users as u', 'u.id', 'v.edited_by')
    .select(['v.id', 'v.version', 'v.snapshot', 'v.created_at', 'u.display_name as edited_by_name'])
    .where('v.resource_id', '=', id)
    .orderBy('v.version', 'desc')
    .execute();
}

/** Plain text of Markdown, for the index. */
function plain(md: string): string {
  return md
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_`~|-]+/g, ' ');
}

export async function reindex(db: DB, id: string): Promise<void> {
  const r = await getResource(db, id);
  if (!r || r.status !== 'published') {
    await removeDocument(db, 'resource', id);
    return;
  }
  await indexDocument(db, {
    source: 'resource',
    id,
    kind: r.kind,
    title: r.title,
    body: [r.summary, r.authors, plain(r.body_md), r.chapters].filter(Boolean).join('\n'),
    url: `/resources/${id}`,
    subject: r.subject,
    level: r.level,
    licence: r.licence,
    unitId: r.unit_id,
    years: await getYears(db, id),
    language: r.language,
    publishedAt: r.published_at,
  });
}

// ---- lists ----

export interface ListFilters {
  kind?: string;
  subject?: string;
  level?: string;
  licence?: string;
  unitId?: string;
  year?: number;
}

const CARD_COLS = [
  'r.id',
  'r.kind',
  'r.title',
  'r.summary',
  'r.subject',
  'r.level',
  'r.licence',
  'r.thumbnail_key',
  'r.duration_seconds',
  'r.published_at',
  'r.unit_id',
  'u.name as unit_name',
  'u.name_en as unit_name_en',
  'u.slug as unit_slug',
] as const;

/** Published resources, newest first, with optional filters (unit = its whole subtree). */
export async function listPublished(db: DB, f: ListFilters = {}, page = 1, perPage = 24) {
  let q = db.selectFrom('resources as r').where('r.status', '=', 'published');
  if (f.kind) q = q.where('r.kind', '=', f.kind as ResourceKind);
  if (f.subject) q = q.where('r.subject', '=', f.subject as Subject);
  if (f.level) q = q.where('r.level', '=', f.level as ResourceLevel);
  if (f.licence) q = q.where('r.licence', '=', f.licence as Licence);
  if (f.unitId) q = q.where('r.unit_id', 'in', db.selectFrom('unit_closure').select('descendant_id').where('ancestor_id', '=', f.unitId));
  if (f.year) q = q.where('r.id', 'in', db.selectFrom('resource_years').select('resource_id').where('year', '=', f.year));
  const [rows, count] = await Promise.all([
    q
      .innerJoin('units as u', 'u.id', 'r.unit_id')
      .select([...CARD_COLS])
      .orderBy('r.published_at', 'desc')
      .orderBy('r.id')
      .limit(perPage)
      .offset((Math.max(page, 1) - 1) * perPage)
      .execute(),
    // Counted without the units join (unit_id is a required foreign key): 100k rows in ~10 ms, not ~240 ms.
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: toNumber(count.n) };
}

export type ResourceCard = Awaited<ReturnType<typeof listPublished>>['rows'][number];

/** What the author sees: every own resource with its views and completions. */
export function listMine(db: DB, userId: string) {
  return db
    .selectFrom('resources as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .select([
      'r.id',
      'r.kind',
      'r.title',
      'r.status',
      'r.views',
      'r.review_comment',
      'r.updated_at',
      'r.version',
      'u.name as unit_name',
      'u.name_en as unit_name_en',
    ])
    .select((eb) =>
      eb
        .selectFrom('resource_progress as p')
        .select(sql<number>`count(*)`.as('n'))
        .whereRef('p.resource_id', '=', 'r.id')
        .where('p.completed', '=', 1)
        .as('completions'),
    )
    .where('r.author_id', '=', userId)
    .orderBy('r.updated_at', 'desc')
    .execute();
}

/** Submitted resources in every unit the user reviews. */
export function reviewQueue(db: DB, userId: string) {
  return db
    .selectFrom('resources as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .innerJoin('users as a', 'a.id', 'r.author_id')
    .select([
      'r.id',
      'r.kind',
      'r.title',
      'r.updated_at',
      'u.name as unit_name',
      'u.name_en as unit_name_en',
      'a.display_name as author_name',
    ])
    .where('r.status', '=', 'submitted')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('role_grants as g')
          .innerJoin('unit_closure as c', 'c.ancestor_id', 'g.unit_id')
          .select('g.id')
          .whereRef('c.descendant_id', '=', 'r.unit_id')
          .where('g.user_id', '=', userId)
          .where('g.role', 'in', ['organiser', 'librarian', 'admin']),
      ),
    )
    .orderBy('r.updated_at')
    .execute();
}

/** Published resources with an edit awaiting review, in every unit the user reviews. */
export function pendingEditQueue(db: DB, userId: string) {
  return db
    .selectFrom('resource_pending_edits as p')
    .innerJoin('resources as r', 'r.id', 'p.resource_id')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .innerJoin('users as a', 'a.id', 'p.edited_by')
    .select([
      'r.id',
      'r.kind',
      'r.title',
      'p.created_at',
      'u.name as unit_name',
      'u.name_en as unit_name_en',
      'a.display_name as author_name',
    ])
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('role_grants as g')
          .innerJoin('unit_closure as c', 'c.ancestor_id', 'g.unit_id')
          .select('g.id')
          .whereRef('c.descendant_id', '=', 'r.unit_id')
          .where('g.user_id', '=', userId)
          .where('g.role', 'in', ['organiser', 'librarian', 'admin']),
      ),
    )
    .orderBy('p.created_at')
    .execute();
}

// ---- views and progress ----

export async function recordView(db: DB, id: string): Promise<void> {
  await db
    .updateTable('resources')
    .set((eb) => ({ views: eb('views', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'published')
    .execute();
}

/**
 * Views of pages served from the page cache (the loader, which counts a view, does not run for
 * them): buffered in memory, written every few seconds as one update per resource.
 */
const bufferedViews = new Map<string, number>();
export function bufferView(id: string): void {
  bufferedViews.set(id, (bufferedViews.get(id) ?? 0) + 1);
}

export async function flushViews(db: DB): Promise<void> {
  const views = [...bufferedViews];
  bufferedViews.clear();
  for (const [id, n] of views)
    await db
      .updateTable('resources')
      .set((eb) => ({ views: eb('views', '+', n) }))
      .where('id', '=', id)
      .where('status', '=', 'published')
      .execute();
}

export const COMPLETION_RATIO = 0.9;

/** Saves where a viewer is; completion (≥ 90 %) is kept once reached. */
/**
 * A heartbeat from the player: the position is remembered for "resume", and the watch time is
 * credited on the server (watch-time.server.ts) — completion follows the time really watched,
 * not a position or percentage the browser claims. The duration is the resource's own when
 * known; otherwise the largest the player reported (it never shrinks).
 */
export async function saveProgress(
  db: DB,
  userId: string,
  id: string,
  position: number,
  duration: number | null,
  nowMs = Date.now(),
): Promise<{ completed: boolean }> {
  const pos = Number.isFinite(position) && position >= 0 ? position : 0;
  const reported = duration && Number.isFinite(duration) && duration > 0 ? duration : null;
  const now = nowIso();
  const completed = await writeTransaction(db, async (trx) => {
    const prev = await lockRows(
      trx,
      trx.selectFrom('resource_progress').selectAll().where('resource_id', '=', id).where('user_id', '=', userId),
    ).executeTakeFirst();
    const dur = reported || prev?.duration_seconds ? Math.max(reported ?? 0, prev?.duration_seconds ?? 0) : null;
    const beat = creditHeartbeat(prev ?? null, pos, nowMs, dur);
    const done: 0 | 1 = prev?.completed === 1 || (dur && beat.watched_seconds / dur >= COMPLETION_RATIO) ? 1 : 0;
    const values = { position_seconds: pos, duration_seconds: dur, completed: done, updated_at: now, ...beat };
    if (prev) await trx.updateTable('resource_progress').set(values).where('resource_id', '=', id).where('user_id', '=', userId).execute();
    else
      await trx
        .insertInto('resource_progress')
        .values({ resource_id: id, user_id: userId, ...values })
        .execute();
    return done === 1;
  });
  return { completed };
}

export function getProgress(db: DB, userId: string, id: string) {
  return db.selectFrom('resource_progress').selectAll().where('resource_id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

// ---- chapters ----

export interface Chapter {
  start: number;
  title: string;
}

/** "00:00 Mở đầu" / "1:02:03 Phần 3" lines → chapters, sorted; malformed lines are ignored. */
export function parseChapters(text: string): Chapter[] {
  const out: Chapter[] = [];
  for (const line of (text ?? '').split(/\r?\n/)) {
    const m = /^\s*(?:(\d{1,2}):)?(\d{1,2}):(\d{2})\s+[-–—]?\s*(.+?)\s*$/.exec(line);
    if (!m) continue;
    const start = Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
    out.push({ start, title: m[4]!.slice(0, 200) });
  }
  return out.sort((a, b) => a.start - b.start);
}

export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Published resources tagged with a Week year (for the Week page). */
export async function resourcesForYear(db: DB, year: number, limit = 8) {
  return (await listPublished(db, { year }, 1, limit)).rows;
}

/** Loader helper for the Week page: `rows` go to <WeekResources year rows />. */
export async function weekResourcesData(db: DB, year: number) {
  // The same for every visitor: kept until a resource or a unit changes.
  return { year, rows: await cachedData(db, `oer:week:${year}`, ['oer', 'units'], () => resourcesForYear(db, year, 6)) };
}

/** Filters from a query string, unknown values dropped. */
export function filtersFromParams(p: URLSearchParams): ListFilters {
  const f: ListFilters = {};
  const pick = (k: 'kind' | 'subject' | 'level' | 'licence') => {
    const v = p.get(k);
    if (v && /^[a-z0-9-]{1,40}$/.test(v)) f[k] = v;
  };
  pick('kind');
  pick('subject');
  pick('level');
  pick('licence');
  const y = Number(p.get('year'));
  if (Number.isInteger(y) && y >= 2000 && y <= 2100) f.year = y;
  return f;
}

export async function weekYears(db: DB): Promise<number[]> {
  return (await db.selectFrom('weeks').select('year').orderBy('year', 'desc').execute()).map((w) => w.year);
}
