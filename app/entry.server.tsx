import './domain/places.server';

import { PassThrough } from 'node:stream';

import type { AppLoadContext, EntryContext } from '@remix-run/node';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { isbot } from 'isbot';
import { renderToPipeableStream } from 'react-dom/server';

import { documentCsp, newNonce } from './lib/csp.server';
import { baseSecurityHeaders, RECORDING_PERMISSIONS_POLICY, RECORDING_ROUTES } from './lib/http-guard.server';
import { NonceProvider } from './lib/nonce';

export { boot, shutdown } from './boot.server';
export { answerCachedPage } from './lib/fast-hit.server';
// The round page's autosave answered before Express and Remix (issue #14).
export { answerAutosaveDirectly } from './lib/contests-autosave.server';
// …and its submit (a plain form POST to the round page).
export { answerSubmitDirectly } from './lib/contests-submit.server';
// A forum thread's reply answered before Express and Remix (issue #12); what it did, for the route.
export { answerReplyDirectly, directLoadContext } from './lib/community-reply.server';
export { errorHandler, guardActions, requestGuard, securityHeaders } from './lib/http-guard.server';
export { instrumentRoutes, metricsEndpoint, observeRequests } from './lib/observability/http.server';
// Anonymous visitors from the page cache, signed-in visitors of shared pages from their shared render.
export { publicPagesMiddleware as pageCacheMiddleware } from './lib/page-shell.server';
export { tusUploadsHandler } from './lib/uploads/tus.server';

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  // Bots get the whole page at once; people get it streamed as soon as the shell is ready.
  const readyEvent = isbot(request.headers.get('user-agent') || '') ? 'onAllReady' : 'onShellReady';
  const nonce = newNonce();
  const routeIds = remixContext.staticHandlerContext.matches.map((m) => m.route.id);
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
          for (const [k, v] of Object.entries(baseSecurityHeaders())) responseHeaders.set(k, v);
          if (routeIds.some((id) => RECORDING_ROUTES.has(id))) responseHeaders.set('Permissions-Policy', RECORDING_PERMISSIONS_POLICY);
          responseHeaders.set('Content-Security-Policy', documentCsp(nonce, routeIds));
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  // Logged on the server only; users see the translated error page, never a stack trace.
  if (!request.signal.aborted) console.error(error);
}
