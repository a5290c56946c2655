/** axe-core (WCAG 2 A and AA) on the foundation's main pages, in Vietnamese and English. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, expectNoA11yViolations, launchBrowser, newContext, signIn } from './setup/browser';

const PAGES = ['/', '/weeks', '/weeks/2024', '/weeks/2024/plans/bien-giang', '/login', '/signup', '/units'];

describe('foundation: no WCAG 2 A/AA violations found by axe-core', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const locale of ['vi-VN', 'en-US']) {
    for (const path of PAGES) {
      it(`${path} (${locale})`, async () => {
        const ctx = await newContext(browser, { locale });
        const page = await ctx.newPage();
        expect((await page.goto(path))?.status()).toBe(200);
        expect(await page.locator('html').getAttribute('lang')).toBe(locale.slice(0, 2));
        await expectNoA11yViolations(page);
        await ctx.close();
      });
    }
  }

  it('the sign-in page with an error shown', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto('/login');
    await page.locator('main form button[type="submit"]').click();
    await page.locator('.field-error').first().waitFor();
    await expectNoA11yViolations(page);
    await ctx.close();
  });

  it("the organiser's plan editor", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, 'bantochuc.biengiang@demo.hoctap.vn', undefined, '/weeks/2024/plans/bien-giang/edit');
    await expectNoA11yViolations(page);
    await page.goto('/organise');
    await expectNoA11yViolations(page);
    await ctx.close();
  });
});
