/**
 * Reading challenges and the school reading-time pages in the browser. A teacher sets a challenge
 * for the demo secondary school; a citizen joins it, logs reading until the goal, and sees her
 * progress bar full, her name on the leaderboard, the certificate and the notice in the bell. The
 * teacher sees the school's rule and classes, opens class 7A1 and records a class reading session
 * without JavaScript; the student sees only his own figures. axe on each page; at 360 px wide no
 * page scrolls sideways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { switchUser } from './new-account';
import { type Browser, expectNoA11yViolations, launchBrowser, type Page, type SharedPages, sharedPages } from './setup/browser';
import { DEMO_BY_ROLE, type DemoRole } from './setup/signed-in';

const SCHOOL = '/clubs/schools/thcs-bien-giang';

/** Today in Vietnam as dd/MM/yyyy, shifted by some days. */
function vnDate(days = 0): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
}

async function expectNoSidewaysScroll(page: Page, path: string) {
  await page.goto(path);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, path).toBeLessThanOrEqual(360);
}

describe('reading challenges and the school reading-time pages in the browser', () => {
  let browser: Browser;
  let challengePath = '';
  let classPath = '';
  const name = `Đọc 30 phút cùng Tuần lễ ${Date.now().toString(36)}`;
  // One context with JavaScript and one without, each with one page, shared by the tests: a new
  // context and page cost ~1.5 s here (a renderer started, the site's scripts fetched again). Each
  // person signs in on them by their session cookie (`as`), the previous one's cookies cleared.
  let pages: SharedPages;
  const as = (role: DemoRole, path: string, javaScriptEnabled = true) => pages.as(DEMO_BY_ROLE[role], path, javaScriptEnabled);
  beforeAll(async () => {
    browser = await launchBrowser();
    pages = await sharedPages(browser);
  });
  afterAll(() => browser.close());

  it('a teacher sets a challenge for the school', async () => {
    const page = await as('teacher', '/clubs/challenges');
    await page.getByRole('heading', { name: 'Thử thách đọc', level: 1 }).waitFor();
    await page.getByText('20 phút mỗi ngày trong Tuần lễ học tập suốt đời').first().waitFor();
    await expectNoA11yViolations(page);
    await page.getByRole('link', { name: 'Đặt thử thách mới' }).click();
    await page.getByLabel('Thử thách của').waitFor();
    await expectNoA11yViolations(page);
    await page.getByLabel('Thử thách của').selectOption({ label: 'Trường THCS Biên Giang' });
    await page.getByLabel('Tên thử thách').fill(name);
    await page.getByLabel('Loại thử thách').selectOption({ label: 'Tổng số phút' });
    await page.getByLabel('Mục tiêu (số)').fill('30');
    await page.getByLabel('Bắt đầu (dd/MM/yyyy)').fill(vnDate(0));
    await page.getByLabel('Kết thúc (dd/MM/yyyy)').fill(vnDate(7));
    await page.getByRole('button', { name: 'Đặt thử thách' }).click();
    await page.locator('.flash-region').getByText('Đã đặt thử thách.').waitFor();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    challengePath = new URL(page.url()).pathname;
    expect(challengePath).toMatch(/^\/clubs\/challenges\/./);
  });

  it('a citizen joins, logs reading to the goal, and sees the bar, the leaderboard, the certificate and the notice', async () => {
    const page = await as('citizen', challengePath);
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await page.getByText('Tham gia thử thách để xem bảng xếp hạng.').waitFor();
    await page.getByRole('button', { name: 'Tham gia thử thách' }).click();
    await page.locator('.flash-region').getByText('Bạn đã tham gia thử thách.').waitFor();
    await page.getByRole('heading', { name: 'Tiến độ của bạn' }).waitFor();
    await page.getByText(/0\/30 phút \(0%\)/).waitFor();
    await expectNoA11yViolations(page);

    // Log 20 minutes, then 10 more: the goal of 30 is reached.
    for (const minutes of ['20', '10']) {
      await page.getByRole('link', { name: 'Ghi nhật ký đọc' }).click();
      await page.getByRole('heading', { name: 'Nhật ký đọc', level: 1 }).waitFor();
      await page.getByLabel('Số phút').fill(minutes);
      await page.getByLabel(/Đọc gì/).fill('Tuổi thơ dữ dội');
      await page.getByRole('button', { name: 'Ghi nhật ký' }).click();
      await page.locator('.flash-region').getByText('Đã ghi nhật ký đọc.').waitFor();
      await page.goto(challengePath);
      if (minutes === '20') {
        await page.getByText(/20\/30 phút \(67%\)/).waitFor();
        expect(await page.getByRole('link', { name: 'Xem và in chứng nhận' }).count()).toBe(0);
      }
    }
    await page.getByText(/30\/30 phút \(100%\)/).waitFor();
    expect(await page.locator('progress').getAttribute('value')).toBe('30');
    await page.locator('.leaderboard li[aria-current="true"]', { hasText: 'Phạm Thị Lan (bạn)' }).waitFor();
    await page.getByText('1 người đã hoàn thành').waitFor();
    await expectNoA11yViolations(page);

    // The certificate, verified by its code.
    await page.getByRole('link', { name: /^Mã xác minh / }).click();
    await page.getByText(name).first().waitFor();
    await page.getByText('Phạm Thị Lan').first().waitFor();

    // The bell: one notice, linking back to the challenge.
    await page.goto('/notifications');
    const notice = page.getByRole('link', { name: `Bạn đã hoàn thành thử thách “${name}” — giấy chứng nhận đã sẵn sàng` });
    await notice.waitFor();
    expect(await notice.count()).toBe(1);
    expect(await notice.getAttribute('href')).toBe(challengePath);
  });

  it('the teacher sees the school’s rule and classes and records a class reading session without JavaScript', async () => {
    const page = await as('teacher', SCHOOL, false);
    await page.getByRole('heading', { name: /^Giờ đọc sách ở /, level: 1 }).waitFor();
    await page.getByText('Mỗi học sinh đọc 15 phút mỗi ngày vào: Thứ Hai, Thứ Ba, Thứ Tư, Thứ Năm, Thứ Sáu.').waitFor();
    await page.getByRole('link', { name }).waitFor();
    await page.getByRole('heading', { name: 'Các lớp' }).waitFor();
    // Class 7A1, the demo's class with students (a shelf another test file created on this server may be listed first).
    await page.locator('table.data a[href*="/classes/"]', { hasText: '7A1' }).first().click();
    await page.getByRole('heading', { name: /^Giờ đọc lớp /, level: 1 }).waitFor();
    classPath = new URL(page.url()).pathname;
    // The page arrives in pieces on a loaded machine (the heading before the form): the form's
    // button comes after the students' boxes, so once it is there every box is.
    await page.getByRole('button', { name: 'Ghi giờ đọc' }).waitFor();
    // Everyone is ticked present by default.
    const present = page.locator('input[name="present"]');
    const students = await present.count();
    expect(students).toBeGreaterThan(0);
    for (let i = 0; i < students; i++) expect(await present.nth(i).isChecked()).toBe(true);
    await page.getByLabel('Số phút').fill('25');
    await page.getByRole('button', { name: 'Ghi giờ đọc' }).click();
    await page.locator('.flash-region').getByText(`Đã ghi giờ đọc cho ${students} em.`).waitFor();
    await page
      .getByText(new RegExp(`25′ · ${students} em có mặt`))
      .first()
      .waitFor();
    const an = page.locator('tr', { hasText: 'Lê Minh An' });
    await an.waitFor();
    expect(await an.textContent()).toMatch(/\d+\/\d+ phút/);

    // With JavaScript on, axe on both pages.
    const jp = await as('teacher', SCHOOL);
    await jp.getByRole('heading', { name: 'Các lớp' }).waitFor();
    await expectNoA11yViolations(jp);
    await jp.goto(classPath);
    await jp.getByRole('heading', { name: 'Ghi giờ đọc của lớp' }).waitFor();
    await expectNoA11yViolations(jp);
  });

  it('a student sees his own figures against the rule, and no class table', async () => {
    const page = await as('learner', SCHOOL);
    await page.getByRole('heading', { name: /^Giờ đọc của em — lớp / }).waitFor();
    await page.getByText(/^Tuần này: \d+\/\d+ phút$/).waitFor();
    await page.getByText(/^Tháng này: \d+\/\d+ phút$/).waitFor();
    expect(await page.getByRole('heading', { name: 'Các lớp' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Đặt nội quy giờ đọc' }).count()).toBe(0);
    await expectNoA11yViolations(page);
    const cls = await page.goto(classPath);
    expect(cls?.status()).toBeGreaterThanOrEqual(403);
  });

  it('the challenge and school pages fit a 360 px wide phone without sideways scrolling', async () => {
    const page = await as('teacher', '/clubs/challenges');
    await page.setViewportSize({ width: 360, height: 740 });
    for (const p of ['/clubs/challenges', '/clubs/challenges/new', challengePath, SCHOOL, classPath]) await expectNoSidewaysScroll(page, p);
    // The citizen in the same context (its scripts cached), by their session cookie.
    await switchUser(pages.js.ctx, DEMO_BY_ROLE.citizen);
    await expectNoSidewaysScroll(page, challengePath);
  });
});
