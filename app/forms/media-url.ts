/**
 * A media or cover address entered in a form: an absolute `https://` URL or a path on this
 * site (`/uploads/…`). Protocol-relative `//host/…`, backslashes (`/\host`, read as `//` by
 * browsers), other schemes (`javascript:`, `data:`, `http:`) and control characters are refused.
 * Shared by the server and the browser (zod schemas).
 */
export function isMediaUrl(v: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (v.length > 2000 || /[\u0000-\u0020\u007f\\]/.test(v)) return false;
  if (v.startsWith('/')) return !v.startsWith('//');
  if (!/^https:\/\/[^/]/.test(v)) return false;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' && u.hostname.length > 0 && !u.username && !u.password;
  } catch {
    return false;
  }
}
