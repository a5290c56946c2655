import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { forumsHome } from '~/domain/forums/pages.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getUser } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import styles from '~/styles/community.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const locale = detectLocale(request);
  const home = await forumsHome(getDb(), user?.id ?? null, locale);
  return json({ title: getT(locale)('community.forums.title'), signedIn: !!user, ...home });
}

export default function Forums() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <h1>{t('community.forums.title')}</h1>
      <p className="lead">{t('community.forums.intro')}</p>
      {d.canCreate || d.moderates ? (
        <p className="actions">
          {d.canCreate ? (
            <Link to="/forums/new" className="button">
              {t('community.forums.newCategory')}
            </Link>
          ) : null}
          {d.moderates ? (
            <Link to="/forums/queue" className="button secondary">
              {t('community.queue.title')}
            </Link>
          ) : null}
        </p>
      ) : null}
      {d.categories.length === 0 ? <p className="muted">{t('community.forums.empty')}</p> : null}
      <ul className="forum-list">
        {d.categories.map((c) => (
          <li key={c.slug} className="card">
            <h2>
              <Link to={`/forums/c/${c.slug}`}>{c.name}</Link>
            </h2>
            {c.description ? <p>{c.description}</p> : null}
            <p className="muted small">
              {c.unit}
              {c.weekYear ? ` · ${t('community.forums.week', { year: c.weekYear })}` : ''}
              {c.visibility === 'members' ? ` · ${t('community.forums.membersOnly')}` : ''} ·{' '}
              {t('community.forums.threads', { count: c.threads })}
              {c.lastAt ? ` · ${t('community.forums.lastAt', { date: formatDateTime(c.lastAt) })}` : ''}
            </p>
          </li>
        ))}
      </ul>
      {!d.signedIn ? (
        <p className="muted">
          <Link to="/login?redirectTo=/forums">{t('community.forums.signInToPost')}</Link>
        </p>
      ) : null}
    </>
  );
}
