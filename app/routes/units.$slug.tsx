import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { NewsList } from '~/components/outreach/NewsList';
import { unitPageOutreach } from '~/domain/outreach/kit.server';
import { plansOfUnit } from '~/domain/plans.server';
import { getAncestors, getChildren, getUnitBySlug, lineageOf, unitName } from '~/domain/units.server';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { unitKindLabel } from '~/i18n/labels';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.unit.name }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const unit = await getUnitBySlug(db, params.slug ?? '');
  if (!unit) notFound();
  const locale = detectLocale(request);
  const [ancestors, children, plans, lineage, outreach] = await Promise.all([
    getAncestors(db, unit.id),
    getChildren(db, unit.id),
    plansOfUnit(db, unit.id),
    lineageOf(db, unit.id),
    unitPageOutreach(db, unit.id, locale),
  ]);
  return json({
    unit: { slug: unit.slug, name: unitName(unit, locale), kind: unit.kind },
    ancestors: ancestors.slice(0, -1).map((a) => ({ slug: a.slug, name: unitName(a, locale) })),
    children: children.map((c) => ({ slug: c.slug, name: unitName(c, locale), kind: c.kind })),
    plans: plans.filter((p) => p.status === 'published').map((p) => p.week_year),
    validFrom: unit.valid_from,
    validTo: unit.valid_to,
    lineage: lineage.map((l) => ({
      kind: l.kind,
      on: l.effective_on,
      predecessor: { slug: l.predecessor_slug, name: unitName({ name: l.predecessor_name, name_en: l.predecessor_name_en }, locale) },
      successor: { slug: l.successor_slug, name: unitName({ name: l.successor_name, name_en: l.successor_name_en }, locale) },
    })),
    news: outreach.news,
  });
}

const LINEAGE_KEYS = {
  merged_into: 'units.history.merged_into',
  split_from: 'units.history.split_from',
  renamed_to: 'units.history.renamed_to',
} as const;

export default function UnitPage() {
  const { unit, ancestors, children, plans, validFrom, validTo, lineage, news } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/units', label: t('common.nav.units') },
          ...ancestors.map((a) => ({ to: `/units/${a.slug}`, label: a.name })),
          { label: unit.name },
        ]}
      />
      <h1>{unit.name}</h1>
      <p className="muted">{t(unitKindLabel[unit.kind])}</p>
      {validTo ? <p className="notice">{t('units.history.dissolvedNote', { date: formatDate(validTo) })}</p> : null}
      {validFrom || validTo ? (
        <p>
          {t('units.history.validity')}: {validFrom ? t('units.history.since', { date: formatDate(validFrom) }) : null}
          {validFrom && validTo ? ' · ' : null}
          {validTo ? t('units.history.until', { date: formatDate(validTo) }) : null}
        </p>
      ) : null}
      {lineage.length ? (
        <section aria-labelledby="unit-lineage">
          <h2 id="unit-lineage">{t('units.history.lineage')}</h2>
          <ul>
            {lineage.map((l) => (
              <li key={`${l.predecessor.slug}-${l.successor.slug}-${l.kind}`}>
                {formatDate(l.on)}: <Link to={`/units/${l.predecessor.slug}`}>{l.predecessor.name}</Link> {t(LINEAGE_KEYS[l.kind])}{' '}
                <Link to={`/units/${l.successor.slug}`}>{l.successor.name}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="unit-plans">
        <h2 id="unit-plans">{t('weeks.unitPlans')}</h2>
        {plans.length ? (
          <ul>
            {plans.map((y) => (
              <li key={y}>
                <Link to={`/weeks/${y}/plans/${unit.slug}`}>{t('weeks.planTitle', { unit: unit.name, year: y })}</Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('weeks.noPlanYet')}</p>
        )}
      </section>
      <p>
        <Link to={`/units/${unit.slug}/honours`}>{t('weeks.unitHonoursLink')}</Link>
      </p>
      {news.length ? (
        <section aria-labelledby="unit-news">
          <h2 id="unit-news">{t('outreach.news.heading')}</h2>
          <NewsList items={news} />
          <p>
            <Link to={`/units/${unit.slug}/news`}>{t('outreach.news.all')}</Link> ·{' '}
            <a href={`/units/${unit.slug}/news.atom`} type="application/atom+xml">
              {t('outreach.news.feed')}
            </a>
          </p>
        </section>
      ) : null}
      {children.length ? (
        <section aria-labelledby="unit-children">
          <h2 id="unit-children">{t('common.childUnits')}</h2>
          <ul>
            {children.map((c) => (
              <li key={c.slug}>
                <Link to={`/units/${c.slug}`}>{c.name}</Link> <span className="muted">· {t(unitKindLabel[c.kind])}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
