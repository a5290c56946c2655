import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';

import { StatsView } from '~/components/stats/StatsView';
import { statsPage, statsPageFor } from '~/domain/stats/page.server';
import { parseStatsQuery } from '~/forms/stats';
import { detectLocale } from '~/i18n/i18n.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import styles from '~/styles/stats.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

/** The whole country's participation in a Week (the root of that Week's unit tree). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { metric, sort, page } = parseStatsQuery(new URL(request.url));
  const r = await statsPage(getDb(), Number(params.year), null, detectLocale(request));
  if (!r.ok) notFound();
  return json({ ...statsPageFor(r.value, metric, sort, page), title: `${r.value.unit.name} · ${r.value.year}` });
}

export default function WeekStatsPage() {
  const data = useLoaderData<typeof loader>();
  return <StatsView data={data} />;
}
