/**
 * What the form POSTs answered on Node's request handler, before Express and Remix, share
 * (server.ts asks them in turn: a contest round's autosave and submit, a forum reply): whether a
 * request is a plain form post Express's guard would pass, its body read so that it can be handed
 * on intact, the client's address as Express gives it, and the headers and answers Express would
 * send. Each direct path does what its route does with what one request of that kind needs; per
 * request, Express's set-up and middleware chain and Remix's request handling (a web Request,
 * FormData, route matching, the data strategy, the Response piped back) cost more CPU than most
 * of these requests' own queries.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';

import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';

import { getEnv } from './env.server';
import { baseSecurityHeaders, bodyLimitFor, DEFAULT_CSP, errorPageHtml, hostOf, isSameSiteOrigin } from './http-guard.server';
import { observeRequests } from './observability/http.server';
import { requestContext } from './observability/log.server';
import { PLAIN_HOST } from './page-cache.server';

const URLENCODED = 'application/x-www-form-urlencoded';

let headers: Array<[string, string]> | null = null;
/** The security headers every direct answer carries (as Express's `securityHeaders` sets them). */
export function directHeaders(): Array<[string, string]> {
  return (headers ??= [...Object.entries(baseSecurityHeaders()), ['Content-Security-Policy', DEFAULT_CSP]]);
}

/** The scheme as Express's `req.protocol` gives it (the first X-Forwarded-Proto behind a trusted proxy). */
function protocolOf(req: IncomingMessage): string {
  const own = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  if (getEnv().TRUST_PROXY !== '1') return own;
  const forwarded = req.headers['x-forwarded-proto'];
  const v = typeof forwarded === 'string' && forwarded ? forwarded : own;
  const comma = v.indexOf(',');
  return (comma < 0 ? v : v.slice(0, comma)).trim();
}

/**
 * The client's address as Express's `req.ip` gives it: the socket's peer, or — behind a trusted
 * proxy (TRUST_PROXY=1, Express's `trust proxy` true) — the left-most X-Forwarded-For entry.
 */
export function clientIpOf(req: IncomingMessage): string {
  const own = req.socket.remoteAddress ?? '0.0.0.0';
  if (getEnv().TRUST_PROXY !== '1') return own;
  const xff = req.headers['x-forwarded-for'];
  if (typeof xff !== 'string') return own;
  const first = xff.split(',')[0]!.trim();
  return first || own;
}

/**
 * Whether this request is a plain form POST to a path matching `path` that Express's guard
 * (app/lib/http-guard.server.ts `requestGuard`) would pass, decided on its headers before anything
 * is read: a POST to exactly that path (no query string, plain segments), a plain Host, a
 * urlencoded body whose declared length is within the route's limit (no chunked body), from this
 * site (the guard's Origin / Referer / Sec-Fetch-Site rule, the same `isSameSiteOrigin`,
 * TRUST_PROXY's forwarded host and scheme included), with a session cookie. The path's match, else
 * null (a request Express must answer: a cross-site post, JSON, multipart, too large, …).
 */
export function plainFormPost(req: IncomingMessage, path: RegExp): RegExpExecArray | null {
  if (req.method !== 'POST') return null;
  const m = path.exec(req.url ?? '');
  if (!m) return null;
  const h = req.headers;
  const host = hostOf(req);
  if (!host || !PLAIN_HOST.test(host)) return null;
  // A body of a declared length within the route's limit (a chunked one: the guard decides).
  const declared = h['content-length'];
  if (declared === undefined || !/^\d{1,9}$/.test(declared) || Number(declared) > bodyLimitFor(req.url!)) return null;
  if (h['transfer-encoding'] !== undefined) return null;
  const type = h['content-type'];
  if (!type || type.split(';')[0]!.trim().toLowerCase() !== URLENCODED) return null;
  // The guard's cross-site rule: Origin (or Referer) of this site; without either, not a browser's cross-site post.
  const origin = h.origin ?? h.referer;
  const sameSite = origin ? origin !== 'null' && isSameSiteOrigin(origin, host, protocolOf(req)) : h['sec-fetch-site'] !== 'cross-site';
  if (!sameSite) return null;
  if (!h.cookie?.includes('llw_session=')) return null;
  return m;
}

/**
 * Runs a direct path's `work` for a request as Express would observe it: its request id, request
 * context (labelled with `route`, the Remix route it would reach, once `work` takes it as its own),
 * and the log line and metrics once answered or the client gone — a request handed on to Express
 * keeps them (`observeRequests` runs once per request). An error answers the translated 500 page
 * and is logged.
 */
export function answerDirectly(req: IncomingMessage, res: ServerResponse, work: () => Promise<void>): void {
  directHeaders();
  observeRequests(req as ExpressRequest, res as ExpressResponse, () => {
    work().catch((e: unknown) => {
      console.error(e);
      send(res, 500, 'text/html; charset=utf-8', errorPageHtml(req, 500, 'server'));
    });
  });
}

/** Labels this request's log line and metrics with the Remix route it would have reached. */
export function labelRoute(route: string): void {
  const ctx = requestContext();
  if (ctx) ctx.route = route;
}

/** A urlencoded body read as Remix's `request.formData()` reads it (UTF-8; the WHATWG decoder drops a leading BOM). */
export function formOf(bytes: Buffer): URLSearchParams {
  const text = bytes.toString('utf8');
  return new URLSearchParams(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}

/**
 * The body's `length` bytes from the paused stream, or null when the client aborted. Read with
 * `read(length)`, which returns them once all have arrived without ending the stream, so that they
 * can be put back (`unshift`) for Express and Remix to read.
 */
export function readWhole(req: IncomingMessage, length: number): Promise<Buffer | null> {
  if (length === 0) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve) => {
    const done = (v: Buffer | null) => {
      req.off('readable', onReadable);
      req.off('end', onEnd);
      req.off('aborted', onGone);
      req.off('error', onGone);
      resolve(v);
    };
    const onReadable = () => {
      const chunk = req.read(length) as Buffer | null;
      if (chunk !== null) done(chunk);
    };
    // Ended short of its declared length (Node's parser does not let that happen) or aborted.
    const onEnd = () => done(null);
    const onGone = () => done(null);
    req.on('readable', onReadable);
    req.once('end', onEnd);
    req.once('aborted', onGone);
    req.once('error', onGone);
  });
}

/** Hands a request whose body was read with `readWhole` to `next` (Express) with that body put back. */
export function handOn(
  req: IncomingMessage,
  res: ServerResponse,
  bytes: Buffer,
  next: (req: IncomingMessage, res: ServerResponse) => void,
): void {
  if (bytes.length) req.unshift(bytes);
  next(req, res);
}

/** The route's redirect after a form post, with its flash cookie (as `redirectWithFlash` answers it through Remix). */
export function sendRedirect(req: IncomingMessage, res: ServerResponse, location: string, setCookie: string): void {
  if (res.headersSent || res.destroyed) return void res.end();
  for (const [k, v] of directHeaders()) res.setHeader(k, v);
  res.setHeader('Location', location);
  res.setHeader('Set-Cookie', setCookie);
  res.writeHead(302);
  res.end();
  req.resume(); // the body was read to its declared length: let the stream end
}

export function send(res: ServerResponse, status: number, type: string | null, body: string | null): void {
  if (res.headersSent || res.destroyed) {
    res.end();
    return;
  }
  for (const [k, v] of directHeaders()) res.setHeader(k, v);
  if (type && body !== null) {
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.writeHead(status);
    res.end(body);
  } else {
    res.writeHead(status);
    res.end();
  }
}
