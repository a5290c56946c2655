/**
 * Reading clubs as people use them: a teacher starts an intergenerational club, plans a meeting
 * with one seat, and opens a book poll; a grandmother and a student join; the student
 * takes the seat, the grandmother is waitlisted and promoted when the student cancels; both rank
 * the books; the reading log counts a streak. Every form is a plain POST (Remix <Form>); axe on each page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, type BrowserContext, expectNoA11yViolations, launchBrowser, newContext, type Page, signIn } from './setup/browser';

const TEACHER = 'giaovien@demo.hoctap.vn';
const ELDER = 'ongba@demo.hoctap.vn';
const STUDENT = 'hocsinh@demo.hoctap.vn';

/** Signed in as `email` and opened straight at `path` (no stop at the home page first). */
async function as(browser: Browser, email: string, path: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await signIn(page, email, undefined, path);
  return { ctx, page };
}

describe('reading clubs in the browser', () => {
  let browser: Browser;
  let clubPath = '';
  let meetingPath = '';
  let pollPath = '';
  const name = `CLB Ông bà cháu cùng đọc ${Date.now().toString(36)}`;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('a teacher starts an intergenerational club, a one-seat meeting and a book poll', async () => {
    const { ctx, page } = await as(browser, TEACHER, '/clubs');
    await page.getByRole('heading', { name: 'Câu lạc bộ đọc sách', level: 1 }).waitFor();
    await expectNoA11yViolations(page);
    await page.getByRole('link', { name: 'Lập câu lạc bộ' }).click();
    await page.getByRole('heading', { name: 'Lập câu lạc bộ đọc sách' }).waitFor();
    // The unit picker's search box appears once the page is hydrated (typing earlier would be reset).
    await page.getByLabel('Tìm trong danh sách “Thuộc đơn vị”').waitFor();
    await page.locator('select[name="unit_id"]').selectOption({ index: 1 });
    await page.getByLabel('Tên câu lạc bộ').fill(name);
    await page.getByLabel('Giới thiệu (Markdown)').fill('Mỗi tuần **một truyện**, ông bà đọc cùng các cháu.');
    await page.getByLabel(/Câu lạc bộ liên thế hệ/).check();
    await expectNoA11yViolations(page);
    await page.getByRole('button', { name: 'Lập câu lạc bộ' }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await page.getByText('Đã lập câu lạc bộ.').waitFor();
    clubPath = new URL(page.url()).pathname;

    await page.getByRole('link', { name: 'Thêm buổi gặp' }).click();
    // A wrong date and an end before the start are both reported, what was typed kept.
    await page.getByLabel('Tên buổi gặp').fill('Đọc “Dế Mèn phiêu lưu ký”');
    await page.getByLabel('Địa điểm', { exact: true }).fill('Trung tâm học tập cộng đồng');
    await page.getByLabel('Ngày (dd/MM/yyyy)').fill('31/02/2027');
    await page.getByLabel('Bắt đầu (HH:mm)').fill('19:30');
    await page.getByLabel('Kết thúc (HH:mm)').fill('18:00');
    await page.getByLabel(/Số chỗ/).fill('1');
    await page.getByRole('button', { name: 'Lưu buổi gặp' }).click();
    await page.getByText('Nhập ngày theo dạng dd/MM/yyyy, ví dụ 05/12/2026.').waitFor();
    await page.getByText('Giờ kết thúc phải sau giờ bắt đầu.').waitFor();
    expect(await page.getByLabel('Tên buổi gặp').inputValue()).toBe('Đọc “Dế Mèn phiêu lưu ký”');
    await expectNoA11yViolations(page);
    await page.getByLabel('Ngày (dd/MM/yyyy)').fill('15/01/2027');
    await page.getByLabel('Kết thúc (HH:mm)').fill('21:00');
    await page.getByRole('button', { name: 'Lưu buổi gặp' }).click();
    await page.getByText('Đã lưu buổi gặp.').waitFor();
    meetingPath = new URL(page.url()).pathname;
    await page.getByText('15/01/2027 19:30–21:00').waitFor();

    await page.goto(`${clubPath}/polls/new`);
    await page.getByLabel(/Các cuốn sách/).fill('Tắt đèn\nSố đỏ\nVợ nhặt');
    await page.getByLabel('Đóng ngày (dd/MM/yyyy)').fill('10/01/2027');
    await page.getByRole('button', { name: 'Mở bình chọn' }).click();
    await page.getByText('Đã mở bình chọn.').waitFor();
    pollPath = new URL(page.url()).pathname;
    await ctx.close();
  });

  it('the student takes the only seat; the grandmother waits and is promoted when the student cancels', async () => {
    const student = await as(browser, STUDENT, clubPath);
    await student.page.getByRole('button', { name: 'Tham gia' }).click();
    await student.page.getByText('Bạn đã tham gia câu lạc bộ.').waitFor();
    await student.page.goto(meetingPath);
    await student.page.getByRole('button', { name: 'Tôi sẽ đến' }).click();
    await student.page.getByRole('heading', { name: 'Bạn có chỗ.' }).waitFor();

    const elder = await as(browser, ELDER, clubPath);
    await elder.page.getByRole('button', { name: 'Tham gia' }).click();
    await elder.page.getByText('Bạn đã tham gia câu lạc bộ.').waitFor();
    await expectNoA11yViolations(elder.page);
    await elder.page.goto(meetingPath);
    await elder.page.getByRole('button', { name: 'Tôi sẽ đến' }).click();
    await elder.page.getByRole('heading', { name: 'Bạn đang trong danh sách chờ (thứ 1).' }).waitFor();
    await expectNoA11yViolations(elder.page);

    await student.page.getByRole('button', { name: 'Không đến' }).click();
    await student.page.getByRole('heading', { name: 'Bạn chưa đăng ký.' }).waitFor();
    await elder.page.reload();
    await elder.page.getByRole('heading', { name: 'Bạn có chỗ.' }).waitFor();

    // Both rank the books; the ballot can be changed until the poll closes.
    await elder.page.goto(pollPath);
    await elder.page.getByLabel('Lựa chọn 1').selectOption({ label: 'Số đỏ' });
    await elder.page.getByLabel('Lựa chọn 2').selectOption({ label: 'Tắt đèn' });
    await elder.page.getByRole('button', { name: 'Gửi phiếu' }).click();
    await elder.page.getByText('Đã ghi phiếu của bạn.').waitFor();
    await expectNoA11yViolations(elder.page);
    await student.page.goto(pollPath);
    await student.page.getByLabel('Lựa chọn 1').selectOption({ label: 'Tắt đèn' });
    await student.page.getByLabel('Lựa chọn 2').selectOption({ label: 'Tắt đèn' });
    await student.page.getByRole('button', { name: 'Gửi phiếu' }).click();
    await student.page.getByText('Mỗi cuốn chỉ chọn một lần, và cần ít nhất một lựa chọn.').waitFor();
    await student.ctx.close();
    await elder.ctx.close();
  });

  it('the reading log keeps what was typed on a bad entry and counts a streak', async () => {
    const { ctx, page } = await as(browser, STUDENT, '/reading');
    await page.getByRole('heading', { name: 'Nhật ký đọc', level: 1 }).waitFor();
    await page.getByLabel('Số phút').fill('2000');
    await page.getByLabel(/Đọc gì/).fill('Dế Mèn phiêu lưu ký');
    await page.getByRole('button', { name: 'Ghi nhật ký' }).click();
    await page.getByText('Số phút là số nguyên từ 1 đến 1440.').waitFor();
    expect(await page.getByLabel(/Đọc gì/).inputValue()).toBe('Dế Mèn phiêu lưu ký');
    await page.getByLabel('Số phút').fill('20');
    await page.getByRole('button', { name: 'Ghi nhật ký' }).click();
    await page.getByText('Đã ghi nhật ký đọc.').waitFor();
    await page.getByText(/Chuỗi \d+ ngày đọc liên tiếp/).waitFor();
    await expectNoA11yViolations(page);
    await ctx.close();
  });
});
