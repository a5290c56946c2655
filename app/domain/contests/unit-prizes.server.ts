/**
 * Unit (collective) prizes — "giải tập thể": the units of one level of the tree with the most
 * entrants, the highest participation rate or the highest collective score. One engine for both
 * scopes: the whole contest (every published round, `overall.server`) and one round (that round's
 * ranked attempts, computed when its results are proposed, `results.server`). Awards live in
 * `contest_unit_awards` (scoped by their prize's `round_id`); winners get certificates in
 * `contest_certificates`, verified at /verify/<code>.
 */
import { type RawBuilder, sql } from 'kysely';

import { isPostgres, toNumber, writeTransaction } from '~/db/dialect';
import type { UnitPrizeBasis } from '~/db/schema/contests';
import { newCertificateCode } from '~/domain/courses/progress.server';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { ok } from '~/lib/result';

import { type Contest, requireManager } from './access.server';
import { parseCollective } from './contests.server';

/* ---------------- figures of units ---------------- */

export interface UnitFigures {
  entrants: number;
  population: number | null;
  /** Percent, one decimal; null without a population figure. */
  rate: number | null;
  averageScore: number | null;
  prizes: number;
  collective: number;
}

/**
 * The figures of each unit in `unitIds`, each counting its whole subtree: entrants (distinct people
 * ranked in any published round, or in `roundId` once its results are proposed or published),
 * participation rate against the unit's population figure, average score, round prizes won, and
 * the collective score (entrants × perEntrant + rate × perPercent + prize points). Used by the
 * leaderboards and by the unit prizes.
 */
export async function unitFigures(
  db: DB,
  contestId: string,
  collectiveJson: string,
  unitIds: string[],
  roundId?: string | null,
): Promise<Map<string, UnitFigures>> {
  const out = new Map<string, UnitFigures>();
  if (!unitIds.length) return out;
  // One stored row per unit shown (kept by `refreshUnitTotals` when results change), not a scan.
  const totals = await db
    .selectFrom('contest_unit_totals')
    .select(['unit_id', 'entrants', 'results', 'score_sum', 'prizes', 'points'])
    .where('contest_id', '=', contestId)
    .where('scope', '=', roundId ?? '')
    .where('unit_id', 'in', unitIds)
    .execute();
  const stats = totals.map((t) => ({
    unit_id: t.unit_id,
    entrants: t.entrants,
    avg: t.results ? toNumber(t.score_sum) / toNumber(t.results) : null,
    prizes: t.prizes,
    points: t.points,
  }));
  const figures = await db
    .selectFrom('contest_unit_figures')
    .select(['unit_id', 'population'])
    .where('contest_id', '=', contestId)
    .where('unit_id', 'in', unitIds)
    .execute();
  const byUnit = new Map(stats.map((s) => [s.unit_id, s]));
  const pop = new Map(figures.map((f) => [f.unit_id, f.population]));
  const coll = parseCollective(collectiveJson);
  for (const id of unitIds) {
    const s = byUnit.get(id);
    const entrants = toNumber(s?.entrants);
    const population = pop.get(id) ?? null;
    const rate = population ? Math.round((entrants * 1000) / population) / 10 : null;
    const avg = s?.avg == null ? null : Math.round(Number(s.avg) * 10) / 10;
    const points = toNumber(s?.points);
    out.set(id, {
      entrants,
      population,
      rate,
      averageScore: entrants ? avg : null,
      prizes: toNumber(s?.prizes),
      collective: Math.round((entrants * coll.perEntrant + (rate ?? 0) * coll.perPercent + points) * 10) / 10,
    });
  }
  return out;
}

/**
 * Recomputes the stored per-unit totals of a scope — one round (its proposed or published results)
 * or, with `roundId` null, the contest's published rounds together — in one INSERT … SELECT: each
 * person's results per unit first, then every ancestor of that unit (entrants counted once per
 * subtree). Called inside the transaction that writes the results or publishes the round, so a
 * leaderboard never reads totals that disagree with the results.
 */
export async function refreshUnitTotals(trx: DB, contestId: string, roundId: string | null): Promise<void> {
  const scope = roundId ?? '';
  await trx.deleteFrom('contest_unit_totals').where('contest_id', '=', contestId).where('scope', '=', scope).execute();
  // The whole contest over one published round is that round's own totals, kept with its results
  // (refreshed in the same transaction as every change of them): copied, not summed again over its
  // results (issue #14: ~4 s of a first round's publishing at 500,000). Unless they are missing.
  if (!roundId) {
    const published = await trx
      .selectFrom('contest_rounds')
      .select('id')
      .where('contest_id', '=', contestId)
      .where('results_status', '=', 'published')
      .limit(2)
      .execute();
    const only = published.length === 1 ? published[0]!.id : null;
    const kept =
      only &&
      ((await trx
        .selectFrom('contest_unit_totals')
        .select('unit_id')
        .where('contest_id', '=', contestId)
        .where('scope', '=', only)
        .limit(1)
        .executeTakeFirst()) ||
        !(await trx.selectFrom('contest_results').select('user_id').where('round_id', '=', only).limit(1).executeTakeFirst()));
    if (kept) {
      await sql`
        insert into contest_unit_totals (contest_id, scope, unit_id, entrants, results, score_sum, prizes, points)
        select contest_id, '', unit_id, entrants, results, score_sum, prizes, points
        from contest_unit_totals where contest_id = ${contestId} and scope = ${only}`.execute(trx);
      return;
    }
  }
  const rounds = roundId
    ? sql`select id from contest_rounds where id = ${roundId} and contest_id = ${contestId} and results_status in ('proposed', 'published')`
    : sql`select id from contest_rounds where contest_id = ${contestId} and results_status = 'published'`;
  await sql`
    insert into contest_unit_totals (contest_id, scope, unit_id, entrants, results, score_sum, prizes, points)
    select ${contestId}, ${scope}, c.ancestor_id, count(distinct u.user_id), sum(u.n), sum(u.s), sum(u.p), sum(u.pts)
    from (
      select r.user_id, r.unit_id, count(*) as n, sum(r.score) as s, count(r.prize_id) as p, coalesce(sum(z.points), 0) as pts
      from contest_results r
      left join contest_prizes z on z.id = r.prize_id
      where r.round_id in (${rounds})
      group by r.user_id, r.unit_id
    ) u
    join unit_closure c on c.descendant_id = u.unit_id
    group by c.ancestor_id`.execute(trx);
}

/* ---------------- ranking (pure) ---------------- */

export interface UnitStanding {
  unitId: string;
  name: string;
  entrants: number;
  rate: number | null;
  collective: number;
}

/**
 * Ranks units on the prize's basis (desc); equal figures are separated by the number of entrants
 * (desc), and units equal on both share a rank. Units without entrants, and (for the rate) without
 * a population figure, take no part.
 */
export function rankUnits(basis: UnitPrizeBasis, units: readonly UnitStanding[]): Array<UnitStanding & { rank: number; value: number }> {
  const value = (u: UnitStanding) => (basis === 'entrants' ? u.entrants : basis === 'rate' ? (u.rate ?? 0) : u.collective);
  const taking = units.filter((u) => u.entrants > 0 && (basis !== 'rate' || u.rate != null));
  const cmp = (a: UnitStanding, b: UnitStanding) => value(b) - value(a) || b.entrants - a.entrants;
  const collator = new Intl.Collator('vi');
  const sorted = taking.slice().sort((a, b) => cmp(a, b) || collator.compare(a.name, b.name));
  const out: Array<UnitStanding & { rank: number; value: number }> = [];
  sorted.forEach((u, i) => {
    const prev = out[i - 1];
    out.push({ ...u, value: value(u), rank: prev && cmp(prev, u) === 0 ? prev.rank : i + 1 });
  });
  return out;
}

type ContestFigures = Pick<Contest, 'id' | 'eligible_unit_id' | 'collective_json'>;

/** Every unit of the level `depth` below the eligible unit, with its figures over the published rounds (or over `roundId`). */
export async function unitStandings(db: DB, contest: ContestFigures, depth: number, roundId: string | null = null) {
  const units = await db
    .selectFrom('unit_closure as c')
    .innerJoin('units as u', 'u.id', 'c.descendant_id')
    .select(['u.id', 'u.name'])
    .where('c.ancestor_id', '=', contest.eligible_unit_id)
    .where('c.depth', '=', depth)
    .execute();
  const figs = await unitFigures(
    db,
    contest.id,
    contest.collective_json,
    units.map((u) => u.id),
    roundId,
  );
  return units.map((u) => {
    const f = figs.get(u.id)!;
    return { unitId: u.id, name: u.name, entrants: f.entrants, rate: f.rate, collective: f.collective };
  });
}

/* ---------------- proposing ---------------- */

export interface UnitAward {
  prize_id: string;
  unit_id: string;
  rank: number;
  value: number;
  entrants: number;
}

/** The unit prizes of a scope: the whole contest (`roundId` null) or one round. */
function unitPrizesOf(db: DB, contestId: string, roundId: string | null) {
  const q = db.selectFrom('contest_prizes').selectAll().where('contest_id', '=', contestId).where('basis', 'is not', null);
  return roundId ? q.where('round_id', '=', roundId) : q.where('round_id', 'is', null);
}

/**
 * The winners of every unit prize of the scope (no writes): the units of each prize's level ranked
 * on its basis, those within its rank range winning (ties share a rank, so all tied units win).
 */
export async function computeUnitAwards(db: DB, contest: ContestFigures, roundId: string | null): Promise<UnitAward[]> {
  const prizes = await unitPrizesOf(db, contest.id, roundId).orderBy('position').execute();
  const awards: UnitAward[] = [];
  for (const p of prizes) awards.push(...(await rankUnitsInSql(db, contest, roundId, p)));
  return awards;
}

/**
 * `rankUnits` done by the database over the stored totals of the prize's level: the figure
 * computed as `unitFigures` computes it (the rate rounded to one decimal from per-mille, the
 * collective score rounded to one decimal), then RANK() on (figure desc, entrants desc) — units
 * equal on both share a rank — keeping the ranks within the prize's range.
 */
async function rankUnitsInSql(
  db: DB,
  contest: ContestFigures,
  roundId: string | null,
  p: { id: string; basis: UnitPrizeBasis | null; unit_depth: number | null; rank_from: number; rank_to: number },
): Promise<UnitAward[]> {
  const pg = isPostgres(db);
  const coll = parseCollective(contest.collective_json);
  // Math.round(x) for JavaScript's numbers: floor(x + 0.5) in double precision.
  const jsRound = (x: RawBuilder<unknown>) => (pg ? sql`floor((${x})::float8 + 0.5)` : sql`floor((${x}) + 0.5)`);
  const num = (n: number) => (pg ? sql`${n}::float8` : sql`${n}`);
  const real = (col: string) => (pg ? sql`${sql.ref(col)}::float8` : sql`cast(${sql.ref(col)} as real)`);
  const rate = sql`case when f.population > 0 then ${jsRound(sql`${real('t.entrants')} * 1000 / f.population`)} / 10 end`;
  const value =
    p.basis === 'entrants'
      ? real('t.entrants')
      : p.basis === 'rate'
        ? rate
        : sql`${jsRound(sql`(${real('t.entrants')} * ${num(coll.perEntrant)} + coalesce(${rate}, 0) * ${num(coll.perPercent)} + t.points) * 10`)} / 10`;
  const rows = await sql<{ unit_id: string; rnk: number | string; value: number | string; entrants: number }>`
    select unit_id, rnk, value, entrants from (
      select x.*, rank() over (order by value desc, entrants desc) as rnk
      from (
        select c.descendant_id as unit_id, t.entrants, ${value} as value
        from unit_closure c
        join contest_unit_totals t on t.contest_id = ${contest.id} and t.scope = ${roundId ?? ''} and t.unit_id = c.descendant_id
        left join contest_unit_figures f on f.contest_id = ${contest.id} and f.unit_id = c.descendant_id
        where c.ancestor_id = ${contest.eligible_unit_id} and c.depth = ${p.unit_depth ?? 1} and t.entrants > 0
          ${p.basis === 'rate' ? sql`and f.population > 0` : sql``}
      ) x
    ) ranked
    where rnk between ${p.rank_from} and ${p.rank_to}
    order by rnk, unit_id`.execute(db);
  return rows.rows.map((r) => ({
    prize_id: p.id,
    unit_id: r.unit_id,
    rank: toNumber(r.rnk),
    value: Number(r.value),
    entrants: toNumber(r.entrants),
  }));
}

/** Replaces the stored awards of the scope's unit prizes (inside the caller's transaction). */
export async function replaceUnitAwards(trx: DB, contestId: string, roundId: string | null, awards: readonly UnitAward[]) {
  await trx
    .deleteFrom('contest_unit_awards')
    .where('contest_id', '=', contestId)
    .where('prize_id', 'in', unitPrizesOf(trx, contestId, roundId).clearSelect().select('id'))
    .execute();
  if (awards.length)
    await trx
      .insertInto('contest_unit_awards')
      .values(awards.map((a) => ({ contest_id: contestId, ...a })))
      .execute();
}

/** A round's unit prizes, recomputed from its ranked results (called when the round's results are proposed). */
export async function proposeRoundUnitAwards(db: DB, roundId: string): Promise<number> {
  const contest = await db
    .selectFrom('contest_rounds as r')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .select(['c.id', 'c.eligible_unit_id', 'c.collective_json'])
    .where('r.id', '=', roundId)
    .executeTakeFirstOrThrow();
  const awards = await computeUnitAwards(db, contest, roundId);
  await writeTransaction(db, (trx) => replaceUnitAwards(trx, contest.id, roundId, awards));
  return awards.length;
}

/* ---------------- certificates ---------------- */

export type Holder = { userId: string; name: string; unitName: string } | { unitId: string; name: string; unitName: string };

/** One certificate per prize and holder (idempotent); a revoked one is restored. Returns its id. */
export async function issuePrizeCertificate(
  db: DB,
  scope: { contestId: string; roundId: string | null; title: string },
  prizeId: string,
  label: string,
  holder: Holder,
): Promise<string> {
  const find = () => {
    const q = db.selectFrom('contest_certificates').select(['id', 'revoked_at']).where('prize_id', '=', prizeId);
    return ('userId' in holder ? q.where('user_id', '=', holder.userId) : q.where('holder_unit_id', '=', holder.unitId)).executeTakeFirst();
  };
  const existing = await find();
  if (existing) {
    if (existing.revoked_at)
      await db.updateTable('contest_certificates').set({ revoked_at: null, revoked_reason: null }).where('id', '=', existing.id).execute();
    return existing.id;
  }
  const id = newId();
  try {
    await db
      .insertInto('contest_certificates')
      .values({
        id,
        code: newCertificateCode(),
        contest_id: scope.contestId,
        round_id: scope.roundId,
        user_id: 'userId' in holder ? holder.userId : null,
        holder_unit_id: 'unitId' in holder ? holder.unitId : null,
        prize_id: prizeId,
        holder_name: holder.name,
        title: scope.title,
        prize_label: label,
        unit_name: holder.unitName,
        issued_at: nowIso(),
        revoked_at: null,
        revoked_reason: null,
      })
      .execute();
    return id;
  } catch (e) {
    const again = await find();
    if (again) return again.id;
    throw e;
  }
}

/** Certificates for every unit award of the scope; returns the ids of the certificates that stand. */
export async function issueUnitCertificates(
  db: DB,
  scope: { contestId: string; roundId: string | null; title: string },
): Promise<string[]> {
  const units = await unitAwardsQuery(db, scope.contestId, scope.roundId).execute();
  const ids: string[] = [];
  for (const w of units)
    ids.push(await issuePrizeCertificate(db, scope, w.prize_id, w.label, { unitId: w.unit_id, name: w.name, unitName: w.name }));
  return ids;
}

/**
 * On confirming a round's results: its unit winners hold one certificate per prize; unit
 * certificates of the round no longer winning after a recomputation are revoked.
 */
export async function confirmRoundUnitAwards(db: DB, roundId: string, now = new Date()): Promise<number> {
  const r = await db
    .selectFrom('contest_rounds as r')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .select(['c.id', 'c.title', 'r.title as round_title'])
    .where('r.id', '=', roundId)
    .executeTakeFirstOrThrow();
  const keep = await issueUnitCertificates(db, { contestId: r.id, roundId, title: `${r.title} · ${r.round_title}` });
  const stale = db
    .updateTable('contest_certificates')
    .set({ revoked_at: now.toISOString(), revoked_reason: 'recomputed' })
    .where('round_id', '=', roundId)
    .where('holder_unit_id', 'is not', null)
    .where('revoked_at', 'is', null);
  await (keep.length ? stale.where('id', 'not in', keep) : stale).execute();
  return keep.length;
}

/* ---------------- reading ---------------- */

/** The stored awards of the whole contest (`roundId` null) or of one round, by prize then rank. */
function unitAwardsQuery(db: DB, contestId: string, roundId: string | null) {
  const q = db
    .selectFrom('contest_unit_awards as a')
    .innerJoin('contest_prizes as p', 'p.id', 'a.prize_id')
    .innerJoin('units as u', 'u.id', 'a.unit_id')
    .select(['a.prize_id', 'p.label', 'p.basis', 'p.position', 'a.rank', 'a.value', 'a.entrants', 'u.id as unit_id', 'u.name', 'u.name_en'])
    .where('a.contest_id', '=', contestId);
  return (roundId ? q.where('p.round_id', '=', roundId) : q.where('p.round_id', 'is', null))
    .orderBy('p.position')
    .orderBy('a.rank')
    .orderBy('u.name');
}

export function unitAwards(db: DB, contestId: string, roundId: string | null) {
  return unitAwardsQuery(db, contestId, roundId).execute();
}

/** The public shape of a scope's unit winners (pages). */
export async function unitWinners(db: DB, contestId: string, roundId: string | null) {
  return (await unitAwards(db, contestId, roundId)).map((u) => ({
    prize: u.label,
    basis: u.basis,
    rank: u.rank,
    value: u.value,
    entrants: u.entrants,
    name: u.name,
    nameEn: u.name_en,
  }));
}

/** Every round's unit awards (for the export), by round, prize and rank. */
export function roundUnitAwards(db: DB, contestId: string) {
  return db
    .selectFrom('contest_unit_awards as a')
    .innerJoin('contest_prizes as p', 'p.id', 'a.prize_id')
    .innerJoin('contest_rounds as rd', 'rd.id', 'p.round_id')
    .innerJoin('units as u', 'u.id', 'a.unit_id')
    .select(['rd.position as round', 'rd.title as round_title', 'p.label', 'p.basis', 'a.rank', 'a.value', 'a.entrants', 'u.name'])
    .where('a.contest_id', '=', contestId)
    .orderBy('rd.position')
    .orderBy('p.position')
    .orderBy('a.rank')
    .orderBy('u.name')
    .execute();
}

/** Every round's unit prizes as rows for CSV/XLSX (header first), organisers only. */
export async function roundUnitAwardRows(db: DB, userId: string, contestId: string) {
  const c = await requireManager(db, contestId, userId);
  if (!c.ok) return c;
  const out: Array<Array<string | number | null>> = [['round', 'round_title', 'prize', 'basis', 'rank', 'unit', 'value', 'entrants']];
  for (const r of await roundUnitAwards(db, contestId))
    out.push([r.round, r.round_title, r.label, r.basis, r.rank, r.name, Number(r.value), r.entrants]);
  return ok(out);
}
