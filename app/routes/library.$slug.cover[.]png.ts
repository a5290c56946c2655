import type { LoaderFunctionArgs } from '@remix-run/node';

import { coverPng } from '~/domain/library/covers.server';
import { getTitleBySlug } from '~/domain/library/titles.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';

/** The generated cover as PNG, for reading apps (OPDS) that do not show SVG. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const title = await getTitleBySlug(getDb(), params.slug ?? '');
  if (!title) notFound();
  const { png, etag } = await coverPng(title.title, title.author);
  const headers = {
    'Content-Type': 'image/png',
    'Cache-Control': 'public, max-age=3600',
    ETag: etag,
    'X-Content-Type-Options': 'nosniff',
  };
  if (request.headers.get('If-None-Match') === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(png), { headers: { ...headers, 'Content-Length': String(png.length) } });
}
