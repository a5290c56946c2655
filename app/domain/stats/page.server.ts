import { toNumber } from '~/db/dialect';
import { CLUB_GENERATIONS, STAT_METRICS, type StatMetric } from '~/db/schema';
import { childrenOn, getUnitBySlug, inForce, isInForce, subtreeIdsOn, unitName } from '~/domain/units.server';
import type { DB } from '~/lib/db.server';
import { cachedData } from '~/lib/page-cache.server';
import { err, ok, type Result } from '~/lib/result';

import { daysBetween } from './aggregate.server';

export type Figures = Record<StatMetric, number>;
const zero = (): Figures => Object.fromEntries(STAT_METRICS.map((m) => [m, 0])) as Figures;

export type StatsError = 'not_found';

/** Sums over a set of units (a sub-query of ids) of a Week, by metric and optionally by day. */
async function sums(db: DB, year: number, ids: ReturnType<typeof subtreeIdsOn>) {
  const rows = await db
    .selectFrom('stat_daily')
    .select(['day', 'metric', (e) => e.fn.sum<number | string>('value').as('v')])
    .where('week_year', '=', year)
    .where('unit_id', 'in', ids)
    .groupBy(['day', 'metric'])
    .execute();
  const total = zero();
  const byDay = new Map<string, Figures>();
  for (const r of rows) {
    const v = toNumber(r.v);
    total[r.metric] += v;
    const d = byDay.get(r.day) ?? zero();
    d[r.metric] += v;
    byDay.set(r.day, d);
  }
  return { total, byDay };
}

/** The units that stood for `unitId` in an earlier Week's tree: itself, or its predecessors in force then. */
async function counterparts(db: DB, unitId: string, on: string): Promise<string[]> {
  const out = new Set<string>();
  let frontier = [unitId];
  for (let i = 0; i < 6 && frontier.length; i++) {
    const next: string[] = [];
    for (const id of frontier) {
      if (await isInForce(db, id, on)) out.add(id);
      else
        next.push(
          ...(await db.selectFrom('unit_lineage').select('predecessor_id').where('successor_id', '=', id).execute()).map(
            (r) => r.predecessor_id,
          ),
        );
    }
    frontier = next;
  }
  return [...out];
}

/**
 * The statistics page of a Week for a unit's subtree (the root when no slug): totals, the same
 * unit's previous Week, each child unit (rolled up through the Week's own tree) and each day.
 * Reads only `stat_daily`.
 */
export async function statsPage(
  db: DB,
  year: number,
  unitSlug: string | null,
  locale: string,
): Promise<Result<Awaited<ReturnType<typeof build>>, StatsError>> {
  if (!Number.isInteger(year) || year < 1900 || year > 9999) return err('not_found');
  // The same for every visitor, signed in or not: kept per process until the statistics job writes
  // counts (`bumpCache('stats', year)`: any year, the previous Week is on the page too), a Week or
  // the units change.
  return cachedData(db, `stats:page:${year}:${unitSlug ?? ''}:${locale}`, ['stats', 'weeks', 'units'], () =>
    loadStatsPage(db, year, unitSlug, locale),
  );
}

async function loadStatsPage(
  db: DB,
  year: number,
  unitSlug: string | null,
  locale: string,
): Promise<Result<Awaited<ReturnType<typeof build>>, StatsError>> {
  const week = await db.selectFrom('weeks').selectAll().where('year', '=', year).executeTakeFirst();
  if (!week) return err('not_found');
  const on = week.starts_on;
  const unit = unitSlug
    ? await getUnitBySlug(db, unitSlug)
    : await db
        .selectFrom('units as u')
        .innerJoin('unit_tree_history as h', 'h.descendant_id', 'u.id')
        .selectAll('u')
        .where('u.parent_id', 'is', null)
        .where('h.depth', '=', 0)
        .where(inForce('h', on))
        .orderBy('u.created_at')
        .executeTakeFirst();
  if (!unit || !(await isInForce(db, unit.id, on))) return err('not_found');
  return ok(await build(db, week, unit, locale));
}

async function build(
  db: DB,
  week: { year: number; starts_on: string; ends_on: string; theme_vi: string; theme_en: string },
  unit: { id: string; slug: string; name: string; name_en: string | null; kind: string },
  locale: string,
) {
  const year = week.year;
  const on = week.starts_on;
  const prevWeek = await db
    .selectFrom('weeks')
    .select(['year', 'starts_on', 'ends_on'])
    .where('year', '<', year)
    .orderBy('year', 'desc')
    .executeTakeFirst();

  const [current, children, run, ancestors] = await Promise.all([
    sums(db, year, subtreeIdsOn(db, unit.id, on)),
    childrenOn(db, unit.id, on),
    db.selectFrom('stat_week_runs').select(['computed_at']).where('week_year', '=', year).executeTakeFirst(),
    db
      .selectFrom('unit_tree_history as h')
      .innerJoin('units as u', 'u.id', 'h.ancestor_id')
      .select(['u.slug', 'u.name', 'u.name_en', 'u.parent_id'])
      .where('h.descendant_id', '=', unit.id)
      .where('h.depth', '>', 0)
      .where(inForce('h', on))
      .orderBy('h.depth', 'desc')
      .execute(),
  ]);

  // Each child's subtree on the Week's first day, in one grouped query; the unit's own rows apart.
  const childFigures = new Map<string, Figures>();
  if (children.length) {
    const rows = await db
      .selectFrom('stat_daily as s')
      .innerJoin('unit_tree_history as h', 'h.descendant_id', 's.unit_id')
      .select(['h.ancestor_id', 's.metric', (e) => e.fn.sum<number | string>('s.value').as('v')])
      .where('s.week_year', '=', year)
      .where(
        'h.ancestor_id',
        'in',
        children.map((c) => c.id),
      )
      .where(inForce('h', on))
      .groupBy(['h.ancestor_id', 's.metric'])
      .execute();
    for (const r of rows) {
      const f = childFigures.get(r.ancestor_id) ?? zero();
      f[r.metric] += toNumber(r.v);
      childFigures.set(r.ancestor_id, f);
    }
  }
  const own = zero();
  for (const r of await db
    .selectFrom('stat_daily')
    .select(['metric', (e) => e.fn.sum<number | string>('value').as('v')])
    .where('week_year', '=', year)
    .where('unit_id', '=', unit.id)
    .groupBy('metric')
    .execute())
    own[r.metric] += toNumber(r.v);

  // The previous Week, over the units that stood for this one in that Week's tree.
  let previous: { year: number; total: Figures; byDay: Figures[]; via: string[] } | null = null;
  if (prevWeek) {
    const ids = await counterparts(db, unit.id, prevWeek.starts_on);
    if (ids.length) {
      const sub = db
        .selectFrom('unit_tree_history as h')
        .select('h.descendant_id')
        .where('h.ancestor_id', 'in', ids)
        .where(inForce('h', prevWeek.starts_on));
      const p = await sums(db, prevWeek.year, sub);
      const via =
        ids.length === 1 && ids[0] === unit.id
          ? []
          : (await db.selectFrom('units').select(['name', 'name_en']).where('id', 'in', ids).execute()).map((u) => unitName(u, locale));
      previous = {
        year: prevWeek.year,
        total: p.total,
        byDay: daysBetween(prevWeek.starts_on, prevWeek.ends_on).map((d) => p.byDay.get(d) ?? zero()),
        via,
      };
    }
  }

  const days = daysBetween(week.starts_on, week.ends_on);
  return {
    year,
    theme: locale === 'en' ? week.theme_en : week.theme_vi,
    startsOn: week.starts_on,
    endsOn: week.ends_on,
    unit: { slug: unit.slug, name: unitName(unit, locale), kind: unit.kind, isRoot: ancestors.length === 0 },
    ancestors: ancestors.map((a) => ({ slug: a.slug, name: unitName(a, locale), isRoot: a.parent_id == null })),
    computedAt: run?.computed_at ?? null,
    total: current.total,
    days: days.map((d) => ({ day: d, figures: current.byDay.get(d) ?? zero() })),
    previous,
    children: children.map((c) => ({
      slug: c.slug,
      /** The official code (the national map matches its shapes by it). */
      code: c.code,
      name: unitName(c, locale),
      kind: c.kind,
      figures: childFigures.get(c.id) ?? zero(),
    })),
    own: children.length ? own : null,
    generations: CLUB_GENERATIONS,
  };
}

export type StatsPage = Awaited<ReturnType<typeof build>>;

/** How many child units one page of the statistics page lists (and charts). */
export const STATS_UNITS_PER_PAGE = 25;

/** How the child units are ordered: by the chosen figure (default) or by participation rate. */
export type StatsSort = 'value' | 'rate';

/** A province on the national map: its official code, name and participation rate (compact: ~130 of them at the root). */
export type MapEntry = [code: string | null, name: string, rate: number | null];

/** The rate as the page shows it (one decimal): the table, the map's shading and its titles agree. */
const shownRate = (f: Pick<Figures, 'participants' | 'accounts'>) => {
  const r = participationRate(f);
  return r == null ? null : Math.round(r * 10) / 10;
};

const collator = new Intl.Collator('vi');

/** One child unit as a page lists it: its link, the chosen figure and its participation rate. */
export interface StatsUnitRow {
  slug: string;
  name: string;
  value: number;
  rate: number | null;
}

/**
 * The page as sent for one chosen figure (`?metric=`), order (`?sort=`) and page of child units
 * (`?page=`): the child units are ranked on the server and only one page of them (25) is sent,
 * each with what its row shows (the chosen figure and the rate); the national map gets each
 * province's code, name and rate; each day of the previous Week carries the chosen figure. At
 * the root, a whole list of 60–130 units rendered four times (map, two charts, two tables) was
 * most of a 135–166 KB page. Totals and this Week's days keep every figure (the summary and the
 * daily table).
 */
export function statsPageFor<M extends StatMetric>(page: StatsPage, metric: M, sort: StatsSort = 'value', pageNo = 1) {
  const { children, own, ...rest } = page;
  const ranked = children
    .map((c) => ({ slug: c.slug, name: c.name, value: c.figures[metric], rate: shownRate(c.figures) }))
    .sort((a, b) =>
      sort === 'rate'
        ? (b.rate ?? -1) - (a.rate ?? -1) || b.value - a.value || collator.compare(a.name, b.name)
        : b.value - a.value || (b.rate ?? -1) - (a.rate ?? -1) || collator.compare(a.name, b.name),
    );
  const pages = Math.max(1, Math.ceil(ranked.length / STATS_UNITS_PER_PAGE));
  const current = Math.min(Math.max(1, Math.floor(pageNo) || 1), pages);
  const first = (current - 1) * STATS_UNITS_PER_PAGE;
  return {
    ...rest,
    metric,
    sort,
    units: {
      rows: ranked.slice(first, first + STATS_UNITS_PER_PAGE) satisfies StatsUnitRow[],
      count: ranked.length,
      page: current,
      pages,
      /** The rank of the page's first row, less one. */
      offset: first,
      /** The unit's own figure (activities not below any child), listed after the last page's rows. */
      own: own && current === pages && own[metric] ? own[metric] : null,
    },
    /** At the root: every province of the Week's tree for the map (shapes are matched by official code). */
    map: page.unit.isRoot
      ? children.filter((c) => c.kind === 'province').map((c): MapEntry => [c.code, c.name, shownRate(c.figures)])
      : null,
    previous: page.previous
      ? { ...page.previous, byDay: page.previous.byDay.map((f) => ({ [metric]: f[metric] }) as Partial<Figures>) }
      : null,
  };
}

export type StatsPageSent = ReturnType<typeof statsPageFor>;

/** Participants per 100 accounts (never above 100: participants are accounts), or null without accounts. */
export function participationRate(f: Pick<Figures, 'participants' | 'accounts'>): number | null {
  return f.accounts > 0 ? Math.min(100, (100 * f.participants) / f.accounts) : null;
}
