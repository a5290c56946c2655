/**
 * The production server: Express in front of the Remix build, one worker per core
 * (app/lib/cluster.server.ts, WEB_CONCURRENCY). It binds HOST:PORT, compresses, caches
 * fingerprinted assets forever, answers anonymous visitors from the rendered-page cache
 * (app/lib/page-cache.server.ts), applies app/lib/http-guard.server.ts (security headers,
 * request checks incl. cross-site form posts, a translated error page), runs the periodic jobs in
 * one process (through the build's boot()) and shuts down gracefully on SIGTERM/SIGINT.
 */
import './app/lib/serve-mode.server';

import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express, { type RequestHandler } from 'express';

import { runServer, workerCount } from './app/lib/cluster.server';
import { routeConsoleToLog } from './app/lib/observability/log.server';
import { reactDomServerBuild } from './app/lib/serve-mode.server';

const BUILD_PATH = path.resolve('build/index.js');

type AppBuild = ServerBuild & {
  entry: {
    module: {
      boot: (o?: { jobs?: boolean; prepare?: boolean; serve?: boolean }) => Promise<void>;
      shutdown: () => Promise<void>;
      pageCacheMiddleware: (build: ServerBuild) => RequestHandler;
      // Security middleware (app/lib/http-guard.server.ts): headers, request checks, error page.
      securityHeaders: express.RequestHandler;
      requestGuard: express.RequestHandler;
      errorHandler: express.ErrorRequestHandler;
      guardActions: <B>(build: B) => B;
      // Observability (app/lib/observability/): request ids, JSON request logs, /metrics.
      observeRequests: express.RequestHandler;
      metricsEndpoint: express.RequestHandler;
      instrumentRoutes: <B>(build: B) => B;
      // Resumable uploads of contest entries (tus protocol, app/lib/uploads/tus.server.ts).
      tusUploadsHandler: express.RequestHandler;
      // A fresh page-cache hit answered before Express (app/lib/fast-hit.server.ts); false: not one.
      answerCachedPage: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
      // A plain contest autosave answered before Express (app/lib/contests-autosave.server.ts); false: not one.
      answerAutosaveDirectly: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
      // A plain quiz-round submit answered before Express (app/lib/contests-submit.server.ts): true when
      // taken (anything else it read is handed to the third argument, Express); false: not a candidate.
      answerSubmitDirectly: (
        req: http.IncomingMessage,
        res: http.ServerResponse,
        express: (req: http.IncomingMessage, res: http.ServerResponse) => void,
      ) => boolean;
      // A plain forum reply answered before Express (app/lib/community-reply.server.ts), as the submit.
      answerReplyDirectly: (
        req: http.IncomingMessage,
        res: http.ServerResponse,
        express: (req: http.IncomingMessage, res: http.ServerResponse) => void,
      ) => boolean;
      // Remix's load context of a request: what a direct path already did for it (a refused reply).
      directLoadContext: (req: http.IncomingMessage) => Record<string, unknown>;
    };
  };
};

export async function createServer(build: AppBuild) {
  const app = express();
  app.disable('x-powered-by');
  if (process.env.TRUST_PROXY === '1') app.set('trust proxy', true);
  app.use(build.entry.module.observeRequests);
  build.entry.module.instrumentRoutes(build);
  app.use(compression());
  app.use(build.entry.module.securityHeaders);
  // tus uploads (PATCH bodies of application/offset+octet-stream): before the form-body guard; the
  // handler makes its own same-site check, and the domain its permission and size checks.
  app.all(/^\/uploads\/tus(?:\/[^/]*)?\/?$/, build.entry.module.tusUploadsHandler);
  // Methods, request targets, body size and type, cross-site check (before static files, the cache and Remix).
  app.use(build.entry.module.requestGuard);
  // Prometheus scrape, only with METRICS_TOKEN (app/lib/observability/http.server.ts).
  app.use(build.entry.module.metricsEndpoint);

  // Fingerprinted build output never changes: cache it for a year.
  app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }));
  // Every file in public/ has an extension and a page's path has none: pages skip the static
  // handler's file-system lookup (a stat per request in front of every cached page).
  const publicFiles = express.static('public', { maxAge: '1h' });
  app.use((req, res, next) => (/\.[A-Za-z0-9]+$/.test(req.path) ? publicFiles(req, res, next) : next()));

  // Anonymous visitors' public pages from the cache (stored compressed, answered before Remix);
  // after every middleware that sets headers or refuses requests, so hits get the same treatment.
  app.use(build.entry.module.pageCacheMiddleware(build));
  app.all(
    '*',
    createRequestHandler({
      build: build.entry.module.guardActions(build),
      mode: process.env.NODE_ENV,
      getLoadContext: (req) => build.entry.module.directLoadContext(req),
    }),
  );
  app.use(build.entry.module.errorHandler);
  // A fresh cached page for an anonymous visitor, a contest round's autosave and its submit, and a
  // forum reply are answered first, without Express's per-request set-up and middleware chain (same
  // headers, checks, log line and metrics); everything else goes to Express.
  const { answerCachedPage, answerAutosaveDirectly, answerSubmitDirectly, answerReplyDirectly } = build.entry.module;
  const viaExpress = app as unknown as (req: http.IncomingMessage, res: http.ServerResponse) => void;
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (
      !answerCachedPage(req, res) &&
      !answerAutosaveDirectly(req, res) &&
      !answerSubmitDirectly(req, res, viaExpress) &&
      !answerReplyDirectly(req, res, viaExpress)
    )
      app(req, res);
  };
}

async function loadBuild(): Promise<AppBuild> {
  return (await import(pathToFileURL(BUILD_PATH).href)) as AppBuild;
}

async function main() {
  // One JSON line per event on stdout (pino); LOG_FORMAT=text keeps plain console output.
  if (process.env.LOG_FORMAT !== 'text') routeConsoleToLog();
  await runServer({
    workers: workerCount(),
    prepare: async () => {
      const build = await loadBuild();
      await build.entry.module.boot({ jobs: false, serve: false });
      await build.entry.module.shutdown(); // workers open their own connections
    },
    serve: async ({ jobs }) => {
      const build = await loadBuild();
      console.log(`[serve] React DOM server: ${reactDomServerBuild()} build`);
      await build.entry.module.boot({ jobs, prepare: false });
      const app = await createServer(build);
      const port = Number(process.env.PORT ?? 3000);
      const host = process.env.HOST ?? '0.0.0.0';
      const server = http.createServer(app).listen(port, host, () => {
        console.log(`Tuần lễ học tập suốt đời: http://${host === '0.0.0.0' ? 'localhost' : host}:${port} (pid ${process.pid})`);
      });
      server.keepAliveTimeout = 65_000;
      return {
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => void build.entry.module.shutdown().finally(resolve));
            server.closeIdleConnections();
          }),
      };
    },
  }).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
