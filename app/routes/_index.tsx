import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { ActivityList } from '~/components/ActivityList';
import { Countdown, DateRange, DateTime, Livestream } from '~/components/WeekBits';
import { homePage } from '~/domain/weeks.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { weekStatusLabel } from '~/i18n/labels-core';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? '' },
  { name: 'description', content: data?.description ?? '' },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const locale = detectLocale(request);
  const t = getT(locale);
  const user = await getUser(request);
  const { featured, activities, organiser, nextYear } = await homePage(db, user?.id ?? null);
  const now = new Date().toISOString();
  const theme = featured ? (locale === 'en' ? featured.week.theme_en : featured.week.theme_vi) : '';
  return json({
    featured: featured
      ? {
          status: featured.status,
          year: featured.week.year,
          theme,
          startsOn: featured.week.starts_on,
          endsOn: featured.week.ends_on,
          openingAt: featured.week.opening_at,
          openingPlace: locale === 'en' ? featured.week.opening_place_en : featured.week.opening_place_vi,
          livestreamUrl: featured.week.livestream_url,
        }
      : null,
    activities,
    organiser,
    nextYear,
    now,
    title: t('common.siteName'),
    description: theme || t('common.tagline'),
  });
}

export default function Home() {
  const { featured, activities, organiser, nextYear, now } = useLoaderData<typeof loader>();
  const { t } = useT();
  if (!featured) {
    return (
      <section className="hero">
        <h1>{t('common.siteName')}</h1>
        <p>{t('weeks.noneYet')}</p>
        {organiser?.canCreate ? (
          <p className="actions">
            <Link to="/weeks/new" className="button">
              {t('weeks.home.createNext', { year: organiser.nextYear })}
            </Link>
          </p>
        ) : null}
      </section>
    );
  }
  return (
    <>
      <section className="hero" aria-labelledby="featured-theme">
        <p className="eyebrow">{t(weekStatusLabel[featured.status], { year: featured.year })}</p>
        <h1 id="featured-theme">{featured.theme}</h1>
        <p>
          <DateRange from={featured.startsOn} to={featured.endsOn} />
        </p>
        {featured.status === 'upcoming' ? <Countdown to={featured.openingAt} serverNow={now} /> : null}
        <p className="actions">
          {featured.status === 'past' ? (
            <>
              <Link to={`/weeks/${featured.year}`} className="button secondary">
                {t('weeks.home.pastResults', { year: featured.year })}
              </Link>{' '}
              <Link to="/weeks">{t('weeks.allWeeks')}</Link>
            </>
          ) : (
            <Link to={`/weeks/${featured.year}`} className="button secondary">
              {t('weeks.seeProgramme')}
            </Link>
          )}
        </p>
      </section>
      <section aria-labelledby="opening-title" className="card">
        <h2 id="opening-title">{t('weeks.opening')}</h2>
        <dl className="facts">
          <dt>{t('weeks.when')}</dt>
          <dd>
            <DateTime iso={featured.openingAt} />
          </dd>
          <dt>{t('weeks.where')}</dt>
          <dd>{featured.openingPlace}</dd>
        </dl>
        {featured.livestreamUrl ? <Livestream url={featured.livestreamUrl} title={t('weeks.opening')} /> : null}
      </section>
      {featured.status === 'past' ? (
        <section aria-labelledby="next-week" className="card">
          <h2 id="next-week">{t('weeks.home.nextTitle')}</h2>
          <p>{t('weeks.home.nextNotYet', { year: nextYear ?? featured.year + 1, last: featured.year })}</p>
          {organiser?.canCreate ? (
            <p className="actions">
              <Link to="/weeks/new" className="button">
                {t('weeks.home.createNext', { year: organiser.nextYear })}
              </Link>
            </p>
          ) : organiser ? (
            <p className="muted">{t('weeks.home.nextByMinistry', { year: organiser.nextYear })}</p>
          ) : null}
        </section>
      ) : (
        <section aria-labelledby="whats-on">
          <h2 id="whats-on">{t('weeks.whatsOn')}</h2>
          {activities.length ? (
            <ActivityList activities={activities} showUnit year={featured.year} />
          ) : (
            <p className="muted">{t('weeks.nothingOnYet')}</p>
          )}
        </section>
      )}
    </>
  );
}
