import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { NewsList } from '~/components/outreach/NewsList';
import { newsViews, unitNewsFeed } from '~/domain/outreach/kit.server';
import { unitName } from '~/domain/units.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import styles from '~/styles/outreach.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: data.title },
        { tagName: 'link', rel: 'alternate', type: 'application/atom+xml', title: data.title, href: `/units/${data.unit.slug}/news.atom` },
      ]
    : [];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = detectLocale(request);
  const f = await unitNewsFeed(getDb(), params.slug ?? '', 100);
  if (!f) notFound();
  const name = unitName(f.unit, locale);
  return json({
    title: getT(locale)('outreach.news.unitTitle', { unit: name }),
    unit: { slug: f.unit.slug, name },
    news: newsViews(f.news, locale),
  });
}

export default function UnitNews() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/units', label: t('common.nav.units') },
          { to: `/units/${d.unit.slug}`, label: d.unit.name },
          { label: t('outreach.news.heading') },
        ]}
      />
      <h1>{d.title}</h1>
      <p>
        <a href={`/units/${d.unit.slug}/news.atom`} type="application/atom+xml">
          {t('outreach.news.feed')}
        </a>
      </p>
      <NewsList items={d.news} level={2} />
    </>
  );
}
