/**
 * A teacher edits quiz questions of all five kinds without JavaScript: the edit form opens filled
 * with the stored question and key, and the changes are saved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, launchBrowser, type Page } from './setup/browser';
import { signedInPage } from './setup/signed-in';

async function post(page: Page, button: ReturnType<Page['locator']>) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}

const QUESTIONS = [
  { kind: 'single', prompt: 'Thủ đô của Việt Nam?', options: 'Huế\nHà Nội\nĐà Nẵng', correct: '2', expectCorrect: '2', newCorrect: '3' },
  {
    kind: 'multiple',
    prompt: 'Những nguồn nào là học liệu mở?',
    options: 'Sách giáo khoa CC BY\nPhim có bản quyền\nBài giảng CC0',
    correct: '1,3',
    expectCorrect: '1, 3',
    newCorrect: '1',
  },
  { kind: 'true_false', prompt: 'Tuần lễ học tập suốt đời bắt đầu vào tháng 10.', tf: 'true' },
  { kind: 'short', prompt: 'Gõ tên toán tử giới hạn tìm kiếm trong một trang.', accepted: 'site' },
  { kind: 'ordering', prompt: 'Sắp xếp các bước tự học.', options: 'Đặt mục tiêu\nTìm tài liệu\nTự đánh giá' },
] as const;

describe('courses: editing quiz questions without JavaScript', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens each kind of question filled in, and saves the edited prompt and key', async () => {
    const { ctx, page } = await signedInPage(browser, 'teacher', { javaScriptEnabled: false, path: '/courses/new' });
    await page.getByLabel('Tên khóa học').fill(`Sửa câu hỏi ${Date.now().toString(36)}`);
    await page.getByLabel('Tóm tắt').fill('Khóa học thử sửa câu hỏi.');
    await post(page, page.getByRole('button', { name: 'Tạo khóa học (bản nháp)' }));
    await page.getByLabel('Tên mô-đun mới').fill('Mô-đun 1');
    await post(page, page.getByRole('button', { name: 'Thêm mô-đun' }));
    await page.getByLabel('Tên bài học mới').fill('Kiểm tra');
    await post(page, page.getByRole('button', { name: 'Thêm bài học' }));
    expect(page.url()).toMatch(/\/edit\/[a-z0-9]+$/);

    const add = page.locator('fieldset:has(legend:text-is("Thêm câu hỏi"))');
    for (const q of QUESTIONS) {
      await add.getByLabel('Loại câu hỏi').selectOption(q.kind);
      await add.getByLabel('Câu hỏi', { exact: true }).fill(q.prompt);
      if ('options' in q) await add.getByLabel('Các phương án').fill(q.options);
      if ('correct' in q) await add.getByLabel('Số thứ tự phương án đúng').fill(q.correct);
      if ('tf' in q) await add.getByLabel('Đáp án đúng/sai').selectOption(q.tf);
      if ('accepted' in q) await add.getByLabel('Các câu trả lời được chấp nhận').fill(q.accepted);
      await post(page, add.getByRole('button', { name: 'Thêm câu hỏi' }));
    }
    await expect(page.locator('ol.question-admin > li').count()).resolves.toBe(5);

    for (const [i, q] of QUESTIONS.entries()) {
      const item = page.locator('ol.question-admin > li').nth(i);
      await post(page, item.getByRole('link', { name: `Sửa “${q.prompt}”` }));
      const edit = page.locator('fieldset.question-edit');
      // Filled with what is stored.
      expect(await edit.getByLabel('Loại câu hỏi').inputValue()).toBe(q.kind);
      expect(await edit.getByLabel('Câu hỏi', { exact: true }).inputValue()).toBe(q.prompt);
      if ('options' in q) expect(await edit.getByLabel('Các phương án').inputValue()).toBe(q.options);
      if ('expectCorrect' in q) expect(await edit.getByLabel('Số thứ tự phương án đúng').inputValue()).toBe(q.expectCorrect);
      if ('tf' in q) expect(await edit.getByLabel('Đáp án đúng/sai').inputValue()).toBe('true');
      if ('accepted' in q) expect(await edit.getByLabel('Các câu trả lời được chấp nhận').inputValue()).toBe('site');

      // Change it.
      await edit.getByLabel('Câu hỏi', { exact: true }).fill(`${q.prompt} (đã sửa)`);
      if ('newCorrect' in q) await edit.getByLabel('Số thứ tự phương án đúng').fill(q.newCorrect);
      if ('tf' in q) await edit.getByLabel('Đáp án đúng/sai').selectOption('false');
      if ('accepted' in q) await edit.getByLabel('Các câu trả lời được chấp nhận').fill('site\nsite:');
      if (q.kind === 'ordering') await edit.getByLabel('Các phương án').fill('Đặt mục tiêu\nTìm tài liệu\nLuyện tập\nTự đánh giá');
      await post(page, edit.getByRole('button', { name: 'Lưu câu hỏi' }));
      await expect(page.locator('fieldset.question-edit').count()).resolves.toBe(0);
      await expect(page.locator('ol.question-admin > li').nth(i).textContent()).resolves.toContain(`${q.prompt} (đã sửa)`);

      // Reopened, it shows the saved key.
      await post(page, page.locator('ol.question-admin > li').nth(i).getByRole('link', { name: /^Sửa/ }));
      const again = page.locator('fieldset.question-edit');
      if ('newCorrect' in q) expect(await again.getByLabel('Số thứ tự phương án đúng').inputValue()).toBe(q.newCorrect);
      if ('tf' in q) expect(await again.getByLabel('Đáp án đúng/sai').inputValue()).toBe('false');
      if ('accepted' in q) expect(await again.getByLabel('Các câu trả lời được chấp nhận').inputValue()).toBe('site\nsite:');
      if (q.kind === 'ordering') expect(await again.getByLabel('Các phương án').inputValue()).toContain('Luyện tập');
    }

    // An invalid edit is refused with the area's own message, and the typed text is kept.
    await post(page, page.locator('ol.question-admin > li').nth(0).getByRole('link', { name: /^Sửa/ }));
    const edit = page.locator('fieldset.question-edit');
    await edit.getByLabel('Số thứ tự phương án đúng').fill('9');
    await edit.getByLabel('Câu hỏi', { exact: true }).fill('Câu hỏi mới chưa lưu');
    await post(page, edit.getByRole('button', { name: 'Lưu câu hỏi' }));
    await expect(page.locator('fieldset.question-edit .field-error').first().textContent()).resolves.toContain(
      'Hãy ghi số thứ tự của phương án đúng',
    );
    expect(await page.locator('fieldset.question-edit').getByLabel('Câu hỏi', { exact: true }).inputValue()).toBe('Câu hỏi mới chưa lưu');
    await ctx.close();
  });
});
