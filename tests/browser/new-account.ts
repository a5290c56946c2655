/**
 * A new account for a browser test whose subject is not the sign-up form: created straight in the
 * test server's database by the same domain call the /signup action makes (`signUp`, its password
 * hashed), then signed in by cookie (`signIn`). Through the forms it cost two slow password hashes on
 * the server and four page loads (sign-up, its redirect to /login, sign-in, its redirect), ~3–5 s a
 * learner on a loaded machine. The forms themselves stay tested in foundation-accounts.test.ts.
 */
import type { DB } from '~/db/connection';

import { baseUrl, type BrowserContext, openServerDb, type Page, sessionCookieFor, signIn } from './setup/browser';

let handle: Promise<DB> | undefined;

export async function newAccount(
  page: Page,
  a: { name: string; email: string; password: string; birthYear?: string; redirectTo?: string },
): Promise<string> {
  const db = await (handle ??= openServerDb());
  const { signUp } = await import('~/domain/accounts.server');
  const r = await signUp(db, {
    email: a.email,
    password: a.password,
    displayName: a.name,
    birthYear: a.birthYear ? Number(a.birthYear) : null,
    homeUnitId: null,
    locale: 'vi',
  });
  if (!r.ok) throw new Error(`${a.email}: ${r.error}`);
  await signIn(page, a.email, a.password, a.redirectTo);
  return r.userId;
}

/**
 * Puts `email`'s session in place of the context's cookies, so one context (with the site's scripts
 * already in its cache) serves several people in turn instead of a fresh context each.
 */
export async function switchUser(ctx: BrowserContext, email: string): Promise<void> {
  const c = await sessionCookieFor(email);
  await ctx.clearCookies();
  await ctx.addCookies([{ name: c.name, value: c.value, url: baseUrl() }]);
}
