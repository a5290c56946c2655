import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { RollFilters, RollList } from '~/components/honours/Roll';
import { honourRoll } from '~/domain/honours/pages.server';
import { getWeek } from '~/domain/weeks.server';
import { rollFilterSchema } from '~/forms/honours-decision';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { localName } from '~/lib/names';
import styles from '~/styles/honours.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.title }, { name: 'description', content: data.intro }] : [];

/** The public honour roll of a Week: approved honours only (minors only with consent), filterable. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const year = Number(params.year);
  const db = getDb();
  if (!Number.isInteger(year) || !(await getWeek(db, year))) notFound();
  const url = new URL(request.url);
  const f = rollFilterSchema.parse({ category: url.searchParams.get('category') || null, q: url.searchParams.get('q') ?? '', year: null });
  const locale = detectLocale(request);
  const rows = await honourRoll(db, { year, category: f.category, q: f.q });
  const t = getT(locale);
  return json({
    year,
    title: t('honours.rollTitle', { year }),
    intro: t('honours.rollIntro'),
    filter: f,
    rows: rows.map((r) => ({ ...r, unit: localName({ name: r.unit_name, name_en: r.unit_name_en }, locale) })),
  });
}

export default function WeekHonours() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <Breadcrumb items={[{ to: `/weeks/${d.year}`, label: String(d.year) }, { label: t('honours.title') }]} />
      <h1>{d.title}</h1>
      <p>{d.intro}</p>
      <RollFilters category={d.filter.category} q={d.filter.q} />
      <p role="status">{t('honours.count', { count: d.rows.length })}</p>
      <RollList rows={d.rows} />
      <p>
        <Link to="/honours">{t('honours.desk.title')}</Link>
      </p>
    </>
  );
}
