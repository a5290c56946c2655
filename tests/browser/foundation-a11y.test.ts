/** axe-core (WCAG 2 A and AA) on the foundation's main pages, in Vietnamese and English. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  type Browser,
  type BrowserContext,
  expectNoA11yViolations,
  launchBrowser,
  newContext,
  NO_SERVICE_WORKER,
  type Page,
  signIn,
} from './setup/browser';

const PAGES = ['/', '/weeks', '/weeks/2024', '/weeks/2024/plans/bien-giang', '/login', '/signup', '/units'];

describe('foundation: no WCAG 2 A/AA violations found by axe-core', () => {
  let browser: Browser;
  // One anonymous context and page per locale, shared by that locale's pages: these tests only read
  // (no cookie or storage is written), and each `goto` is a fresh document for axe. No service
  // worker: its install would fetch the ~250 precached files in every context.
  const anonymous = new Map<string, { ctx: BrowserContext; page: Page }>();
  async function anonymousPage(locale: string): Promise<Page> {
    let a = anonymous.get(locale);
    if (!a) {
      const ctx = await newContext(browser, { locale, ...NO_SERVICE_WORKER });
      a = { ctx, page: await ctx.newPage() };
      anonymous.set(locale, a);
    }
    return a.page;
  }
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const a of anonymous.values()) await a.ctx.close();
    await browser?.close();
  });

  for (const locale of ['vi-VN', 'en-US']) {
    for (const path of PAGES) {
      it(`${path} (${locale})`, async () => {
        const page = await anonymousPage(locale);
        expect((await page.goto(path))?.status()).toBe(200);
        expect(await page.locator('html').getAttribute('lang')).toBe(locale.slice(0, 2));
        await expectNoA11yViolations(page);
      });
    }
  }

  it('the sign-in page with an error shown', async () => {
    const page = await anonymousPage('vi-VN');
    await page.goto('/login');
    await page.locator('main form button[type="submit"]').click();
    await page.locator('.field-error').first().waitFor();
    await expectNoA11yViolations(page);
  });

  it("the organiser's plan editor", async () => {
    // The Vietnamese page, signed in by the organiser's session cookie (the cookie cleared after: the
    // page is anonymous for any test that runs after this one).
    const page = await anonymousPage('vi-VN');
    await signIn(page, 'bantochuc.biengiang@demo.hoctap.vn', undefined, '/weeks/2024/plans/bien-giang/edit');
    await expectNoA11yViolations(page);
    await page.goto('/organise');
    await expectNoA11yViolations(page);
    await page.context().clearCookies();
  });
});
