import fs from 'node:fs';
import path from 'node:path';

import type { LoaderFunctionArgs } from '@remix-run/node';

import { canReadTitle } from '~/domain/library/circulation.server';
import { getTitleBySlug } from '~/domain/library/titles.server';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { getEnv } from '~/lib/env.server';
import { forbidden, notFound } from '~/lib/http.server';

/** The EPUB itself: only for a reader with a current loan, or for an open-access title. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const title = await getTitleBySlug(db, params.slug ?? '');
  if (!title || !title.file_path) notFound();
  const user = await getUser(request);
  if (!(await canReadTitle(db, user?.id ?? null, title.id))) forbidden();
  const dataDir = getEnv().DATA_DIR;
  const file = path.resolve(dataDir, title.file_path);
  if (!file.startsWith(dataDir + path.sep) || !fs.existsSync(file)) notFound();
  const body = await fs.promises.readFile(file);
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type': 'application/epub+zip',
      'Content-Length': String(body.length),
      'Content-Disposition': `inline; filename="${title.slug}.epub"`,
      // Access ends with the loan: never let a shared cache keep it.
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
