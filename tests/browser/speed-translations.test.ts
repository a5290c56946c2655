/**
 * Translations travel as cached, fingerprinted scripts per language and area (issue 10): a page
 * carries only script links, not every area's strings; a client-side navigation into another area
 * loads that area's script and shows its words, never raw keys; the scripts are cached for a year.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, launchBrowser, newContext } from './setup/browser';

describe('translation scripts', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('home → library by the menu (JavaScript on) shows the library in Vietnamese, its strings loaded on the way', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const i18nScripts: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/i18n/')) i18nScripts.push(`${new URL(r.url()).pathname} ${r.headers()['cache-control']}`);
    });
    await page.goto('/');
    const html = await page.content();
    expect(html).not.toContain('"messages":'); // no inlined translation files in the page data
    expect(html).toMatch(/<script src="\/i18n\/vi\.common\.[0-9a-f]{12}\.js"[^>]*>/); // with the CSP nonce
    expect(i18nScripts.some((s) => /vi\.common\.[0-9a-f]{12}\.js public, max-age=31536000, immutable/.test(s))).toBe(true);
    await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
    await page.getByRole('navigation').getByRole('link', { name: 'Thư viện số' }).first().click();
    await page.waitForURL(/\/library$/);
    // The address changes before React has rendered the new page (a transition): wait for the page itself.
    await page.getByRole('heading', { level: 1, name: /Thư viện số/ }).waitFor();
    expect(i18nScripts.some((s) => s.includes('/i18n/vi.library.'))).toBe(true);
    expect(await page.locator('main').innerText()).not.toMatch(/\blibrary\.[a-z]+\.[a-zA-Z]+/); // no raw keys
    await ctx.close();
  });
});
