/**
 * Shared signed-in renders in the browser (app/lib/page-shell.server.ts, issue 10): the page a
 * reader without roles gets from the shared render shows their own name, hydrates without a
 * mismatch (no React error in the console), navigates on the client afterwards, passes axe, and
 * reads the same without JavaScript; an organiser's page (rendered for them) keeps their links.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, expectNoA11yViolations, launchBrowser, type Page } from './setup/browser';
import { signedInPage } from './setup/signed-in';

const CITIZEN_NAME = 'Phạm Thị Lan'; // nguoidan@demo.hoctap.vn, no roles (db/seed/accounts.ts)

function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /hydrat|did not match/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

describe('signed-in pages from a shared render', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the reader their name, hydrates cleanly, navigates on the client and passes axe', async () => {
    const { ctx, page } = await signedInPage(browser, 'citizen');
    const problems = watchConsole(page);
    for (const p of ['/library', '/weeks/2024']) {
      const res = await page.goto(p);
      expect(res?.status()).toBe(200);
      expect(res?.headers()['x-page-cache']).toBe('shell');
      await expect(page.locator('.account-nav a[href="/account"]').textContent()).resolves.toBe(CITIZEN_NAME);
      expect(await page.locator('a[href="/organise"]').count()).toBe(0);
    }
    // Hydrated: a click on a nav link is a client navigation (no document request).
    await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
    let documents = 0;
    page.on('request', (r) => {
      if (r.resourceType() === 'document') documents++;
    });
    await page.locator('nav.main-nav a[href="/resources"]').first().click();
    await page.waitForURL('**/resources', { waitUntil: 'commit' });
    await page.locator('h1').first().waitFor();
    expect(documents).toBe(0);
    await expect(page.locator('.account-nav a[href="/account"]').textContent()).resolves.toBe(CITIZEN_NAME);
    await page.goto('/library');
    await expectNoA11yViolations(page);
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it('reads the same without JavaScript', async () => {
    const { ctx, page } = await signedInPage(browser, 'citizen', { javaScriptEnabled: false });
    const res = await page.goto('/library');
    expect(res?.headers()['x-page-cache']).toBe('shell');
    await expect(page.locator('.account-nav a[href="/account"]').textContent()).resolves.toBe(CITIZEN_NAME);
    await expect(page.locator('.account-nav button[type="submit"]').count()).resolves.toBe(1); // sign out
    await ctx.close();
  });

  it("gives an organiser their own render with their staff link, not the readers' page", async () => {
    const { ctx, page } = await signedInPage(browser, 'organiser');
    const res = await page.goto('/library');
    expect(res?.headers()['x-page-cache']).toBeUndefined();
    expect(await page.locator('a[href="/organise"]').count()).toBeGreaterThan(0);
    await expect(page.locator('.account-nav a[href="/account"]').textContent()).resolves.not.toBe(CITIZEN_NAME);
    await ctx.close();
  });
});
