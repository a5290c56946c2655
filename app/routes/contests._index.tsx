import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { unitsWithRole } from '~/domain/accounts.server';
import { listContests } from '~/domain/contests/contests.server';
import { unitName } from '~/domain/units.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import styles from '~/styles/contests.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const locale = detectLocale(request);
  const user = await getUser(request);
  const [contests, organiserUnits] = await Promise.all([
    listContests(db),
    user ? unitsWithRole(db, user.id, 'organiser') : Promise.resolve([]),
  ]);
  return json({
    title: getT(locale)('contests.list.title'),
    contests: contests.map((c) => ({
      slug: c.slug,
      title: c.title,
      year: c.week_year,
      unit: unitName({ name: c.unit_name, name_en: c.unit_name_en }, locale),
    })),
    canCreate: organiserUnits.length > 0,
  });
}

export default function ContestList() {
  const { contests, canCreate } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <h1>{t('contests.list.title')}</h1>
      <p>{t('contests.list.intro')}</p>
      {canCreate ? (
        <p>
          <Link className="button" to="/contests/new">
            {t('contests.list.new')}
          </Link>
        </p>
      ) : null}
      {contests.length === 0 ? (
        <p>{t('contests.list.empty')}</p>
      ) : (
        <ul className="cards">
          {contests.map((c) => (
            <li key={c.slug} className="card">
              <h2>
                <Link to={`/contests/${c.slug}`}>{c.title}</Link>
              </h2>
              <p className="muted">
                {c.unit}
                {c.year ? ` · ${t('contests.list.week', { year: c.year })}` : ''}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
