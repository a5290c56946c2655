/**
 * The framework floor for `npm run bench`: the cheapest response this Remix server can give
 * (no database, no React render), to compare real pages against. Harmless in production.
 */
export function loader() {
  return new Response('ok\n', { headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}
