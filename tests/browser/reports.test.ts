/**
 * The Week report up the chain, as organisers use it: Biên Giang's ward organiser submits the 2024
 * report (pre-filled figures shown, two corrected), Hà Đông district returns it with a comment, the
 * ward resubmits, the district accepts and sees 100 %; the district's XLSX downloads and is read
 * back with exceljs; the printed report (Chromium PDF, A4) carries the national motto and lists
 * the ward's attached minutes under "Tài liệu kèm theo"; axe on every page.
 */
import fs from 'node:fs';

import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readPdf } from './courses-pdf-text';
import { type Browser, expectNoA11yViolations, launchBrowser, newContext, type Page, signIn } from './setup/browser';

const WARD = 'bantochuc.biengiang@demo.hoctap.vn';
const DISTRICT = 'bantochuc.hadong@demo.hoctap.vn';
const REPORT = '/weeks/2024/reports/ket-qua-tuan-le/bien-giang';
const DISTRICT_REPORT = '/weeks/2024/reports/ket-qua-tuan-le/ha-dong';

async function flash(page: Page, text: string) {
  await page.locator('.flash-region').getByText(text).waitFor();
}

describe('reports: the 2024 Week report up the chain', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('ward submits (pre-filled, two corrected), district returns, ward resubmits, district accepts: 100 %, XLSX and printed A4', async () => {
    const wardCtx = await newContext(browser);
    const ward = await wardCtx.newPage();
    await signIn(ward, WARD, undefined, '/weeks/2024/reports');
    await expectNoA11yViolations(ward);
    await ward.locator('main').getByRole('link', { name: 'Phường Biên Giang', exact: true }).first().click();
    await ward.waitForURL((u) => u.pathname === REPORT);
    await expect(ward.getByTestId('report-status').textContent()).resolves.toBe('Chưa lập');

    // Pre-filled from the platform: the 2024 plan's activities (the hint and the starting value agree).
    const total = ward.locator('#v-activities_total');
    const platformTotal = await total.inputValue();
    expect(Number(platformTotal)).toBeGreaterThan(0);
    await expect(ward.locator('#v-activities_total-hint').textContent()).resolves.toContain(`Số liệu nền tảng: ${platformTotal}`);
    const talks = await ward.locator('#v-activities_talk').inputValue();
    await expectNoA11yViolations(ward);

    // The minutes of the opening, attached (before the figures: the upload reloads the page).
    await ward.locator('#attachment-file').setInputFiles({
      name: 'Biên bản khai mạc.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
    });
    await ward.getByRole('button', { name: 'Tải tệp lên' }).click();
    await flash(ward, 'Đã đính kèm tệp Biên bản khai mạc.pdf.');

    // Two corrections of pre-filled figures, and the figures only the ward knows.
    await ward.locator('#v-activities_talk').fill(String(Number(talks) + 2));
    await ward.locator('#v-books_lent').fill('120');
    for (const [code, v] of [
      ['participants_total', '520'],
      ['participants_students', '300'],
      ['participants_teachers', '45'],
      ['participants_citizens', '175'],
      ['exemplary_learners', '4'],
      ['budget_vnd', '12.500.000'],
    ] as const)
      await ward.locator(`#v-${code}`).fill(v);
    await ward.locator('#v-highlights').fill('Lễ khai mạc tại Trường THCS Biên Giang; ngày hội đọc sách.');
    await ward.getByRole('button', { name: 'Nộp báo cáo' }).click();
    await flash(ward, 'Đã nộp báo cáo.');
    await expect(ward.getByTestId('report-status').textContent()).resolves.toBe('Đã nộp, chờ duyệt');

    // Hà Đông district returns it with a comment.
    const districtCtx = await newContext(browser);
    const district = await districtCtx.newPage();
    await signIn(district, DISTRICT, undefined, REPORT);
    await expectNoA11yViolations(district);
    await district.getByLabel('Nhận xét (bắt buộc khi trả lại)').fill('Bổ sung số người cao tuổi tham gia.');
    await district.getByRole('button', { name: 'Trả lại' }).click();
    await flash(district, 'Đã trả lại báo cáo kèm nhận xét.');

    // The ward sees the comment, its corrected figures kept, and resubmits.
    await ward.goto(REPORT);
    await ward.getByText('Nhận xét của cấp trên: Bổ sung số người cao tuổi tham gia.').waitFor();
    await expect(ward.locator('#v-books_lent').inputValue()).resolves.toBe('120');
    await expect(ward.locator('#v-books_lent-hint').textContent()).resolves.toContain('đã sửa');
    await ward.locator('#v-participants_citizens').fill('195');
    await ward.locator('#v-participants_total').fill('540');
    await ward.getByRole('button', { name: 'Nộp báo cáo' }).click();
    await flash(ward, 'Đã nộp báo cáo.');

    // The district accepts; its own page shows 100 % of its wards accepted.
    await district.goto(REPORT);
    await district.getByRole('button', { name: 'Duyệt', exact: true }).click();
    await flash(district, 'Đã duyệt báo cáo.');
    await district.goto(DISTRICT_REPORT);
    await expect(district.getByTestId('rates').textContent()).resolves.toContain('Đã duyệt: 2/2 (100 %)');
    await expectNoA11yViolations(district);

    // The consolidated XLSX: one sheet per section, the wards as rows and a totals row.
    const [download] = await Promise.all([
      district.waitForEvent('download'),
      district.getByRole('link', { name: 'Tải Excel (XLSX)' }).click(),
    ]);
    const file = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
    expect(wb.worksheets).toHaveLength(5);
    const reading = wb.worksheets[2]!;
    const header = reading.getRow(1).values as unknown[];
    const col = header.indexOf('Lượt sách cho mượn');
    const names = [] as string[];
    reading.eachRow((row) => names.push(String(row.getCell(1).value)));
    expect(names).toContain('Phường Biên Giang');
    expect(names).toContain('Phường Vạn Phúc');
    const biengiang = names.indexOf('Phường Biên Giang') + 1;
    expect(reading.getRow(biengiang).getCell(col).value).toBe(120);
    const last = reading.getRow(reading.rowCount);
    expect(last.getCell(1).value).toBe('Tổng cộng');
    expect(last.getCell(col).value).toBe(120 + 90); // Vạn Phúc's seeded 90

    // The printed report: an A4 administrative document with the national motto.
    await ward.goto(`${REPORT}/print`);
    await expectNoA11yViolations(ward);
    await ward.emulateMedia({ media: 'print' });
    const pdf = await ward.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    const { pages, text } = readPdf(pdf);
    const flat = text.normalize('NFKC').replace(/\s+/g, ' ');
    expect(flat).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(flat).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(flat).toContain('/BC-UBND'); // "Số: …" (NFKC turns the ellipsis into three dots)
    expect(flat).toContain('Nơi nhận:');
    // Its enclosures: the attached minutes, with their kind and size.
    await expect(ward.getByTestId('enclosures').textContent()).resolves.toBe('Biên bản khai mạc.pdf (tệp PDF, 1 KB)');
    expect(flat).toContain('Tài liệu kèm theo:');
    expect(flat).toContain('Biên bản khai mạc.pdf (tệp PDF, 1 KB)');
    expect(flat).not.toContain('Đăng xuất'); // no site chrome on paper
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(3);
    await wardCtx.close();
    await districtCtx.close();
  }, 300_000);
});
