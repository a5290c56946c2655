import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { RollFilters, RollList } from '~/components/honours/Roll';
import { honourRoll } from '~/domain/honours/pages.server';
import { getUnitBySlug, unitName } from '~/domain/units.server';
import { weekYears } from '~/domain/weeks.server';
import { rollFilterSchema } from '~/forms/honours-decision';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { localName } from '~/lib/names';
import styles from '~/styles/honours.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

/** A unit's public honour roll: its own and its subtree's approved honours, every Week. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const unit = await getUnitBySlug(db, params.slug ?? '');
  if (!unit) notFound();
  const url = new URL(request.url);
  const f = rollFilterSchema.parse({
    category: url.searchParams.get('category') || null,
    q: url.searchParams.get('q') ?? '',
    year: url.searchParams.get('year') || null,
  });
  const locale = detectLocale(request);
  const rows = await honourRoll(db, { unitId: unit.id, year: f.year ?? undefined, category: f.category, q: f.q });
  const years = await weekYears(db);
  const name = unitName(unit, locale);
  return json({
    title: getT(locale)('honours.unitRollTitle', { unit: name }),
    unit: { slug: unit.slug, name },
    filter: f,
    years,
    rows: rows.map((r) => ({ ...r, unit: localName({ name: r.unit_name, name_en: r.unit_name_en }, locale) })),
  });
}

export default function UnitHonours() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <Breadcrumb items={[{ to: `/units/${d.unit.slug}`, label: d.unit.name }, { label: t('honours.title') }]} />
      <h1>{d.title}</h1>
      <p>{t('honours.unitRollIntro')}</p>
      <RollFilters category={d.filter.category} q={d.filter.q} years={d.years} year={d.filter.year} />
      <p role="status">{t('honours.count', { count: d.rows.length })}</p>
      <RollList rows={d.rows} showYear />
    </>
  );
}
