import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { CHALLENGE_GOAL_KEYS, CHALLENGE_KIND_KEYS } from '~/components/clubs/challenge-labels';
import { challengesDirectory } from '~/domain/clubs/challenges.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const page = await challengesDirectory(getDb(), user?.id ?? null);
  return json({ title: getT(detectLocale(request))('clubs.challenges.title'), signedIn: !!user, ...page });
}

export default function Challenges() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <Breadcrumb items={[{ to: '/clubs', label: t('clubs.directory.title') }, { label: t('clubs.challenges.title') }]} />
      <h1>{t('clubs.challenges.title')}</h1>
      <p className="lead">{t('clubs.challenges.intro')}</p>
      {d.canCreate ? (
        <p>
          <Link to="/clubs/challenges/new" className="button">
            {t('clubs.challenges.create')}
          </Link>
        </p>
      ) : null}
      {d.challenges.length === 0 ? (
        <p>{t('clubs.challenges.none')}</p>
      ) : (
        <ul className="card-list">
          {d.challenges.map((c) => (
            <li key={c.id} className="card">
              <h2 className="h3">
                <Link to={`/clubs/challenges/${c.id}`}>{c.name}</Link>
              </h2>
              <p className="muted">
                {c.owner} · {formatDate(c.startsOn)}–{formatDate(c.endsOn)} · {t(CHALLENGE_KIND_KEYS[c.kind])}
              </p>
              <p>
                {t(CHALLENGE_GOAL_KEYS[c.kind], { count: c.target })} · {t('clubs.challenges.participants', { count: c.participants })}
              </p>
              {c.completed ? (
                <p className="badge">{t('clubs.reading.completed')}</p>
              ) : c.joined ? (
                <p className="badge">{t('clubs.challenges.joined')}</p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
