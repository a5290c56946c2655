import { json } from '@remix-run/node';

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
