/**
 * Quiz contests in a real browser against the built site: an organiser creates a contest with two
 * rounds and imports the demo bank (content/contests/cong-dan-so.xlsx); one student enters with
 * JavaScript off and another with it on (answers autosave and survive a reload); the organiser
 * closes the round, computes and publishes the results; a student sees their rank and why; the
 * ward's leaderboard shows both; axe-core finds no WCAG 2 A/AA violation on any contest page.
 */
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { newAccount } from './new-account';
import { type Browser, expectNoA11yViolations, launchBrowser, newContext, type Page, signIn, uniqueEmail } from './setup/browser';

const ORGANISER = 'bantochuc.hanoi@demo.hoctap.vn';
const PASSWORD = 'cong-dan-so-2024';
const SLUG = `cds-${Date.now().toString(36)}`;
const BANK = path.resolve('content/contests/cong-dan-so.xlsx');
const students: Array<{ name: string; email: string }> = [
  { name: 'Nguyễn Văn Không JS', email: uniqueEmail('nojs') },
  { name: 'Trần Thị Có JS', email: uniqueEmail('js') },
];

/** `YYYY-MM-DDTHH:mm` in Vietnam time, `minutes` from now. */
function vnLocal(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000 + 7 * 3_600_000).toISOString().slice(0, 16);
}

async function go(page: Page, click: Promise<unknown> | (() => Promise<unknown>), urlTest: RegExp, ready: string) {
  await Promise.all([page.waitForURL(urlTest, { waitUntil: 'commit', timeout: 60_000 }), typeof click === 'function' ? click() : click]);
  await page.locator(ready).first().waitFor();
}

/** Picks a unit in an indented unit select by its name. */
async function selectUnit(page: Page, label: string, name: string) {
  const select = page.getByLabel(label, { exact: true });
  const value = await select.locator('option', { hasText: name }).first().getAttribute('value');
  await select.selectOption(value!);
}

/** A new entrant (their account made as /signup makes it, signed in by cookie) on the contest page. */
async function enter(page: Page, name: string, email: string) {
  await newAccount(page, { name, email, password: PASSWORD, redirectTo: `/contests/${SLUG}` });
}

async function registerAndTake(page: Page, name: string, js: boolean) {
  await page.getByLabel('Năm sinh').fill('2001');
  await selectUnit(page, 'Đơn vị (trường học, nơi làm việc hoặc phường/xã)', 'Trường THCS Biên Giang');
  await go(
    page,
    () => page.getByRole('button', { name: 'Đăng ký dự thi' }).click(),
    new RegExp(`/contests/${SLUG}$`),
    'text=Đã lưu đăng ký dự thi.',
  );
  await expect(page.getByLabel('Họ và tên').inputValue()).resolves.toBe(name);
  if (js) await expectNoA11yViolations(page); // axe once per page: the JS-on entrant's run
  await go(page, () => page.getByRole('link', { name: 'Vào thi' }).click(), /\/rounds\//, 'button:has-text("Bắt đầu làm bài")');
  if (js) await expectNoA11yViolations(page); // axe once per page: the JS-on entrant's run
  await go(page, () => page.getByRole('button', { name: 'Bắt đầu làm bài' }).click(), /\/rounds\//, 'fieldset.contest-question');
  const questions = page.locator('fieldset.contest-question');
  await questions.nth(11).waitFor(); // the whole page streamed in (a loaded machine sends it in parts)
  expect(await questions.count()).toBe(12); // 1 easy + 1 medium + 1 hard for each of 4 topics
  // With JavaScript: the autosave that carries all 12 answers (one may go out after each change, half a second after it).
  const allSaved = js
    ? page.waitForResponse(
        (r) =>
          r.url().endsWith('/attempt') &&
          r.status() === 204 &&
          (r.request().postData() ?? '').split('&').filter((kv) => kv.startsWith('q.')).length === 12,
      )
    : null;
  for (let i = 0; i < 12; i++) await questions.nth(i).locator('input[type="radio"], input[type="checkbox"]').first().check();
  if (js) {
    await allSaved;
    await page.getByText('Đã tự động lưu.').waitFor();
    await page.reload();
    await page.locator('fieldset.contest-question').first().waitFor();
    for (let i = 0; i < 12; i++) await expect(questions.nth(i).locator('input').nth(1).isChecked()).resolves.toBe(true); // [0] is the hidden marker
  }
  if (js) await expectNoA11yViolations(page); // axe once per page: the JS-on entrant's run
  // a prediction that is not a whole number is refused next to the field, the answers kept
  await page.getByLabel(/Câu hỏi dự đoán/).fill('khoảng 5');
  await go(page, () => page.getByRole('button', { name: 'Nộp bài' }).click(), /\/rounds\//, '#f-prediction-error');
  await expect(page.locator('#f-prediction-error').textContent()).resolves.toContain('số nguyên');
  await page.getByLabel(/Câu hỏi dự đoán/).fill('2');
  await go(page, () => page.getByRole('button', { name: 'Nộp bài' }).click(), /\/rounds\//, 'h2:has-text("Bạn đã nộp bài")');
  await expect(page.locator('main').textContent()).resolves.toContain('Dự đoán của bạn: 2');
  if (js) await expectNoA11yViolations(page); // axe once per page: the JS-on entrant's run
}

describe('contests: organiser, two entrants, results and leaderboards', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('an organiser creates a contest with two rounds and imports the bank from the demo XLSX', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, ORGANISER, undefined, '/contests/new');
    await expectNoA11yViolations(page);
    await selectUnit(page, 'Đơn vị tổ chức', 'Thành phố Hà Nội');
    await page.getByLabel('Tên cuộc thi').fill('Công dân số — thử nghiệm');
    await page.getByLabel('Địa chỉ trang').fill(SLUG);
    await page.getByLabel('Thể lệ').fill('Mỗi tuần **12 câu** trong 15 phút. <script>alert(1)</script>');
    await go(page, () => page.getByRole('button', { name: 'Tạo cuộc thi' }).click(), /\/manage$/, 'h2#bank-h');
    await page.getByLabel('Tệp câu hỏi (XLSX hoặc CSV)').setInputFiles(BANK);
    await go(page, () => page.getByRole('button', { name: 'Nhập câu hỏi' }).click(), /\/manage$/, 'text=Đã nhập 60 câu hỏi.');
    // a round whose quota the bank cannot fill is refused with the reason next to the field
    const addRound = async (title: string, opens: number, closes: number, easy: string) => {
      await page.getByLabel('Tên tuần thi').fill(title);
      await page.getByLabel('Bắt đầu (giờ Việt Nam)').fill(vnLocal(opens));
      await page.getByLabel('Kết thúc (giờ Việt Nam)').fill(vnLocal(closes));
      await page.getByLabel('Số câu dễ').fill(easy);
      await page.getByLabel('Số câu trung bình').fill('1');
      await page.getByLabel('Số câu khó').fill('1');
      await page.getByRole('button', { name: 'Thêm tuần thi' }).click();
    };
    await addRound('Tuần 1', -60, 120, '9');
    await page.locator('.field-error:has-text("Ngân hàng chỉ có 7 câu")').waitFor();
    await expect(page.getByLabel('Tên tuần thi').inputValue()).resolves.toBe('Tuần 1');
    await addRound('Tuần 1', -60, 120, '1');
    await page.getByText('Đã thêm tuần thi.').waitFor();
    await addRound('Tuần 2', 180, 300, '1');
    await page.getByText('Đã thêm tuần thi.').waitFor();
    await page.getByLabel('Tuần thi', { exact: true }).selectOption({ label: 'Tuần 1' });
    await page.getByLabel('Tên giải').fill('Giải Nhất');
    await page.getByRole('button', { name: 'Thêm giải' }).click();
    await page.getByText('Đã thêm giải thưởng.').waitFor();
    await expect(page.locator('h3').allTextContents()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining('Tuần 1'), expect.stringContaining('Tuần 2')]),
    );
    await expectNoA11yViolations(page);
    await page.goto(`/contests/${SLUG}`);
    await expect(page.locator('main').innerHTML()).resolves.not.toContain('<script>alert');
    await expect(page.locator('main strong').first().textContent()).resolves.toBe('12 câu');
    await ctx.close();
  }, 240_000);

  it('a student enters with JavaScript off', async () => {
    const ctx = await newContext(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await enter(page, students[0]!.name, students[0]!.email);
    await registerAndTake(page, students[0]!.name, false);
    await ctx.close();
  }, 240_000);

  it('another student enters with JavaScript on: answers autosave and survive a reload', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await enter(page, students[1]!.name, students[1]!.email);
    await registerAndTake(page, students[1]!.name, true);
    await ctx.close();
  }, 240_000);

  it('the round closes and the organiser computes, checks and publishes the results', async () => {
    const org = await newContext(browser);
    const page = await org.newPage();
    await signIn(page, ORGANISER, undefined, `/contests/${SLUG}/manage`);
    await go(page, () => page.getByRole('button', { name: 'Đóng tuần thi ngay' }).click(), /\/manage$/, 'text=Đã đóng tuần thi.');
    await go(page, () => page.getByRole('button', { name: 'Tính kết quả và đề xuất giải' }).click(), /\/manage$/, 'text=Đã tính kết quả');
    await expect(page.locator('table').last().textContent()).resolves.toContain(students[0]!.name);
    await go(
      page,
      () => page.getByRole('button', { name: 'Xác nhận và công bố kết quả' }).click(),
      /\/manage$/,
      'text=Đã công bố kết quả.',
    );
    await expectNoA11yViolations(page);
    await org.close();
  }, 240_000);

  it('the student sees their rank and why, and the ward leaderboard shows both entrants', async () => {
    const ctx = await newContext(browser); /* axe needs JavaScript in the page; the JS-off path is covered above */
    const me = await ctx.newPage();
    await signIn(me, students[0]!.email, PASSWORD, `/contests/${SLUG}`);
    await go(me, () => me.getByRole('link', { name: 'Xem kết quả' }).click(), /\/results$/, 'h2#mine-h');
    await expect(me.locator('h2#mine-h').textContent()).resolves.toMatch(/Bạn xếp hạng [12] trên 2/);
    const why = await me.locator('.contest-why').textContent();
    expect(why).toContain('Điểm');
    expect(why).toContain('Độ chênh dự đoán');
    expect(why).toContain('Thời gian');
    await expect(me.locator('main').textContent()).resolves.toMatch(/Đáp án câu hỏi dự đoán: \d+/);
    await expectNoA11yViolations(me);
    await go(me, () => me.getByRole('link', { name: 'Bảng xếp hạng đơn vị' }).click(), /\/leaderboard/, 'h1');
    await expectNoA11yViolations(me);
    // The tree in force today (two-tier since 1 July 2025): Hà Nội → Phường Hà Đông → the school.
    await go(me, () => me.getByRole('link', { name: 'Phường Hà Đông' }).click(), /unit=/, 'h1:has-text("Phường Hà Đông")');
    const row = me.locator('tr', { has: me.locator('th', { hasText: 'Trường THCS Biên Giang' }) });
    await expect(row.locator('td').first().textContent()).resolves.toBe('2');
    await expectNoA11yViolations(me);
    await me.goto('/contests');
    await expectNoA11yViolations(me);
    await ctx.close();
  }, 240_000);
});
