import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { newAccount, switchUser } from './new-account';
import { type Browser, launchBrowser, newContext, type Page, uniqueEmail, url } from './setup/browser';

const PASSWORD = 'docsach2024';

/**
 * A new reader's account, signed in, at `at`: made by the domain call the sign-up form makes (the
 * form itself is tested in foundation-accounts.test.ts).
 */
const newReader = (page: Page, email: string, at: string) =>
  newAccount(page, { name: 'Bạn đọc thử', email, password: PASSWORD, redirectTo: at });

describe('library lending in the browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('borrows, reads to chapter 2, resumes there on another device, then returns and loses the file', async () => {
    const email = uniqueEmail('doc');
    const a = await newContext(browser);
    const page = await a.newPage();
    const log: string[] = [];
    page.on('console', (m) => log.push(m.text()));
    page.on('pageerror', (e) => log.push(String(e)));
    await newReader(page, email, '/library/tam-cam');
    await page.getByRole('button', { name: 'Mượn sách' }).first().click();
    await expect(page.getByText('Bạn đã mượn sách')).toBeDefined();
    await page.getByText('Bạn đã mượn sách').waitFor();
    await page.getByRole('link', { name: 'Đọc sách' }).first().click();
    await page.waitForSelector('.lib-reader-view[data-status="ready"]').catch(async (e) => {
      throw new Error(
        `reader not ready at ${page.url()}: ${(await page.locator('main').innerText()).slice(0, 300)} :: ${log.join(' | ')} ${e}`,
      );
    });
    await page.getByRole('button', { name: 'Tùy chọn' }).click();
    await page.selectOption('[data-testid="toc"]', { label: 'Con bống và chiếc hài' });
    await page.waitForSelector('.lib-reader-view[data-chapter="Con bống và chiếc hài"]');
    await page.getByText('đã lưu vị trí').waitFor();

    // Another device: a session of its own (by cookie), straight to the reader.
    const b = await newContext(browser);
    await switchUser(b, email);
    const other = await b.newPage();
    await other.goto('/library/tam-cam/read');
    await other.waitForSelector('.lib-reader-view[data-status="ready"]');
    expect(await other.getAttribute('.lib-reader-view', 'data-chapter')).toBe('Con bống và chiếc hài');
    await b.close();

    await page.goto('/library/tam-cam');
    await page.getByRole('button', { name: 'Trả sách' }).click();
    await page.getByText('Đã trả sách').waitFor();
    const res = await page.request.get(url('/library/tam-cam/file'));
    expect(res.status()).toBe(403);
    await a.close();
  });

  it('borrows, holds and returns with JavaScript off', async () => {
    const email = uniqueEmail('nojs');
    const ctx = await newContext(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    // Thánh Gióng's only copy is on loan in the demo: the reader joins the queue behind two others.
    await newReader(page, email, '/library/thanh-giong');
    await page.getByRole('button', { name: 'Đặt trước' }).click();
    await page.getByText('Đã đặt trước').waitFor();
    await page.goto('/library/shelf');
    expect(await page.locator('[data-hold="thanh-giong"]').textContent()).toContain('Vị trí thứ 3');
    await page.goto('/library/son-tinh-thuy-tinh');
    await page.getByRole('button', { name: 'Mượn sách' }).first().click();
    await page.getByText('Bạn đã mượn sách').waitFor();
    await page.getByRole('button', { name: 'Trả sách' }).click();
    await page.getByText('Đã trả sách').waitFor();
    await ctx.close();
  });

  it('refuses the file of a lent title to someone without a loan', async () => {
    const res = await fetch(url('/library/thanh-giong/file'));
    expect(res.status).toBe(403);
    const open = await fetch(url('/library/truyen-kieu-trich/file'));
    expect(open.status).toBe(200);
    expect(open.headers.get('content-type')).toBe('application/epub+zip');
  });
});
