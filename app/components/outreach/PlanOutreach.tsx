/** The outreach part of a unit's plan page: share links, the latest news, and the way to the kit. */
import { Link } from '@remix-run/react';

import { useT } from '~/i18n/i18n';

import { NewsList, type NewsView } from './NewsList';
import { ShareButtons } from './ShareButtons';

export function PlanOutreach({
  year,
  unitSlug,
  url,
  title,
  news,
  hasPlan,
}: {
  year: number;
  unitSlug: string;
  url: string;
  title: string;
  news: NewsView[];
  hasPlan: boolean;
}) {
  const { t } = useT();
  const base = `/weeks/${year}/plans/${unitSlug}`;
  return (
    <>
      <section aria-labelledby="plan-news-h" className="plan-news">
        <h2 id="plan-news-h">{t('outreach.news.heading')}</h2>
        <NewsList items={news} />
        <p>
          <Link to={`${base}/news`}>{t('outreach.news.all')}</Link> ·{' '}
          <a href={`/units/${unitSlug}/news.atom`} type="application/atom+xml">
            {t('outreach.news.feed')}
          </a>
        </p>
      </section>
      {hasPlan ? (
        <>
          <ShareButtons url={url} title={title} />
          <p>
            <Link to={`${base}/outreach`} className="button secondary">
              {t('outreach.kit.open')}
            </Link>
          </p>
        </>
      ) : null}
    </>
  );
}
