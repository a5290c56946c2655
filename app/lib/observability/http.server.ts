import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { RequestHandler } from 'express';

import { logger, logRequestLine, type RequestContext, requestContext, runWithRequestContext, safePath } from './log.server';
import { metrics, metricsContentType, metricsText } from './metrics.server';

/**
 * The Express side of observability (wired in server.ts):
 * - `observeRequests` (first middleware): request id (a sane incoming `X-Request-Id`, e.g. nginx's
 *   `$request_id`, or a new UUID; echoed in the response), the request context every log line of
 *   the request reads, and at the end one `request` log line plus the request metrics.
 * - `instrumentRoutes(build)`: records which Remix route answered (the deepest route whose loader
 *   or action ran), the label of the per-route metrics.
 * - `metricsEndpoint`: `GET /metrics` for Prometheus, only with `Authorization: Bearer
 *   $METRICS_TOKEN` (404 when no token is configured, 401 on a wrong one).
 */

const REQ_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const STATIC = /^\/build\/|\.(?:js|css|map|png|jpe?g|gif|svg|ico|webp|avif|woff2?|ttf|txt|webmanifest|json|xml)$/;

function routeLabel(ctx: RequestContext, path: string, status: number, cache: string | undefined): string {
  if (ctx.route) return ctx.route;
  if (cache === 'hit') return 'page-cache';
  if (path === '/metrics') return 'metrics';
  if (STATIC.test(path)) return 'static';
  return status === 404 ? 'unmatched' : 'other';
}

/** One `request` log line and the request metrics, once a response is written or the client gone. */
function recordRequest(
  ctx: RequestContext,
  req: IncomingMessage & { originalUrl?: string },
  res: ServerResponse,
  t0: bigint,
  aborted: boolean,
  cacheResult?: string,
) {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const url = req.originalUrl || req.url || '/';
  const path = url.split('?')[0] ?? '/';
  const cache = cacheResult ?? (res.getHeader('x-page-cache') as string | undefined);
  const status = aborted && !res.headersSent ? 499 : res.statusCode;
  const route = routeLabel(ctx, path, status, cache);
  const m = metrics();
  const method = req.method ?? 'GET';
  m.requests.inc({ method, route, status: String(status) });
  m.duration.observe({ method, route }, ms / 1000);
  if (cache === 'hit' || cache === 'miss' || cache === 'bypass') m.pageCache.inc({ result: cache });
  logRequestLine(ctx, {
    method,
    path: safePath(url),
    route,
    status,
    durationMs: Math.round(ms * 10) / 10,
    ...(aborted ? { aborted: true } : {}),
    ...(cache ? { pageCache: cache } : {}),
  });
}

function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQ_ID.test(incoming) ? incoming : randomUUID();
}

const OBSERVED = Symbol('observed');
export const observeRequests: RequestHandler = (req, res, next) => {
  // A request a direct path observed first and then handed to Express (app/lib/contests-submit.server.ts):
  // one request id, one log line, counted once; the rest runs in the context it already has.
  const seen = req as unknown as Record<symbol, boolean>;
  if (seen[OBSERVED]) return next();
  seen[OBSERVED] = true;
  const ctx: RequestContext = { reqId: requestIdOf(req) };
  const t0 = process.hrtime.bigint();
  res.setHeader('X-Request-Id', ctx.reqId);
  let done = false;
  const finish = (aborted: boolean) => {
    if (done) return;
    done = true;
    recordRequest(ctx, req, res, t0, aborted);
  };
  res.once('finish', () => finish(false));
  res.once('close', () => finish(!res.writableFinished));
  runWithRequestContext(ctx, () => next());
};

/**
 * The same for a response written outside Express (server.ts's cached-page fast path): the
 * request id for the response to carry, and what logs and counts the request once it is answered
 * (with the page cache's result, which such a response may not keep as a header object to read).
 */
export function observeDirect(req: IncomingMessage): DirectObservation {
  const ctx: RequestContext = { reqId: requestIdOf(req) };
  const t0 = process.hrtime.bigint();
  return { reqId: ctx.reqId, done: (res, cache) => recordRequest(ctx, req, res, t0, false, cache) };
}

export interface DirectObservation {
  reqId: string;
  done: (res: ServerResponse, cache?: string) => void;
}

type RouteFn = (args: unknown) => unknown;
interface BuildLike {
  routes: Record<string, { id: string; parentId?: string; module: { loader?: RouteFn; action?: RouteFn } } | undefined>;
}

/** Wraps every loader and action of the build to record the answering route (in place; returns the build). */
export function instrumentRoutes<B>(build: B): B {
  const routes = (build as unknown as BuildLike).routes;
  const depth = (id: string): number => {
    let d = 0;
    for (let r = routes[id]; r?.parentId; r = routes[r.parentId]) d++;
    return d;
  };
  for (const route of Object.values(routes)) {
    if (!route) continue;
    const d = depth(route.id);
    const wrap = (fn: RouteFn | undefined): RouteFn | undefined =>
      fn &&
      ((args: unknown) => {
        const ctx = requestContext();
        if (ctx && (ctx.routeDepth === undefined || d >= ctx.routeDepth)) {
          ctx.route = route.id;
          ctx.routeDepth = d;
        }
        return fn(args);
      });
    const { loader, action } = route.module;
    if (!loader && !action) continue;
    route.module = { ...route.module, ...(loader ? { loader: wrap(loader) } : {}), ...(action ? { action: wrap(action) } : {}) };
  }
  return build;
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const metricsEndpoint: RequestHandler = (req, res, next) => {
  if (req.path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
  const expected = process.env.METRICS_TOKEN;
  if (!expected) return next(); // not configured: as if the page did not exist
  const auth = req.headers.authorization ?? '';
  const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
  res.setHeader('Cache-Control', 'no-store');
  if (!tokenMatches(given, expected)) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
    res.status(401).type('text/plain').send('Unauthorized');
    return;
  }
  metricsText()
    .then((text) => {
      res.status(200).type(metricsContentType).send(text);
    })
    .catch((e: unknown) => {
      logger().error({ err: e }, 'metrics failed');
      res.status(503).type('text/plain').send('metrics unavailable');
    });
};
