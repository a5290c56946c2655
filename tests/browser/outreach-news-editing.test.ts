/**
 * Issue #16, news of a unit's Week edited over its life in Chromium on the built site, on a 360 px
 * phone with JavaScript off (real form posts): Biên Giang's organiser writes a draft, schedules it
 * for later, publishes it at once and edits its title; at each step a citizen sees on the unit's
 * news page and in its Atom feed only what is public. axe and a 360 px width check on every page.
 *
 * axe runs its checks as a script in the page, so it never finishes in a context with JavaScript
 * off (the test used to hang there until its timeout): the organiser's pages are audited in a
 * second, JavaScript-on context at the same addresses and states (the house pattern of
 * honours.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { switchUser } from './new-account';
import { type Browser, type BrowserContext, expectNoA11yViolations, launchBrowser, type Page, url } from './setup/browser';
import { DEMO_BY_ROLE, signedInPage } from './setup/signed-in';

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const NEWS = '/weeks/2024/plans/bien-giang/news';
const TAG = Date.now().toString(36).toUpperCase();
const TITLE = `Ngày hội đọc sách ở nhà văn hoá ${TAG}`;
const EDITED = `Ngày hội đọc sách đã thu hút 300 người ${TAG}`;

/** How far the page is wider than the screen (0: no horizontal scrolling). */
function overflow(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

async function flash(page: Page, text: string) {
  await page.locator('.flash-region').getByText(text).waitFor();
}

describe('outreach: a unit news item from draft to published and edited', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(
    'draft → scheduled → published → edited; the citizen sees it only once public, on the unit page and in the feed',
    { timeout: 240_000 },
    async () => {
      const contexts: BrowserContext[] = [];
      const org = await signedInPage(browser, 'organiser', { path: NEWS, javaScriptEnabled: false, ...PHONE });
      // The same organiser with JavaScript on, for axe (see the header); at the end it audits the
      // citizen's page too. The citizen reads with JavaScript off: plain text checks.
      const audit = await signedInPage(browser, 'organiser', PHONE);
      const citizen = await signedInPage(browser, 'citizen', { javaScriptEnabled: false, ...PHONE });
      contexts.push(org.ctx, audit.ctx, citizen.ctx);
      try {
        const page = org.page;
        const itemOf = (p: Page, title: string) => p.locator('ul.news-list > li').filter({ hasText: title });
        /** axe and the width check on what the organiser sees at `path` (the page's current state). */
        const audited = async (path: string, ready: string) => {
          await audit.page.goto(path);
          await audit.page.locator(ready).first().waitFor();
          await expectNoA11yViolations(audit.page);
          expect(await overflow(audit.page), `${path} is wider than 360 px`).toBeLessThanOrEqual(0);
        };
        /** What a citizen sees: the unit's public news page and its Atom feed. */
        const seen = async () => {
          await citizen.page.goto('/units/bien-giang/news');
          await citizen.page.locator('main h1').waitFor();
          const onPage = await citizen.page.locator('main').innerText();
          const res = await fetch(url('/units/bien-giang/news.atom'));
          expect(res.status).toBe(200);
          return { onPage, feed: await res.text() };
        };

        await page.locator('input[name="title"]').waitFor();
        expect(await overflow(page), 'the news page is wider than 360 px').toBeLessThanOrEqual(0);

        // A draft: listed for the organiser as a draft, invisible to the citizen.
        await page.locator('input[name="title"]').fill(TITLE);
        await page.locator('textarea[name="body"]').fill('Hơn **300** người dân đến đọc sách cùng các cháu thiếu nhi.');
        await page.locator('input[name="publish"][value="draft"]').check();
        await page.getByRole('button', { name: 'Đăng tin', exact: true }).click();
        await flash(page, 'Đã lưu bản nháp tin.');
        expect(await itemOf(page, TITLE).innerText()).toContain('Bản nháp');
        // axe on the news page runs once, below, with the item published.
        let s = await seen();
        expect(s.onPage).not.toContain(TITLE);
        expect(s.feed).not.toContain(TAG);

        // Scheduled for a later day: still not public.
        await itemOf(page, TITLE).getByRole('link', { name: /^Sửa/ }).click();
        await page.locator('h1', { hasText: TITLE }).waitFor();
        const editPath = new URL(page.url()).pathname;
        expect(editPath).toMatch(/^\/weeks\/2024\/plans\/bien-giang\/news\/[^/]+$/);
        expect(await overflow(page), `${editPath} is wider than 360 px`).toBeLessThanOrEqual(0);
        await audited(editPath, 'input[name="title"]');
        await page.locator('input[name="publish"][value="schedule"]').check();
        await page.locator('input[name="publishDay"]').fill('31/12/2030');
        await page.locator('input[name="publishTime"]').fill('08:00');
        await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
        await flash(page, 'Đã lưu tin.');
        expect(new URL(page.url()).pathname).toBe(NEWS);
        expect(await itemOf(page, TITLE).innerText()).toContain('Đã hẹn giờ đăng lúc 31/12/2030 08:00');
        s = await seen();
        expect(s.onPage).not.toContain(TITLE);
        expect(s.feed).not.toContain(TAG);

        // Published at once: on the unit page and in the feed.
        await itemOf(page, TITLE)
          .getByRole('button', { name: /^Đăng ngay/ })
          .click();
        await flash(page, 'Đã đăng tin.');
        expect(await itemOf(page, TITLE).innerText()).toContain('Đã đăng');
        await audited(NEWS, `#news-h`);
        s = await seen();
        expect(s.onPage).toContain(TITLE);
        expect(s.feed).toContain(TITLE);
        // The citizen's page as the citizen sees it, in the JavaScript-on context (for axe).
        await switchUser(audit.ctx, DEMO_BY_ROLE.citizen);
        await audit.page.goto('/units/bien-giang/news');
        await audit.page.locator('main h1').waitFor();
        expect(await audit.page.locator('main').innerText()).toContain(TITLE);
        await expectNoA11yViolations(audit.page);
        expect(await overflow(audit.page), 'the unit news page is wider than 360 px').toBeLessThanOrEqual(0);

        // Edited: the new title replaces the old one everywhere.
        await itemOf(page, TITLE).getByRole('link', { name: /^Sửa/ }).click();
        await page.locator('input[name="title"]').waitFor();
        expect(await page.locator('input[name="publish"][value="now"]').isChecked()).toBe(true); // it is published
        await page.locator('input[name="title"]').fill(EDITED);
        await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
        await flash(page, 'Đã lưu tin.');
        expect(await itemOf(page, EDITED).innerText()).toContain('Đã đăng');
        expect(await itemOf(page, TITLE).count()).toBe(0);
        s = await seen();
        expect(s.onPage).toContain(EDITED);
        expect(s.onPage).not.toContain(TITLE);
        expect(s.onPage).toContain('Hơn 300 người dân');
        expect(s.feed).toContain(EDITED);
        expect(s.feed).not.toContain(TITLE);
      } finally {
        for (const c of contexts) await c.close();
      }
    },
  );
});
