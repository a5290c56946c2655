import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, launchBrowser, newContext } from './setup/browser';

describe('foundation smoke', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('serves the home page in Vietnamese with the site name', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const res = await page.goto('/');
    expect(res?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    await expect(page.locator('header .brand').textContent()).resolves.toMatch(/học tập/i);
    await ctx.close();
  });
});
