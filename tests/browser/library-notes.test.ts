import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, launchBrowser, newContext, signUp, uniqueEmail } from './setup/browser';

const PASSWORD = 'docsach2024';

describe('reader highlights and notes in the browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('highlights a passage with a note in the reader and finds it on /library/notes', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    await signUp(page, { name: 'Bạn đọc ghi chú', email: uniqueEmail('ghichu'), password: PASSWORD });
    await page.goto('/library/truyen-kieu-trich/read');
    await page.waitForSelector('.lib-reader-view[data-status="ready"]');
    const frame =
      page.frames().find((f) => f !== page.mainFrame() && f.url() !== 'about:blank') ?? page.frames().find((f) => f !== page.mainFrame())!;
    // Select the first line of text inside the book, as a reader would with the mouse.
    const selected = await frame.evaluate(() => {
      const el = [...document.querySelectorAll('p, h1, h2')].find((x) => (x.textContent ?? '').trim().length > 10)!;
      const range = document.createRange();
      range.selectNodeContents(el);
      const sel = document.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
      return sel.toString().trim();
    });
    expect(selected.length).toBeGreaterThan(10);
    await page.locator('#hl-note').waitFor();
    await page.fill('#hl-note', 'Câu mở đầu rất hay, đọc cho cháu nghe');
    await page.getByRole('button', { name: 'Tô sáng', exact: true }).click();
    await page.getByRole('button', { name: 'Tùy chọn' }).click();
    await page.getByRole('heading', { name: 'Đánh dấu và ghi chú' }).waitFor();
    await page.goto('/library/notes');
    const item = page.locator('main li[data-kind="highlight"]');
    await item.first().waitFor();
    expect(await item.count()).toBe(1);
    expect(await item.locator('input[name="note"]').inputValue()).toBe('Câu mở đầu rất hay, đọc cho cháu nghe');
    expect(await item.locator('blockquote').innerText()).toContain(selected.slice(0, 20));
    expect(await page.locator('main h2').innerText()).toContain('Truyện Kiều');
    await ctx.close();
  });
});
