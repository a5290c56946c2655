import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, expectNoA11yViolations, launchBrowser, newContext, signIn, url } from './setup/browser';

describe('rotation and loan-period pages in the browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('the catalogue links open: a librarian sees the incoming demo rotation, requests one, and the lender sees it to accept', async () => {
    const ctx = await newContext(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, 'thuthu@demo.hoctap.vn');
    await page.goto('/library');
    await page.getByRole('link', { name: 'Luân chuyển sách' }).click();
    await page.getByRole('heading', { level: 1, name: 'Luân chuyển sách' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('An toàn trên Internet');
    // A new request: one copy of a Hà Nội Library title for the school library.
    await page.fill('input[name="q"]', 'Tấm');
    await page.getByRole('button', { name: 'Tìm sách' }).click();
    const option = await page.locator('select[name="holdingId"] option', { hasText: 'Tấm Cám' }).first().getAttribute('value');
    expect(option).toBeTruthy();
    await page.selectOption('select[name="holdingId"]', option!);
    const to = await page.locator('select[name="toLibraryId"] option', { hasText: /THCS/ }).first().getAttribute('value');
    await page.selectOption('select[name="toLibraryId"]', to!);
    await page.fill('input[name="startsOn"]', '2031-10-01');
    await page.fill('input[name="endsOn"]', '2031-09-01');
    await page.getByRole('button', { name: 'Gửi đề nghị' }).click();
    // The end before the start is refused, the typed values kept.
    await page.getByText('Ngày kết thúc phải sau ngày bắt đầu.').waitFor();
    expect(await page.inputValue('input[name="startsOn"]')).toBe('2031-10-01');
    await page.fill('input[name="endsOn"]', '2031-10-20');
    await page.getByRole('button', { name: 'Gửi đề nghị' }).click();
    await page.getByText('Đã gửi đề nghị luân chuyển.').waitFor();
    await page.getByRole('link', { name: 'Thời hạn mượn của thư viện' }).click();
    await page.getByRole('heading', { level: 1, name: 'Thời hạn mượn của thư viện' }).waitFor();
    // The document streams in: the heading can be there before the forms below it are parsed.
    await page.waitForLoadState('load');
    expect(await page.locator('input[name="loanDays"]').count()).toBe(2);
    await ctx.close();

    const lender = await newContext(browser, { javaScriptEnabled: false });
    const lp = await lender.newPage();
    lp.setDefaultTimeout(15_000);
    await signIn(lp, 'thuthu.hanoi@demo.hoctap.vn');
    await lp.goto('/library/rotations');
    const row = lp.locator('tr', { hasText: 'Tấm Cám' }).filter({ hasText: '01/10/2031' });
    await row.getByRole('button', { name: /^Đồng ý/ }).click();
    await lp.getByText('Đã cập nhật.').waitFor();
    expect(await lp.locator('tr', { hasText: 'Tấm Cám' }).filter({ hasText: '01/10/2031' }).innerText()).toContain('Đã đồng ý');
    await lender.close();
  });

  it('organisers see the rotations of their ward read-only; a reader is refused', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, 'bantochuc.biengiang@demo.hoctap.vn');
    await page.goto('/library/rotations');
    await page.getByRole('heading', { level: 2, name: /Luân chuyển trong địa bàn/ }).waitFor();
    expect(await page.locator('main').innerText()).toContain('An toàn trên Internet');
    expect(await page.getByRole('button', { name: /Đồng ý|Từ chối|Hủy đề nghị/ }).count()).toBe(0);
    await expectNoA11yViolations(page);
    await ctx.close();
    expect((await fetch(url('/library/settings'), { redirect: 'manual' })).status).toBe(302);
    const reader = await newContext(browser);
    const rp = await reader.newPage();
    await signIn(rp, 'nguoidan@demo.hoctap.vn');
    expect((await rp.goto('/library/rotations'))?.status()).toBe(403);
    expect((await rp.goto('/library/settings'))?.status()).toBe(403);
    await reader.close();
  });
});
