import type { LoaderFunctionArgs } from '@remix-run/node';

import { bundleScript } from '~/i18n/bundles.server';

/** A language's translation file for one area, fingerprinted: cached by the browser for a year. */
export function loader({ params }: LoaderFunctionArgs) {
  const s = bundleScript(params.file ?? '');
  if (!s) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return new Response(s.body, {
    headers: {
      'Content-Type': 'text/javascript; charset=utf-8',
      // An old fingerprint gets today's strings, briefly cached (a page from before a deploy).
      'Cache-Control': s.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=60',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
