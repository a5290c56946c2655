/**
 * `signedInPage(browser, role)`: a page already signed in as the demo account of a role, with no
 * trip through /login — the session row is written straight into the test server's database (the
 * same Lucia store the server reads), and its cookie put in a fresh context. The sign-in form itself
 * stays tested in foundation-accounts.test.ts; use this everywhere else.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';

import { baseUrl, newContext, sessionCookieFor } from './browser';

export { sessionCookieFor };

/** The demo account used for each role (db/seed/accounts.ts). */
export const DEMO_BY_ROLE = {
  admin: 'admin@demo.hoctap.vn',
  organiser: 'bantochuc.biengiang@demo.hoctap.vn',
  teacher: 'giaovien@demo.hoctap.vn',
  librarian: 'thuthu@demo.hoctap.vn',
  learner: 'hocsinh@demo.hoctap.vn',
  citizen: 'nguoidan@demo.hoctap.vn',
  elder: 'ongba@demo.hoctap.vn',
} as const;
export type DemoRole = keyof typeof DEMO_BY_ROLE;

/**
 * A fresh context and page signed in as `role` (or as a given email: `{ email }`), optionally opened
 * at `path`. Close with `ctx.close()` as usual.
 */
export async function signedInPage(
  browser: Browser,
  who: DemoRole | { email: string },
  opts: { path?: string; javaScriptEnabled?: boolean; locale?: string } & BrowserContextOptions = {},
): Promise<{ ctx: BrowserContext; page: Page }> {
  const { path: at, ...ctxOpts } = opts;
  const ctx = await newContext(browser, ctxOpts);
  const email = typeof who === 'string' ? DEMO_BY_ROLE[who] : who.email;
  const c = await sessionCookieFor(email);
  await ctx.addCookies([{ name: c.name, value: c.value, url: baseUrl() }]);
  const page = await ctx.newPage();
  if (at) await page.goto(at);
  return { ctx, page };
}
