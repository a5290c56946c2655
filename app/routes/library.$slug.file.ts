import type { LoaderFunctionArgs } from '@remix-run/node';

import { canReadTitle } from '~/domain/library/circulation.server';
import { openEpub } from '~/domain/library/files.server';
import { getTitleBySlug } from '~/domain/library/titles.server';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { forbidden, notFound } from '~/lib/http.server';
import { rangeResponse } from '~/lib/storage/range-response.server';

/**
 * The EPUB itself: only for a reader with a current loan, or for an open-access title. Read from
 * the storage module (every instance sees the same files), with range requests.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const title = await getTitleBySlug(db, params.slug ?? '');
  if (!title || !title.file_path) notFound();
  const user = await getUser(request);
  if (!(await canReadTitle(db, user?.id ?? null, title.id))) forbidden();
  const file = await openEpub(title.file_path);
  if (!file) notFound();
  return rangeResponse(request, file, {
    'Content-Type': 'application/epub+zip',
    'Content-Disposition': `inline; filename="${title.slug}.epub"`,
    // Access ends with the loan: never let a shared cache keep it.
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
  });
}
