/**
 * The demo intergenerational club's schedule and spoiler-safe threads in the browser: the
 * grandchild marks two parts read (without JavaScript) and posts in part 2's thread; the
 * grandfather, still before part 2, sees it locked with its post count and no text, then pairs
 * up with the grandchild. axe (with JavaScript on) on the schedule, the discussion list, a thread,
 * the locked page and the club page's pairs. In part 2's thread (the shared thread view, whose
 * per-post tools are plain forms sent by one `useSubmit`): reactions with JavaScript and without,
 * the grandchild removing a reply of their own without JavaScript, and the club's moderator hiding
 * a post with JavaScript.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, expectNoA11yViolations, launchBrowser, NO_SERVICE_WORKER, type SharedPages, sharedPages } from './setup/browser';

const ELDER = 'ongba@demo.hoctap.vn';
const CHILD = 'hocsinh@demo.hoctap.vn';
const CLUB = '/clubs/clb-ong-ba-va-chau-cung-doc';
const LIBRARIAN = 'thuthu@demo.hoctap.vn'; // the club's moderator (its creator in the demo)

describe('club schedule and spoiler-safe discussion in the browser', () => {
  let browser: Browser;
  let part2 = '';
  const said = `Cháu thích câu hỏi số 2 nhất ${Date.now().toString(36)}`;
  // One context with JavaScript and one without, each with one page, shared by the tests: a new
  // context and page cost ~1.5 s here (a renderer started, the site's scripts fetched again). Each
  // person signs in on them by their session cookie (`as`), the previous one's cookies cleared.
  let pages: SharedPages;
  const as = (email: string, path: string, javaScriptEnabled = true) => pages.as(email, path, javaScriptEnabled);
  beforeAll(async () => {
    browser = await launchBrowser();
    pages = await sharedPages(browser, NO_SERVICE_WORKER);
  });
  afterAll(() => browser.close());

  it('the grandchild marks progress without JavaScript and posts in part 2', async () => {
    const page = await as(CHILD, `${CLUB}/schedule`, false);
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
  });

  it('the grandfather, still in part 1, sees part 2 locked with its post count, then pairs up with the grandchild', async () => {
    expect(part2).toMatch(/\/t\//);
    const page = await as(ELDER, `${CLUB}/schedule`);
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

    // The club page sums the members up; the full list, with "read together", is its own page.
    await page.goto(CLUB);
    await page.getByRole('link', { name: /^Xem danh sách \d+ thành viên$/ }).click();
    await page.getByRole('heading', { name: /^Thành viên của / }).waitFor();
    await expectNoA11yViolations(page);
    await page.locator('.member-list li', { hasText: /^An\s/ }).getByRole('button', { name: 'Mời đọc cùng' }).click();
    await page.getByText('Đã gửi lời mời đọc cùng.').waitFor();
    await page.getByText('Đang chờ An nhận lời').waitFor();

    const p2 = await as(CHILD, `${CLUB}#pairs`);
    await p2.getByText('Ông Nguyễn Văn Bình mời bạn đọc cùng').waitFor();
    await p2.getByRole('button', { name: 'Nhận lời' }).click();
    await p2.getByText('Hai người đã thành cặp đọc cùng.').waitFor();
    await p2.getByText('Bạn đọc cùng Ông Nguyễn Văn Bình').waitFor();
    await expectNoA11yViolations(p2);
    // The grandchild, past part 2, reads its thread (axe on a thread page).
    await p2.goto(part2);
    await p2.getByText(said).waitFor();
    await expectNoA11yViolations(p2);
  });

  it('part 2’s post tools work with JavaScript and without: reactions, removing one’s own reply, hiding a post', async () => {
    expect(part2).toMatch(/\/t\//);
    // The club's moderator reacts with JavaScript…
    const mod = await as(LIBRARIAN, part2);
    const post = mod.locator('article.post', { hasText: said });
    await post.getByRole('button', { name: /^Thích/ }).click();
    await mod.getByText('Đã bày tỏ cảm xúc.').waitFor();
    await expect.poll(() => post.getByRole('button', { name: /^Thích/ }).getAttribute('aria-pressed')).toBe('true');

    // …and without: a second reaction, the first kept.
    const mod2 = await as(LIBRARIAN, part2, false);
    const post2 = mod2.locator('article.post', { hasText: said });
    await post2.getByRole('button', { name: /^Cảm ơn/ }).click();
    await mod2.getByText('Đã bày tỏ cảm xúc.').waitFor();
    const again = mod2.locator('article.post', { hasText: said });
    expect(await again.getByRole('button', { name: /^Cảm ơn/ }).getAttribute('aria-pressed')).toBe('true');
    expect(await again.getByRole('button', { name: /^Thích/ }).getAttribute('aria-pressed')).toBe('true');

    // The grandchild, without JavaScript, replies and removes that reply.
    const kid = await as(CHILD, part2, false);
    const oops = `Cháu gửi nhầm ${Date.now().toString(36)}`;
    await kid.locator('#reply-body').fill(oops);
    await kid.getByRole('button', { name: 'Gửi trả lời' }).click();
    await kid.getByText(oops).waitFor();
    await kid.locator('article.post', { hasText: oops }).getByRole('button', { name: 'Gỡ bài' }).click();
    await kid.getByText('Đã gỡ bài.').waitFor();
    expect(await kid.getByText(oops).count()).toBe(0);

    // The moderator hides the first post with JavaScript, from the post's own moderation form.
    await mod.reload();
    const target = mod.locator('article.post', { hasText: said });
    await target.getByText('Điều phối').click();
    await target.getByLabel('Hành động').selectOption('hide');
    await target.getByLabel('Lý do (tác giả sẽ được báo)').fill('Thử điều phối');
    await target.getByRole('button', { name: 'Thực hiện' }).click();
    await mod.getByText('Đã thực hiện.').waitFor();
    await mod.locator('article.post', { hasText: 'Bài đã bị ẩn chờ xem xét.' }).first().waitFor();
  });
});
