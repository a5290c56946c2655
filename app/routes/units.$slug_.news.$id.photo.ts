import type { LoaderFunctionArgs } from '@remix-run/node';

import { newsPhoto } from '~/domain/outreach/news.server';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { readRangeStream, statBlob } from '~/lib/storage/index.server';

const MIME: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

/** The photo of a news item (an image checked by content when it was posted); a draft's only for its unit's organisers. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const p = await newsPhoto(getDb(), params.slug ?? '', params.id ?? '', user?.id ?? null);
  if (!p) notFound();
  const stat = await statBlob(p.key);
  const mime = MIME[p.key.split('.').pop() ?? ''];
  if (!stat || !mime) notFound();
  return new Response(readRangeStream(p.key), {
    headers: {
      'Content-Type': mime,
      'Content-Length': String(stat.size),
      'Cache-Control': p.isPublic ? 'public, max-age=86400' : 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'",
    },
  });
}
