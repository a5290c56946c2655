/**
 * The course editor's reordering in a real browser: with JavaScript, a lesson dragged with the
 * mouse (native HTML5 drag and drop) or moved with the keyboard (Space, arrows, Enter/Escape,
 * announced in Vietnamese) keeps its new place after a reload, and so does a dragged module;
 * without JavaScript there are no drag handles and the up/down buttons still reorder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, launchBrowser, newContext, type Page, signIn } from './setup/browser';
import { signedInPage } from './setup/signed-in';

const TEACHER = 'giaovien@demo.hoctap.vn';
const COURSE_TITLE = `Sắp xếp bài học ${Date.now().toString(36)}`;
let slug = '';

const lessonTitles = (page: Page) => page.locator('ol.outline-edit > li').nth(0).locator('ol.lesson-edit-list > li > a').allTextContents();
const moduleTitles = (page: Page) =>
  page.locator('ol.outline-edit > li input[name="title"][id^="mt-"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
const lessonRow = (page: Page, title: string) => page.locator('ol.lesson-edit-list > li', { has: page.locator(`a:text-is("${title}")`) });
const status = (page: Page) => page.locator('[data-reorder-status]');

async function reloadEditor(page: Page) {
  await page.goto(`/courses/${slug}/edit`);
  await page.locator('h2#outline').waitFor();
}

describe('courses: reordering modules and lessons in the editor', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a teacher drags a lesson, moves one with the keyboard and drags a module; the order survives a reload', async () => {
    // Tall enough that no drag needs the page to scroll under the pointer.
    const ctx = await newContext(browser, { viewport: { width: 1280, height: 2000 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await signIn(page, TEACHER, undefined, '/courses/new');
    await page.getByLabel('Tên khóa học').fill(COURSE_TITLE);
    await page.getByLabel('Tóm tắt').fill('Thử kéo thả để đổi thứ tự bài học.');
    await Promise.all([
      page.waitForURL(/\/courses\/[^/]+\/edit$/, { waitUntil: 'commit' }),
      page.getByRole('button', { name: 'Tạo khóa học (bản nháp)' }).click(),
    ]);
    await page.locator('h2#outline').waitFor();
    slug = new URL(page.url()).pathname.split('/')[2]!;

    for (const [i, title] of ['Mô-đun Một', 'Mô-đun Hai'].entries()) {
      await page.getByLabel('Tên mô-đun mới').fill(title);
      await page.getByRole('button', { name: 'Thêm mô-đun' }).click();
      await page.locator('ol.outline-edit > li').nth(i).waitFor();
    }
    for (const title of ['Bài A', 'Bài B', 'Bài C']) {
      const m1 = page.locator('ol.outline-edit > li').nth(0);
      await m1.getByLabel('Tên bài học mới').fill(title);
      await Promise.all([
        page.waitForURL(/\/edit\/[a-z0-9]+$/, { waitUntil: 'commit' }),
        m1.getByRole('button', { name: 'Thêm bài học' }).click(),
      ]);
      await page.locator('textarea[name="body_md"]').waitFor();
      await reloadEditor(page);
    }
    expect(await lessonTitles(page)).toEqual(['Bài A', 'Bài B', 'Bài C']);

    // Mouse: drag "Bài C" by its handle onto the top half of "Bài A".
    await lessonRow(page, 'Bài C').locator('.drag-handle').waitFor();
    expect(await lessonRow(page, 'Bài C').getAttribute('draggable')).toBe('true');
    await page.dragAndDrop(
      'ol.lesson-edit-list > li:has(a:text-is("Bài C")) .drag-handle',
      'ol.lesson-edit-list > li:has(a:text-is("Bài A"))',
      { targetPosition: { x: 20, y: 2 } },
    );
    expect(await lessonTitles(page)).toEqual(['Bài C', 'Bài A', 'Bài B']);
    await status(page).filter({ hasText: 'Đã lưu thứ tự mới.' }).first().waitFor();
    await reloadEditor(page);
    expect(await lessonTitles(page)).toEqual(['Bài C', 'Bài A', 'Bài B']);

    // Keyboard: Space picks "Bài A" up, ↓ moves it, Escape puts it back (nothing saved)…
    const handleA = lessonRow(page, 'Bài A').getByRole('button', { name: 'Kéo để sắp xếp “Bài A”' });
    await handleA.focus();
    await page.keyboard.press('Space');
    await status(page).filter({ hasText: 'Đã nhấc “Bài A”, đang ở vị trí 2 trên 3' }).first().waitFor();
    expect(await handleA.getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await lessonTitles(page)).toEqual(['Bài C', 'Bài B', 'Bài A']);
    await status(page).filter({ hasText: '“Bài A”: vị trí 3 trên 3.' }).first().waitFor();
    await page.keyboard.press('Escape');
    expect(await lessonTitles(page)).toEqual(['Bài C', 'Bài A', 'Bài B']);
    await status(page).filter({ hasText: 'Đã hủy. “Bài A” trở về vị trí 2 trên 3.' }).first().waitFor();
    // …then Space, ↑ (focus stays on the moved handle), Enter drops and saves.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Kéo để sắp xếp “Bài A”');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Kéo để sắp xếp “Bài A”');
    await page.keyboard.press('Enter');
    expect(await lessonTitles(page)).toEqual(['Bài A', 'Bài C', 'Bài B']);
    await status(page).filter({ hasText: 'Đã lưu thứ tự mới.' }).first().waitFor();
    await reloadEditor(page);
    expect(await lessonTitles(page)).toEqual(['Bài A', 'Bài C', 'Bài B']);

    // Modules: drag "Mô-đun Hai" above "Mô-đun Một"; its lessons go with the first module.
    expect(await moduleTitles(page)).toEqual(['Mô-đun Một', 'Mô-đun Hai']);
    await page.dragAndDrop('ol.outline-edit > li:nth-child(2) .module-title-row .drag-handle', 'ol.outline-edit > li:nth-child(1)', {
      targetPosition: { x: 30, y: 5 },
    });
    await status(page).filter({ hasText: 'Đã lưu thứ tự mới.' }).first().waitFor();
    await reloadEditor(page);
    expect(await moduleTitles(page)).toEqual(['Mô-đun Hai', 'Mô-đun Một']);
    expect(await page.locator('ol.outline-edit > li').nth(1).locator('ol.lesson-edit-list > li > a').allTextContents()).toEqual([
      'Bài A',
      'Bài C',
      'Bài B',
    ]);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('without JavaScript there are no drag handles and the up/down buttons still reorder', async () => {
    expect(slug, 'the first test creates the course').not.toBe('');
    const { ctx, page } = await signedInPage(browser, { email: TEACHER }, { javaScriptEnabled: false, path: `/courses/${slug}/edit` });
    await page.locator('h2#outline').waitFor();
    expect(await page.locator('.drag-handle').count()).toBe(0);
    expect(await page.locator('[draggable="true"]').count()).toBe(0);
    const lessons = () => page.locator('ol.outline-edit > li').nth(1).locator('ol.lesson-edit-list > li > a').allTextContents();
    expect(await lessons()).toEqual(['Bài A', 'Bài C', 'Bài B']);
    // The form posts and the editor loads again at the same URL: wait for the new order itself
    // (waiting for the URL returned at once, before the new page, and read an empty list).
    await page.getByRole('button', { name: 'Chuyển “Bài B” lên' }).click();
    await expect.poll(lessons, { timeout: 30_000 }).toEqual(['Bài A', 'Bài B', 'Bài C']);
    await page.getByRole('button', { name: 'Chuyển “Mô-đun Một” lên' }).click();
    await expect.poll(() => moduleTitles(page), { timeout: 30_000 }).toEqual(['Mô-đun Một', 'Mô-đun Hai']);
    await ctx.close();
  });
});
