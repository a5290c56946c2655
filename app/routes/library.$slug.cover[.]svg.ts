import type { LoaderFunctionArgs } from '@remix-run/node';

import { coverSvg } from '~/domain/library/opds.server';
import { getTitleBySlug } from '~/domain/library/titles.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';

/** A generated cover (the demo books and most uploads have none), used by the OPDS feeds. */
export async function loader({ params }: LoaderFunctionArgs) {
  const title = await getTitleBySlug(getDb(), params.slug ?? '');
  if (!title) notFound();
  return new Response(coverSvg(title.title, title.author), {
    headers: {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
