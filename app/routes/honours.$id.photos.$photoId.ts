import type { LoaderFunctionArgs } from '@remix-run/node';

import { photoFile } from '~/domain/honours/photos.server';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';

/** A nomination's photo, for whoever may see the nomination. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const f = await photoFile(getDb(), params.id ?? '', params.photoId ?? '', user?.id);
  if (!f) notFound();
  return new Response(f.stream, {
    headers: {
      'Content-Type': f.mime,
      'Content-Length': String(f.size),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': f.isPublic ? 'public, max-age=3600' : 'private, no-store',
    },
  });
}
