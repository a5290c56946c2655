/**
 * The notifications page (issue 12) in a real browser: 30 notices a page with older/newer links
 * (keyset), marking one read — without JavaScript, then with it — brings the reader back to the
 * page they were on with the notice in place and the bell one lower; a notice's link opens what it
 * is about (client-side with JavaScript); axe on both pages (with JavaScript: axe runs in the page).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { newId } from '~/lib/ids.server';

import { type Browser, expectNoA11yViolations, launchBrowser, openServerDb, type Page } from './setup/browser';
import { signedInPage } from './setup/signed-in';

const EMAIL = `notices-${Date.now().toString(36)}@test.vn`;
const TOTAL = 35;
// Every third notice (0, 3, 6, …) unread: 12 of 35.
const UNREAD = Array.from({ length: TOTAL }, (_, i) => i).filter((i) => i % 3 === 0).length;

const bell = async (page: Page) => Number((await page.getByTestId('bell-count').textContent()) ?? 0);
const items = (page: Page) => page.locator('ul.notif-list > li');

describe('notifications: pages and marking read', () => {
  let browser: Browser;
  let db: DB;
  beforeAll(async () => {
    db = await openServerDb();
    const userId = newId();
    await db
      .insertInto('users')
      .values({
        id: userId,
        email: EMAIL,
        password_hash: 'x',
        display_name: 'Người Nhận Thông Báo',
        birth_year: null,
        home_unit_id: null,
        locale: 'vi',
        created_at: new Date(Date.UTC(2026, 0, 1)).toISOString(),
      })
      .execute();
    await db
      .insertInto('notif_notifications')
      .values(
        Array.from({ length: TOTAL }, (_, i) => ({
          id: newId(),
          user_id: userId,
          type: 'community.reply',
          params: JSON.stringify({ name: 'Bạn đọc', title: `Chủ đề số ${i}` }),
          url: '/forums',
          place_type: null,
          place_id: null,
          // 10:00 in Vietnam on 01/11/2026, a minute apart.
          created_at: new Date(Date.UTC(2026, 10, 1, 3) + i * 60_000).toISOString(),
          read_at: i % 3 === 0 ? null : new Date(Date.UTC(2026, 10, 2)).toISOString(),
          email: 'none' as const,
          claim: null,
          emailed_at: null,
        })),
      )
      .execute();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await db?.destroy();
  });

  it('without JavaScript: 30 a page, older/newer links, marking one read keeps the reader on their page', async () => {
    const { ctx, page } = await signedInPage(browser, { email: EMAIL }, { path: '/notifications', javaScriptEnabled: false });
    await page.getByRole('heading', { name: 'Thông báo', level: 1 }).waitFor();
    expect(await items(page).count()).toBe(30);
    await expect(items(page).first().innerText()).resolves.toContain('Bạn đọc đã trả lời trong “Chủ đề số 34”');
    await expect(items(page).first().innerText()).resolves.toContain('01/11/2026 10:34');
    expect(await bell(page)).toBe(UNREAD);
    // "Mark all" counts every unread notice (the bell's count), not only this page's.
    await page.getByRole('button', { name: `Đánh dấu đã đọc tất cả (${UNREAD})` }).waitFor();

    await page.getByRole('link', { name: 'Thông báo cũ hơn' }).click();
    await page.waitForURL(/before=/);
    expect(await items(page).count()).toBe(5);
    const secondUrl = page.url();
    // Notice 3 is unread: mark it read from the second page.
    const row = items(page).filter({ hasText: '“Chủ đề số 3”' });
    await row.getByRole('button', { name: 'Đánh dấu đã đọc' }).click();
    await page.locator('.flash-region').getByText('Đã đánh dấu đã đọc.').waitFor();
    expect(page.url()).toBe(secondUrl);
    expect(await items(page).count()).toBe(5);
    expect(await row.getByRole('button', { name: 'Đánh dấu đã đọc' }).count()).toBe(0);
    await expect(row.getAttribute('class')).resolves.not.toContain('unread');
    expect(await bell(page)).toBe(UNREAD - 1);

    await page.getByRole('link', { name: 'Thông báo mới hơn' }).click();
    await page.waitForURL((u) => !u.search.includes('before='));
    expect(await items(page).count()).toBe(30);
    await expect(items(page).first().innerText()).resolves.toContain('“Chủ đề số 34”');
    await ctx.close();
  });

  it('with JavaScript: marking one read stays on the page; a notice’s link opens what it is about without a reload', async () => {
    const { ctx, page } = await signedInPage(browser, { email: EMAIL }, { path: '/notifications' });
    await items(page).nth(29).waitFor();
    // Served from the page's shared render, the list written per visitor without React: the page
    // hydrates without a mismatch (React reports one on the console) and works as before.
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /hydrat|did not match/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    const doc = await page.goto('/notifications');
    expect(doc?.headers()['x-page-cache']).toBe('shell');
    await items(page).nth(29).waitFor();
    await expectNoA11yViolations(page); // axe runs scripts in the page: here, with JavaScript
    await page.getByRole('link', { name: 'Thông báo cũ hơn' }).click();
    await page.waitForURL(/before=/);
    await items(page).nth(4).waitFor();
    await expectNoA11yViolations(page);
    const secondUrl = page.url();
    const before = await bell(page);
    const row = items(page).filter({ hasText: '“Chủ đề số 0”' });
    await row.getByRole('button', { name: 'Đánh dấu đã đọc' }).click();
    await page.locator('.flash-region').getByText('Đã đánh dấu đã đọc.').waitFor();
    await expect.poll(() => bell(page)).toBe(before - 1);
    expect(page.url()).toBe(secondUrl);
    expect(await row.getByRole('button', { name: 'Đánh dấu đã đọc' }).count()).toBe(0);

    // A marker on the window survives a client-side navigation, not a full page load.
    await page.evaluate(() => ((window as unknown as { __notices: number }).__notices = 1));
    await row.getByRole('link').click();
    await page.waitForURL((u) => u.pathname === '/forums');
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __notices?: number }).__notices)).toBe(1);
    expect(problems).toEqual([]);
    await ctx.close();
  });
});
