import type { LoaderFunctionArgs } from '@remix-run/node';

import { atomFeed } from '~/domain/outreach/atom.server';
import { unitNewsFeed } from '~/domain/outreach/kit.server';
import { getT } from '~/i18n/i18n.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { atomResponse } from '~/lib/outreach-http.server';

/** Atom feed of a unit's news (every Week), for ward and school portals to embed. */
export async function loader({ params }: LoaderFunctionArgs) {
  const f = await unitNewsFeed(getDb(), params.slug ?? '');
  if (!f) notFound();
  const t = getT('vi');
  const slug = encodeURIComponent(f.unit.slug);
  return atomResponse(
    atomFeed(
      {
        selfPath: `/units/${slug}/news.atom`,
        pagePath: `/units/${slug}/news`,
        title: t('outreach.news.unitTitle', { unit: f.unit.name }),
        authorName: f.unit.name,
      },
      f.news,
    ),
  );
}
