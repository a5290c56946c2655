/**
 * The demo intergenerational club's schedule and spoiler-safe threads in the browser: the
 * grandchild marks two parts read (without JavaScript) and posts in part 2's thread; the
 * grandfather, still before part 2, sees it locked with its post count and no text, then pairs
 * up with the grandchild. axe (with JavaScript on) on the schedule, the discussion list, a thread,
 * the locked page and the club page's pairs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, expectNoA11yViolations, launchBrowser, newContext, signIn } from './setup/browser';

const ELDER = 'ongba@demo.hoctap.vn';
const CHILD = 'hocsinh@demo.hoctap.vn';
const CLUB = '/clubs/clb-ong-ba-va-chau-cung-doc';

describe('club schedule and spoiler-safe discussion in the browser', () => {
  let browser: Browser;
  let part2 = '';
  const said = `Cháu thích câu hỏi số 2 nhất ${Date.now().toString(36)}`;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('the grandchild marks progress without JavaScript and posts in part 2', async () => {
    const ctx = await newContext(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signIn(page, CHILD);
    await page.goto(`${CLUB}/schedule`);
    await page.getByRole('heading', { name: 'Lịch đọc', level: 1 }).waitFor();
    await page.getByText('Đọc sách cùng cháu — sổ tay cho ông bà').first().waitFor();
    await page.getByLabel('Tôi đã đọc xong').selectOption('2');
    await page.getByRole('button', { name: 'Lưu tiến độ' }).click();
    await page.getByText('Đã lưu tiến độ.').waitFor();
    await page.goto(`${CLUB}/discussion`);
    await page.getByRole('heading', { name: 'Thảo luận', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Phần 2: Đặt câu hỏi hay' }).click();
    await page.getByText('Câu hỏi nào ông bà muốn cháu hỏi mình nhất?').waitFor();
    part2 = new URL(page.url()).pathname;
    await page.locator('#reply-body').fill(said);
    await page.getByRole('button', { name: 'Gửi trả lời' }).click();
    await page.getByText(said).waitFor();
    await ctx.close();
  });

  it('the grandfather, still in part 1, sees part 2 locked with its post count, then pairs up with the grandchild', async () => {
    expect(part2).toMatch(/\/t\//);
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, ELDER);
    await page.goto(`${CLUB}/schedule`);
    await page
      .getByText(/bài về phần 2 — đọc tiếp để mở khóa/)
      .first()
      .waitFor();
    await expectNoA11yViolations(page);
    await page.goto(`${CLUB}/discussion`);
    await page.getByRole('heading', { name: 'Thảo luận', level: 1 }).waitFor();
    await expectNoA11yViolations(page);
    await page.goto(part2);
    await page.getByRole('heading', { name: 'Phần này chưa mở với bạn' }).waitFor();
    await page.getByText(/\d+ bài về phần 2 — đọc tiếp để mở khóa/).waitFor();
    expect(await page.getByText(said).count()).toBe(0);
    await expectNoA11yViolations(page);

    await page.goto(CLUB);
    await page.locator('.member-list li', { hasText: /^An\s/ }).getByRole('button', { name: 'Mời đọc cùng' }).click();
    await page.getByText('Đã gửi lời mời đọc cùng.').waitFor();
    await page.getByText('Đang chờ An nhận lời').waitFor();
    await ctx.close();

    const child = await newContext(browser);
    const p2 = await child.newPage();
    await signIn(p2, CHILD);
    await p2.goto(`${CLUB}#pairs`);
    await p2.getByText('Ông Nguyễn Văn Bình mời bạn đọc cùng').waitFor();
    await p2.getByRole('button', { name: 'Nhận lời' }).click();
    await p2.getByText('Hai người đã thành cặp đọc cùng.').waitFor();
    await p2.getByText('Bạn đọc cùng Ông Nguyễn Văn Bình').waitFor();
    await expectNoA11yViolations(p2);
    // The grandchild, past part 2, reads its thread (axe on a thread page).
    await p2.goto(part2);
    await p2.getByText(said).waitFor();
    await expectNoA11yViolations(p2);
    await child.close();
  });
});
