/**
 * The BUILT app (build/index.js, Remix and React as served) in this process behind Express, for the
 * shared-render tests (app/lib/page-shell.server.ts): the build imported once per file, a fresh
 * database made the app's, the server mounted as server.ts mounts it, and the small readers of its
 * pages those tests share.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import express, { type RequestHandler } from 'express';
import { afterAll, beforeAll } from 'vitest';

import type { DB } from '~/db/connection';
import { clearPageCache } from '~/lib/page-cache.server';
import { clearShellPages } from '~/lib/page-shell.server';

import { ensureBuilt } from '../browser/setup/global';
import { freshDb } from './db';

const ROOT = path.resolve(import.meta.dirname, '../..');

export type AppBuild = ServerBuild & {
  entry: { module: { pageCacheMiddleware: (b: ServerBuild) => RequestHandler; guardActions: (b: ServerBuild) => ServerBuild } };
};

const SET_ENV = { SESSION_SECRET: 'page-shell-test-secret-of-at-least-32-characters', PUBLIC_URL: 'http://127.0.0.1' };

/**
 * Imports the build for the file (building it first when missing) in a `beforeAll`; read `.build`
 * inside hooks and tests. The build renders in production mode, which asks for the variables of
 * SET_ENV (its own copy of the env module): set while the file runs when unset, removed after.
 */
export function loadBuiltApp(): { build: AppBuild } {
  const loaded = {} as { build: AppBuild };
  beforeAll(async () => {
    ensureBuilt(ROOT);
    for (const [k, v] of Object.entries(SET_ENV)) process.env[k] ??= v;
    loaded.build = (await import(pathToFileURL(path.join(ROOT, 'build/index.js')).href)) as AppBuild;
  }, 240_000);
  afterAll(() => {
    for (const [k, v] of Object.entries(SET_ENV)) if (process.env[k] === v) delete process.env[k];
  });
  return loaded;
}

/** A fresh database of the dialect made the app's (`__appDb`), with the in-process page caches emptied. */
export async function freshAppDb(dialect: 'sqlite' | 'postgres'): Promise<{ db: DB; cleanup: () => Promise<void> }> {
  const fresh = await freshDb(dialect);
  setAppDb(fresh.db);
  clearPageCache();
  clearShellPages();
  return fresh;
}

/** The database the app's routes read (`undefined`: the app's own again). */
export function setAppDb(db: DB | undefined): void {
  (globalThis as unknown as { __appDb?: DB }).__appDb = db;
}

/**
 * Listens on a free port with the shared renders in front (as server.ts mounts them) and behind them
 * Remix with the action guard (`'guarded'`), Remix alone (`'remix'`) or a handler of the test's own.
 */
export async function serveBuilt(
  build: AppBuild,
  behind: 'guarded' | 'remix' | RequestHandler,
): Promise<{ base: string; close: () => void }> {
  const app = express();
  app.use(build.entry.module.pageCacheMiddleware(build));
  if (behind === 'guarded') app.all('*', createRequestHandler({ build: build.entry.module.guardActions(build), mode: 'production' }));
  else if (behind === 'remix') app.use(createRequestHandler({ build, mode: 'production' }));
  else app.use(behind);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** `fn` with the shared renders switched off (PAGE_SHELL=0, read per request by the middleware). */
export async function withoutShell<T>(fn: () => Promise<T>): Promise<T> {
  process.env.PAGE_SHELL = '0';
  try {
    return await fn();
  } finally {
    delete process.env.PAGE_SHELL;
  }
}

/** The signed-in user of a page's hydration data (`window.__remixContext`'s root loader data). */
export function rootUser(html: string): { id: string; displayName: string } | null {
  const m = /window\.__remixContext = (\{.*?\});/s.exec(html);
  if (!m) throw new Error('no hydration data in the page');
  return (JSON.parse(m[1]!) as { state: { loaderData: { root: { user: { id: string; displayName: string } | null } } } }).state.loaderData
    .root.user;
}

/** The first place two strings differ, with some context, for a readable failure. */
export function firstDifference(a: string, b: string): string | null {
  if (a === b) return null;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const at = Math.max(0, i - 120);
  return `at ${i} of ${a.length}/${b.length}:\n  shared: …${a.slice(at, i + 160)}…\n  fresh:  …${b.slice(at, i + 160)}…`;
}

/** The page with its CSP nonce (from the response's header) made `NONCE`, to compare two renders. */
export function withoutNonce(html: string, csp: string | null): string {
  const nonce = /'nonce-([^']+)'/.exec(csp ?? '')?.[1];
  return nonce ? html.split(nonce).join('NONCE') : html;
}
