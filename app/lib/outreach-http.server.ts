/** HTTP answers of the outreach kit's generated files (share-card PNGs, Atom feeds). */

/** A generated PNG with its ETag (a hash of what is drawn): 304 when the client has it. */
export function pngResponse(request: Request, card: { png: Buffer; etag: string }): Response {
  const headers = {
    'Content-Type': 'image/png',
    // Short: a changed plan gives a new card, and crawlers re-fetch by URL.
    'Cache-Control': 'public, max-age=600',
    ETag: card.etag,
    'X-Content-Type-Options': 'nosniff',
  };
  if (request.headers.get('If-None-Match') === card.etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(card.png), { headers: { ...headers, 'Content-Length': String(card.png.length) } });
}

export function atomResponse(xml: string): Response {
  return new Response(xml, {
    headers: {
      'Content-Type': 'application/atom+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
