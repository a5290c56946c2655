import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
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
  /** The stream both write to (the request lines directly: `logRequestLine`). */
  stream: LineBatch;
  als: AsyncLocalStorage<RequestContext>;
  consoleRouted: boolean;
}

/** A pipe writes up to this many bytes at once without interleaving another process's writes. */
const PIPE_ATOMIC = 4096;

/**
 * The loggers' stream: the lines written in one turn of the event loop go out together, in one
 * write(2) of at most 4,096 bytes of whole lines (a pipe's atomic size), at the end of the turn or
 * when the next line would not fit. A busy worker answering cached pages wrote one line per
 * request, and that system call was a quarter of a hit's CPU. The cluster's workers share one
 * pipe: batches of whole lines under the atomic size never interleave, as single lines did not;
 * a longer line is written alone, as before. Lines still pending when the process exits (a crash
 * included: its handler logs, then exits) are written by the `exit` hook; only a SIGKILL can lose
 * the current turn's lines.
 */
class LineBatch {
  private lines: string[] = [];
  private bytes = 0;
  private scheduled = false;

  constructor(private readonly fd: number) {
    process.on('exit', () => this.flush());
  }

  write(line: string): boolean {
    const n = Buffer.byteLength(line);
    if (this.bytes + n > PIPE_ATOMIC) this.flush();
    this.lines.push(line);
    this.bytes += n;
    if (this.bytes >= PIPE_ATOMIC) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
    return true;
  }

  flush(): void {
    if (!this.lines.length) return;
    let buf = Buffer.from(this.lines.join(''));
    this.lines = [];
    this.bytes = 0;
    while (buf.length) {
      try {
        buf = buf.subarray(fs.writeSync(this.fd, buf));
      } catch (e) {
        // A full non-blocking pipe: wait a moment and go on (what pino's own synchronous stream does).
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      }
    }
  }
}

// One logger and one request context per process, shared by the build and tsx-loaded copies.
const g = globalThis as unknown as { __llwLog?: LogState };

function state(): LogState {
  if (!g.__llwLog) {
    const als = new AsyncLocalStorage<RequestContext>();
    const stream = new LineBatch(1);
    const logger = pino(
      {
        level: process.env.LOG_LEVEL ?? 'info',
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label: string) => ({ level: label }) },
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
      },
      stream,
    );
    g.__llwLog = { logger, stream, als, consoleRouted: false };
  }
  return g.__llwLog;
}

export function logger(): Logger {
  return state().logger;
}

/**
 * Writes a request's own line (`msg: "request"`), with its ids given, not looked up. Only for the
 * request line's fixed fields (method, a `safePath`ed path, route, status, duration, cache, ids):
 * the redaction pass, the context lookup and the general serialisation of `logger()` cost more than
 * the rest of answering a cached page, and these fields never carry what redaction guards against.
 */
export function logRequestLine(ctx: RequestContext, fields: Record<string, string | number | boolean>): void {
  const st = state();
  if (!st.logger.isLevelEnabled('info')) return;
  // The line pino would write (same keys, same order), put together here: for a cached page its
  // serialisation was most of what the line cost. Keys are the fixed names above; values go
  // through JSON.stringify.
  let line = `{"level":"info","time":"${new Date().toISOString()}","pid":${process.pid},"reqId":${JSON.stringify(ctx.reqId)}`;
  if (ctx.userId) line += `,"userId":${JSON.stringify(ctx.userId)}`;
  for (const k in fields) line += `,"${k}":${JSON.stringify(fields[k])}`;
  st.stream.write(`${line},"msg":"request"}\n`);
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
