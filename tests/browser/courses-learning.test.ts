/**
 * Courses in a real browser against the built site: a teacher builds a two-module course with a
 * quiz and publishes it; fresh learners enrol, read, take the quiz (answers survive a reload),
 * pass, get a certificate and see it on /verify/<code> — with JavaScript on and off — and axe-core
 * finds no WCAG 2 A/AA violations on the course, lesson, quiz, certificate and verify pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { newAccount } from './new-account';
import {
  type Browser,
  expectNoA11yViolations,
  launchBrowser,
  type Page,
  type SharedPages,
  sharedPages,
  signIn,
  uniqueEmail,
  url,
} from './setup/browser';

const PASSWORD = 'hoc-khoa-hoc-2024';
const TEACHER = 'giaovien@demo.hoctap.vn';
const COURSE_TITLE = `Đọc sách cùng con ${Date.now().toString(36)}`;
const Q_SINGLE = 'Nên đọc sách cùng con vào lúc nào là tốt nhất?';
const Q_SINGLE_RIGHT = 'Trước giờ đi ngủ, mỗi ngày một chút';
const Q_TF = 'Đọc to cho trẻ nghe giúp trẻ mở rộng vốn từ.';

/** Set by the teacher's test; the learners' tests use the course it published. */
let courseSlug = '';

/** Clicks and waits until the URL matches, then for `ready` (with JS the URL changes before React renders). */
async function clickTo(
  page: Page,
  target: ReturnType<Page['locator']>,
  urlTest: RegExp | ((u: URL) => boolean),
  ready: string,
): Promise<void> {
  await Promise.all([page.waitForURL(urlTest, { waitUntil: 'commit' }), target.click()]);
  await page
    .locator(ready)
    .first()
    .waitFor()
    .catch(async (e) => {
      throw new Error(
        `${String(e)}\nat ${page.url()}: ${(
          await page
            .locator('main')
            .textContent()
            .catch(() => '')
        )?.slice(0, 600)}`,
      );
    });
}

describe('courses: teacher builds, learners complete and get a verifiable certificate', () => {
  let browser: Browser;
  // One context with JavaScript and one without, each with one page, shared by the tests: a new
  // context and page cost ~1.5 s here (a renderer started, the site's scripts fetched again). Each
  // test starts signed out (`anonymous`) and signs its person in by cookie.
  let pages: SharedPages;
  const anonymous = (javaScriptEnabled = true) => pages.anonymous(javaScriptEnabled);
  beforeAll(async () => {
    browser = await launchBrowser();
    pages = await sharedPages(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a teacher builds a course with two modules and a two-question quiz, and publishes it', async () => {
    const page = await anonymous();
    await signIn(page, TEACHER, undefined, '/courses/new');
    await page.getByLabel('Tên khóa học').fill(COURSE_TITLE);
    await page.getByLabel('Tóm tắt').fill('Khóa học ngắn cho phụ huynh: đọc cùng con mỗi tối.');
    // The teacher's only unit (THCS Biên Giang) is chosen already.
    expect(await page.locator('select[name="unit_id"] option:checked').textContent()).toContain('Trường THCS Biên Giang');
    await clickTo(page, page.getByRole('button', { name: 'Tạo khóa học (bản nháp)' }), /\/courses\/[^/]+\/edit$/, 'h2#outline');
    courseSlug = new URL(page.url()).pathname.split('/')[2]!;
    await expect(page.locator('h1').textContent()).resolves.toContain('Bản nháp');

    for (const [i, title] of ['Mô-đun 1. Vì sao đọc cùng con', 'Mô-đun 2. Kiểm tra'].entries()) {
      await page.getByLabel('Tên mô-đun mới').fill(title);
      await page.getByRole('button', { name: 'Thêm mô-đun' }).click();
      await page.locator('ol.outline-edit > li').nth(i).waitFor();
      expect(await page.locator('ol.outline-edit > li').nth(i).locator('input[name="title"]').first().inputValue()).toBe(title);
    }

    // Module 1: a reading lesson.
    const m1 = page.locator('ol.outline-edit > li').nth(0);
    await m1.getByLabel('Tên bài học mới').fill('Lợi ích của việc đọc to');
    await clickTo(page, m1.getByRole('button', { name: 'Thêm bài học' }), /\/edit\/[a-z0-9]+$/, 'textarea[name="body_md"]');
    await page.locator('textarea[name="body_md"]').fill('## Đọc to mỗi tối\n\nMười lăm phút **mỗi ngày** là đủ để con yêu sách.');
    await clickTo(
      page,
      page.getByRole('button', { name: 'Lưu bài học' }),
      /\/edit\/[a-z0-9]+$/,
      '.flash-region p.flash:text-is("Đã lưu.")',
    );

    // Module 2: a lesson completed by a quiz with two questions.
    await page.goto(`/courses/${courseSlug}/edit`);
    const m2 = page.locator('ol.outline-edit > li').nth(1);
    await m2.getByLabel('Tên bài học mới').fill('Bài kiểm tra cuối khóa');
    await clickTo(page, m2.getByRole('button', { name: 'Thêm bài học' }), /\/edit\/[a-z0-9]+$/, 'textarea[name="body_md"]');
    await page.locator('textarea[name="body_md"]').fill('Trả lời hai câu hỏi để hoàn thành khóa học.');
    await page.getByLabel('Điều kiện hoàn thành').selectOption('quiz');
    await clickTo(
      page,
      page.getByRole('button', { name: 'Lưu bài học' }),
      /\/edit\/[a-z0-9]+$/,
      '.flash-region p.flash:text-is("Đã lưu.")',
    );
    expect(await page.getByLabel('Điều kiện hoàn thành').inputValue()).toBe('quiz');

    const add = page.locator('fieldset:has(legend:text-is("Thêm câu hỏi"))');
    await add.getByLabel('Loại câu hỏi').selectOption('single');
    await add.getByLabel('Câu hỏi', { exact: true }).fill(Q_SINGLE);
    await add.getByLabel('Các phương án').fill(`Chỉ vào cuối tuần\n${Q_SINGLE_RIGHT}\nKhi con đã biết đọc`);
    await add.getByLabel('Số thứ tự phương án đúng').fill('2');
    await add.getByRole('button', { name: 'Thêm câu hỏi' }).click();
    await page.locator('ol.question-admin > li').nth(0).waitFor();

    await add.getByLabel('Loại câu hỏi').selectOption('true_false');
    await add.getByLabel('Câu hỏi', { exact: true }).fill(Q_TF);
    await add.getByLabel('Đáp án đúng/sai').selectOption('true');
    await add.getByRole('button', { name: 'Thêm câu hỏi' }).click();
    await page.locator('ol.question-admin > li').nth(1).waitFor();
    await expect(page.locator('#questions').textContent()).resolves.toContain('2 câu');

    await page.goto(`/courses/${courseSlug}/edit`);
    await clickTo(
      page,
      page.getByRole('button', { name: 'Xuất bản' }),
      /\/edit$/,
      '.flash-region p.flash:text-is("Đã xuất bản khóa học.")',
    );
    await page.locator('button:text-is("Ngừng xuất bản")').waitFor();
    await expect(page.locator('h1').textContent()).resolves.toContain('Đã xuất bản');

    // The catalogue lists it for everyone.
    const res = await fetch(url(`/courses?q=${encodeURIComponent(COURSE_TITLE)}`));
    expect(await res.text()).toContain(COURSE_TITLE);
  });

  for (const javaScriptEnabled of [true, false]) {
    it(`a new learner enrols, completes the course, keeps quiz answers across a reload, and verifies the certificate (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      expect(courseSlug, 'the teacher test publishes the course').not.toBe('');
      const page = await anonymous(javaScriptEnabled);
      const ctx = page.context();
      const errors: string[] = [];
      const onError = (e: Error) => errors.push(String(e));
      page.on('pageerror', onError);
      const name = `Phụ huynh ${javaScriptEnabled ? 'JS' : 'HTML'} Trần Thị Mai`;
      await newAccount(page, { name, email: uniqueEmail('hocvien'), password: PASSWORD, redirectTo: `/courses/${courseSlug}` });

      await expect(page.locator('h1').textContent()).resolves.toBe(COURSE_TITLE);
      if (javaScriptEnabled) await expectNoA11yViolations(page);
      // With JavaScript the URL changes before the lesson renders (the course page's h1 is still there):
      // wait for the lesson's own heading.
      await clickTo(
        page,
        page.getByRole('button', { name: 'Ghi danh và bắt đầu học' }),
        /\/lessons\/[a-z0-9]+$/,
        'main h1:has-text("Lợi ích của việc đọc to")',
      );
      await expect(page.locator('main h1').textContent()).resolves.toContain('Lợi ích của việc đọc to');
      await expect(page.locator('.lesson-body').textContent()).resolves.toContain('Mười lăm phút');
      if (javaScriptEnabled) await expectNoA11yViolations(page);

      // Reading done → straight to the next lesson (the quiz lesson).
      await clickTo(
        page,
        page.getByRole('button', { name: /đánh dấu hoàn thành/ }),
        (u) => u.pathname.includes('/lessons/'),
        'main h1:has-text("Bài kiểm tra cuối khóa")',
      );
      await clickTo(page, page.getByRole('link', { name: 'Làm bài kiểm tra' }), /\/quiz$/, 'button:text-is("Bắt đầu làm bài")');
      await clickTo(page, page.getByRole('button', { name: 'Bắt đầu làm bài' }), /\/quiz$/, 'fieldset.question');
      expect(await page.locator('fieldset.question').count()).toBe(2);
      if (javaScriptEnabled) await expectNoA11yViolations(page);

      // Answer one question, let it be saved (autosave with JS, the save button without), reload.
      const single = page.locator('fieldset.question', { hasText: Q_SINGLE });
      await single.getByLabel(Q_SINGLE_RIGHT).check();
      if (javaScriptEnabled) {
        await page.getByRole('status').filter({ hasText: 'Đã tự động lưu' }).waitFor();
      } else {
        await clickTo(page, page.getByRole('button', { name: 'Lưu bài làm' }), /\/quiz$/, '.flash-region p.flash:text-is("Đã lưu.")');
      }
      await page.reload();
      await page.locator('fieldset.question').first().waitFor();
      expect(await page.locator('fieldset.question', { hasText: Q_SINGLE }).getByLabel(Q_SINGLE_RIGHT).isChecked()).toBe(true);

      await page.locator('fieldset.question', { hasText: Q_TF }).getByLabel('Đúng', { exact: true }).check();
      await clickTo(page, page.getByRole('button', { name: 'Nộp bài' }), /attempt=/, '#result-h');
      await expect(page.locator('#result-h').textContent()).resolves.toBe('Đạt');
      await expect(page.locator('.result').textContent()).resolves.toContain('2/2');
      if (javaScriptEnabled) await expectNoA11yViolations(page);

      // The certificate: holder, course, a code; printable, and verifiable by anyone.
      await clickTo(
        page,
        page.getByRole('link', { name: 'Xem và in chứng nhận' }).first(),
        /\/certificates\/[A-Z0-9-]+/,
        'article.certificate',
      );
      const code = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      await expect(page.locator('.cert-holder').textContent()).resolves.toBe(name);
      await expect(page.locator('.cert-course').textContent()).resolves.toBe(COURSE_TITLE);
      await expect(page.locator('.cert-qr svg').count()).resolves.toBe(1);
      if (javaScriptEnabled) await expectNoA11yViolations(page);

      // Anyone: the same page without the learner's cookie (put back afterwards).
      const learner = await ctx.cookies();
      await ctx.clearCookies();
      const other = page;
      expect((await other.goto(`/verify/${code}`))?.status()).toBe(200);
      expect(await other.locator('form[action="/logout"]').count()).toBe(0);
      await expect(other.locator('#status-h').textContent()).resolves.toBe('Chứng nhận hợp lệ');
      await expect(other.locator('main').textContent()).resolves.toContain(name);
      await expect(other.locator('main').textContent()).resolves.toContain(COURSE_TITLE);
      if (javaScriptEnabled) await expectNoA11yViolations(other);
      // Typed by hand in lower case without dashes, through the verify form.
      await other.goto('/verify');
      await other.getByLabel('Mã chứng nhận').fill(code.replace(/-/g, '').toLowerCase());
      await clickTo(other, other.getByRole('button', { name: 'Kiểm tra' }), /\/verify\/[A-Z0-9-]+$/, '#status-h');
      await expect(other.locator('#status-h').textContent()).resolves.toBe('Chứng nhận hợp lệ');
      await ctx.addCookies(learner);

      // The course page now shows it complete.
      await page.goto(`/courses/${courseSlug}`);
      await expect(page.locator('main').textContent()).resolves.toContain('Đã hoàn thành 2/2 bài (100%)');
      page.off('pageerror', onError);
      expect(errors).toEqual([]);
    });
  }
});
