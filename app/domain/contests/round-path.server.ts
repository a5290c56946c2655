/**
 * The contest slug and round id of a round page's path (`/contests/<slug>/<page>/<round>`), as the
 * shared renders' variants read them: percent-decoded, or null for a path that does not match or
 * does not decode (such a request is rendered for its visitor, who gets the route's own answer).
 */
export function roundPathOf(path: RegExp, url: URL): { slug: string; roundId: string } | null {
  const m = path.exec(url.pathname);
  if (!m || url.searchParams.has('_data')) return null;
  try {
    return { slug: decodeURIComponent(m[1]!), roundId: decodeURIComponent(m[2]!) };
  } catch {
    return null;
  }
}
