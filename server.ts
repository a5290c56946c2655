/**
 * The production server: Express in front of the Remix build. It binds HOST:PORT, compresses,
 * caches fingerprinted assets forever, applies app/lib/http-guard.server.ts (security headers,
 * request checks incl. cross-site form posts, a translated error page), runs the periodic jobs
 * (through the build's boot()) and shuts down gracefully on SIGTERM/SIGINT.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express from 'express';

const BUILD_PATH = path.resolve('build/index.js');

type AppBuild = ServerBuild & {
  entry: {
    module: {
      boot: () => Promise<void>;
      shutdown: () => Promise<void>;
      // Security middleware (app/lib/http-guard.server.ts): headers, request checks, error page.
      securityHeaders: express.RequestHandler;
      requestGuard: express.RequestHandler;
      errorHandler: express.ErrorRequestHandler;
      guardActions: <B>(build: B) => B;
    };
  };
};

export async function createServer(build: AppBuild) {
  const app = express();
  app.disable('x-powered-by');
  if (process.env.TRUST_PROXY === '1') app.set('trust proxy', true);
  app.use(compression());
  app.use(build.entry.module.securityHeaders);
  // Methods, request targets, body size and type, cross-site check (before static files and Remix).
  app.use(build.entry.module.requestGuard);

  // Fingerprinted build output never changes: cache it for a year.
  app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }));
  app.use(express.static('public', { maxAge: '1h' }));

  app.all('*', createRequestHandler({ build: build.entry.module.guardActions(build), mode: process.env.NODE_ENV }));
  app.use(build.entry.module.errorHandler);
  return app;
}

async function main() {
  const build = (await import(pathToFileURL(BUILD_PATH).href)) as AppBuild;
  try {
    await build.entry.module.boot();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
  const app = await createServer(build);
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '0.0.0.0';
  const server = app.listen(port, host, () => {
    console.log(`Tuần lễ học tập suốt đời: http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`);
  });
  server.keepAliveTimeout = 65_000;
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: closing`);
    server.close(async () => {
      await build.entry.module.shutdown();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
