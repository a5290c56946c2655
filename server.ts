/**
 * The production server: Express in front of the Remix build, one worker per core
 * (app/lib/cluster.server.ts, WEB_CONCURRENCY). It binds HOST:PORT, compresses, caches
 * fingerprinted assets forever, answers anonymous visitors from the rendered-page cache
 * (app/lib/page-cache.server.ts), refuses cross-site form posts, runs the periodic jobs in one
 * process (through the build's boot()) and shuts down gracefully on SIGTERM/SIGINT.
 */
import './app/lib/serve-mode.server';

import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express, { type RequestHandler } from 'express';

import { runServer, workerCount } from './app/lib/cluster.server';
import { reactDomServerBuild } from './app/lib/serve-mode.server';

const BUILD_PATH = path.resolve('build/index.js');

type AppBuild = ServerBuild & {
  entry: {
    module: {
      boot: (o?: { jobs?: boolean; prepare?: boolean; serve?: boolean }) => Promise<void>;
      shutdown: () => Promise<void>;
      pageCacheMiddleware: (build: ServerBuild) => RequestHandler;
    };
  };
};

export async function createServer(build: AppBuild) {
  const app = express();
  app.disable('x-powered-by');
  if (process.env.TRUST_PROXY === '1') app.set('trust proxy', true);
  app.use(compression());

  // Fingerprinted build output never changes: cache it for a year.
  app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }));
  app.use(express.static('public', { maxAge: '1h' }));

  app.use((req, res, next) => {
    // The app reads the client address from this header only: a client cannot forge it.
    req.headers['x-llw-client-ip'] = req.ip ?? req.socket.remoteAddress ?? '0.0.0.0';
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    // Cross-site request forgery: state-changing requests must come from our own pages.
    const origin = req.headers.origin ?? req.headers.referer;
    const host =
      req.headers['x-forwarded-host'] && process.env.TRUST_PROXY === '1' ? String(req.headers['x-forwarded-host']) : req.headers.host;
    if (origin && origin !== 'null') {
      try {
        if (new URL(origin).host === host) return next();
      } catch {
        /* fall through */
      }
    }
    // Browsers always send Origin on cross-site POSTs; a missing one is a same-site, JS-less
    // client only when Sec-Fetch-Site says so (or a non-browser tool, which has no cookies to abuse).
    if (!origin && req.headers['sec-fetch-site'] !== 'cross-site') return next();
    res.status(403).type('text/plain').send('Forbidden: cross-site request');
  });

  // Anonymous visitors' public pages from the cache (stored compressed, answered before Remix);
  // after every middleware that sets headers or refuses requests, so hits get the same treatment.
  app.use(build.entry.module.pageCacheMiddleware(build));
  app.all('*', createRequestHandler({ build, mode: process.env.NODE_ENV }));
  return app;
}

async function loadBuild(): Promise<AppBuild> {
  return (await import(pathToFileURL(BUILD_PATH).href)) as AppBuild;
}

async function main() {
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
      const server = app.listen(port, host, () => {
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
