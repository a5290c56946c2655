/**
 * Browser helpers for tests/browser/*.test.ts: the worker's Chromium for a test file (`launchBrowser()`
 * in beforeAll), a fresh context per test (`newContext(browser)`), sign-in, and an axe-core check.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

import type { DB } from '~/db/connection';
import { DEMO_PASSWORD } from '~/db/seed/accounts';

export { DEMO_PASSWORD };
export type { Browser, BrowserContext, Page };

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Which of global.ts's servers this file uses: the one of its worker. Vitest numbers the workers
 * running at the same time 1…maxWorkers (VITEST_POOL_ID), and global.ts starts maxWorkers servers,
 * so two files running at once never share one.
 */
function serverIndex(count: number): number {
  const id = Number(process.env.VITEST_POOL_ID) || 1;
  return (id - 1) % count;
}

/** The base URL of this file's test server (e.g. http://127.0.0.1:41234). */
export function baseUrl(): string {
  const all = inject('baseUrls');
  const u = all?.length ? all[serverIndex(all.length)] : process.env.LLW_BASE_URL;
  if (!u) throw new Error('baseUrl is not provided: run browser tests with `--project browser`');
  return u;
}

/** The DATA_DIR of this file's test server (its SQLite database is `app.sqlite` in it). */
export function dataDir(): string {
  const all = inject('dataDirs');
  const d = all?.length ? all[serverIndex(all.length)] : process.env.LLW_DATA_DIR;
  if (!d) throw new Error('dataDir is not provided: run browser tests with `--project browser`');
  return d;
}

/** An absolute URL on the test server. */
export function url(pathname: string): string {
  return new URL(pathname, baseUrl()).href;
}

/** The worker's Chromiums by their extra flags (browser files share their worker: `isolate: false`). */
const SHARED_BROWSERS = Symbol.for('llw.tests.sharedBrowsers');
function sharedBrowsers(): Map<string, Promise<Browser>> {
  const g = globalThis as unknown as Record<symbol, Map<string, Promise<Browser>> | undefined>;
  return (g[SHARED_BROWSERS] ??= new Map());
}

/**
 * The browser for a test file. `extraArgs` are added to the usual flags (e.g. FAKE_MEDIA_ARGS for
 * recording in the browser). Files of a worker run one after another in one process and share one
 * Chromium per set of flags: a launch costs ~1.8 s of CPU here, and each file's contexts are as
 * separate as they were in separate browsers (own cookies, storage and HTTP cache). What a file gets
 * is a handle whose `close()` closes the contexts the file left open, not the shared browser; a
 * browser that crashed or disconnected is launched again for the next file. The worker's Chromiums
 * end with the worker.
 */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  const all = sharedBrowsers();
  const key = extraArgs.join(' ');
  const known = all.get(key);
  const alive = known && (await known.then((b) => b.isConnected()).catch(() => false));
  if (!alive) {
    const launched = chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs], headless: true });
    all.set(key, launched);
    launched.catch(() => all.delete(key));
  }
  const browser = await all.get(key)!;
  const closeFilesContexts = async () => {
    await Promise.all(browser.contexts().map((c) => c.close().catch(() => undefined)));
  };
  return new Proxy(browser, {
    get(target, prop) {
      if (prop === 'close') return closeFilesContexts;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** A fake microphone and camera (a beep and a test pattern), allowed without a prompt. */
export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/**
 * Every context opened by `newContext` (and `signedInPage`) blocks the service worker unless it asks
 * for it with `WITH_SERVICE_WORKER` — the tests of offline reading and of push do. With JavaScript
 * on, every page registers /sw.js, whose install fetches the ~250 precached build files (1.3 MB)
 * again in each new context and which then stands between the page and every request: ~90 contexts
 * paid that for checks that never looked at it. `NO_SERVICE_WORKER` (the default) stays for the
 * files that spelled it out.
 */
export const WITH_SERVICE_WORKER = { serviceWorkers: 'allow' } as const;
export const NO_SERVICE_WORKER = { serviceWorkers: 'block' } as const;

/** Contexts opened with JavaScript off: axe cannot run in their pages (its timers never fire, with any runner). */
const scriptless = new WeakSet<BrowserContext>();

/**
 * A fresh context (own cookies) on the test server. `javaScriptEnabled: false` checks the
 * progressive-enhancement path (every form must work as a plain HTML post). `locale` sets
 * Accept-Language (default 'vi-VN', the site's default language).
 */
export async function newContext(
  browser: Browser,
  opts: { javaScriptEnabled?: boolean; locale?: string } & BrowserContextOptions = {},
): Promise<BrowserContext> {
  const { javaScriptEnabled = true, locale = 'vi-VN', serviceWorkers = 'block', ...rest } = opts;
  const ctx = await browser.newContext({ baseURL: baseUrl(), javaScriptEnabled, locale, serviceWorkers, ...rest });
  if (!javaScriptEnabled) scriptless.add(ctx);
  ctx.setDefaultTimeout(30_000); // generous: unit and integration projects run alongside and load both cores
  ctx.setDefaultNavigationTimeout(30_000);
  return ctx;
}

/**
 * A new handle on this file's test server database (SQLite in its DATA_DIR), for a test that writes
 * demo state the pages then show. It waits up to 30 s for the write lock, where the app waits 5 s:
 * the server's own requests and jobs hold the lock too, and a loaded machine stretches them.
 */
export async function openServerDb(): Promise<DB> {
  // Imported on first use: the app's modules are a few seconds of import for files that never sign in.
  const { openDatabase } = await import('~/db/connection');
  return openDatabase(path.join(dataDir(), 'app.sqlite'), { busyTimeoutMs: 30_000 });
}

let serverDbHandle: Promise<DB> | undefined;
/** The test server's database, opened once per worker (its files share the module) for the sign-in helper. */
function serverDb(): Promise<DB> {
  return (serverDbHandle ??= openServerDb());
}

/** A session cookie for a user of the test server (by email), as the sign-in form would set it. */
export async function sessionCookieFor(email: string): Promise<{ name: string; value: string }> {
  const d = await serverDb();
  const { createSessionCookie } = await import('~/lib/auth.server');
  const user = await d.selectFrom('users').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst();
  if (!user) throw new Error(`no user ${email} on the test server`);
  const [pair] = (await createSessionCookie(user.id, d)).split(';');
  const i = pair!.indexOf('=');
  return { name: pair!.slice(0, i), value: pair!.slice(i + 1) };
}

/**
 * Signs `page` in as `email` without a trip through /login: a session row is written straight into
 * the test server's database (the Lucia store the server reads) and its cookie put in the page's
 * context; then the page opens `redirectTo` (default `/`) and waits for the signed-in header. The
 * form's password check (a deliberately slow hash) and its two page loads cost ~2 s a sign-in on a
 * loaded machine; the form itself is tested by foundation-accounts.test.ts with `signInWithForm`.
 * `_password` is kept so call sites read the same as the form's.
 */
export async function signIn(page: Page, email: string, _password = DEMO_PASSWORD, redirectTo?: string): Promise<void> {
  const c = await sessionCookieFor(email);
  await page.context().addCookies([{ name: c.name, value: c.value, url: baseUrl() }]);
  await page.goto(redirectTo ?? '/');
  await page.locator('form[action="/logout"]').waitFor();
}

/** A context with its one page, kept for a file's tests (`sharedPages`). */
export interface SharedPage {
  ctx: BrowserContext;
  page: Page;
}

/**
 * One page with JavaScript and one without, each in a context of its own, for a file's tests to
 * share in turn: a new context and page cost ~1.5 s of Chromium here (a renderer started, the
 * site's scripts fetched and compiled again). `anonymous` gives one signed out (its cookies
 * cleared); `as` signs a person in on it by session cookie (`signIn`) at `path`. What a page keeps
 * in its own storage carries over from one test to the next: a test that depends on it (an
 * offline copy, a clock) opens its own context.
 */
export async function sharedPages(browser: Browser, opts: BrowserContextOptions = {}) {
  const open = async (javaScriptEnabled: boolean): Promise<SharedPage> => {
    const ctx = await newContext(browser, { ...opts, javaScriptEnabled });
    return { ctx, page: await ctx.newPage() };
  };
  const js = await open(true);
  const html = await open(false);
  const anonymous = async (javaScriptEnabled = true): Promise<Page> => {
    const o = javaScriptEnabled ? js : html;
    await o.ctx.clearCookies();
    return o.page;
  };
  const as = async (email: string, path: string, javaScriptEnabled = true): Promise<Page> => {
    const page = await anonymous(javaScriptEnabled);
    // A URL that differs from the open one only by its #fragment would not load the page again.
    if (page.url().split('#')[0] === url(path).split('#')[0]) await page.goto('about:blank');
    await signIn(page, email, undefined, path);
    return page;
  };
  return { js, html, anonymous, as };
}
export type SharedPages = Awaited<ReturnType<typeof sharedPages>>;

/** Signs in through the real form and waits until the app has left /login and shows the signed-in header. */
export async function signInWithForm(page: Page, email: string, password = DEMO_PASSWORD, redirectTo?: string): Promise<void> {
  await page.goto(redirectTo ? `/login?redirectTo=${encodeURIComponent(redirectTo)}` : '/login');
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000, waitUntil: 'commit' }),
    page.locator('form:has(input[name="password"]) button[type="submit"]').first().click(),
  ]);
  // With JavaScript the URL changes before React renders the new page: wait for the signed-in header.
  await page.locator('form[action="/logout"]').waitFor();
}

/**
 * A new account through the real sign-up form, then signed in: sign-up answers "check your mail"
 * and leads to the sign-in page (it never signs in by itself). `redirectTo` as for `signIn`.
 */
export async function signUp(
  page: Page,
  a: { name: string; email: string; password: string; birthYear?: string; redirectTo?: string },
): Promise<void> {
  await page.goto('/signup');
  await page.locator('input[name="displayName"]').fill(a.name);
  await page.locator('input[name="email"]').fill(a.email);
  await page.locator('input[name="password"]').fill(a.password);
  await page.locator('input[name="confirmPassword"]').fill(a.password);
  if (a.birthYear) await page.locator('input[name="birthYear"]').fill(a.birthYear);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/signup'), { waitUntil: 'commit' }),
    page.locator('main form button[type="submit"]').last().click(),
  ]);
  await signInWithForm(page, a.email, a.password, a.redirectTo);
}

/** Fresh unique email for a test that needs its own account (don't mutate shared demo users). */
export function uniqueEmail(prefix = 'test'): string {
  return `${prefix}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}@example.test`;
}

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

type AxeOptions = { exclude?: string[]; disableRules?: string[] };

/** axe injected into the page and run there (once per document). */
async function axeInPage(page: Page, opts: AxeOptions): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async ({ exclude, disableRules }) => {
      const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
      const context = exclude.length ? { include: [['html']], exclude: exclude.map((s) => [s]) } : document;
      const r = await axe.run(context, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
        rules: Object.fromEntries(disableRules.map((id) => [id, { enabled: false }])),
        resultTypes: ['violations'],
      });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      }));
    },
    { exclude: opts.exclude ?? [], disableRules: opts.disableRules ?? [] },
  );
}

/**
 * Runs axe-core (WCAG 2 A and AA) on the current page and fails with a readable list. axe runs
 * in the page itself (injected once per document): @axe-core/playwright's `analyze()` opens an extra
 * page per call to merge frame results, ~3 s a check on this machine against ~0.8 s, and the site's
 * only iframes are third-party video embeds that are not ours to check.
 */
export async function expectNoA11yViolations(page: Page, opts: AxeOptions = {}): Promise<void> {
  if (scriptless.has(page.context())) throw new Error('axe needs JavaScript in the page: check this page in a context with JavaScript on');
  const violations = await axeInPage(page, opts);
  const lines = violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n${v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ')}`)
        .join('\n')}`,
  );
  expect(lines, `axe violations on ${page.url()}`).toEqual([]);
}
