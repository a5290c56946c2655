import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  type Browser,
  expectNoA11yViolations,
  launchBrowser,
  newContext,
  NO_SERVICE_WORKER,
  type Page,
  signIn,
  url,
  WITH_SERVICE_WORKER,
} from './setup/browser';

const ORGANISER = 'bantochuc.biengiang@demo.hoctap.vn';
const CITIZEN = 'nguoidan@demo.hoctap.vn'; // Phạm Thị Lan
const TEACHER = 'giaovien@demo.hoctap.vn'; // Cô Nguyễn Thu Hà
const STUDENT = 'hocsinh@demo.hoctap.vn'; // Lê Minh An, born 2012

async function bellCount(page: Page): Promise<number> {
  const badge = page.getByTestId('bell-count');
  return (await badge.count()) ? Number(await badge.innerText()) : 0;
}

describe('community forums in the browser', () => {
  let browser: Browser;
  let categoryPath = '';
  beforeAll(async () => {
    browser = await launchBrowser();
    // The ward organiser opens a public category for the ward (through the form).
    const ctx = await newContext(browser, NO_SERVICE_WORKER);
    const page = await ctx.newPage();
    await signIn(page, ORGANISER, undefined, '/forums/new');
    const slug = `doc-sach-${Date.now().toString(36)}`;
    // The organiser's only unit: Phường Biên Giang.
    await page.locator('select[name="unitId"]').selectOption({ index: 1 });
    await page.getByLabel('Tên chuyên mục').fill('Đọc sách cùng phường');
    await page.getByLabel('Đường dẫn').fill(slug);
    await page.getByRole('button', { name: 'Tạo chuyên mục' }).click();
    await page.waitForURL(`**/forums/c/${slug}`, { waitUntil: 'commit' });
    await page.getByRole('heading', { name: 'Đọc sách cùng phường' }).waitFor();
    categoryPath = `/forums/c/${slug}`;
    await ctx.close();
  });
  afterAll(() => browser.close());

  it('a citizen posts, a teacher replies twice: the bell goes up by one, the notice counts both replies, and reading the thread clears it', async () => {
    const c1 = await newContext(browser, NO_SERVICE_WORKER);
    const lan = await c1.newPage();
    await signIn(lan, CITIZEN, undefined, '/forums');
    await lan.getByRole('heading', { name: 'Diễn đàn', level: 1 }).waitFor();
    await expectNoA11yViolations(lan);
    await lan.goto(categoryPath);
    const title = `Sách hay cho con ${Date.now().toString(36)}`;
    await lan.getByLabel('Tiêu đề').fill(title);
    await lan.getByLabel('Nội dung').fill('Mọi người gợi ý giúp mình sách cho bé **8 tuổi** nhé.');
    await lan.getByRole('button', { name: 'Đăng chủ đề' }).click();
    await lan.getByRole('heading', { name: title, level: 1 }).waitFor();
    await lan.getByText('Đã đăng chủ đề.').waitFor();
    const threadUrl = new URL(lan.url()).pathname;
    const before = await bellCount(lan);

    const c2 = await newContext(browser, NO_SERVICE_WORKER);
    const ha = await c2.newPage();
    await signIn(ha, TEACHER, undefined, threadUrl);
    for (const [no, text] of [
      [2, 'Chị thử “Dế Mèn phiêu lưu ký” nhé!'],
      [3, 'Hoặc “Tôi thấy hoa vàng trên cỏ xanh”.'],
    ] as const) {
      await ha.getByLabel('Nội dung').fill(text);
      await ha.getByRole('button', { name: 'Gửi trả lời' }).click();
      await ha.locator(`#post-${no}`).waitFor();
    }
    await ha.getByText('Đã gửi trả lời.').waitFor();
    await expectNoA11yViolations(ha);
    await c2.close();

    // The replies' notices are written by the outbox job (every 2 s): reload until the page shows
    // both gathered in one notice; the bell went up by one, not two.
    const gathered = lan.getByRole('link', { name: `2 trả lời mới trong “${title}”, trả lời đầu tiên của Cô Nguyễn Thu Hà` });
    await expect
      .poll(
        async () => {
          await lan.goto('/notifications');
          return gathered.count();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(1);
    expect(await bellCount(lan)).toBe(before + 1);
    await expectNoA11yViolations(lan);
    // The notice opens the first unread reply; the page, read to its last post, clears the notice.
    await gathered.click();
    await lan.waitForURL((u) => u.pathname === threadUrl && u.hash === '#post-2', { waitUntil: 'commit' });
    await lan.locator('#post-3').waitFor();
    await expect
      .poll(
        async () => {
          await lan.goto('/forums');
          return bellCount(lan);
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(before);
    await c1.close();
  });

  it('a student’s post in a public forum waits for review; the organiser approves it from the queue', async () => {
    const c1 = await newContext(browser, NO_SERVICE_WORKER);
    const an = await c1.newPage();
    await signIn(an, STUDENT, undefined, categoryPath);
    const title = `Em thích truyện cổ tích ${Date.now().toString(36)}`;
    await an.getByLabel('Tiêu đề').fill(title);
    await an.getByLabel('Nội dung').fill('Em thích nhất truyện Tấm Cám.');
    await an.getByRole('button', { name: 'Đăng chủ đề' }).click();
    await an.getByText('Bài của bạn đang chờ điều phối viên duyệt.').waitFor();
    const threadUrl = new URL(an.url()).pathname;
    // Nobody else sees it yet.
    expect((await fetch(url(threadUrl))).status).toBe(404);

    const c2 = await newContext(browser, NO_SERVICE_WORKER);
    const org = await c2.newPage();
    await signIn(org, ORGANISER, undefined, '/forums/queue');
    const item = org.locator('.queue-item', { hasText: title });
    await item.waitFor();
    await expect(item.innerText()).resolves.toContain('Thành viên dưới 15 tuổi');
    // The student shows by given name only.
    await expect(item.innerText()).resolves.toContain('An');
    await expect(item.innerText()).resolves.not.toContain('Lê Minh An');
    await expectNoA11yViolations(org);
    await item.getByLabel('Hành động').selectOption('approve');
    await item.getByRole('button', { name: 'Thực hiện' }).click();
    await org.getByText('Đã thực hiện.').waitFor();
    await expect.poll(async () => (await fetch(url(threadUrl))).status).toBe(200);
    await c1.close();
    await c2.close();
  });

  it('an organiser hides a flagged post from the queue, and the author is told why', async () => {
    const c1 = await newContext(browser, NO_SERVICE_WORKER);
    const lan = await c1.newPage();
    await signIn(lan, CITIZEN, undefined, categoryPath);
    const title = `Mua sách giá rẻ ${Date.now().toString(36)}`;
    await lan.getByLabel('Tiêu đề').fill(title);
    await lan.getByLabel('Nội dung').fill('Ai cần sách cũ liên hệ mình.');
    await lan.getByRole('button', { name: 'Đăng chủ đề' }).click();
    await lan.getByText('Đã đăng chủ đề.').waitFor();
    const threadUrl = new URL(lan.url()).pathname;

    const c2 = await newContext(browser, NO_SERVICE_WORKER);
    const ha = await c2.newPage();
    await signIn(ha, TEACHER, undefined, threadUrl);
    await ha.getByText('Báo cáo vi phạm').click();
    // Without a reason: a message next to the form, nothing sent.
    await ha.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await ha.getByText('Vui lòng chọn lý do báo cáo.').waitFor();
    await ha.getByLabel('Lý do', { exact: true }).selectOption('spam');
    await ha.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await ha.getByText('Cảm ơn bạn, báo cáo đã được gửi.').waitFor();
    await c2.close();

    const c3 = await newContext(browser, NO_SERVICE_WORKER);
    const org = await c3.newPage();
    await signIn(org, ORGANISER, undefined, '/forums/queue');
    const item = org.locator('.queue-item', { hasText: title });
    await item.waitFor();
    await expect(item.innerText()).resolves.toContain('Thư rác, quảng cáo');
    await item.getByLabel('Hành động').selectOption('hide');
    await item.getByLabel('Lý do (tác giả sẽ được báo)').fill('Mua bán không đúng chủ đề');
    await item.getByRole('button', { name: 'Thực hiện' }).click();
    await org.getByText('Đã thực hiện.').waitFor();
    await org.getByRole('cell', { name: 'Mua bán không đúng chủ đề' }).first().waitFor();
    await c3.close();

    await lan.goto('/notifications');
    await lan
      .getByText(/Lý do: Mua bán không đúng chủ đề/)
      .first()
      .waitFor();
    await c1.close();
  });

  it('saves email digest settings without JavaScript', async () => {
    const ctx = await newContext(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signIn(page, TEACHER, undefined, '/account/notifications');
    await page.getByRole('heading', { name: 'Thư thông báo' }).waitFor();
    const group = page.getByRole('group', { name: 'Trả lời trong chủ đề bạn theo dõi' });
    await group.getByLabel('Gộp một thư mỗi ngày').check();
    await page.getByRole('button', { name: 'Lưu lựa chọn' }).click();
    await page.getByText('Đã lưu lựa chọn nhận thư.').waitFor();
    await page.reload();
    expect(
      await page.getByRole('group', { name: 'Trả lời trong chủ đề bạn theo dõi' }).getByLabel('Gộp một thư mỗi ngày').isChecked(),
    ).toBe(true);
    // Push notifications need a browser running JavaScript: said plainly, no dead button.
    const push = page.getByRole('region', { name: 'Thông báo trên thiết bị này' });
    await push.getByText('Cần trình duyệt có bật JavaScript để bật thông báo trên thiết bị.').waitFor();
    expect(await push.getByRole('button').count()).toBe(0);
    await ctx.close();
    // axe needs JavaScript in the page: the same settings page, checked in a second context.
    const js = await newContext(browser, WITH_SERVICE_WORKER); // push is offered through the service worker
    const p2 = await js.newPage();
    await signIn(p2, TEACHER, undefined, '/account/notifications');
    await p2.getByRole('heading', { name: 'Thư thông báo' }).waitFor();
    // With JavaScript, the browser's support is checked and push is offered (off for this device).
    await p2.getByRole('button', { name: 'Bật thông báo trên thiết bị này' }).waitFor();
    await p2.getByText('Đang tắt trên thiết bị này.').waitFor();
    await expectNoA11yViolations(p2);
    await js.close();
  });
});
