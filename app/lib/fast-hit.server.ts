/**
 * server.ts's first question for every request: is it a fresh page-cache hit? If so it is answered
 * here on Node's own handler, with the security headers of `securityHeaders` and the request id, log
 * line and metrics of `observeRequests`, and Express never sees it (see `answerHitDirectly`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { baseSecurityHeaders, DEFAULT_CSP } from './http-guard.server';
import { observeDirect } from './observability/http.server';
import { answerHitDirectly } from './page-cache.server';

let headers: Array<[string, string]> | null = null;

export function answerCachedPage(req: IncomingMessage, res: ServerResponse): boolean {
  // The environment is checked at start and fixed for the process: built once.
  headers ??= [...Object.entries(baseSecurityHeaders()), ['Content-Security-Policy', DEFAULT_CSP]];
  return answerHitDirectly(req, res, { headers, observe: observeDirect });
}
