/**
 * Express-level protections in front of the Remix handler (wired in server.ts, one line each):
 *
 * - `securityHeaders`: the headers every response carries, static files included — nosniff,
 *   Referrer-Policy, frame and opener isolation, Permissions-Policy, HSTS in production and a
 *   strict default Content-Security-Policy. Pages rendered by Remix send their own CSP with a
 *   per-request nonce (entry.server.tsx, `~/lib/csp.server`); a header already set wins.
 * - `requestGuard`: refuses what Remix should never see — unknown methods (TRACE…), request
 *   targets that are not a path (absolute-form request lines), unparsable Host headers, bodies
 *   larger than the route's limit (64 KB for ordinary forms, measured before anything is read),
 *   bodies of a type no form sends (JSON…), and checks that state-changing requests come from
 *   this site (scheme, host and port).
 * - `errorHandler`: the last handler; logs the error and answers a translated page, never a
 *   stack trace, in every mode.
 */
import type { IncomingMessage } from 'node:http';

import type { ErrorRequestHandler, NextFunction, Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from 'express';

import { MAX_HONOUR_PHOTO_BYTES } from '~/domain/honours/photos.server';
import { MAX_EPUB_BYTES } from '~/domain/library/epub.server';
import { MAX_BYTES } from '~/domain/oer/uploads.server';
import { MAX_ATTACHMENT_BYTES } from '~/domain/reports/attachments.server';
import { detectLocale } from '~/i18n/i18n.server';
import enErrors from '~/locales/en/errors.json';
import viErrors from '~/locales/vi/errors.json';

import { getEnv } from './env.server';

export const FORM_BODY_LIMIT = 64 * 1024;
const MB = 1024 * 1024;

/**
 * Routes that take uploads, with their own (streamed, capped) limits on the whole body. The route
 * streams the file and stops keeping it at its own cap, then answers on the form with what was
 * typed kept; this outer limit sits well above that cap, so a file a little too big gets that
 * answer rather than a bare 413 page, and only a far larger body is cut off here.
 */
const UPLOAD_LIMITS: Array<[RegExp, number]> = [
  [/^\/library\/upload\/?$/, 2 * MAX_EPUB_BYTES],
  [/^\/resources\/(new|[^/]+\/edit)\/?$/, MAX_BYTES.media + MAX_BYTES.captions + MAX_BYTES.thumbnail + MB],
  [/^\/honours\/[^/]+\/?$/, 2 * MAX_HONOUR_PHOTO_BYTES + MB],
  [/^\/weeks\/\d{4}\/reports\/[^/]+\/[^/]+\/?$/, MAX_ATTACHMENT_BYTES + MB],
];

export function bodyLimitFor(path: string): number {
  for (const [re, limit] of UPLOAD_LIMITS) if (re.test(path)) return limit;
  return FORM_BODY_LIMIT;
}

const ALLOWED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** Camera and microphone stay off, except on the pages that offer recording (below). */
export const PERMISSIONS_POLICY =
  'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), interest-cohort=()';
/** Routes whose pages record in the browser (a contest entry's submit page, issue #15): camera and microphone for this site only. */
export const RECORDING_ROUTES = new Set(['routes/contests.$slug.rounds.$roundId.submit']);
export const RECORDING_PERMISSIONS_POLICY = PERMISSIONS_POLICY.replace('camera=(), microphone=()', 'camera=(self), microphone=(self)');
/** Non-document responses (static files, downloads, feeds): nothing may run. */
export const DEFAULT_CSP = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";

export function baseSecurityHeaders(): Record<string, string> {
  const h: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'SAMEORIGIN',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': PERMISSIONS_POLICY,
  };
  if (getEnv().isProduction) h['Strict-Transport-Security'] = 'max-age=31536000; includeSubDomains';
  return h;
}

/** Sets the security headers on every response just before it is written, unless already set. */
/**
 * The service worker's own CSP governs what the worker may fetch: it caches the site's pages,
 * build files and borrowed books, so it may reach this origin (and nothing else).
 */
export const SERVICE_WORKER_CSP = "default-src 'self'; frame-ancestors 'none'";

export const securityHeaders: RequestHandler = (req, res, next) => {
  const csp = req.path === '/sw.js' ? SERVICE_WORKER_CSP : DEFAULT_CSP;
  const headers = { ...baseSecurityHeaders(), 'Content-Security-Policy': csp };
  const writeHead = res.writeHead;
  res.writeHead = function (this: ExpressResponse, ...args: unknown[]) {
    if (!this.headersSent) for (const [k, v] of Object.entries(headers)) if (!this.hasHeader(k)) this.setHeader(k, v);
    return (writeHead as (...a: unknown[]) => ExpressResponse).apply(this, args);
  } as typeof res.writeHead;
  next();
};

type PageKey = 'badRequest' | 'forbidden' | 'tooLarge' | 'methodNotAllowed' | 'server' | 'notFound';

function localeOf(req: Pick<IncomingMessage, 'headers'>) {
  const headers = new Headers();
  if (typeof req.headers.cookie === 'string') headers.set('Cookie', req.headers.cookie);
  if (typeof req.headers['accept-language'] === 'string') headers.set('Accept-Language', req.headers['accept-language']);
  return detectLocale(new Request('http://localhost/', { headers }));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The small translated error page, in the request's language (Vietnamese when its headers cannot be read). */
export function errorPageHtml(req: Pick<IncomingMessage, 'headers'>, status: number, key: PageKey): string {
  let locale: 'vi' | 'en' = 'vi';
  try {
    locale = localeOf(req);
  } catch {
    /* a malformed header: Vietnamese */
  }
  const page = (locale === 'en' ? enErrors : viErrors).page;
  const text = page[key];
  return `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(text.title)}</title></head><body><main><p>${status}</p><h1>${escapeHtml(text.title)}</h1><p>${escapeHtml(text.body)}</p><p><a href="/">${escapeHtml(page.home)}</a></p></main></body></html>`;
}

/** A small translated error page (these answers are sent before Remix renders anything). */
export function sendErrorPage(req: ExpressRequest, res: ExpressResponse, status: number, key: PageKey): void {
  const html = errorPageHtml(req, status, key);
  if (res.headersSent) {
    res.end();
    return;
  }
  // The unread body is not drained: the connection is closed after this answer.
  if (status === 413 || status === 400) res.setHeader('Connection', 'close');
  res.status(status).type('text/html; charset=utf-8').send(html);
}

/** The request's host: `X-Forwarded-Host` behind a trusted proxy (TRUST_PROXY=1), else `Host`. */
export function hostOf(req: Pick<IncomingMessage, 'headers'>): string | undefined {
  return req.headers['x-forwarded-host'] && getEnv().TRUST_PROXY === '1' ? String(req.headers['x-forwarded-host']) : req.headers.host;
}

/** Same site means the same scheme, host and port as this request (or the configured origin). */
export function isSameSite(origin: string, req: ExpressRequest): boolean {
  return isSameSiteOrigin(origin, hostOf(req), req.protocol);
}

/**
 * `isSameSite` for a request's host (`hostOf`) and scheme ('http' | 'https', as Express's
 * `req.protocol` gives it), for a request read outside Express (app/lib/contests-autosave.server.ts).
 */
export function isSameSiteOrigin(origin: string, host: string | undefined, protocol: string): boolean {
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (host && o.host === host && o.protocol === `${protocol}:`) return true;
  const configured = getEnv().PUBLIC_URL;
  return !!configured && o.origin === new URL(configured).origin;
}

export const requestGuard: RequestHandler = (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
  if (!ALLOWED_METHODS.has(req.method)) {
    res.setHeader('Allow', [...ALLOWED_METHODS].join(', '));
    return sendErrorPage(req, res, 405, 'methodNotAllowed');
  }
  // Only origin-form targets ("/path?query"); an absolute-form or "*" target is refused.
  if (!req.url.startsWith('/') || req.url.startsWith('//')) return sendErrorPage(req, res, 400, 'badRequest');
  const host = hostOf(req);
  try {
    if (!host || new URL(`http://${host}/`).host === '') throw new Error('host');
    new URL(req.originalUrl, `http://${host}`);
  } catch {
    return sendErrorPage(req, res, 400, 'badRequest');
  }
  // The app reads the client address from this header only: a client cannot forge it.
  req.headers['x-llw-client-ip'] = req.ip ?? req.socket.remoteAddress ?? '0.0.0.0';
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();

  // Body size, from the declared length, before anything is read. A body without a declared
  // length (chunked) is accepted only on upload routes, which stream with their own caps.
  const limit = bodyLimitFor(req.path);
  const declared = req.headers['content-length'];
  const chunked = !declared && /chunked/i.test(String(req.headers['transfer-encoding'] ?? ''));
  if (declared !== undefined) {
    const n = Number(declared);
    if (!/^\d+$/.test(declared) || !Number.isSafeInteger(n)) return sendErrorPage(req, res, 400, 'badRequest');
    if (n > limit) return sendErrorPage(req, res, 413, 'tooLarge');
  } else if (chunked && limit === FORM_BODY_LIMIT) {
    return sendErrorPage(req, res, 413, 'tooLarge');
  }
  // Forms send these types only; anything else (JSON, XML…) is a malformed request here.
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  const hasBody = (declared !== undefined && declared !== '0') || chunked;
  if (hasBody && !FORM_TYPES.includes(type)) return sendErrorPage(req, res, 400, 'badRequest');
  if (type === 'multipart/form-data' && !/;\s*boundary=("[^"]+"|[^;\s]+)/i.test(String(req.headers['content-type']))) {
    return sendErrorPage(req, res, 400, 'badRequest');
  }

  // Cross-site request forgery: state-changing requests must come from our own pages.
  const origin = req.headers.origin ?? req.headers.referer;
  if (origin && origin !== 'null' && isSameSite(origin, req)) return next();
  // Browsers always send Origin on cross-site POSTs; a missing one is a same-site, JS-less
  // client only when Sec-Fetch-Site says so (or a non-browser tool, which has no cookies to abuse).
  if (!origin && req.headers['sec-fetch-site'] !== 'cross-site') return next();
  return sendErrorPage(req, res, 403, 'forbidden');
};

/** The last Express handler: a translated page, never a stack trace or a file path. */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const status = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  const code = typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
  if (code === 500) console.error(err);
  sendErrorPage(
    req,
    res,
    code,
    code === 413 ? 'tooLarge' : code === 404 ? 'notFound' : code === 403 ? 'forbidden' : code >= 500 ? 'server' : 'badRequest',
  );
};

type ActionFn = (args: { request: Request }) => unknown;
type BuildLike = { routes: Record<string, { module: { action?: ActionFn } } | undefined> };

/**
 * Makes every route's `request.formData()` answer a malformed body (a broken multipart body, a
 * type no form sends) with 400 and the translated page instead of a 500 — in one place for all
 * routes rather than a try/catch in each action. Called once on the server build (server.ts).
 */
export function guardActions<B>(build: B): B {
  for (const route of Object.values((build as unknown as BuildLike).routes)) {
    const action = route?.module.action;
    if (!route || !action) continue;
    const guarded: ActionFn = (args) => {
      const request = args.request;
      const formData = request.formData.bind(request);
      request.formData = async () => {
        try {
          return await formData();
        } catch {
          throw new Response('Bad Request', { status: 400 });
        }
      };
      return action(args);
    };
    route.module = { ...route.module, action: guarded };
  }
  return build;
}
