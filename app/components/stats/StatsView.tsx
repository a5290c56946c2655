import { Form, Link } from '@remix-run/react';
import { useId } from 'react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { ScrollRegion } from '~/components/ScrollRegion';
import type { StatMetric } from '~/db/schema/stats';
import type { MapEntry, StatsSort, StatsUnitRow } from '~/domain/stats/page.server';
import { useT } from '~/i18n/i18n';
import { formatDate, formatDateTime } from '~/lib/dates';

import { BarChart } from './BarChart';
import { DailyLine } from './DailyLine';
import { CHART_METRICS_LIST, type ChartMetric, metricLabel, SUMMARY_METRICS } from './labels';
import { editionOn, provinceShapes } from './province-map';
import { ProvinceMap } from './ProvinceMap';

type Figures = Record<StatMetric, number>;

export interface StatsViewData {
  year: number;
  theme: string;
  startsOn: string;
  endsOn: string;
  unit: { slug: string; name: string; kind: string; isRoot: boolean };
  ancestors: Array<{ slug: string; name: string; isRoot: boolean }>;
  computedAt: string | null;
  total: Figures;
  days: Array<{ day: string; figures: Figures }>;
  /** The previous Week's days carry the chosen figure only (`statsPageFor`). */
  previous: { year: number; total: Figures; byDay: Array<Partial<Figures>>; via: string[] } | null;
  /** One page of the child units, ranked on the server (`statsPageFor`). */
  units: { rows: StatsUnitRow[]; count: number; page: number; pages: number; offset: number; own: number | null };
  /** At the root: every province of the Week's tree for the map. */
  map: MapEntry[] | null;
  generations: readonly StatMetric[];
  metric: ChartMetric;
  sort: StatsSort;
}

const rateOf = (f: Pick<Figures, 'participants' | 'accounts'>) =>
  f.accounts > 0 ? Math.min(100, (100 * f.participants) / f.accounts) : null;

/** The statistics page of a Week for one unit's subtree (the whole country at the root). */
export function StatsView({ data }: { data: StatsViewData }) {
  const { t, locale } = useT();
  const nf = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 0 });
  const pf = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 });
  const num = (n: number) => nf.format(n);
  const pct = (n: number) => `${pf.format(n)} %`;
  const { year, unit, previous, metric } = data;
  const metricName = t(metricLabel[metric]);
  const base = `/weeks/${year}/stats`;
  const hrefOf = (slug: string, isRoot: boolean) => (isRoot ? base : `${base}/${slug}`);
  const dayLabel = (d: string) => formatDate(d).slice(0, 5);
  const ids = { summary: useId(), children: useId(), daily: useId(), clubs: useId() };

  const change = (now: number, before: number | undefined) => {
    if (before == null) return '—';
    if (before === 0) return now === 0 ? '0' : `+${num(now)}`;
    const p = ((now - before) / before) * 100;
    return `${p >= 0 ? '+' : ''}${pf.format(p)} %`;
  };

  const { units, sort } = data;
  const byRate = sort === 'rate';
  /** This page's link with another figure, order or page (defaults left out: one URL per view). */
  const query = (q: { metric?: ChartMetric; sort?: StatsSort; page?: number }) => {
    const p = new URLSearchParams();
    const m = q.metric ?? metric;
    const o = q.sort ?? sort;
    if (m !== 'participants') p.set('metric', m);
    if (o !== 'value') p.set('sort', o);
    if (q.page && q.page > 1) p.set('page', String(q.page));
    const s = p.toString();
    return `${hrefOf(unit.slug, unit.isRoot)}${s ? `?${s}` : ''}`;
  };
  const range =
    units.pages > 1
      ? t('stats.children.range', { from: units.offset + 1, to: units.offset + units.rows.length, count: units.count })
      : null;
  // The national map: the Week's own tree (63 provinces before 01/07/2025, 34 since), matched by official code.
  const map = data.map
    ? provinceShapes(
        editionOn(data.startsOn),
        data.map.map(([code, name, rate]) => ({ code, name, rate })),
      )
    : null;
  const clubTotal = data.generations.reduce((s, g) => s + data.total[g], 0);
  const clubPrevTotal = previous ? data.generations.reduce((s, g) => s + previous.total[g], 0) : 0;

  return (
    <>
      <Breadcrumb
        items={[
          { to: `/weeks/${year}`, label: t('weeks.weekOfYear', { year }) },
          ...data.ancestors.map((a) => ({ to: hrefOf(a.slug, a.isRoot), label: a.name })),
          { label: unit.name },
        ]}
      />
      <h1>{unit.isRoot ? t('stats.title', { year }) : t('stats.titleUnit', { year, unit: unit.name })}</h1>
      <p>{t('stats.intro', { unit: unit.name, from: formatDate(data.startsOn), to: formatDate(data.endsOn), year })}</p>
      <p className="stat-note">
        {data.computedAt ? t('stats.computedAt', { date: formatDateTime(data.computedAt) }) : t('stats.notComputed')}
      </p>

      <Form method="get" className="stat-pick">
        <label>
          {t('stats.pick.legend')}
          <br />
          <select name="metric" defaultValue={metric}>
            {CHART_METRICS_LIST.map((m) => (
              <option key={m} value={m}>
                {t(metricLabel[m])}
              </option>
            ))}
          </select>
        </label>
        {sort === 'rate' ? <input type="hidden" name="sort" value="rate" /> : null}
        <button type="submit">{t('stats.pick.submit')}</button>
      </Form>

      <section aria-labelledby={ids.summary}>
        <h2 id={ids.summary}>{t('stats.summary.heading')}</h2>
        <ScrollRegion labelledBy={`${ids.summary}-c`}>
          <table className="data" data-testid="stats-summary">
            <caption id={`${ids.summary}-c`}>
              {previous ? t('stats.summary.caption', { year, previous: previous.year }) : t('stats.summary.captionNoPrevious', { year })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('stats.summary.metric')}</th>
                <th scope="col" className="num">
                  {t('stats.summary.thisWeek', { year })}
                </th>
                {previous ? (
                  <>
                    <th scope="col" className="num">
                      {t('stats.summary.thisWeek', { year: previous.year })}
                    </th>
                    <th scope="col" className="num">
                      {t('stats.summary.change')}
                    </th>
                  </>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {SUMMARY_METRICS.map((m) => (
                <tr key={m} data-metric={m}>
                  <th scope="row">{t(metricLabel[m])}</th>
                  <td className="num">{num(data.total[m])}</td>
                  {previous ? (
                    <>
                      <td className="num">{num(previous.total[m])}</td>
                      <td className="num">{change(data.total[m], previous.total[m])}</td>
                    </>
                  ) : null}
                </tr>
              ))}
              <tr data-metric="rate">
                <th scope="row">{t('stats.summary.rate')}</th>
                <td className="num">{rateOf(data.total) == null ? '—' : pct(rateOf(data.total)!)}</td>
                {previous ? (
                  <>
                    <td className="num">{rateOf(previous.total) == null ? '—' : pct(rateOf(previous.total)!)}</td>
                    <td className="num">—</td>
                  </>
                ) : null}
              </tr>
            </tbody>
          </table>
        </ScrollRegion>
        <p className="stat-note">{t('stats.summary.rateNote')}</p>
        {previous?.via.length ? (
          <p className="stat-note">{t('stats.summary.via', { year: previous.year, units: previous.via.join(', ') })}</p>
        ) : null}
        {!previous ? <p className="stat-note">{t('stats.summary.noComparison')}</p> : null}
      </section>

      <section aria-labelledby={ids.children}>
        <h2 id={ids.children}>{unit.isRoot ? t('stats.provinces.heading') : t('stats.children.heading')}</h2>
        {map ? (
          <figure className="stat-figure" data-testid="stats-map">
            <figcaption>{t('stats.map.caption', { year, n: map.shapes.length })}</figcaption>
            <ProvinceMap
              title={t('stats.map.title', { year })}
              desc={t('stats.map.desc', {
                n: map.shapes.length,
                shaded: map.shapes.filter((s) => s.rate != null).length,
              })}
              shapes={map.shapes}
              format={pct}
            />
            <p className="stat-note">{t('stats.map.tableNote')}</p>
            {map.unmatched.length ? (
              <p className="stat-note">{t('stats.map.unmatched', { units: map.unmatched.map((p) => p.name).join(', ') })}</p>
            ) : null}
          </figure>
        ) : null}
        {units.rows.length ? (
          <figure className="stat-figure" data-testid="stats-children">
            <BarChart
              title={`${
                byRate
                  ? t('stats.children.rateChartTitle', { unit: unit.name, year })
                  : t('stats.children.chartTitle', { metric: metricName, unit: unit.name, year })
              }${range ? ` (${range})` : ''}`}
              desc={t('stats.children.chartDesc', {
                top: units.rows[0]!.name,
                value: byRate ? (units.rows[0]!.rate == null ? '—' : pct(units.rows[0]!.rate)) : num(units.rows[0]!.value),
              })}
              bars={[
                ...units.rows.map((c) => ({ label: c.name, value: byRate ? (c.rate ?? 0) : c.value })),
                ...(units.own != null && !byRate ? [{ label: t('stats.children.own', { unit: unit.name }), value: units.own }] : []),
              ]}
              format={byRate ? pct : num}
            />
            <ScrollRegion labelledBy={`${ids.children}-c`}>
              <table className="data">
                <caption id={`${ids.children}-c`}>
                  {byRate ? t('stats.children.captionByRate', { metric: metricName }) : t('stats.children.caption', { metric: metricName })}
                  {range ? ` (${range})` : null}
                </caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      {t('stats.provinces.rank')}
                    </th>
                    <th scope="col">{t('stats.children.unit')}</th>
                    <th scope="col" className="num" aria-sort={byRate ? undefined : 'descending'}>
                      {byRate ? (
                        <Link to={query({ sort: 'value' })} title={t('stats.children.sortBy')} discover="none">
                          {metricName}
                        </Link>
                      ) : (
                        metricName
                      )}
                    </th>
                    <th scope="col" className="num" aria-sort={byRate ? 'descending' : undefined}>
                      {byRate ? (
                        t('stats.summary.rate')
                      ) : (
                        <Link to={query({ sort: 'rate' })} title={t('stats.children.sortBy')} discover="none">
                          {t('stats.summary.rate')}
                        </Link>
                      )}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {units.rows.map((c, i) => (
                    <tr key={c.slug}>
                      <td className="num">{units.offset + i + 1}</td>
                      <th scope="row">
                        <Link to={`${base}/${c.slug}${metric === 'participants' ? '' : `?metric=${metric}`}`} discover="none">
                          {c.name}
                        </Link>
                      </th>
                      <td className="num">{num(c.value)}</td>
                      <td className="num">{c.rate == null ? '—' : pct(c.rate)}</td>
                    </tr>
                  ))}
                  {units.own != null ? (
                    <tr>
                      <td />
                      <th scope="row">{t('stats.children.own', { unit: unit.name })}</th>
                      <td className="num">{num(units.own)}</td>
                      <td className="num">—</td>
                    </tr>
                  ) : null}
                </tbody>
              </table>
            </ScrollRegion>
            {units.pages > 1 ? (
              <nav aria-label={t('stats.children.pages')} className="stat-pager">
                <ul>
                  {units.page > 1 ? (
                    <li>
                      <Link to={query({ page: units.page - 1 })} rel="prev" discover="none">
                        {t('stats.children.previousPage')}
                      </Link>
                    </li>
                  ) : null}
                  {Array.from({ length: units.pages }, (_, i) => i + 1).map((n) => (
                    <li key={n}>
                      <Link
                        to={query({ page: n })}
                        aria-current={n === units.page ? 'page' : undefined}
                        aria-label={t('stats.children.pageN', { n })}
                        discover="none"
                      >
                        {n}
                      </Link>
                    </li>
                  ))}
                  {units.page < units.pages ? (
                    <li>
                      <Link to={query({ page: units.page + 1 })} rel="next" discover="none">
                        {t('stats.children.nextPage')}
                      </Link>
                    </li>
                  ) : null}
                </ul>
              </nav>
            ) : null}
          </figure>
        ) : (
          <p>{t('stats.children.none', { year })}</p>
        )}
      </section>

      <section aria-labelledby={ids.daily}>
        <h2 id={ids.daily}>{t('stats.daily.heading')}</h2>
        <figure className="stat-figure" data-testid="stats-daily">
          <DailyLine
            title={
              previous
                ? t('stats.daily.chartTitleCompare', { metric: metricName, year, previous: previous.year })
                : t('stats.daily.chartTitle', { metric: metricName, year })
            }
            desc={
              previous
                ? t('stats.daily.chartDescCompare', { days: data.days.length, year, previous: previous.year })
                : t('stats.daily.chartDesc', { days: data.days.length, year })
            }
            labels={data.days.map((d) => dayLabel(d.day))}
            values={data.days.map((d) => d.figures[metric])}
            compare={previous ? data.days.map((_, i) => previous.byDay[i]?.[metric] ?? 0) : null}
            format={num}
          />
          <ScrollRegion labelledBy={`${ids.daily}-c`}>
            <table className="data">
              <caption id={`${ids.daily}-c`}>{t('stats.daily.caption', { year })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('stats.daily.day')}</th>
                  {CHART_METRICS_LIST.map((m) => (
                    <th scope="col" className="num" key={m}>
                      {t(metricLabel[m])}
                    </th>
                  ))}
                  {previous ? (
                    <th scope="col" className="num">
                      {t('stats.legend.previous', { year: previous.year })}: {metricName}
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {data.days.map((d, i) => (
                  <tr key={d.day} data-day={d.day}>
                    <th scope="row">{formatDate(d.day)}</th>
                    {CHART_METRICS_LIST.map((m) => (
                      <td className="num" key={m} data-metric={m}>
                        {num(d.figures[m])}
                      </td>
                    ))}
                    {previous ? <td className="num">{num(previous.byDay[i]?.[metric] ?? 0)}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </figure>
      </section>

      <section aria-labelledby={ids.clubs}>
        <h2 id={ids.clubs}>{t('stats.clubs.heading')}</h2>
        <figure className="stat-figure" data-testid="stats-clubs">
          <BarChart
            title={t('stats.clubs.chartTitle', { year })}
            desc={t('stats.clubs.chartDesc')}
            bars={data.generations.map((g) => ({
              label: t(metricLabel[g]),
              value: data.total[g],
              compare: previous ? previous.total[g] : null,
            }))}
            format={num}
            compareLabel={previous ? String(previous.year) : undefined}
          />
          <ScrollRegion labelledBy={`${ids.clubs}-c`}>
            <table className="data">
              <caption id={`${ids.clubs}-c`}>{t('stats.clubs.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('stats.clubs.generation')}</th>
                  <th scope="col" className="num">
                    {t('stats.legend.current', { year })}
                  </th>
                  {previous ? (
                    <th scope="col" className="num">
                      {t('stats.legend.current', { year: previous.year })}
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {data.generations.map((g) => (
                  <tr key={g}>
                    <th scope="row">{t(metricLabel[g])}</th>
                    <td className="num">{num(data.total[g])}</td>
                    {previous ? <td className="num">{num(previous.total[g])}</td> : null}
                  </tr>
                ))}
                <tr>
                  <th scope="row">{t('stats.clubs.total')}</th>
                  <td className="num">{num(clubTotal)}</td>
                  {previous ? <td className="num">{num(clubPrevTotal)}</td> : null}
                </tr>
              </tbody>
            </table>
          </ScrollRegion>
        </figure>
      </section>
    </>
  );
}
