/**
 * The contest shell: contests, rounds, prizes, unit population figures and registration. Shared
 * by quiz rounds (this issue) and submission rounds (#15): a round has a `kind`.
 */
import { sql } from 'kysely';

import { isUniqueViolation, toNumber } from '~/db/dialect';
import type { Role } from '~/db/schema';
import type { Difficulty, PredictionKind, RoundKind, UnitPrizeBasis } from '~/db/schema/contests';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';

import { checkEligibility, type Contest, type EligibilityError, requireManager } from './access.server';
import { contestChanged } from './cache.server';
import { DEFAULT_RANKING, parseRanking, type RankingRule } from './ranking';

export interface QuotaItem {
  /** null: the same quota for every topic of the bank. */
  topic: string | null;
  difficulty: Difficulty;
  count: number;
}

export interface Collective {
  /** Points per entrant of the unit. */
  perEntrant: number;
  /** Points per percentage point of participation rate. */
  perPercent: number;
}
export const DEFAULT_COLLECTIVE: Collective = { perEntrant: 1, perPercent: 10 };

export function parseCollective(json: string): Collective {
  try {
    const v = JSON.parse(json) as Partial<Collective>;
    return { perEntrant: Number(v.perEntrant) || 0, perPercent: Number(v.perPercent) || 0 };
  } catch {
    return { ...DEFAULT_COLLECTIVE };
  }
}

export function parseQuota(json: string): QuotaItem[] {
  try {
    const v = JSON.parse(json) as QuotaItem[];
    return Array.isArray(v) ? v.filter((q) => q && q.count > 0) : [];
  } catch {
    return [];
  }
}

export interface ContestInput {
  unitId: string;
  weekYear: number | null;
  slug: string;
  title: string;
  rulesMd: string;
  minAge: number | null;
  maxAge: number | null;
  eligibleUnitId?: string | null;
  excludedRoles?: Role[];
  maxAttempts: number;
  ranking?: RankingRule[];
  predictionKind: PredictionKind;
  graceSeconds?: number;
  minSeconds?: number;
  collective?: Collective;
  published?: boolean;
}

export type ContestError = 'forbidden' | 'slug_taken' | 'eligible_outside' | 'age_range';

export async function createContest(db: DB, userId: string, input: ContestInput): Promise<Result<Contest, ContestError>> {
  if (!(await requireOrganiserOf(db, userId, input.unitId))) return err('forbidden');
  if (input.minAge != null && input.maxAge != null && input.minAge > input.maxAge) return err('age_range');
  const eligible = input.eligibleUnitId || input.unitId;
  const inside = await db
    .selectFrom('unit_closure')
    .select('depth')
    .where('ancestor_id', '=', input.unitId)
    .where('descendant_id', '=', eligible)
    .executeTakeFirst();
  if (!inside) return err('eligible_outside');
  const now = nowIso();
  const row: Contest = {
    id: newId(),
    slug: input.slug,
    unit_id: input.unitId,
    week_year: input.weekYear,
    title: input.title.trim(),
    rules_md: input.rulesMd,
    min_age: input.minAge,
    max_age: input.maxAge,
    eligible_unit_id: eligible,
    excluded_roles_json: JSON.stringify(input.excludedRoles ?? ['organiser', 'admin']),
    max_attempts: Math.max(1, input.maxAttempts),
    ranking_json: JSON.stringify(input.ranking ?? DEFAULT_RANKING),
    prediction_kind: input.predictionKind,
    grace_seconds: input.graceSeconds ?? 30,
    min_seconds: input.minSeconds ?? 20,
    collective_json: JSON.stringify(input.collective ?? DEFAULT_COLLECTIVE),
    status: input.published === false ? 'draft' : 'published',
    created_by: userId,
    created_at: now,
    updated_at: now,
    overall_best_rounds: null,
    overall_status: 'none',
    overall_published_at: null,
    overall_published_by: null,
  };
  try {
    await db.insertInto('contests').values(row).execute();
  } catch (e) {
    if (isUniqueViolation(e)) return err('slug_taken');
    throw e;
  }
  await db.insertInto('contest_staff').values({ contest_id: row.id, user_id: userId, role: 'organiser' }).execute();
  return ok(row);
}

function requireOrganiserOf(db: DB, userId: string, unitId: string) {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('unit_closure as c', 'c.ancestor_id', 'g.unit_id')
    .select('g.id')
    .where('g.user_id', '=', userId)
    .where('c.descendant_id', '=', unitId)
    .where('g.role', 'in', ['organiser', 'admin'])
    .executeTakeFirst();
}

export async function updateRanking(
  db: DB,
  userId: string,
  contestId: string,
  rule: RankingRule[],
): Promise<Result<undefined, 'not_found' | 'forbidden'>> {
  const c = await requireManager(db, contestId, userId);
  if (!c.ok) return c;
  await db
    .updateTable('contests')
    .set({ ranking_json: JSON.stringify(parseRanking(JSON.stringify(rule))), updated_at: nowIso() })
    .where('id', '=', contestId)
    .execute();
  await contestChanged(db, contestId);
  return ok();
}

export async function setStaff(db: DB, userId: string, contestId: string, staffId: string, role: 'organiser' | 'judge') {
  const c = await requireManager(db, contestId, userId);
  if (!c.ok) return c;
  await db
    .insertInto('contest_staff')
    .values({ contest_id: contestId, user_id: staffId, role })
    .onConflict((oc) => oc.columns(['contest_id', 'user_id']).doUpdateSet({ role }))
    .execute();
  return ok();
}

/* ---------------- rounds ---------------- */

export interface RoundInput {
  title: string;
  kind?: RoundKind;
  opensAt: string;
  closesAt: string;
  timeLimitS: number;
  quota: QuotaItem[];
}

export type RoundError = 'not_found' | 'forbidden' | 'ends_before_start' | 'overlap' | 'quota_too_large' | 'quota_empty';

/** Checks a quota against the bank: every (topic, difficulty) must hold enough questions. */
export async function checkQuota(
  db: DB,
  contestId: string,
  quota: QuotaItem[],
): Promise<Result<undefined, 'quota_too_large' | 'quota_empty'>> {
  if (!quota.length || quota.every((q) => q.count <= 0)) return err('quota_empty');
  const rows = await db
    .selectFrom('contest_questions')
    .select(['topic', 'difficulty', sql<number>`count(*)`.as('n')])
    .where('contest_id', '=', contestId)
    .groupBy(['topic', 'difficulty'])
    .execute();
  const have = new Map(rows.map((r) => [`${r.topic}\u0000${r.difficulty}`, toNumber(r.n)]));
  const topics = [...new Set(rows.map((r) => r.topic))];
  if (!topics.length) return err('quota_too_large', { need: quota.reduce((s, q) => s + q.count, 0), have: 0, topic: '', difficulty: '' });
  for (const q of quota) {
    for (const topic of q.topic == null ? topics : [q.topic]) {
      const n = have.get(`${topic}\u0000${q.difficulty}`) ?? 0;
      if (n < q.count) return err('quota_too_large', { need: q.count, have: n, topic, difficulty: q.difficulty });
    }
  }
  return ok();
}

export async function addRound(db: DB, userId: string, contestId: string, input: RoundInput): Promise<Result<string, RoundError>> {
  const c = await requireManager(db, contestId, userId);
  if (!c.ok) return c;
  if (!(input.closesAt > input.opensAt)) return err('ends_before_start');
  const rounds = await db
    .selectFrom('contest_rounds')
    .select(['opens_at', 'closes_at', 'position', 'title'])
    .where('contest_id', '=', contestId)
    .execute();
  const clash = rounds.find((r) => r.opens_at < input.closesAt && input.opensAt < r.closes_at);
  if (clash) return err('overlap', { title: clash.title });
  if ((input.kind ?? 'quiz') === 'quiz') {
    const q = await checkQuota(db, contestId, input.quota);
    if (!q.ok) return q;
  }
  const id = newId();
  await db
    .insertInto('contest_rounds')
    .values({
      id,
      contest_id: contestId,
      position: rounds.reduce((m, r) => Math.max(m, r.position), 0) + 1,
      title: input.title.trim(),
      kind: input.kind ?? 'quiz',
      opens_at: input.opensAt,
      closes_at: input.closesAt,
      time_limit_s: Math.max(1, Math.round(input.timeLimitS)),
      quota_json: JSON.stringify(input.quota),
      results_status: 'none',
      real_figure: null,
      published_at: null,
      published_by: null,
    })
    .execute();
  await contestChanged(db, contestId); // the contest page lists its rounds (page cache)
  return ok(id);
}

/** Moves a round's window (organisers; also how a round is closed early). */
export async function setRoundWindow(
  db: DB,
  userId: string,
  roundId: string,
  opensAt: string,
  closesAt: string,
): Promise<Result<undefined, RoundError>> {
  const r = await db.selectFrom('contest_rounds').select(['contest_id']).where('id', '=', roundId).executeTakeFirst();
  if (!r) return err('not_found');
  const c = await requireManager(db, r.contest_id, userId);
  if (!c.ok) return c;
  if (!(closesAt > opensAt)) return err('ends_before_start');
  const others = await db
    .selectFrom('contest_rounds')
    .select(['opens_at', 'closes_at', 'title'])
    .where('contest_id', '=', r.contest_id)
    .where('id', '!=', roundId)
    .execute();
  const clash = others.find((o) => o.opens_at < closesAt && opensAt < o.closes_at);
  if (clash) return err('overlap', { title: clash.title });
  await db.updateTable('contest_rounds').set({ opens_at: opensAt, closes_at: closesAt }).where('id', '=', roundId).execute();
  await contestChanged(db, r.contest_id);
  return ok();
}

export function roundsOf(db: DB, contestId: string) {
  return db.selectFrom('contest_rounds').selectAll().where('contest_id', '=', contestId).orderBy('position').execute();
}

export function getRound(db: DB, contestId: string, roundId: string) {
  return db.selectFrom('contest_rounds').selectAll().where('id', '=', roundId).where('contest_id', '=', contestId).executeTakeFirst();
}

export type RoundPhase = 'upcoming' | 'open' | 'closed';
export function roundPhase(r: { opens_at: string; closes_at: string }, now = new Date()): RoundPhase {
  const t = now.toISOString();
  return t < r.opens_at ? 'upcoming' : t < r.closes_at ? 'open' : 'closed';
}

/* ---------------- prizes and population figures ---------------- */

export interface PrizeInput {
  roundId: string | null;
  label: string;
  rankFrom: number;
  rankTo: number;
  points: number;
  /** A unit (collective) prize — of the whole contest, or of the round when `roundId` is set — decided on this figure. */
  basis?: UnitPrizeBasis | null;
  /** Unit prizes: the level of the tree whose units compete (1 = right under the eligible unit). */
  unitDepth?: number | null;
}

export async function addPrize(
  db: DB,
  userId: string,
  contestId: string,
  p: PrizeInput,
): Promise<Result<string, 'not_found' | 'forbidden' | 'rank_range'>> {
  const c = await requireManager(db, contestId, userId);
  if (!c.ok) return c;
  if (p.rankFrom < 1 || p.rankTo < p.rankFrom) return err('rank_range');
  if (p.roundId) {
    const r = await getRound(db, contestId, p.roundId);
    if (!r) return err('not_found');
  }
  const n = await db
    .selectFrom('contest_prizes')
    .select(sql<number>`count(*)`.as('n'))
    .where('contest_id', '=', contestId)
    .executeTakeFirstOrThrow();
  const id = newId();
  await db
    .insertInto('contest_prizes')
    .values({
      id,
      contest_id: contestId,
      round_id: p.roundId,
      label: p.label.trim(),
      rank_from: p.rankFrom,
      rank_to: p.rankTo,
      points: p.points,
      position: toNumber(n.n) + 1,
      basis: p.basis ?? null,
      unit_depth: p.basis ? Math.max(1, p.unitDepth ?? 1) : null,
    })
    .execute();
  await contestChanged(db, contestId);
  return ok(id);
}

export function prizesOf(db: DB, contestId: string) {
  return db.selectFrom('contest_prizes').selectAll().where('contest_id', '=', contestId).orderBy('position').execute();
}

export async function setPopulation(
  db: DB,
  userId: string,
  contestId: string,
  unitId: string,
  population: number,
): Promise<Result<undefined, 'not_found' | 'forbidden' | 'outside_units'>> {
  const c = await requireManager(db, contestId, userId);
  if (!c.ok) return c;
  const inside = await db
    .selectFrom('unit_closure')
    .select('depth')
    .where('ancestor_id', '=', c.value.eligible_unit_id)
    .where('descendant_id', '=', unitId)
    .executeTakeFirst();
  if (!inside) return err('outside_units');
  await db
    .insertInto('contest_unit_figures')
    .values({ contest_id: contestId, unit_id: unitId, population })
    .onConflict((oc) => oc.columns(['contest_id', 'unit_id']).doUpdateSet({ population }))
    .execute();
  await contestChanged(db, contestId);
  return ok();
}

/* ---------------- registration ---------------- */

export interface RegistrationInput {
  fullName: string;
  birthYear: number;
  unitId: string;
  phone: string | null;
}

export type RegisterError = EligibilityError | 'not_found';

/** Registers (or updates the registration of) an entrant, after the eligibility check. */
export async function register(
  db: DB,
  contestId: string,
  userId: string,
  input: RegistrationInput,
  now = new Date(),
): Promise<Result<string, RegisterError>> {
  const contest = await db
    .selectFrom('contests')
    .selectAll()
    .where('id', '=', contestId)
    .where('status', '=', 'published')
    .executeTakeFirst();
  if (!contest) return err('not_found');
  const elig = await checkEligibility(db, contest, userId, { birthYear: input.birthYear, unitId: input.unitId }, now);
  if (!elig.ok) return elig;
  const values = {
    full_name: input.fullName.trim(),
    birth_year: input.birthYear,
    unit_id: input.unitId,
    phone: input.phone?.trim() || null,
  };
  const existing = await db
    .selectFrom('contest_entrants')
    .select('id')
    .where('contest_id', '=', contestId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (existing) {
    await db.updateTable('contest_entrants').set(values).where('id', '=', existing.id).execute();
    return ok(existing.id);
  }
  const id = newId();
  try {
    await db
      .insertInto('contest_entrants')
      .values({ id, contest_id: contestId, user_id: userId, registered_at: now.toISOString(), ...values })
      .execute();
    return ok(id);
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const row = await db
      .selectFrom('contest_entrants')
      .select('id')
      .where('contest_id', '=', contestId)
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return ok(row.id);
  }
}

export function entrantOf(db: DB, contestId: string, userId: string) {
  return db.selectFrom('contest_entrants').selectAll().where('contest_id', '=', contestId).where('user_id', '=', userId).executeTakeFirst();
}

/** Units an entrant can pick: the eligible subtree, shallowest first (province → ward → school/workplace). */
export function eligibleUnits(db: DB, contest: Pick<Contest, 'eligible_unit_id'>) {
  return db
    .selectFrom('unit_closure as c')
    .innerJoin('units as u', 'u.id', 'c.descendant_id')
    .select(['u.id', 'u.name', 'u.name_en', 'u.kind', 'u.depth', 'u.parent_id'])
    .where('c.ancestor_id', '=', contest.eligible_unit_id)
    .orderBy('u.depth')
    .orderBy('u.name')
    .execute();
}

/** Published contests, newest first (and the viewer's drafts they manage are found from the contest page). */
export function listContests(db: DB) {
  return db
    .selectFrom('contests as c')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .select(['c.id', 'c.slug', 'c.title', 'c.week_year', 'c.created_at', 'u.name as unit_name', 'u.name_en as unit_name_en'])
    .where('c.status', '=', 'published')
    .orderBy('c.created_at', 'desc')
    .limit(200)
    .execute();
}
