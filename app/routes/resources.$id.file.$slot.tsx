import type { LoaderFunctionArgs } from '@remix-run/node';

import { mayViewResource } from '~/domain/oer/access.server';
import { getResource } from '~/domain/oer/resources.server';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { readRangeStream, statBlob } from '~/lib/storage/index.server';

/**
 * Serves a resource's file with HTTP range requests (video seeking, resumable downloads).
 * Published files are public; drafts only to their author and reviewers.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const r = await getResource(db, params.id ?? '');
  if (!r) notFound();
  const slot = params.slot;
  const key = slot === 'media' ? r.media_key : slot === 'captions' ? r.captions_key : slot === 'thumbnail' ? r.thumbnail_key : null;
  if (!key) notFound();
  if (r.status !== 'published' && !(await mayViewResource(db, r, (await getUser(request))?.id))) notFound();
  const st = await statBlob(key);
  if (!st) notFound();
  const type =
    slot === 'captions'
      ? 'text/vtt; charset=utf-8'
      : slot === 'thumbnail'
        ? key.endsWith('.png')
          ? 'image/png'
          : key.endsWith('.webp')
            ? 'image/webp'
            : 'image/jpeg'
        : (r.media_type ?? 'application/octet-stream');
  const etag = `"${key}-${st.size}"`;
  const headers: Record<string, string> = {
    'Content-Type': type,
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': st.mtime.toUTCString(),
    'Cache-Control': r.status === 'published' ? 'public, max-age=3600' : 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  if (
    slot === 'media' &&
    r.media_type &&
    !r.media_type.startsWith('video/') &&
    !r.media_type.startsWith('audio/') &&
    r.media_type !== 'application/pdf'
  ) {
    headers['Content-Disposition'] = `attachment; filename="${encodeURIComponent(r.media_name || key)}"`;
  }
  if (request.headers.get('If-None-Match') === etag) return new Response(null, { status: 304, headers });
  const range = request.headers.get('Range');
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
  if (range && m && (m[1] || m[2])) {
    let start: number;
    let end: number;
    if (m[1]) {
      start = Number(m[1]);
      end = m[2] ? Math.min(Number(m[2]), st.size - 1) : st.size - 1;
    } else {
      start = Math.max(0, st.size - Number(m[2]));
      end = st.size - 1;
    }
    if (start > end || start >= st.size) {
      return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${st.size}` } });
    }
    const body = readRangeStream(key, start, end);
    return new Response(body, {
      status: 206,
      headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${st.size}`, 'Content-Length': String(end - start + 1) },
    });
  }
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers: { ...headers, 'Content-Length': String(st.size) } });
  return new Response(readRangeStream(key), { status: 200, headers: { ...headers, 'Content-Length': String(st.size) } });
}
