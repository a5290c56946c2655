import { json, unstable_parseMultipartFormData, type UploadHandler } from '@remix-run/node';

export function notFound(): never {
  throw new Response('Not Found', { status: 404 });
}

export function forbidden(): never {
  throw new Response('Forbidden', { status: 403 });
}

export function badRequest<T>(data: T) {
  return json(data, { status: 400 });
}

/**
 * The place to return to after signing in (or changing a setting): only a path on this site.
 * The value is parsed with the WHATWG URL rules a browser applies to `Location`, against a
 * placeholder origin; it is accepted only if it stays on that origin. Nothing is stripped:
 * control characters (a tab or newline is removed by browsers, turning `/\t/evil` into
 * `//evil`), backslashes (read as `/`) and a leading `//` are refused outright. The answer is
 * the parsed, percent-encoded path, so it is always a valid `Location` header value.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || to.length === 0 || to.length > 2048) return fallback;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!to.startsWith('/') || to.startsWith('//') || /[\u0000-\u001f\u007f-\u009f\\]/.test(to)) return fallback;
  const base = 'http://same-origin.invalid';
  let url: URL;
  try {
    url = new URL(to, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base || url.username || url.password) return fallback;
  const path = url.pathname + url.search + url.hash;
  return path.startsWith('//') ? fallback : path;
}

/** A malformed request: the root error boundary shows the translated "bad request" page. */
export function malformed(): never {
  throw new Response('Bad Request', { status: 400 });
}

/**
 * The `page` query parameter: a whole number from 1 to `max` (1 when absent). Anything else —
 * `1e308`, `Infinity`, `-3`, `2.5` — is a malformed request (400), not a database error.
 */
export function pageParam(url: URL, max = 10_000): number {
  const raw = url.searchParams.get('page');
  if (raw === null || raw === '') return 1;
  if (!/^\d{1,6}$/.test(raw)) malformed();
  const n = Number(raw);
  if (n < 1 || n > max) malformed();
  return n;
}

/** Multipart parsing for upload forms: a body that is not valid multipart is a 400. */
export async function parseMultipart(request: Request, handler: UploadHandler): Promise<FormData> {
  try {
    return await unstable_parseMultipartFormData(request, handler);
  } catch (e) {
    if (e instanceof Response) throw e;
    malformed();
  }
}
