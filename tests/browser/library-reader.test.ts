/**
 * The reader on a phone (360×740): one column through page turns, highlights on the same words
 * after a reload, a clean console, the states of a lent book, and offline reading with sync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';

import {
  baseUrl,
  type Browser,
  type BrowserContext,
  expectNoA11yViolations,
  launchBrowser,
  newContext,
  NO_SERVICE_WORKER,
  openServerDb,
  type Page,
  sessionCookieFor,
  uniqueEmail,
  WITH_SERVICE_WORKER,
} from './setup/browser';

const PASSWORD = 'docsach2024';
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

/**
 * A new reader of their own, signed in on `page`: the account is written through the domain's
 * sign-up (the same row the form writes; the form itself is tested in foundation-accounts.test.ts)
 * and signed in by its session cookie, then `at` is opened. Two form round trips (sign-up, then
 * sign-in with its deliberately slow hash) cost several seconds a test on a loaded machine.
 */
async function signUp(page: Page, email: string, at = '/') {
  const { signUp: createAccount } = await import('~/domain/accounts.server');
  const r = await createAccount(await openDb(), {
    email,
    password: PASSWORD,
    displayName: 'Bạn đọc điện thoại',
    birthYear: null,
    homeUnitId: null,
    locale: 'vi',
  });
  if (!r.ok) throw new Error(r.error);
  await signIn(page, email, at);
}

/** Signs `page` in as `email` by its session cookie and opens `at` (on a phone the sign-out form sits in the closed menu). */
async function signIn(page: Page, email: string, at = '/') {
  const c = await sessionCookieFor(email);
  await page.context().addCookies([{ name: c.name, value: c.value, url: baseUrl() }]);
  await page.goto(at);
  await page.locator('form[action="/logout"]').first().waitFor({ state: 'attached' });
}

let serverDb: Promise<DB> | undefined;
const openDb = () => (serverDb ??= openServerDb());

async function borrow(page: Page, slug: string) {
  if (new URL(page.url()).pathname !== `/library/${slug}`) await page.goto(`/library/${slug}`);
  await page.getByRole('button', { name: 'Mượn sách' }).first().click();
  await page.getByText('Bạn đã mượn sách').waitFor();
}

/** Gives the copy back (the demo titles have few copies, shared by every browser test). */
async function giveBack(page: Page, slug: string) {
  await page.goto(`/library/${slug}`);
  await page.getByRole('button', { name: 'Trả sách' }).click();
  await page.getByText('Đã trả sách').waitFor();
}

/** Console errors and uncaught exceptions of a page (React's hydration errors land here). */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** Stops every console watch of `page` (the shared page goes on to other tests). */
function unwatchConsole(page: Page) {
  page.removeAllListeners('console');
  page.removeAllListeners('pageerror');
}

async function openReader(page: Page, slug: string) {
  await page.goto(`/library/${slug}/read`);
  await page.waitForSelector('.lib-reader-view[data-status="ready"]');
}

function bookFrame(page: Page) {
  return page.frames().find((f) => f !== page.mainFrame())!;
}

/** What the reader sees: the page's width, the book's visible box and its column width. */
async function layout(page: Page) {
  const outer = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    viewRight: document.querySelector('.lib-reader-view')!.getBoundingClientRect().right,
    containerWidth: (document.querySelector('.epub-container') as HTMLElement).getBoundingClientRect().width,
  }));
  const columnWidth = await bookFrame(page).evaluate(() => parseFloat(getComputedStyle(document.body).columnWidth));
  return { ...outer, columnWidth };
}

async function openMenu(page: Page) {
  await page.getByRole('button', { name: 'Tùy chọn' }).click();
  await page.locator('dialog.rd-sheet[open]').waitFor();
}

describe('the reader on a phone', () => {
  let browser: Browser;
  // One phone context without the service worker, with one page, shared by the tests that need no
  // offline copy: a new context and page cost ~1.5 s here (a renderer started, the site's scripts
  // fetched again). Each use starts signed out (`fresh`); every test signs up a reader of its own.
  // The offline tests keep contexts of their own (the service worker, Cache Storage, the clock).
  let phone: { ctx: BrowserContext; page: Page };
  async function fresh(): Promise<Page> {
    await phone.ctx.clearCookies();
    return phone.page;
  }
  beforeAll(async () => {
    browser = await launchBrowser();
    const ctx = await newContext(browser, { ...PHONE, ...NO_SERVICE_WORKER });
    phone = { ctx, page: await ctx.newPage() };
  });
  afterAll(async () => {
    await browser.close();
    await (await serverDb)?.destroy();
  });

  it('keeps one column that fits 360 px through ten page turns, full screen, with a clean console', async () => {
    const page = await fresh();
    const errors = watchConsole(page);
    await signUp(page, uniqueEmail('mot-cot'), '/library/tam-cam');
    await borrow(page, 'tam-cam');
    await openReader(page, 'tam-cam');
    // Full screen: no site header, the thin reader bar instead.
    expect(await page.locator('header.site-header').count()).toBe(0);
    await page.getByRole('heading', { level: 1, name: 'Tấm Cám' }).waitFor();
    const first = await layout(page);
    expect(first.scrollWidth).toBeLessThanOrEqual(360);
    expect(first.containerWidth).toBeLessThanOrEqual(360);
    // One column per screen: a second column would need less than half the width.
    expect(first.columnWidth).toBeGreaterThan(180);
    // Large text (as many phone readers use it): more pages to turn in these short demo books.
    await openMenu(page);
    for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Chữ lớn hơn' }).click();
    await page.getByText('Cỡ chữ: 170%').waitFor();
    await page.getByRole('button', { name: 'Đóng' }).click();
    // Ten page turns, forward to the end of the book and back if it ends first; each one must move.
    let back = false;
    for (let i = 0; i < 10; i++) {
      const before = await page.getAttribute('.lib-reader-view', 'data-cfi');
      back ||= (await page.getAttribute('.lib-reader-view', 'data-at-end')) === 'true';
      await page.getByRole('button', { name: back ? /Trang trước/ : /Trang sau/ }).click();
      await page.waitForFunction((b) => document.querySelector('.lib-reader-view')?.getAttribute('data-cfi') !== b, before);
      const l = await layout(page);
      expect(l.scrollWidth, `page turn ${i + 1}`).toBeLessThanOrEqual(360);
      expect(l.viewRight).toBeLessThanOrEqual(360);
      expect(l.containerWidth).toBeLessThanOrEqual(360);
      expect(l.columnWidth).toBeGreaterThan(180);
    }
    // A tap on the right third of the page turns it too.
    const before = await page.getAttribute('.lib-reader-view', 'data-cfi');
    await page.mouse.click(330, 400);
    await page.waitForFunction((b) => document.querySelector('.lib-reader-view')?.getAttribute('data-cfi') !== b, before);
    expect((await layout(page)).scrollWidth).toBeLessThanOrEqual(360);
    expect(errors).toEqual([]);
    await openMenu(page);
    await expectNoA11yViolations(page, { exclude: ['iframe'] });
    await giveBack(page, 'tam-cam');
    unwatchConsole(page);
  });

  it('puts a highlight made at 360 px on the same words after a reload, with the settings kept', async () => {
    const page = await fresh();
    const errors = watchConsole(page);
    await signUp(page, uniqueEmail('to-sang'), '/library/truyen-kieu-trich');
    await openReader(page, 'truyen-kieu-trich');
    // Larger text first (remembered for this reader on every device).
    await openMenu(page);
    await page.getByRole('button', { name: 'Chữ lớn hơn' }).click();
    await page.getByText('Cỡ chữ: 120%').waitFor();
    // A chapter with verse, as a reader would open it from the contents.
    await page.selectOption('[data-testid="toc"]', { index: 2 });
    await page.waitForFunction(() => document.querySelector('.lib-reader-view')?.getAttribute('data-chapter'));
    // Select four words in the middle of the second paragraph with text, as a finger would.
    const words = await bookFrame(page).evaluate(() => {
      const p = [...document.querySelectorAll('p')].filter((x) => (x.textContent ?? '').trim().split(/\s+/).length > 6)[1]!;
      const node = [...p.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim().split(/\s+/).length > 6)!;
      const text = node.textContent!;
      const starts = [...text.matchAll(/\S+/g)];
      const range = document.createRange();
      range.setStart(node, starts[2]!.index!);
      range.setEnd(node, starts[5]!.index! + starts[5]![0].length);
      const sel = document.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
      return sel.toString();
    });
    await page.locator('#hl-note').waitFor();
    await page.getByRole('button', { name: 'Tô sáng', exact: true }).click();
    await page.locator('#hl-note').waitFor({ state: 'detached' });
    await page.reload();
    await page.waitForSelector('.lib-reader-view[data-status="ready"]');
    await page.locator('g.lib-hl rect').first().waitFor({ state: 'attached' });
    await openMenu(page);
    await page.getByText('Cỡ chữ: 120%').waitFor();
    await page.getByRole('button', { name: 'Đóng' }).click();
    // The drawn highlight covers the same words: find them again in the book and compare boxes.
    const frameBox = (await page.locator('.lib-reader-view iframe').boundingBox())!;
    const wordsBox = await bookFrame(page).evaluate((w) => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = (n.textContent ?? '').indexOf(w);
        if (i < 0) continue;
        const range = document.createRange();
        range.setStart(n, i);
        range.setEnd(n, i + w.length);
        const r = range.getClientRects()[0]!;
        return { x: r.left, y: r.top, h: r.height };
      }
      return null;
    }, words);
    expect(wordsBox).not.toBeNull();
    const mark = await page.locator('g.lib-hl rect').first().boundingBox();
    expect(mark).not.toBeNull();
    const wordsTop = frameBox.y + wordsBox!.y;
    // Same line: the highlight's middle lies within the first line of the words.
    expect(mark!.y + mark!.height / 2).toBeGreaterThan(wordsTop);
    expect(mark!.y + mark!.height / 2).toBeLessThan(wordsTop + wordsBox!.h);
    expect(Math.abs(mark!.x - (frameBox.x + wordsBox!.x))).toBeLessThan(4);
    expect(errors).toEqual([]);
    unwatchConsole(page);
  });

  it('shows "borrow to read" for a lent book without a loan, signed out and signed in', async () => {
    const page = await fresh();
    const res = await page.goto('/library/thanh-giong/read');
    expect(res?.status()).toBe(200);
    await page.getByRole('heading', { name: 'Mượn sách để đọc' }).waitFor();
    await page.getByRole('link', { name: 'Đăng nhập để mượn' }).first().waitFor();
    await expectNoA11yViolations(page);
    await signUp(page, uniqueEmail('muon-de-doc'), '/library/son-tinh-thuy-tinh');
    await page.goto('/library/son-tinh-thuy-tinh/read');
    await page.getByRole('heading', { name: 'Mượn sách để đọc' }).waitFor();
    await page.getByRole('button', { name: 'Mượn sách' }).first().click();
    await page.getByText('Bạn đã mượn sách').waitFor();
    await giveBack(page, 'son-tinh-thuy-tinh');
  });

  it('without JavaScript says so and offers the download of an open-access book', async () => {
    const ctx = await newContext(browser, { ...PHONE, javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto('/library/truyen-kieu-trich/read');
    // (Playwright's text locators skip <noscript>: read it from its box.)
    expect(await page.locator('.rd-nojs').innerText()).toContain('Trình đọc sách cần JavaScript');
    expect(await page.locator('.rd-nojs a[download]').getAttribute('href')).toBe('/library/truyen-kieu-trich/file');
    expect(await page.locator('.rd-nojs a[download]').isVisible()).toBe(true);
    expect(await page.getByText('Đang mở sách…').isVisible()).toBe(false);
    expect(await page.locator('.rd-foot').isVisible()).toBe(false);
    await ctx.close();
  });

  it('reads a borrowed book offline, queues the changes and syncs them without overwriting a newer device', async () => {
    const email = uniqueEmail('ngoai-tuyen');
    const ctx: BrowserContext = await newContext(browser, { ...PHONE, ...WITH_SERVICE_WORKER });
    const page = await ctx.newPage();
    const errors = watchConsole(page);
    await signUp(page, email, '/library/tam-cam');
    await borrow(page, 'tam-cam');
    await openReader(page, 'tam-cam');
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await openMenu(page);
    await page.getByRole('button', { name: 'Tải về để đọc ngoại tuyến' }).click();
    await page.getByText('đọc được khi không có mạng đến hết hạn mượn').waitFor();
    await page.getByRole('button', { name: 'Đóng' }).click();

    await ctx.setOffline(true);
    await page.goto('/library/tam-cam/read');
    await page.waitForSelector('.lib-reader-view[data-status="ready"]');
    await page.getByText('đang đọc bản đã tải về').waitFor();
    await page.getByText('Bạn đang ngoại tuyến').waitFor();
    // Offline: go to chapter 2 and bookmark it.
    await openMenu(page);
    await page.selectOption('[data-testid="toc"]', { label: 'Con bống và chiếc hài' });
    await page.waitForSelector('.lib-reader-view[data-chapter="Con bống và chiếc hài"]');
    await openMenu(page);
    await page.getByRole('button', { name: 'Đánh dấu trang' }).click();
    await page.getByRole('heading', { name: 'Đánh dấu và ghi chú' }).waitFor();
    // The offline page lists the book and the waiting changes.
    await page.goto('/offline');
    await page.getByTestId('offline-books').getByRole('link', { name: 'Tấm Cám' }).waitFor();
    await page.getByText(/2 thay đổi/).waitFor();

    // Meanwhile another device, online, reads on to chapter 3: that is newer.
    const p2 = await fresh();
    await signIn(p2, email);
    await openReader(p2, 'tam-cam');
    await openMenu(p2);
    const third = await p2.locator('[data-testid="toc"] option').nth(3).textContent();
    await p2.selectOption('[data-testid="toc"]', { index: 3 });
    await p2.waitForSelector(`.lib-reader-view[data-chapter="${third}"]`);
    await p2.getByText('đã lưu vị trí').waitFor();

    // Back online: the queue is sent; the bookmark arrives, the older position does not win.
    await ctx.setOffline(false);
    await page.goto('/offline');
    await page.getByTestId('offline-books').waitFor();
    await page.waitForFunction(() => !document.body.innerText.includes('thay đổi'));
    await p2.goto('/library/notes');
    await p2.locator('main li[data-kind="bookmark"]').first().waitFor();
    await openReader(p2, 'tam-cam');
    expect(await p2.getAttribute('.lib-reader-view', 'data-chapter')).toBe(third);
    await expectNoA11yViolations(page);
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/.test(e))).toEqual([]);
    await giveBack(page, 'tam-cam');
    await ctx.close();
  });

  it('refuses the offline copy once the loan has ended, even without a network', async () => {
    const ctx = await newContext(browser, { ...PHONE, ...WITH_SERVICE_WORKER });
    const page = await ctx.newPage();
    const email = uniqueEmail('het-han');
    await signUp(page, email, '/library/tam-cam');
    await borrow(page, 'tam-cam');
    await openReader(page, 'tam-cam');
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await openMenu(page);
    await page.getByRole('button', { name: 'Tải về để đọc ngoại tuyến' }).click();
    await page.getByText('đọc được khi không có mạng đến hết hạn mượn').waitFor();
    await ctx.setOffline(true);
    // The device's clock is now past the end of the 14-day loan.
    await page.clock.install({ time: new Date(Date.now() + 30 * 24 * 3600 * 1000) });
    await page.goto('/library/tam-cam/read');
    await page.locator('.lib-reader-view[data-status="expired"]').waitFor();
    await page.getByText('Lượt mượn sách này đã hết hạn').waitFor();
    await page.goto('/offline');
    await page.getByText('Chưa có sách nào được tải về máy này.').waitFor();
    await ctx.close();
    // The loan itself is still running on the server: give the copy back from a fresh page.
    const p2 = await fresh();
    await signIn(p2, email, '/library/tam-cam');
    await giveBack(p2, 'tam-cam');
  });
});
