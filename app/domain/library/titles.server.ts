/** The catalogue: shared bibliographic records and the holdings of each library. */
import { sql } from 'kysely';

import { toNumber } from '~/db/dialect';
import type { LibAudience } from '~/db/schema/library';
import { unitsWithAnyRole } from '~/domain/accounts.server';
import { LIBRARY_KINDS } from '~/domain/units.server';
import { todayInVietnam } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { bumpCache, cachedData } from '~/lib/page-cache.server';
import { viSortKey } from '~/lib/vi-sort';

import { holdingAvailability } from './circulation.server';

export interface TitleInput {
  slug: string;
  title: string;
  author: string;
  language: string;
  description: string;
  subjects: string[];
  audience: LibAudience;
  themeYear: number | null;
  publisher: string | null;
  publishedYear: number | null;
}

export function slugify(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

function row(input: TitleInput) {
  return {
    slug: input.slug,
    title: input.title.trim(),
    sort_key: viSortKey(input.title),
    author: input.author.trim(),
    language: input.language,
    description: input.description.trim(),
    subjects: input.subjects
      .map((s) => s.trim())
      .filter(Boolean)
      .join(','),
    audience: input.audience,
    theme_year: input.themeYear,
    publisher: input.publisher,
    published_year: input.publishedYear,
  };
}

export async function createTitle(
  db: DB,
  input: TitleInput,
  opts: { origin: 'content' | 'upload'; createdBy: string | null; id?: string },
) {
  const id = opts.id ?? newId();
  const now = nowIso();
  await db
    .insertInto('lib_titles')
    .values({
      id,
      ...row(input),
      file_path: null,
      file_size: null,
      origin: opts.origin,
      created_by: opts.createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await bumpCache(db, 'library');
  return id;
}

export async function updateTitle(db: DB, id: string, input: Omit<TitleInput, 'slug'>) {
  const { slug: _s, ...rest } = row({ ...input, slug: '' });
  await db
    .updateTable('lib_titles')
    .set({ ...rest, updated_at: nowIso() })
    .where('id', '=', id)
    .execute();
  await bumpCache(db, 'library');
}

export async function setTitleFile(db: DB, id: string, filePath: string, size: number) {
  await db.updateTable('lib_titles').set({ file_path: filePath, file_size: size, updated_at: nowIso() }).where('id', '=', id).execute();
  await bumpCache(db, 'library');
}

/** Adds or changes a library's holding of a title (copies, or open access). */
export async function upsertHolding(db: DB, titleId: string, libraryId: string, h: { openAccess: boolean; copies: number }) {
  await db
    .insertInto('lib_holdings')
    .values({
      id: newId(),
      title_id: titleId,
      library_id: libraryId,
      open_access: h.openAccess ? 1 : 0,
      copies: h.copies,
      created_at: nowIso(),
    })
    .onConflict((oc) => oc.columns(['title_id', 'library_id']).doUpdateSet({ open_access: h.openAccess ? 1 : 0, copies: h.copies }))
    .execute();
  await bumpCache(db, 'library');
  return db
    .selectFrom('lib_holdings')
    .selectAll()
    .where('title_id', '=', titleId)
    .where('library_id', '=', libraryId)
    .executeTakeFirstOrThrow();
}

export function getTitleBySlug(db: DB, slug: string) {
  return db.selectFrom('lib_titles').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function getTitle(db: DB, id: string) {
  return db.selectFrom('lib_titles').selectAll().where('id', '=', id).executeTakeFirst();
}

export function getHolding(db: DB, id: string) {
  return db.selectFrom('lib_holdings').selectAll().where('id', '=', id).executeTakeFirst();
}

export function subjectsOf(t: { subjects: string }): string[] {
  return t.subjects
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface CatalogueFilter {
  libraryId?: string;
  subject?: string;
  audience?: LibAudience;
  themeYear?: number;
  q?: string;
  page?: number;
}

export const PAGE_SIZE = 24;

/** Lists titles held somewhere, filtered. `q` is a plain substring filter on title/author (the shared search module does real search). */
/**
 * A page of the catalogue. The same for everyone: browsing pages (no search words) are kept until
 * the library area changes (`cachedData`; a loan bumps it too, since availability shows beside).
 */
export function listTitles(db: DB, f: CatalogueFilter) {
  if (f.q) return loadTitles(db, f);
  return cachedData(db, `library:titles:${JSON.stringify(f)}`, ['library'], () => loadTitles(db, f));
}

async function loadTitles(db: DB, f: CatalogueFilter) {
  let q = db
    .selectFrom('lib_titles as t')
    .select(['t.id', 't.slug', 't.title', 't.author', 't.subjects', 't.audience', 't.theme_year', 't.description'])
    .where(({ exists, selectFrom }) => {
      let sub = selectFrom('lib_holdings as h').select('h.id').whereRef('h.title_id', '=', 't.id');
      if (f.libraryId) sub = sub.where('h.library_id', '=', f.libraryId);
      return exists(sub);
    });
  if (f.audience) q = q.where('t.audience', '=', f.audience);
  if (f.themeYear) q = q.where('t.theme_year', '=', f.themeYear);
  if (f.subject) q = q.where(sql<boolean>`(',' || t.subjects || ',') like ${'%,' + f.subject.replace(/[%_,]/g, '') + ',%'}`);
  if (f.q) {
    const needle = `%${f.q.toLowerCase().replace(/[%_\\]/g, '')}%`;
    q = q.where((eb) => eb.or([eb(sql`lower(t.title)`, 'like', needle), eb(sql`lower(t.author)`, 'like', needle)]));
  }
  const page = Math.max(1, f.page ?? 1);
  const rows = await q
    .orderBy('t.sort_key')
    .orderBy('t.id')
    .limit(PAGE_SIZE + 1)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return { titles: rows.slice(0, PAGE_SIZE), hasMore: rows.length > PAGE_SIZE, page };
}

/** How a catalogue entry can be read now: freely (open access), by borrowing a free copy, or after a hold. */
export type CatalogueAvailability = 'open' | 'available' | 'on_loan';

/**
 * Availability of many titles at once (one catalogue page), in four queries whatever their
 * number: a title is `open` when a holding is open access, `available` when a holding has a copy
 * neither on loan nor reserved and nobody waiting for it (the rule of `holdingAvailability`,
 * computed for a set), otherwise `on_loan`. `libraryId` limits it to one library's holdings.
 */
export async function catalogueAvailability(
  db: DB,
  titleIds: string[],
  libraryId?: string,
  now = new Date(),
): Promise<Map<string, CatalogueAvailability>> {
  const out = new Map<string, CatalogueAvailability>();
  if (!titleIds.length) return out;
  const iso = now.toISOString();
  const today = todayInVietnam(now);
  let hq = db
    .selectFrom('lib_holdings')
    .select(['id', 'title_id', 'library_id', 'copies', 'open_access'])
    .where('title_id', 'in', titleIds);
  if (libraryId) hq = hq.where('library_id', '=', libraryId);
  const holdings = await hq.execute();
  if (!holdings.length) return out;
  const holdingIds = holdings.map((h) => h.id);
  const [rotIn, rotOut, loans, holds] = await Promise.all([
    db
      .selectFrom('lib_rotations')
      .select(['title_id', 'to_library_id as library_id', sql<number>`sum(copies)`.as('n')])
      .where('title_id', 'in', titleIds)
      .where('status', '=', 'active')
      .where('ends_on', '>=', today)
      .groupBy(['title_id', 'to_library_id'])
      .execute(),
    db
      .selectFrom('lib_rotations')
      .select(['title_id', 'from_library_id as library_id', sql<number>`sum(copies)`.as('n')])
      .where('title_id', 'in', titleIds)
      .where('status', '=', 'active')
      .groupBy(['title_id', 'from_library_id'])
      .execute(),
    db
      .selectFrom('lib_loans')
      .select(['holding_id', sql<number>`count(*)`.as('n')])
      .where('holding_id', 'in', holdingIds)
      .where('status', '=', 'active')
      .where('due_at', '>', iso)
      .groupBy('holding_id')
      .execute(),
    db
      .selectFrom('lib_holds')
      .select(['holding_id', sql<number>`count(*)`.as('n')])
      .where('holding_id', 'in', holdingIds)
      .where((eb) => eb.or([eb('status', '=', 'waiting'), eb.and([eb('status', '=', 'ready'), eb('expires_at', '>', iso)])]))
      .groupBy('holding_id')
      .execute(),
  ]);
  const key = (t: string, l: string) => `${t}|${l}`;
  const inMap = new Map(rotIn.map((r) => [key(r.title_id, r.library_id), toNumber(r.n)]));
  const outMap = new Map(rotOut.map((r) => [key(r.title_id, r.library_id), toNumber(r.n)]));
  const loanMap = new Map(loans.map((r) => [r.holding_id, toNumber(r.n)]));
  const holdMap = new Map(holds.map((r) => [r.holding_id, toNumber(r.n)]));
  for (const h of holdings) {
    const k = key(h.title_id, h.library_id);
    const copies = Math.max(0, h.copies + (inMap.get(k) ?? 0) - (outMap.get(k) ?? 0));
    const state: CatalogueAvailability =
      h.open_access === 1 ? 'open' : copies - (loanMap.get(h.id) ?? 0) - (holdMap.get(h.id) ?? 0) > 0 ? 'available' : 'on_loan';
    const prev = out.get(h.title_id);
    if (!prev || state === 'open' || (state === 'available' && prev === 'on_loan')) out.set(h.title_id, state);
  }
  return out;
}

/** Filter choices of the catalogue: libraries holding titles, subjects and theme years in use. */
/** The catalogue's filters: kept until the library area or a unit changes (`cachedData`). */
export function catalogueFacets(db: DB) {
  return cachedData(db, 'library:facets', ['library', 'units'], () => loadCatalogueFacets(db));
}

async function loadCatalogueFacets(db: DB) {
  const [libraries, subjects, years] = await Promise.all([
    db
      .selectFrom('units as u')
      .select(['u.id', 'u.slug', 'u.name', 'u.name_en'])
      .where('u.kind', 'in', LIBRARY_KINDS)
      .where(({ exists, selectFrom }) => exists(selectFrom('lib_holdings as h').select('h.id').whereRef('h.library_id', '=', 'u.id')))
      .orderBy('u.name')
      .execute(),
    db.selectFrom('lib_titles').select('subjects').distinct().execute(),
    db.selectFrom('lib_titles').select('theme_year').distinct().where('theme_year', 'is not', null).orderBy('theme_year', 'desc').execute(),
  ]);
  const subjectSet = new Set<string>();
  for (const s of subjects) for (const x of subjectsOf(s)) subjectSet.add(x);
  return { libraries, subjects: [...subjectSet].sort((a, b) => a.localeCompare(b, 'vi')), years: years.map((y) => y.theme_year as number) };
}

/** Every holding of a title with its availability, for the title page. */
export async function titleAvailability(db: DB, titleId: string, now = new Date()) {
  const holdings = await db
    .selectFrom('lib_holdings as h')
    .innerJoin('units as u', 'u.id', 'h.library_id')
    .select(['h.id', 'h.title_id', 'h.library_id', 'h.copies', 'h.open_access', 'u.name', 'u.name_en', 'u.slug'])
    .where('h.title_id', '=', titleId)
    .orderBy('u.name')
    .execute();
  return Promise.all(
    holdings.map(async (h) => ({
      ...(await holdingAvailability(db, h, now)),
      libraryName: h.name,
      libraryNameEn: h.name_en,
      librarySlug: h.slug,
    })),
  );
}

/** Titles held by a library (for librarian views and rotations). */
/** Every holding of one title (which libraries have it, how many copies). */
export function titleHoldings(db: DB, titleId: string) {
  return db.selectFrom('lib_holdings').selectAll().where('title_id', '=', titleId).execute();
}

export function libraryHoldings(db: DB, libraryId: string) {
  return db
    .selectFrom('lib_holdings as h')
    .innerJoin('lib_titles as t', 't.id', 'h.title_id')
    .select(['h.id', 'h.copies', 'h.open_access', 't.id as title_id', 't.slug', 't.title', 't.author'])
    .where('h.library_id', '=', libraryId)
    .orderBy('t.sort_key')
    .execute();
}

/** Libraries where the user may act as librarian (their grants' subtrees, library units only). */
export function librarianLibraries(db: DB, userId: string) {
  return unitsWithAnyRole(db, userId, ['librarian'], LIBRARY_KINDS)
    .clearSelect()
    .select(['u.id', 'u.slug', 'u.name', 'u.name_en'])
    .orderBy('u.name')
    .execute();
}

/** A free slug for a new title: the folded title, with a suffix when taken. */
export async function freeSlug(db: DB, title: string): Promise<string> {
  const base = slugify(title) || 'sach';
  for (let i = 0; i < 50; i++) {
    const s = i === 0 ? base : `${base}-${i + 1}`;
    if (!(await getTitleBySlug(db, s))) return s;
  }
  return `${base}-${newId(6)}`;
}
