/**
 * The BUILT app (build/index.js, Remix and React as served) in this process behind Express, for the
 * shared-render tests (app/lib/page-shell.server.ts): the build imported once per file, a fresh
 * database made the app's (`servedApp` for a describe block: the database, its set-up and the
 * server), signed-in visitors, and the readers of its pages those tests share (`fetchPage`,
 * `freshPage`, `sharedAndFresh`).
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import express, { type RequestHandler } from 'express';
import { afterAll, beforeAll, expect } from 'vitest';

import type { DB } from '~/db/connection';
import { resetEnvCache } from '~/lib/env.server';
import { clearPageCache, startPageCacheSync, stopPageCacheSync } from '~/lib/page-cache.server';
import { clearShellPages } from '~/lib/page-shell.server';

import { ensureBuilt } from '../browser/setup/global';
import { freshDb } from './db';
import { makeUser, type MakeUserOptions, sessionCookie } from './users';

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
export async function freshAppDb(dialect: 'sqlite' | 'postgres'): Promise<{ db: DB; url: string; cleanup: () => Promise<void> }> {
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

/** A signed-in visitor of the test: their id and session cookie (`name=value`). */
export interface Visitor {
  id: string;
  cookie: string;
}

/** A user with a session for each name (`options(key)`: their birth year, home unit, locale…). */
export async function makeVisitors<K extends string>(
  db: DB,
  names: Record<K, string>,
  options: (key: K) => MakeUserOptions = () => ({}),
): Promise<Record<K, Visitor>> {
  const out = {} as Record<K, Visitor>;
  for (const k of Object.keys(names) as K[]) {
    const id = await makeUser(db, names[k], options(k));
    out[k] = { id, cookie: await sessionCookie(db, id) };
  }
  return out;
}

/**
 * For a describe block: before its tests, a fresh database of the dialect made the app's, `setup`
 * run on it, and the built app served behind `behind` (as `serveBuilt` takes it); after them, the
 * server closed, the shared renders on again, the database dropped. With `serving`, the database is
 * also the one the page-cache sync follows (DATABASE_URL, the data cache keeps), put back after.
 * Read `.base` inside hooks and tests; its page readers are `fetchPage`, `freshPage` and
 * `sharedAndFresh` on that server (`neutral`: what else its renders vary in, made constant).
 */
export function servedApp(
  built: { build: AppBuild },
  dialect: 'sqlite' | 'postgres',
  setup: (db: DB) => Promise<void>,
  o: { behind?: 'guarded' | 'remix'; serving?: boolean; timeout?: number; neutral?: (html: string) => string } = {},
): ServedApp {
  const site: ServedApp = {
    base: '',
    get: (path, cookie) => fetchPage(site.base, path, cookie, o.neutral),
    fresh: (path, cookie) => freshPage(site.base, path, cookie, o.neutral),
    sharedAndFresh: (path, cookie, label) => sharedAndFresh(site.base, path, cookie, label, o.neutral),
    differences: async (visits, urls) => {
      const out: string[] = [];
      for (const [who, cookie] of visits)
        for (const url of urls) out.push(...(await site.sharedAndFresh(url, cookie, `${url} for ${who}`)).differences);
      return out;
    },
  };
  let cleanup: () => Promise<void> = async () => undefined;
  let close: () => void = () => undefined;
  let savedUrl: string | undefined;
  beforeAll(async () => {
    const fresh = await freshAppDb(dialect);
    cleanup = fresh.cleanup;
    if (o.serving) {
      savedUrl = process.env.DATABASE_URL;
      if (dialect === 'postgres') process.env.DATABASE_URL = fresh.url;
      resetEnvCache();
      await startPageCacheSync(fresh.db); // the serving database: the data cache keeps
    }
    await setup(fresh.db);
    ({ base: site.base, close } = await serveBuilt(built.build, o.behind ?? 'guarded'));
  }, o.timeout ?? 180_000);
  afterAll(async () => {
    close();
    delete process.env.PAGE_SHELL;
    if (o.serving) {
      await stopPageCacheSync();
      clearPageCache();
      clearShellPages();
      if (savedUrl === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = savedUrl;
      resetEnvCache();
    }
    setAppDb(undefined);
    await cleanup();
  });
  return site;
}

/** The built app served for a describe block (`servedApp`) and its page readers. */
export interface ServedApp {
  base: string;
  /** GET `path` with these cookies. */
  get: (path: string, cookie: string) => Promise<Page>;
  /** The same request rendered for the visitor alone. */
  fresh: (path: string, cookie: string) => Promise<Page>;
  /** `sharedAndFresh` on this server. */
  sharedAndFresh: (path: string, cookie: string, label?: string) => ReturnType<typeof sharedAndFresh>;
  /** `sharedAndFresh` for each visitor ([who, cookies]) and page: every difference found. */
  differences: (visits: Array<[string, string]>, urls: string[]) => Promise<string[]>;
}

/** A page as a visitor got it: `body` is the HTML with the CSP nonce made `NONCE` (and `neutral` applied). */
export interface Page {
  status: number;
  /** X-Page-Cache: 'shell' for a shared render, null for one rendered for the visitor. */
  via: string | null;
  html: string;
  body: string;
}

/** GET `path` with these cookies (`neutral`: what else a render varies in, such as its time, made constant). */
export async function fetchPage(base: string, path: string, cookie: string, neutral: (html: string) => string = (h) => h): Promise<Page> {
  const res = await fetch(`${base}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' });
  const html = await res.text();
  return {
    status: res.status,
    via: res.headers.get('x-page-cache'),
    html,
    body: neutral(withoutNonce(html, res.headers.get('content-security-policy'))),
  };
}

/** The same request rendered for the visitor alone (the shared renders switched off). */
export function freshPage(base: string, path: string, cookie: string, neutral?: (html: string) => string): Promise<Page> {
  return withoutShell(() => fetchPage(base, path, cookie, neutral));
}

/**
 * The page twice as shared (its render, then the kept render) and once rendered for the visitor
 * alone, asserted to be shared when it is a 200 (and never when it is not), with where each shared
 * body differs from the fresh one (`label` first): none when the shared render is the visitor's own page.
 */
export async function sharedAndFresh(
  base: string,
  path: string,
  cookie: string,
  label = path,
  neutral?: (html: string) => string,
): Promise<{ first: Page; kept: Page; fresh: Page; differences: string[] }> {
  const [first, kept, fresh] = [
    await fetchPage(base, path, cookie, neutral),
    await fetchPage(base, path, cookie, neutral),
    await freshPage(base, path, cookie, neutral),
  ];
  expect(fresh.via, `${label}: fresh`).toBeNull();
  expect([first.status, kept.status], label).toEqual([fresh.status, fresh.status]);
  expect([first.via, kept.via], label).toEqual(fresh.status === 200 ? ['shell', 'shell'] : [null, null]);
  const differences: string[] = [];
  for (const [which, got] of [
    ['shared render', first],
    ['kept shared render', kept],
  ] as const) {
    const d = firstDifference(got.body, fresh.body);
    if (d) differences.push(`${label} (${which}) ${d}`);
  }
  return { first, kept, fresh, differences };
}
