/**
 * The report form editor with JavaScript on and off: Hà Nội's organiser starts the 2025 form (a
 * copy of the 2024 report with JavaScript, blank without), adds a section, a field of each kind
 * (the numbers with a range), a cross-field rule; a range typed as words is told next to its field
 * with what was typed kept; every edit is a new version; an edit from a second tab showing an older
 * version is refused with a message. Axe on the editor with JavaScript on.
 *
 * Then an old submission seen as it was submitted: Biên Giang ward submits a 2024 form of Hà Đông
 * district, the district returns it, the form changes (a label renamed, a field removed, a field
 * added), the ward submits again; the first submission still shows the old label and the removed
 * field's value, the added field as not asked, the second the new form (without JavaScript; axe and
 * English with it).
 */
import fs from 'node:fs';

import ExcelJS from 'exceljs';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, expectNoA11yViolations, launchBrowser, type Page, type SharedPages, sharedPages } from './setup/browser';

const HANOI = 'bantochuc.hanoi@demo.hoctap.vn';
const DISTRICT = 'bantochuc.hadong@demo.hoctap.vn';
const WARD = 'bantochuc.biengiang@demo.hoctap.vn';

const versionOf = async (page: Page) => Number((await page.getByTestId('form-version').textContent())!.replace(/\D/g, ''));
/** Waits until the editor shows form version `n` (after a post, with or without JavaScript). */
const atVersion = (page: Page, n: number) =>
  page
    .getByTestId('form-version')
    .filter({ hasText: new RegExp(`^Phiên bản ${n}$`) })
    .waitFor();
async function flash(page: Page, text: string) {
  await page.locator('.flash-region').getByText(text).waitFor();
}
/** The editor's panel of the section titled `title`. */
const sectionPanel = (page: Page, title: string) =>
  page.locator('section.report-panel').filter({ has: page.locator('h3', { hasText: title }) });

/** Opens a section's "add a field" form (a native <details>: works without JavaScript). */
async function openAdder(panel: Locator): Promise<Locator> {
  const adder = panel.locator('details.editor-new');
  if (!(await adder.getByRole('button', { name: 'Thêm chỉ tiêu vào phần này' }).isVisible())) await adder.locator('summary').click();
  return adder;
}

interface NewField {
  code: string;
  labelVi: string;
  labelEn: string;
  type: 'count' | 'vnd' | 'text' | 'bool';
  min?: string;
  max?: string;
  required?: boolean;
}
async function fillAdder(panel: Locator, f: NewField) {
  const adder = await openAdder(panel);
  await adder.getByLabel('Mã (chữ thường, số, dấu _)').fill(f.code);
  await adder.getByLabel('Nhãn (tiếng Việt)').fill(f.labelVi);
  await adder.getByLabel('Nhãn (tiếng Anh)').fill(f.labelEn);
  await adder.getByLabel('Kiểu', { exact: true }).selectOption(f.type);
  await adder.getByLabel('Tối thiểu').fill(f.min ?? '');
  await adder.getByLabel('Tối đa').fill(f.max ?? '');
  await adder.getByLabel('Bắt buộc khi nộp').setChecked(f.required ?? false);
  await adder.getByRole('button', { name: 'Thêm chỉ tiêu vào phần này' }).click();
}
async function addField(page: Page, panel: Locator, f: NewField) {
  const v = await versionOf(page);
  await fillAdder(panel, f);
  await atVersion(page, v + 1);
  await page.locator(`.editor-indicator[data-code="${f.code}"]`).waitFor();
}

describe('reports: the form editor with and without JavaScript; old submissions as submitted', () => {
  let browser: Browser;
  // One context with JavaScript and one without, each with one page, shared by the tests: a new
  // context and page cost ~1.5 s here (a renderer started, the site's scripts fetched again). People
  // take turns on them by their session cookies (`as`), the previous one's cookies cleared.
  let pages: SharedPages;
  const as = (email: string, path: string, javaScriptEnabled = true) => pages.as(email, path, javaScriptEnabled);
  beforeAll(async () => {
    browser = await launchBrowser();
    pages = await sharedPages(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const js of [true, false]) {
    it(`JavaScript ${js ? 'on' : 'off'}: creates a form (${js ? 'copied from last year' : 'blank'}), edits it version by version, refuses a stale edit`, async () => {
      const slug = `bc-clb-${js ? 'js' : 'html'}-${Date.now().toString(36)}`;
      // (axe on this new-form page: reports-form-editor.test.ts, the same form for Hà Đông's organiser.)
      const page = await as(HANOI, '/weeks/2025/reports/new', js);
      const ctx = page.context();
      const owner = await page.locator('#nf-owner option').filter({ hasText: 'Hà Nội' }).first().getAttribute('value');
      await page.locator('#nf-owner').selectOption(owner!);
      await page.getByLabel('Tên (tiếng Việt)').fill('Báo cáo Tuần lễ 2025 của Hà Nội');
      await page.getByLabel('Tên (tiếng Anh)').fill('Hà Nội 2025 Week report');
      await page.getByLabel('Đường dẫn (chữ thường, số, gạch ngang)').fill(slug);
      if (js) {
        const copy = await page.locator('#nf-copy option').filter({ hasText: 'năm 2024 (2024)' }).first().getAttribute('value');
        await page.locator('#nf-copy').selectOption(copy!);
      }
      await page.getByRole('button', { name: 'Tạo mẫu báo cáo' }).click();
      await flash(page, 'Đã tạo mẫu báo cáo.');
      expect(new URL(page.url()).pathname).toBe(`/weeks/2025/reports/${slug}/edit`);
      await atVersion(page, 1);
      const settings = page.locator('section[aria-labelledby="settings"]');
      if (js) {
        // The 2024 report copied: its fields and rules, its dates moved to 2025.
        await page.locator('.editor-indicator[data-code="participants_total"]').waitFor();
        expect(await settings.getByLabel('Hạn nộp (dd/MM/yyyy)').inputValue()).toMatch(/\/2025$/);
        expect(await page.locator('section[aria-labelledby="rules"] li').count()).toBeGreaterThan(0);
      } else {
        expect(await page.locator('.editor-indicator').count()).toBe(0);
        await expect(page.locator('section[aria-labelledby="rules"]').textContent()).resolves.toContain('Chưa có ràng buộc.');
      }

      // A new section.
      const title = `Câu lạc bộ đọc sách ${js ? 'A' : 'B'}`;
      const adding = page.locator('section[aria-labelledby="add-section"]');
      await adding.getByLabel('Tên (tiếng Việt)').fill(title);
      await adding.getByLabel('Tên (tiếng Anh)').fill('Reading clubs');
      await adding.getByRole('button', { name: 'Thêm phần' }).click();
      await atVersion(page, 2);
      const panel = sectionPanel(page, title);
      await panel.waitFor();

      // A field of each kind, the numbers with a range.
      await addField(page, panel, {
        code: 'so_clb',
        labelVi: 'Số câu lạc bộ',
        labelEn: 'Clubs',
        type: 'count',
        min: '0',
        max: '500',
        required: true,
      });
      await addField(page, panel, {
        code: 'thanh_vien_clb',
        labelVi: 'Số thành viên câu lạc bộ',
        labelEn: 'Club members',
        type: 'count',
        min: '0',
        max: '20.000',
      });
      await addField(page, panel, {
        code: 'kinh_phi_clb',
        labelVi: 'Kinh phí câu lạc bộ',
        labelEn: 'Club budget',
        type: 'vnd',
        min: '0',
        max: '50.000.000',
      });
      await addField(page, panel, { code: 'ghi_chu_clb', labelVi: 'Ghi chú về câu lạc bộ', labelEn: 'Notes', type: 'text' });
      await addField(page, panel, { code: 'co_thu_vien', labelVi: 'Có thư viện cộng đồng', labelEn: 'Community library', type: 'bool' });
      await atVersion(page, 7);
      const shown = await panel.locator('.editor-indicator').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
      expect(shown).toEqual(['so_clb', 'thanh_vien_clb', 'kinh_phi_clb', 'ghi_chu_clb', 'co_thu_vien']);
      // The ranges as stored, and each kind.
      const members = panel.locator('.editor-indicator[data-code="thanh_vien_clb"]');
      expect(await members.getByLabel('Tối đa').inputValue()).toBe('20000');
      expect(await panel.locator('.editor-indicator[data-code="kinh_phi_clb"]').getByLabel('Kiểu', { exact: true }).inputValue()).toBe(
        'vnd',
      );
      expect(await panel.locator('.editor-indicator[data-code="co_thu_vien"]').getByLabel('Kiểu', { exact: true }).inputValue()).toBe(
        'bool',
      );

      // Bad input: a range in words. Told next to the field, what was typed kept, no new version.
      await fillAdder(panel, { code: 'so_buoi', labelVi: 'Số buổi sinh hoạt', labelEn: 'Meetings', type: 'count', min: 'mười' });
      const adder = panel.locator('details.editor-new');
      const minError = adder.locator('.field.has-error .field-error');
      await minError.waitFor();
      expect(await minError.textContent()).toBe('Hãy nhập một số nguyên (ví dụ 1200 hoặc 12.500.000).');
      expect(await adder.getByLabel('Tối thiểu').getAttribute('aria-invalid')).toBe('true');
      expect(await adder.getByLabel('Tối thiểu').inputValue()).toBe('mười');
      expect(await adder.getByLabel('Mã (chữ thường, số, dấu _)').inputValue()).toBe('so_buoi');
      expect(await adder.getByLabel('Nhãn (tiếng Việt)').inputValue()).toBe('Số buổi sinh hoạt');
      expect(await versionOf(page)).toBe(7);
      expect(await page.locator('.editor-indicator[data-code="so_buoi"]').count()).toBe(0);

      // A cross-field rule: members ≥ clubs.
      const rules = page.locator('section[aria-labelledby="rules"]');
      await rules.locator('#rule-left').selectOption('thanh_vien_clb');
      await rules.locator('#rule-op').selectOption('>=');
      await rules.locator('#rule-right').selectOption('so_clb');
      await rules.getByRole('button', { name: 'Thêm ràng buộc' }).click();
      await atVersion(page, 8);
      await rules.locator('li', { hasText: 'Số thành viên câu lạc bộ ≥ Số câu lạc bộ' }).waitFor();
      // Each edit is listed as a version.
      await expect(page.locator('section[aria-labelledby="versions"] .report-history li').count()).resolves.toBe(8);
      // axe on this editor runs once, below, on the same page with the refusal shown as well.

      // Two tabs: the second renames the section; the first, still showing version 8, is refused.
      const other = await ctx.newPage();
      await other.goto(`/weeks/2025/reports/${slug}/edit`);
      const otherPanel = sectionPanel(other, title);
      await otherPanel.getByLabel('Tên (tiếng Việt)').fill(`${title} (tab 2)`);
      await otherPanel.getByRole('button', { name: 'Đổi tên phần' }).click();
      await atVersion(other, 9);

      await panel.getByLabel('Tên (tiếng Việt)').fill(`${title} (tab 1)`);
      await panel.getByRole('button', { name: 'Đổi tên phần' }).click();
      const refused = panel.locator('.form-error');
      await refused.waitFor();
      expect(await refused.textContent()).toBe('Mẫu vừa được người khác sửa (nay là phiên bản 9). Trang đã tải lại bản mới; hãy sửa lại.');
      expect(await panel.getByLabel('Tên (tiếng Việt)').inputValue()).toBe(`${title} (tab 1)`);
      // The first tab now shows the second tab's edit, and nothing of its own was saved: what it shows
      // after the refusal is the stored form, loaded again from the server (so no reload of the second tab).
      await atVersion(page, 9);
      await expect(panel.locator('h3').textContent()).resolves.toContain(`${title} (tab 2)`);
      if (js) await expectNoA11yViolations(page);
      await other.close();
    }, 180_000);
  }

  it('shows an old submission with its own form version after the form changes', async () => {
    const slug = `bc-lan-nop-${Date.now().toString(36)}`;
    const editUrl = `/weeks/2024/reports/${slug}/edit`;
    const report = `/weeks/2024/reports/${slug}/bien-giang`;
    // The district and the ward take turns on one page (each turn opens its page anew).
    const district = await as(DISTRICT, '/weeks/2024/reports/new');
    const owner = await district.locator('#nf-owner option').filter({ hasText: 'Hà Đông' }).first().getAttribute('value');
    await district.locator('#nf-owner').selectOption(owner!);
    await district.getByLabel('Tên (tiếng Việt)').fill('Báo cáo câu lạc bộ');
    await district.getByLabel('Tên (tiếng Anh)').fill('Clubs report');
    await district.getByLabel('Đường dẫn (chữ thường, số, gạch ngang)').fill(slug);
    await district.getByRole('button', { name: 'Tạo mẫu báo cáo' }).click();
    await flash(district, 'Đã tạo mẫu báo cáo.');
    const settings = district.locator('section[aria-labelledby="settings"]');
    await settings.getByLabel('Hạn nộp (dd/MM/yyyy)').fill('30/11/2099');
    await settings.getByLabel('Ngày khóa sổ (dd/MM/yyyy)').fill('31/12/2099');
    await settings.getByRole('button', { name: 'Lưu thông tin chung' }).click();
    await atVersion(district, 2);
    const panel = sectionPanel(district, 'Số liệu chung');
    await addField(district, panel, {
      code: 'hoat_dong',
      labelVi: 'Số hoạt động',
      labelEn: 'Activities',
      type: 'count',
      min: '0',
      max: '100',
      required: true,
    });
    await addField(district, panel, { code: 'clb', labelVi: 'Số câu lạc bộ', labelEn: 'Clubs', type: 'count', min: '0', max: '50' });
    const firstVersion = await versionOf(district);

    // The ward submits against that version.
    const ward = await as(WARD, report);
    await ward.locator('#v-hoat_dong').fill('7');
    await ward.locator('#v-clb').fill('5');
    await ward.getByRole('button', { name: 'Nộp báo cáo' }).click();
    await flash(ward, 'Đã nộp báo cáo.');

    // The district returns it; the ward clears the club count in a draft.
    await as(DISTRICT, report);
    await district.getByLabel('Nhận xét (bắt buộc khi trả lại)').fill('Bổ sung số sách cho mượn');
    await district.getByRole('button', { name: 'Trả lại' }).click();
    await flash(district, 'Đã trả lại báo cáo kèm nhận xét.');
    await as(WARD, report);
    await ward.locator('#v-clb').fill('');
    await ward.getByRole('button', { name: 'Lưu nháp' }).click();
    await flash(ward, 'Đã lưu bản nháp.');

    // The form changes: a label renamed, the club count removed, books lent added.
    await as(DISTRICT, editUrl);
    const act = district.locator('.editor-indicator[data-code="hoat_dong"]');
    await act.getByLabel('Nhãn (tiếng Việt)').fill('Số hoạt động đã tổ chức');
    await act.getByRole('button', { name: 'Lưu chỉ tiêu' }).click();
    await atVersion(district, firstVersion + 1);
    await district.getByRole('button', { name: 'Xóa chỉ tiêu: Số câu lạc bộ' }).click();
    await district.locator('.editor-indicator[data-code="clb"]').waitFor({ state: 'detached' });
    await addField(district, sectionPanel(district, 'Số liệu chung'), {
      code: 'sach_muon',
      labelVi: 'Sách cho mượn',
      labelEn: 'Books lent',
      type: 'count',
    });
    const lastVersion = await versionOf(district);
    expect(lastVersion).toBe(firstVersion + 3);

    // The ward submits again, on the new form.
    await as(WARD, report);
    await ward.locator('#v-hoat_dong').fill('8');
    await ward.locator('#v-sach_muon').fill('40');
    await ward.getByRole('button', { name: 'Nộp báo cáo' }).click();
    await flash(ward, 'Đã nộp báo cáo.');
    // The ward's JavaScript-on page stays signed in for the checks at the end.

    // Without JavaScript: the history links to each submission.
    const p = await as(WARD, report, false);
    await p.locator('section[aria-labelledby="history"]').getByRole('link', { name: 'Nộp phiên bản 1' }).click();
    await p.getByTestId('submission-heading').filter({ hasText: 'Bản đã nộp — phiên bản 1' }).waitFor();
    expect(new URL(p.url()).pathname).toBe(`${report}/submissions/1`);
    await expect(p.getByTestId('submission-form-version').textContent()).resolves.toContain(`theo mẫu báo cáo phiên bản ${firstVersion} (`);
    await expect(p.getByTestId('submission-form-version').textContent()).resolves.toContain(`Mẫu hiện nay là phiên bản ${lastVersion}.`);
    const rows = (page: Page) =>
      page
        .locator('.submission-table tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td:last-child')!.textContent]));
    expect(await rows(p)).toEqual([
      ['Số hoạt động', '7'],
      ['Số câu lạc bộ đã bỏ khỏi mẫu sau lần nộp này', '5'],
    ]);
    await expect(p.locator('tr[data-code="clb"] td').nth(1).textContent()).resolves.toBe('từ 0 đến 50');
    await expect(p.getByTestId('added-since').textContent()).resolves.toContain('Sách cho mượn');
    await expect(p.getByTestId('added-since').textContent()).resolves.toContain('không hỏi trong lần nộp này');

    // That version's XLSX (its labels, the removed field marked) and its printable copy.
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: 'Tải Excel (XLSX)' }).click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(await download.path()) as unknown as ArrayBuffer);
    const header = (wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['Đơn vị', 'Số hoạt động', 'Số câu lạc bộ (đã bỏ khỏi mẫu sau lần nộp này)']);
    expect((wb.worksheets[0]!.getRow(2).values as unknown[]).slice(2)).toEqual([7, 5]);
    await p.getByRole('link', { name: 'Bản in (văn bản hành chính)' }).click();
    await p.getByTestId('print-version').waitFor();
    expect(new URL(p.url()).search).toBe('?version=1');
    await expect(p.getByTestId('print-version').textContent()).resolves.toContain('Bản đã nộp — phiên bản 1, nộp lúc');
    await expect(p.getByTestId('print-version').textContent()).resolves.toContain(
      `Theo mẫu báo cáo phiên bản ${firstVersion} (mẫu hiện nay: phiên bản ${lastVersion}).`,
    );
    expect(
      await p
        .locator('.admin-doc tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent])),
    ).toEqual([
      ['Số hoạt động', '7'],
      ['Số câu lạc bộ (đã bỏ khỏi mẫu sau lần nộp này)', '5'],
    ]);
    await expect(p.getByTestId('print-added-since').textContent()).resolves.toContain('Sách cho mượn');
    await expect(p.locator('.admin-doc').textContent()).resolves.toContain('Độc lập - Tự do - Hạnh phúc');
    await p.goBack();
    await p.getByTestId('submission-heading').waitFor();

    await p
      .locator('nav[aria-labelledby="submissions"]')
      .getByRole('link', { name: /^Phiên bản 4 — / })
      .click();
    await p.getByTestId('submission-heading').filter({ hasText: 'Bản đã nộp — phiên bản 4' }).waitFor();
    expect(await rows(p)).toEqual([
      ['Số hoạt động đã tổ chức', '8'],
      ['Sách cho mượn', '40'],
    ]);
    expect(await p.getByTestId('added-since').count()).toBe(0);
    await expect(p.getByTestId('submission-note').textContent()).resolves.toContain('Đây là lần nộp gần nhất.');

    // With JavaScript (the ward's page from above): accessible; in English (the language
    // switcher's `lang` cookie), version 1's English labels. axe once on the submission page (here
    // in English: the same page as in Vietnamese) and once on the printable copy.
    await ward.context().addCookies([{ name: 'lang', value: 'en', url: new URL(ward.url()).origin }]);
    await ward.goto(`${report}/submissions/1`);
    await ward.getByTestId('submission-heading').filter({ hasText: 'Submitted version 1' }).waitFor();
    expect(await rows(ward)).toEqual([
      ['Activities', '7'],
      ['Clubs removed from the form since this submission', '5'],
    ]);
    await expect(ward.getByTestId('added-since').textContent()).resolves.toContain('Books lent');
    await expectNoA11yViolations(ward);
    await ward.context().clearCookies({ name: 'lang' });
    await ward.goto(`${report}/print?version=1`);
    await ward.getByTestId('print-version').filter({ hasText: 'Bản đã nộp — phiên bản 1' }).waitFor();
    await expectNoA11yViolations(ward);
  }, 180_000); // long flows: 90 s was not enough on a loaded machine
});
