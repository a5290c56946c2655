/**
 * Reading clubs (câu lạc bộ đọc sách): creation and approval, joining by visibility, moderators,
 * leaving (what a member wrote stays, shown as a former member), closing, and the directory.
 */
import { sql } from 'kysely';

import { isUniqueViolation, toNumber, writeTransaction } from '~/db/dialect';
import type { ClubAudience, ClubVisibility } from '~/db/schema/clubs';
import { type GenerationBand, generationBand, hasRole } from '~/domain/accounts.server';
import { newJoinCode, normaliseCode } from '~/domain/library/shelves.server';
import { listUnits } from '~/domain/units.server';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { cachedData } from '~/lib/page-cache.server';
import { err, ok, type Result } from '~/lib/result';

import { type ClubAccess, clubAccess } from './access.server';
import { clubChanged } from './cache.server';

export type ClubInput = {
  unitId: string;
  name: string;
  descriptionMd: string;
  coverUrl?: string | null;
  language: string;
  audience: ClubAudience;
  visibility: ClubVisibility;
  intergenerational: boolean;
  weekYear?: number | null;
};

export type CreateClubError = 'forbidden';

const RESERVED_SLUGS = new Set(['new', 'mine', 'calendar', 'challenges', 'schools']);

function slugify(name: string): string {
  return (
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'clb'
  );
}

/**
 * Teachers, librarians and organisers of the unit (or above) open an active club; any other
 * signed-in person may propose one under their own home unit, which waits for an organiser or
 * librarian of that unit to approve it.
 */
export async function createClub(
  db: DB,
  userId: string,
  input: ClubInput,
): Promise<Result<{ id: string; slug: string; status: 'active' | 'pending' }, CreateClubError>> {
  const staff =
    (await hasRole(db, userId, input.unitId, 'teacher')) ||
    (await hasRole(db, userId, input.unitId, 'librarian')) ||
    (await hasRole(db, userId, input.unitId, 'organiser'));
  if (!staff) {
    const user = await db.selectFrom('users').select('home_unit_id').where('id', '=', userId).executeTakeFirst();
    if (!user || user.home_unit_id !== input.unitId) return err('forbidden');
  }
  const status = staff ? 'active' : 'pending';
  // Addresses of the club pages themselves (/clubs/new, /clubs/mine…) are never a club's slug.
  const slug0 = slugify(input.name);
  const base = RESERVED_SLUGS.has(slug0) ? `${slug0}-clb` : slug0;
  const now = nowIso();
  for (let attempt = 0; attempt < 6; attempt++) {
    const id = newId();
    const slug = attempt === 0 ? base : `${base}-${newId(4)}`;
    const code = input.visibility === 'code' ? newJoinCode() : null;
    try {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('club_clubs')
          .values({
            id,
            slug,
            unit_id: input.unitId,
            name: input.name.trim(),
            description_md: input.descriptionMd,
            cover_url: input.coverUrl ?? null,
            language: input.language,
            audience: input.audience,
            visibility: input.visibility,
            join_code: code,
            intergenerational: input.intergenerational ? 1 : 0,
            week_year: input.weekYear ?? null,
            status,
            created_by: userId,
            created_at: now,
            approved_by: staff ? userId : null,
            approved_at: staff ? now : null,
            closed_at: null,
          })
          .execute();
        await trx
          .insertInto('club_members')
          .values({ club_id: id, user_id: userId, role: 'moderator', status: 'active', joined_at: now, updated_at: now })
          .execute();
      });
      return clubChanged(db, id, ok({ id, slug, status }));
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
  }
  throw new Error('could not allocate a club slug');
}

type Ok = Extract<ClubAccess, { status: 'ok' }>;
export type ClubActionError = 'not_found' | 'forbidden' | 'closed' | 'bad_code' | 'not_member' | 'last_moderator' | 'already';

async function access(db: DB, clubId: string, userId: string): Promise<Result<Ok, ClubActionError>> {
  const a = await clubAccess(db, { id: clubId }, userId);
  if (a.status !== 'ok') return err('not_found');
  return ok(a);
}

export async function approveClub(db: DB, userId: string, clubId: string): Promise<Result<undefined, ClubActionError>> {
  const a = await access(db, clubId, userId);
  if (!a.ok) return a;
  if (!a.value.canApprove) return err('forbidden');
  if (a.value.club.status !== 'pending') return err('already');
  await db
    .updateTable('club_clubs')
    .set({ status: 'active', approved_by: userId, approved_at: nowIso() })
    .where('id', '=', clubId)
    .execute();
  return clubChanged(db, clubId, ok());
}

/**
 * Joins a club: public → member at once; by request → pending until a moderator approves;
 * by code → member when the code matches. Rejoining after leaving works the same way.
 */
export async function joinClub(
  db: DB,
  userId: string,
  clubId: string,
  code?: string,
): Promise<Result<{ status: 'active' | 'pending' }, ClubActionError>> {
  const a = await access(db, clubId, userId);
  if (!a.ok) return a;
  const { club, membership } = a.value;
  if (club.status !== 'active') return err('closed');
  if (membership?.status === 'active' || membership?.status === 'pending') return err('already');
  if (membership?.status === 'removed') return err('forbidden');
  if (club.visibility === 'code' && (!code || !club.join_code || normaliseCode(code) !== club.join_code)) return err('bad_code');
  const status = club.visibility === 'request' ? 'pending' : 'active';
  const now = nowIso();
  await db
    .insertInto('club_members')
    .values({ club_id: clubId, user_id: userId, role: 'member', status, joined_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['club_id', 'user_id']).doUpdateSet({ status, role: 'member', updated_at: now }))
    .execute();
  return clubChanged(db, clubId, ok({ status }));
}

/** Finds a club by its join code (what a student types). */
export async function clubByCode(db: DB, code: string) {
  return db
    .selectFrom('club_clubs')
    .select(['id', 'slug', 'name'])
    .where('join_code', '=', normaliseCode(code))
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export async function decideMember(
  db: DB,
  moderatorId: string,
  clubId: string,
  memberId: string,
  accept: boolean,
): Promise<Result<undefined, ClubActionError>> {
  const a = await access(db, clubId, moderatorId);
  if (!a.ok) return a;
  if (!a.value.canModerate) return err('forbidden');
  const r = await db
    .updateTable('club_members')
    .set({ status: accept ? 'active' : 'removed', updated_at: nowIso() })
    .where('club_id', '=', clubId)
    .where('user_id', '=', memberId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return clubChanged(db, clubId, Number(r.numUpdatedRows) ? ok() : err('not_member'));
}

async function activeModerators(db: DB, clubId: string): Promise<number> {
  const r = await db
    .selectFrom('club_members')
    .select(sql<number>`count(*)`.as('n'))
    .where('club_id', '=', clubId)
    .where('role', '=', 'moderator')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return toNumber(r.n);
}

/** Leaves a club; posts stay (shown as a former member). The last moderator hands over first. */
export async function leaveClub(db: DB, userId: string, clubId: string): Promise<Result<undefined, ClubActionError>> {
  const r = await writeTransaction(db, async (trx): Promise<Result<undefined, ClubActionError>> => {
    const m = await trx
      .selectFrom('club_members')
      .select(['role', 'status'])
      .where('club_id', '=', clubId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!m || (m.status !== 'active' && m.status !== 'pending')) return err('not_member');
    if (m.role === 'moderator' && m.status === 'active' && (await activeModerators(trx, clubId)) <= 1) return err('last_moderator');
    await trx
      .updateTable('club_members')
      .set({ status: 'left', role: 'member', updated_at: nowIso() })
      .where('club_id', '=', clubId)
      .where('user_id', '=', userId)
      .execute();
    return ok();
  });
  return clubChanged(db, clubId, r);
}

export async function removeMember(
  db: DB,
  moderatorId: string,
  clubId: string,
  memberId: string,
): Promise<Result<undefined, ClubActionError>> {
  const a = await access(db, clubId, moderatorId);
  if (!a.ok) return a;
  if (!a.value.canModerate) return err('forbidden');
  if (memberId === moderatorId) return err('forbidden');
  const r = await db
    .updateTable('club_members')
    .set({ status: 'removed', role: 'member', updated_at: nowIso() })
    .where('club_id', '=', clubId)
    .where('user_id', '=', memberId)
    .where('status', 'in', ['active', 'pending'])
    .executeTakeFirst();
  return clubChanged(db, clubId, Number(r.numUpdatedRows) ? ok() : err('not_member'));
}

/** Makes an active member a moderator (or, with `handOver`, also steps down oneself). */
export async function promoteMember(
  db: DB,
  moderatorId: string,
  clubId: string,
  memberId: string,
  handOver = false,
): Promise<Result<undefined, ClubActionError>> {
  const a = await access(db, clubId, moderatorId);
  if (!a.ok) return a;
  if (!a.value.canModerate) return err('forbidden');
  const done = await writeTransaction(db, async (trx): Promise<Result<undefined, ClubActionError>> => {
    const r = await trx
      .updateTable('club_members')
      .set({ role: 'moderator', updated_at: nowIso() })
      .where('club_id', '=', clubId)
      .where('user_id', '=', memberId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!Number(r.numUpdatedRows)) return err('not_member');
    if (handOver && memberId !== moderatorId) {
      await trx
        .updateTable('club_members')
        .set({ role: 'member', updated_at: nowIso() })
        .where('club_id', '=', clubId)
        .where('user_id', '=', moderatorId)
        .execute();
    }
    return ok();
  });
  return clubChanged(db, clubId, done);
}

export async function closeClub(db: DB, moderatorId: string, clubId: string): Promise<Result<undefined, ClubActionError>> {
  const a = await access(db, clubId, moderatorId);
  if (!a.ok) return a;
  if (!a.value.canModerate) return err('forbidden');
  await db.updateTable('club_clubs').set({ status: 'closed', closed_at: nowIso() }).where('id', '=', clubId).execute();
  return clubChanged(db, clubId, ok());
}

/** Members per generation band, with no names: what the club page's small bar shows. */
export async function generationMix(db: DB, clubId: string, now = new Date()): Promise<Record<GenerationBand | 'unknown', number>> {
  const rows = await db
    .selectFrom('club_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('u.birth_year')
    .where('m.club_id', '=', clubId)
    .where('m.status', '=', 'active')
    .execute();
  const mix = { child: 0, youth: 0, adult: 0, elder: 0, unknown: 0 };
  for (const r of rows) mix[generationBand(r.birth_year, now) ?? 'unknown']++;
  return mix;
}

/** How a member is shown to others: children under 15 by first name only (the last word of a Vietnamese name). */
export function displayNameFor(displayName: string, birthYear: number | null, now = new Date()): string {
  if (generationBand(birthYear, now) !== 'child') return displayName;
  const words = displayName.trim().split(/\s+/);
  return words[words.length - 1] ?? displayName;
}

export type DirectoryFilter = {
  unitId?: string;
  audience?: ClubAudience;
  language?: string;
  intergenerational?: boolean;
  nearUnitId?: string;
  page?: number;
};

/**
 * The club directory: active clubs, filtered by unit subtree, audience, language, "near me" (a unit
 * id by then). The same for everyone, so kept per filter until a club or a unit changes
 * (`cachedData`; every club write bumps the 'clubs' area): a signed-in visitor's directory no
 * longer runs it on every view.
 */
export function listClubs(db: DB, f: DirectoryFilter, pageSize = 20) {
  const page = Math.max(1, Math.min(1000, Math.trunc(f.page ?? 1) || 1));
  const key = JSON.stringify([f.unitId, f.audience, f.language, !!f.intergenerational, f.nearUnitId, page, pageSize]);
  return cachedData(db, `clubs:directory:${key}`, ['clubs', 'units'], () => loadClubs(db, f, page, pageSize));
}

/** The units the directory's filter offers (the country's top three levels), kept until a unit changes. */
export function directoryUnits(db: DB) {
  return cachedData(db, 'clubs:directory-units', ['units'], async () => (await listUnits(db)).filter((u) => u.depth <= 2));
}

/**
 * The directory's unit filter in two steps (works without JavaScript): the country and its
 * provinces, and — once a province (or one of its communes/wards) is chosen — that province's
 * communes and wards under it. A deeper unit given in the address is offered as it is.
 * (The filter keeps its subtree meaning: clubs of the chosen unit and every unit under it.)
 */
export async function directoryUnitChoices(db: DB, chosenId: string | undefined) {
  const all = await directoryUnits(db);
  const chosen = chosenId ? all.find((u) => u.id === chosenId) : undefined;
  const province = chosen ? (chosen.depth === 1 ? chosen.id : chosen.depth === 2 ? chosen.parent_id : null) : null;
  const units = all.filter((u) => u.depth <= 1 || (province !== null && u.parent_id === province));
  if (chosenId && !chosen) {
    const deeper = await db.selectFrom('units').selectAll().where('id', '=', chosenId).where('valid_to', 'is', null).executeTakeFirst();
    if (deeper) units.unshift({ ...deeper, depth: 0, level: 0 });
  }
  return units;
}

async function loadClubs(db: DB, f: DirectoryFilter, page: number, pageSize: number) {
  let q = db
    .selectFrom('club_clubs as c')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .where('c.status', '=', 'active')
    .select([
      'c.id',
      'c.slug',
      'c.name',
      'c.description_md',
      'c.cover_url',
      'c.language',
      'c.audience',
      'c.visibility',
      'c.intergenerational',
      'c.week_year',
      'u.name as unit_name',
      'u.name_en as unit_name_en',
      (eb) =>
        eb
          .selectFrom('club_members as m')
          .select(sql<number>`count(*)`.as('n'))
          .whereRef('m.club_id', '=', 'c.id')
          .where('m.status', '=', 'active')
          .as('members'),
    ]);
  if (f.unitId)
    q = q.where('c.unit_id', 'in', (eb) => eb.selectFrom('unit_closure').select('descendant_id').where('ancestor_id', '=', f.unitId!));
  if (f.nearUnitId)
    q = q.where('c.unit_id', 'in', (eb) => eb.selectFrom('unit_closure').select('descendant_id').where('ancestor_id', '=', f.nearUnitId!));
  if (f.audience) q = q.where('c.audience', 'in', [f.audience, 'all']);
  if (f.language) q = q.where('c.language', '=', f.language);
  if (f.intergenerational) q = q.where('c.intergenerational', '=', 1);
  const rows = await q
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id')
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize)
    .execute();
  return { clubs: rows.slice(0, pageSize).map((r) => ({ ...r, members: toNumber(r.members) })), hasMore: rows.length > pageSize, page };
}

/** The unit "near" a person: their home unit's ward/commune, or its province when asked. */
export async function nearUnitFor(db: DB, userId: string, level: 'local' | 'province'): Promise<string | null> {
  const u = await db.selectFrom('users').select('home_unit_id').where('id', '=', userId).executeTakeFirst();
  if (!u?.home_unit_id) return null;
  const ancestors = await db
    .selectFrom('unit_closure as c')
    .innerJoin('units as x', 'x.id', 'c.ancestor_id')
    .select(['x.id', 'x.kind', 'c.depth'])
    .where('c.descendant_id', '=', u.home_unit_id)
    .orderBy('c.depth')
    .execute();
  const want = level === 'province' ? ['province'] : ['ward', 'commune'];
  return ancestors.find((a) => want.includes(a.kind))?.id ?? u.home_unit_id;
}

export async function myClubs(db: DB, userId: string) {
  return db
    .selectFrom('club_members as m')
    .innerJoin('club_clubs as c', 'c.id', 'm.club_id')
    .select(['c.id', 'c.slug', 'c.name', 'c.status', 'm.role', 'm.status as member_status'])
    .where('m.user_id', '=', userId)
    .where('m.status', 'in', ['active', 'pending'])
    .orderBy('c.name')
    .execute();
}
