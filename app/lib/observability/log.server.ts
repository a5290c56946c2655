import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';

import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs (pino), one line per event, on stdout. Every line written while a request
 * is served carries that request's id (`reqId`, from a sane `X-Request-Id` sent by nginx or a new
 * UUID) and, once the session has been read, the signed-in user's id (`userId`). The request line
 * itself (`msg: "request"`) adds method, path, route, status and duration.
 *
 * Never in a log line: cookies, Authorization headers, passwords, tokens. Nothing here logs
 * headers or bodies at all; paths are logged with the values of sensitive query parameters
 * (token, code, password, key, secret, signature…) replaced (`safePath`), and `redact` guards the
 * usual field names in case an object carrying them is ever logged.
 */

export interface RequestContext {
  reqId: string;
  userId?: string;
  /** The Remix route that answered (deepest loader/action called), for labels and logs. */
  route?: string;
  routeDepth?: number;
  /** Work done once per request and shared by its loaders (e.g. the session lookup: lib/auth.server.ts). */
  memo?: Map<string, unknown>;
}

interface LogState {
  logger: Logger;
  als: AsyncLocalStorage<RequestContext>;
  consoleRouted: boolean;
}

// One logger and one request context per process, shared by the build and tsx-loaded copies.
const g = globalThis as unknown as { __llwLog?: LogState };

function state(): LogState {
  if (!g.__llwLog) {
    const als = new AsyncLocalStorage<RequestContext>();
    const logger = pino({
      level: process.env.LOG_LEVEL ?? 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [
          'password',
          '*.password',
          'newPassword',
          '*.newPassword',
          'cookie',
          '*.cookie',
          'headers.cookie',
          'headers.authorization',
          '*.headers.cookie',
          '*.headers.authorization',
          'authorization',
          'token',
          '*.token',
          'secret',
          '*.secret',
          'SESSION_SECRET',
        ],
        censor: '[redacted]',
      },
      mixin() {
        const ctx = als.getStore();
        if (!ctx) return {};
        return ctx.userId ? { reqId: ctx.reqId, userId: ctx.userId } : { reqId: ctx.reqId };
      },
    });
    g.__llwLog = { logger, als, consoleRouted: false };
  }
  return g.__llwLog;
}

export function logger(): Logger {
  return state().logger;
}

export function requestContext(): RequestContext | undefined {
  return state().als.getStore();
}

export function runWithRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return state().als.run(ctx, fn);
}

/** Called where the session is read: later lines of this request carry the user id. */
export function setRequestUser(userId: string | null | undefined): void {
  const ctx = requestContext();
  if (ctx && userId) ctx.userId = userId;
}

const SENSITIVE_PARAM = /token|code|pass|secret|key|sig|auth|session|email/i;

/** The path and query of a URL with the values of sensitive parameters replaced. */
export function safePath(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url.slice(0, 2000);
  const params = new URLSearchParams(url.slice(q + 1));
  const out: string[] = [];
  for (const [k, v] of params) out.push(`${encodeURIComponent(k)}=${SENSITIVE_PARAM.test(k) ? '[redacted]' : encodeURIComponent(v)}`);
  return `${url.slice(0, q)}?${out.join('&')}`.slice(0, 2000);
}

/**
 * Sends `console.*` of this process through the logger, so the lines of existing code
 * (`console.error('[job x] failed', e)`) are JSON with the request id too. Server processes only.
 */
export function routeConsoleToLog(): void {
  const s = state();
  if (s.consoleRouted) return;
  s.consoleRouted = true;
  const l = s.logger;
  const write =
    (level: 'info' | 'warn' | 'error' | 'debug') =>
    (...args: unknown[]) => {
      const err = args.find((a): a is Error => a instanceof Error);
      const msg = format(...args.map((a) => (a instanceof Error ? a.message : a)));
      if (err) l[level]({ err }, msg);
      else l[level](msg);
    };
  console.log = write('info');
  console.info = write('info');
  console.warn = write('warn');
  console.error = write('error');
  console.debug = write('debug');
}
