import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { newAccount } from './new-account';
import { type Browser, expectNoA11yViolations, launchBrowser, newContext, signIn, uniqueEmail } from './setup/browser';

const PASSWORD = 'docsach2024';

describe('classroom bookshelves in the browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('a student joins class 7A1 with its code (no JavaScript) and sees its books; the teacher sees what the student reads', async () => {
    const student = `Học sinh ${Date.now().toString(36)}`;
    const s = await newContext(browser, { javaScriptEnabled: false });
    const page = await s.newPage();
    // A new account (by the domain: the sign-up form is tested in foundation-accounts), straight to the shelves.
    await newAccount(page, { name: student, email: uniqueEmail('hs'), password: PASSWORD, redirectTo: '/bookshelves' });
    // A wrong code is refused with a message and the typed code kept.
    await page.fill('input[name="code"]', 'SAIMA9');
    await page.getByRole('button', { name: 'Vào tủ sách' }).click();
    await page.getByText('Mã không đúng').waitFor();
    expect(await page.inputValue('input[name="code"]')).toBe('SAIMA9');
    // Codes are read off the board: lower case and spaces are fine.
    await page.fill('input[name="code"]', 'lop 7a1');
    await page.getByRole('button', { name: 'Vào tủ sách' }).click();
    await page.getByText('Bạn đã vào tủ sách.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Tủ sách lớp 7A1' }).waitFor();
    const books = await page.locator('[data-testid="shelf-titles"]').innerText();
    expect(books).toContain('Thánh Gióng');
    expect(books).toContain('Con Rồng cháu Tiên');
    // The student sees neither the code nor the teacher's reading table.
    expect(await page.locator('[data-testid="shelf-reading"]').count()).toBe(0);
    expect(await page.getByText('Học sinh đọc gì').count()).toBe(0);
    // Opening an open-access book of the shelf records it in the student's reading history.
    await page.goto('/library/con-rong-chau-tien/read');
    await page.goto('/bookshelves');
    expect(await page.getByRole('link', { name: 'Tủ sách lớp 7A1' }).count()).toBe(1);
    await s.close();

    const tctx = await newContext(browser);
    const tp = await tctx.newPage();
    await signIn(tp, 'giaovien@demo.hoctap.vn', undefined, '/bookshelves');
    await tp.getByRole('link', { name: 'Tủ sách lớp 7A1' }).first().click();
    await tp.waitForURL(/\/bookshelves\/[^/?]+/, { waitUntil: 'commit' });
    const row = tp.locator('[data-testid="shelf-reading"] tr', { hasText: student });
    await row.waitFor();
    expect(await row.innerText()).toContain('Con Rồng cháu Tiên');
    expect(await tp.locator('[data-testid="join-code"]').innerText()).toBe('LOP7A1');
    await expectNoA11yViolations(tp);
    await tctx.close();
  });

  it('a teacher creates a shelf, adds and removes a title without JavaScript; an outsider gets 403', async () => {
    const tctx = await newContext(browser, { javaScriptEnabled: false });
    const tp = await tctx.newPage();
    await signIn(tp, 'giaovien@demo.hoctap.vn', undefined, '/bookshelves');
    const name = `Tủ sách thử ${Date.now().toString(36)}`;
    await tp.fill('input[name="name"]', name);
    await tp.getByRole('button', { name: 'Lập tủ sách' }).click();
    await tp.getByText('Đã lập tủ sách').waitFor();
    const code = (await tp.locator('[data-testid="join-code"]').innerText()).trim();
    expect(code).toMatch(/^[A-Z2-9]{6}$/);
    const shelfUrl = new URL(tp.url()).pathname;
    await tp.fill('input[name="q"]', 'Tấm Cám');
    await tp.getByRole('button', { name: 'Tìm sách' }).click();
    await tp.getByRole('button', { name: 'Thêm: Tấm Cám' }).click();
    await tp.getByText('Đã thêm sách vào tủ.').waitFor();
    expect(await tp.locator('[data-testid="shelf-titles"]').innerText()).toContain('Tấm Cám');
    await tp.getByRole('button', { name: 'Bỏ khỏi tủ: Tấm Cám' }).click();
    await tp.getByText('Đã bỏ sách khỏi tủ.').waitFor();
    expect(await tp.locator('[data-testid="shelf-titles"]').innerText()).not.toContain('Tấm Cám');

    // Someone who has not joined cannot open the shelf, nor change its books: a new account (by the
    // domain, as above), signed in by cookie in place of the teacher.
    await newAccount(tp, { name: 'Người ngoài', email: uniqueEmail('ngoai'), password: PASSWORD });
    const res = await tp.goto(shelfUrl);
    expect(res?.status()).toBe(403);
    const post = await tp.request.post(shelfUrl, { form: { intent: 'add', titleId: 'x' }, headers: { Origin: new URL(tp.url()).origin } });
    expect(post.status()).toBe(403);
    await tctx.close();
  });
});
