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

  it('translation scripts do not block the first paint (defer), and pages hydrate with their words: no hydration error, a client-side navigation works', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    for (const p of ['/library', '/weeks/2024', '/']) {
      await page.goto(p);
      const scripts = await page
        .locator('head script[src^="/i18n/"]')
        .evaluateAll((els) => els.map((el) => (el as HTMLScriptElement).defer));
      expect(scripts.length).toBeGreaterThan(0);
      expect(scripts.every(Boolean)).toBe(true);
      await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
      // React reports a text mismatch (hydrating before the words arrived) as a recoverable error: #418/#423/#425.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
      expect(errors.filter((e) => /Minified React error|hydrat/i.test(e))).toEqual([]);
      expect(await page.locator('main').innerText()).not.toMatch(/\b(?:common|weeks|library|oer|outreach)\.[a-z]+[A-Za-z.]*\b/);
    }
    // Hydrated: the menu navigates without a full page load.
    await page.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true));
    await page.getByRole('navigation').getByRole('link', { name: 'Thư viện số' }).first().click();
    await page.getByRole('heading', { level: 1, name: /Thư viện số/ }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true);
    await ctx.close();
  });

  it('an error page still renders translated, with and without JavaScript (the patched browser build keeps the root ErrorBoundary)', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const ctx = await newContext(browser, { javaScriptEnabled });
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const res = await page.goto('/khong-co-trang-nay');
      expect(res?.status()).toBe(404);
      if (javaScriptEnabled)
        await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Không tìm thấy trang');
      expect(errors).toEqual([]);
      // A client-side navigation from the error page works too (with JavaScript), a plain link without.
      await page.getByRole('link', { name: 'Về trang chủ' }).first().click();
      await page.waitForURL((u) => u.pathname === '/');
      await ctx.close();
    }
  });
});
