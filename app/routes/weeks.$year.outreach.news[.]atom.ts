import type { LoaderFunctionArgs } from '@remix-run/node';

import { atomFeed } from '~/domain/outreach/atom.server';
import { weekNewsFeed } from '~/domain/outreach/kit.server';
import { getT } from '~/i18n/i18n.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { atomResponse } from '~/lib/outreach-http.server';

/** Atom feed of the news of every unit for a Week. */
export async function loader({ params }: LoaderFunctionArgs) {
  const f = await weekNewsFeed(getDb(), Number(params.year));
  if (!f) notFound();
  const t = getT('vi');
  const y = f.week.year;
  return atomResponse(
    atomFeed(
      {
        selfPath: `/weeks/${y}/outreach/news.atom`,
        pagePath: `/weeks/${y}/outreach`,
        title: t('outreach.news.weekTitle', { year: y }),
        subtitle: f.week.theme_vi,
        authorName: t('common.siteName'),
      },
      f.news,
    ),
  );
}
