/**
 * A stored file as an HTTP response with range requests (RFC 9110 §14): `Accept-Ranges: bytes`,
 * one `bytes=a-b` / `bytes=a-` / `bytes=-n` range → 206 with Content-Range, an unsatisfiable one
 * → 416, If-None-Match → 304, HEAD → headers only. Used by the library's EPUB route; the bytes
 * come from the storage module (disk or S3), read on demand.
 */
export interface RangeSource {
  size: number;
  mtime: Date;
  etag: string;
  read: (start?: number, end?: number) => ReadableStream<Uint8Array>;
}

export function rangeResponse(request: Request, src: RangeSource, extraHeaders: Record<string, string>): Response {
  const headers: Record<string, string> = {
    ...extraHeaders,
    'Accept-Ranges': 'bytes',
    ETag: src.etag,
    'Last-Modified': src.mtime.toUTCString(),
  };
  if (request.headers.get('If-None-Match') === src.etag) return new Response(null, { status: 304, headers });
  const range = request.headers.get('Range');
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
  if (range && m && (m[1] || m[2])) {
    let start: number;
    let end: number;
    if (m[1]) {
      start = Number(m[1]);
      end = m[2] ? Math.min(Number(m[2]), src.size - 1) : src.size - 1;
    } else {
      start = Math.max(0, src.size - Number(m[2]));
      end = src.size - 1;
    }
    if (start > end || start >= src.size) {
      return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${src.size}` } });
    }
    const partial = { ...headers, 'Content-Range': `bytes ${start}-${end}/${src.size}`, 'Content-Length': String(end - start + 1) };
    if (request.method === 'HEAD') return new Response(null, { status: 206, headers: partial });
    return new Response(src.read(start, end), { status: 206, headers: partial });
  }
  const whole = { ...headers, 'Content-Length': String(src.size) };
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers: whole });
  return new Response(src.size === 0 ? null : src.read(), { status: 200, headers: whole });
}
