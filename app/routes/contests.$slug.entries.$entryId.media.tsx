import type { LoaderFunctionArgs } from '@remix-run/node';

import { entryMediaAccess } from '~/domain/contests/entries.server';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { readRangeStream, statBlob } from '~/lib/storage/index.server';

/**
 * Serves an entry's file with HTTP range requests (seeking in the player). Public once approved
 * for the gallery; otherwise only to its entrant, its assigned judges and the organisers.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const a = await entryMediaAccess(getDb(), params.entryId!, user?.id ?? null);
  if (a.status !== 'ok') notFound();
  const st = await statBlob(a.key);
  if (!st) notFound();
  const etag = `"${a.key}-${st.size}"`;
  const headers: Record<string, string> = {
    'Content-Type': a.mime,
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Cache-Control': 'private, max-age=300',
    'X-Content-Type-Options': 'nosniff',
  };
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
    if (start > end || start >= st.size)
      return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${st.size}` } });
    return new Response(readRangeStream(a.key, start, end), {
      status: 206,
      headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${st.size}`, 'Content-Length': String(end - start + 1) },
    });
  }
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers: { ...headers, 'Content-Length': String(st.size) } });
  return new Response(readRangeStream(a.key), { status: 200, headers: { ...headers, 'Content-Length': String(st.size) } });
}
