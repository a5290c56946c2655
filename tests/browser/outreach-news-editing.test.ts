/**
 * Issue #16, news of a unit's Week edited over its life in Chromium on the built site (JavaScript
 * off, real form posts): Biên Giang's organiser writes a draft, schedules it for later, publishes it
 * at once and edits its title; at each step a citizen sees on the unit's news page and in its Atom
 * feed only what is public. axe and a 360 px width check on every page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { baseUrl, type Browser, expectNoA11yViolations, launchBrowser, type Page } from './setup/browser';
import { signedInPage } from './setup/signed-in';

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const NEWS = '/weeks/2024/plans/bien-giang/news';
const TAG = Date.now().toString(36).toUpperCase();
const TITLE = `Ngày hội đọc sách ở nhà văn hoá ${TAG}`;
const EDITED = `Ngày hội đọc sách đã thu hút 300 người ${TAG}`;

async function narrowOk(page: Page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(over, `${page.url()} is wider than 360 px`).toBeLessThanOrEqual(0);
}

async function submitAndWait(page: Page, click: () => Promise<unknown>, flash: string) {
  await click();
  await page.locator('.flash-region', { hasText: flash }).waitFor({ timeout: 60_000 });
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
    { timeout: 300_000 },
    async () => {
      const org = await signedInPage(browser, 'organiser', { path: NEWS, javaScriptEnabled: false, ...PHONE });
      const citizen = await signedInPage(browser, 'citizen', PHONE);
      const page = org.page;
      const seen = async () => {
        await citizen.page.goto('/units/bien-giang/news');
        await citizen.page.locator('h1').waitFor();
        const onPage = await citizen.page.locator('main').innerText();
        const feed = await (await fetch(`${baseUrl()}/units/bien-giang/news.atom`)).text();
        return { onPage, feed };
      };
      const itemOf = (title: string) => page.locator('li, article').filter({ hasText: title }).last();

      await page.locator('input[name="title"]').waitFor();
      await expectNoA11yViolations(page);
      await narrowOk(page);

      // A draft.
      await page.locator('input[name="title"]').fill(TITLE);
      await page.locator('textarea[name="body"]').fill('Hơn **300** người dân đến đọc sách cùng các cháu thiếu nhi.');
      await page.locator('input[name="publish"][value="draft"]').check();
      await submitAndWait(
        page,
        () => page.locator('form:has(input[name="intent"][value="post"]) button[type="submit"]').click(),
        'Đã lưu bản nháp tin.',
      );
      expect(await itemOf(TITLE).innerText()).toContain('Bản nháp');
      let s = await seen();
      expect(s.onPage).not.toContain(TITLE);
      expect(s.feed).not.toContain(TAG);

      // Scheduled for a later day: still not public.
      await Promise.all([page.waitForURL(/\/news\/[^/]+$/), itemOf(TITLE).getByRole('link', { name: /Sửa/ }).click()]);
      await page.locator('input[name="title"]').waitFor();
      await expectNoA11yViolations(page);
      await narrowOk(page);
      await page.locator('input[name="publish"][value="schedule"]').check();
      await page.locator('input[name="publishDay"]').fill('31/12/2030');
      await page.locator('input[name="publishTime"]').fill('08:00');
      await submitAndWait(
        page,
        () => page.locator('form:has(input[name="intent"][value="update"]) button[type="submit"]').click(),
        'Đã lưu tin.',
      );
      await page.goto(NEWS);
      expect(await itemOf(TITLE).innerText()).toContain('Đã hẹn giờ');
      expect(await itemOf(TITLE).innerText()).toContain('31/12/2030');
      s = await seen();
      expect(s.onPage).not.toContain(TITLE);
      expect(s.feed).not.toContain(TAG);

      // Published at once: on the unit page and in the feed.
      await submitAndWait(page, () => itemOf(TITLE).locator('button[name="intent"][value="publish"]').click(), 'Đã đăng tin.');
      expect(await itemOf(TITLE).innerText()).toContain('Đã đăng');
      s = await seen();
      expect(s.onPage).toContain(TITLE);
      expect(s.feed).toContain(TITLE);
      await expectNoA11yViolations(citizen.page);
      await narrowOk(citizen.page);

      // Edited: the new title replaces the old one everywhere.
      await Promise.all([page.waitForURL(/\/news\/[^/]+$/), itemOf(TITLE).getByRole('link', { name: /Sửa/ }).click()]);
      await page.locator('input[name="title"]').fill(EDITED);
      await page.locator('input[name="publish"][value="now"]').check();
      await submitAndWait(
        page,
        () => page.locator('form:has(input[name="intent"][value="update"]) button[type="submit"]').click(),
        'Đã lưu tin.',
      );
      s = await seen();
      expect(s.onPage).toContain(EDITED);
      expect(s.onPage).not.toContain(TITLE);
      expect(s.feed).toContain(EDITED);
      expect(s.feed).not.toContain(TITLE);
      expect(s.onPage).toContain('Hơn 300 người dân');
      await org.ctx.close();
      await citizen.ctx.close();
    },
  );
});
