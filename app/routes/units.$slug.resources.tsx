import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { ResourceCards } from '~/components/oer/ResourceCards';
import { filtersFromParams, listPublished } from '~/domain/oer/resources.server';
import { getUnitBySlug, unitName } from '~/domain/units.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getDb } from '~/lib/db.server';
import { notFound, pageParam } from '~/lib/http.server';
import oerStyles from '~/styles/oer.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: oerStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

/** A unit's resources portal: its own and those of every unit below it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const unit = await getUnitBySlug(db, params.slug ?? '');
  if (!unit) notFound();
  const locale = detectLocale(request);
  const url = new URL(request.url);
  const page = pageParam(url);
  const { rows, total } = await listPublished(db, { ...filtersFromParams(url.searchParams), unitId: unit.id }, page);
  const name = unitName(unit, locale);
  return json({ title: getT(locale)('oer.unitResources', { unit: name }), unit: { slug: unit.slug, name }, rows, total });
}

export default function UnitResources() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <Breadcrumb items={[{ to: `/units/${d.unit.slug}`, label: d.unit.name }, { label: t('oer.title') }]} />
      <h1>{d.title}</h1>
      <p className="muted">{t('oer.unitResourcesIntro')}</p>
      <p role="status">{t('oer.count', { count: d.total })}</p>
      <ResourceCards rows={d.rows} headingLevel={2} />
    </>
  );
}
