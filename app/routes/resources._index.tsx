import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';

import { FilterFields } from '~/components/oer/FilterFields';
import { ResourceCards } from '~/components/oer/ResourceCards';
import { authorUnits, filtersFromParams, listPublished, weekYears } from '~/domain/oer/resources.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { pageParam } from '~/lib/http.server';
import oerStyles from '~/styles/oer.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: oerStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.title }, { name: 'description', content: data.intro }] : [];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const url = new URL(request.url);
  const filters = filtersFromParams(url.searchParams);
  const page = pageParam(url);
  const user = await getUser(request);
  const t = getT(detectLocale(request));
  const [{ rows, total }, years, units] = await Promise.all([
    listPublished(db, filters, page),
    weekYears(db),
    user ? authorUnits(db, user.id) : [],
  ]);
  return json({
    title: t('oer.title'),
    intro: t('oer.intro'),
    rows,
    total,
    page,
    years,
    values: Object.fromEntries(url.searchParams),
    canAuthor: units.length > 0,
    signedIn: !!user,
  });
}

export default function Resources() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  const qs = (page: number) => {
    const p = new URLSearchParams(d.values);
    p.set('page', String(page));
    return `?${p}`;
  };
  return (
    <>
      <h1>{t('oer.title')}</h1>
      <p>{t('oer.intro')}</p>
      <div className="actions">
        <Link to="/search" className="button secondary">
          {t('oer.search.title')}
        </Link>
        {d.canAuthor ? (
          <Link to="/resources/new" className="button primary">
            {t('oer.newResource')}
          </Link>
        ) : null}
        {d.signedIn ? <Link to="/resources/mine">{t('oer.myResources')}</Link> : null}
        {d.signedIn ? <Link to="/resources/review">{t('oer.reviewQueue')}</Link> : null}
      </div>
      <Form method="get" className="card">
        <FilterFields values={d.values} years={d.years} />
        <div className="actions">
          <button type="submit" className="primary">
            {t('oer.filter')}
          </button>
          <Link to="/resources">{t('oer.clearFilters')}</Link>
        </div>
      </Form>
      <p role="status">{t('oer.count', { count: d.total })}</p>
      <ResourceCards rows={d.rows} headingLevel={2} />
      <nav className="actions" aria-label={t('oer.page', { page: d.page })}>
        {d.page > 1 ? <Link to={qs(d.page - 1)}>{t('oer.prev')}</Link> : null}
        {d.page * 24 < d.total ? <Link to={qs(d.page + 1)}>{t('oer.next')}</Link> : null}
      </nav>
    </>
  );
}
