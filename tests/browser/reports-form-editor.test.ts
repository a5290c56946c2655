/**
 * The report form editor as an organiser uses it, then the form in a unit's hands: Hà Đông's
 * district organiser starts a blank 2024 form, moves its dates, adds three fields, moves one up,
 * removes one (every edit a new version); Biên Giang ward fills the new form in its order, attaches
 * the signed minutes (a text file posing as a PDF is refused next to the field), and submits.
 * Axe on each page and no horizontal overflow at 360 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, expectNoA11yViolations, launchBrowser, type Page } from './setup/browser';
import { signedInPage } from './setup/signed-in';

const WARD = 'bantochuc.biengiang@demo.hoctap.vn';
const DISTRICT = 'bantochuc.hadong@demo.hoctap.vn';
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

async function flash(page: Page, text: string) {
  await page.locator('.flash-region').getByText(text).waitFor();
}
/** How far the page is wider than the screen (0: no horizontal scrolling). */
function overflow(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
const codes = (page: Page) => page.locator('.editor-indicator').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));

describe('reports: the form editor, then a unit fills the new form', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('adds, reorders and removes fields version by version; the ward fills the published form with an attachment', async () => {
    const slug = `bc-thu-${Date.now().toString(36)}`;
    const { ctx, page } = await signedInPage(browser, { email: DISTRICT }, { path: '/weeks/2024/reports/new', ...PHONE });
    await expectNoA11yViolations(page);
    const owner = await page
      .locator('#nf-owner option')
      .evaluateAll((os) => (os as HTMLOptionElement[]).find((o) => o.textContent?.includes('Hà Đông'))?.value ?? '');
    expect(owner).not.toBe('');
    await page.locator('#nf-owner').selectOption(owner);
    await page.getByLabel('Tên (tiếng Việt)').fill('Báo cáo câu lạc bộ đọc sách');
    await page.getByLabel('Tên (tiếng Anh)').fill('Reading clubs report');
    await page.getByLabel('Đường dẫn (chữ thường, số, gạch ngang)').fill(slug);
    await page.getByRole('button', { name: 'Tạo mẫu báo cáo' }).click();
    await flash(page, 'Đã tạo mẫu báo cáo.');
    expect(new URL(page.url()).pathname).toBe(`/weeks/2024/reports/${slug}/edit`);
    await expect(page.getByTestId('form-version').textContent()).resolves.toBe('Phiên bản 1');

    // Dates the ward can still report by (the 2024 defaults are past).
    const settings = page.locator('section[aria-labelledby="settings"]');
    await settings.getByLabel('Hạn nộp (dd/MM/yyyy)').fill('30/11/2099');
    await settings.getByLabel('Ngày khóa sổ (dd/MM/yyyy)').fill('31/12/2099');
    await settings.getByRole('button', { name: 'Lưu thông tin chung' }).click();
    await flash(page, 'Đã lưu — mẫu báo cáo nay là phiên bản mới.');
    await expect(page.getByTestId('form-version').textContent()).resolves.toBe('Phiên bản 2');

    // Three fields, each a new version.
    for (const [code, label] of [
      ['so_buoi', 'Số buổi sinh hoạt'],
      ['nguoi_doc', 'Số người đọc sách'],
      ['tam_bo', 'Chỉ tiêu tạm bỏ'],
    ] as const) {
      const adder = page.locator('details.editor-new').first();
      await adder.evaluate((d) => ((d as HTMLDetailsElement).open = true)); // stays open after a post with JavaScript
      await adder.getByLabel('Mã (chữ thường, số, dấu _)').fill(code);
      await adder.getByLabel('Nhãn (tiếng Việt)').fill(label);
      await adder.getByLabel('Nhãn (tiếng Anh)').fill(code);
      await adder.getByRole('button', { name: 'Thêm chỉ tiêu vào phần này' }).click();
      await page.locator(`.editor-indicator[data-code="${code}"]`).waitFor();
    }
    expect(await codes(page)).toEqual(['so_buoi', 'nguoi_doc', 'tam_bo']);
    // A bad code is told next to its field, what was typed kept.
    const adder = page.locator('details.editor-new').first();
    await adder.evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await adder.getByLabel('Mã (chữ thường, số, dấu _)').fill('Sai Mã');
    await adder.getByLabel('Nhãn (tiếng Việt)').fill('Thử');
    await adder.getByLabel('Nhãn (tiếng Anh)').fill('Try');
    await adder.getByRole('button', { name: 'Thêm chỉ tiêu vào phần này' }).click();
    await page.locator('details.editor-new .field.has-error .field-error').first().waitFor();
    await expect(page.locator('details.editor-new').first().getByLabel('Mã (chữ thường, số, dấu _)').inputValue()).resolves.toBe('Sai Mã');

    await page.getByRole('button', { name: 'Chuyển lên: Số người đọc sách' }).click();
    await page.waitForFunction(() => document.querySelector('.editor-indicator')?.getAttribute('data-code') === 'nguoi_doc');
    await page.getByRole('button', { name: 'Xóa chỉ tiêu: Chỉ tiêu tạm bỏ' }).click();
    await page.locator('.editor-indicator[data-code="tam_bo"]').waitFor({ state: 'detached' });
    expect(await codes(page)).toEqual(['nguoi_doc', 'so_buoi']);
    await expect(page.getByTestId('form-version').textContent()).resolves.toBe('Phiên bản 7');
    await expectNoA11yViolations(page);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await ctx.close();

    // The ward fills the form as published: its fields in the new order.
    const report = `/weeks/2024/reports/${slug}/bien-giang`;
    const w = await signedInPage(browser, { email: WARD }, { path: report, ...PHONE });
    const ward = w.page;
    await expect(ward.locator('.report-form input[id^="v-"]').evaluateAll((els) => els.map((e) => e.id))).resolves.toEqual([
      'v-nguoi_doc',
      'v-so_buoi',
    ]);
    await expect(ward.getByTestId('report-status').textContent()).resolves.toBe('Chưa lập');

    // A text file named .pdf: refused, the message next to the file field.
    await ward
      .locator('#attachment-file')
      .setInputFiles({ name: 'bien-ban.pdf', mimeType: 'application/pdf', buffer: Buffer.from('không phải PDF\n'.repeat(30)) });
    await ward.getByRole('button', { name: 'Tải tệp lên' }).click();
    await expect(ward.locator('#attachment-file-error').textContent()).resolves.toContain('không phải PDF, ảnh');
    await expectNoA11yViolations(ward);
    // The signed minutes, a real PDF.
    await ward.locator('#attachment-file').setInputFiles({
      name: 'Biên bản có chữ ký.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
    });
    await ward.getByRole('button', { name: 'Tải tệp lên' }).click();
    await flash(ward, 'Đã đính kèm tệp Biên bản có chữ ký.pdf.');
    await expect(ward.getByTestId('attachments').getByRole('link').textContent()).resolves.toBe('Biên bản có chữ ký.pdf');

    await ward.locator('#v-nguoi_doc').fill('85');
    await ward.locator('#v-so_buoi').fill('6');
    await ward.getByRole('button', { name: 'Nộp báo cáo' }).click();
    await flash(ward, 'Đã nộp báo cáo.');
    await expect(ward.getByTestId('report-status').textContent()).resolves.toBe('Đã nộp, chờ duyệt');
    // Submitted: the file stays listed, no longer removable.
    await expect(ward.getByTestId('attachments').getByRole('button').count()).resolves.toBe(0);
    await expectNoA11yViolations(ward);
    expect(await overflow(ward)).toBeLessThanOrEqual(0);
    await w.ctx.close();
  });
});
