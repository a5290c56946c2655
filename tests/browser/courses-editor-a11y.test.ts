/**
 * axe-core (WCAG 2 A/AA) on the teacher's course editor and lesson editors — a reading lesson,
 * a video lesson and a quiz lesson with its question forms — in Vietnamese and English, with
 * JavaScript on (drag handles and their instructions rendered) and while a row is picked up with
 * the keyboard. Read-only: the demo course is not changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, expectNoA11yViolations, launchBrowser } from './setup/browser';
import { signedInPage } from './setup/signed-in';

const TEACHER = 'giaovien@demo.hoctap.vn';
const SLUG = 'ky-nang-tu-hoc-ky-nguyen-so'; // demo course with reading, video and quiz lessons

describe('courses: the course and lesson editors are accessible', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const locale of ['vi-VN', 'en-US']) {
    it(`course editor and lesson editors pass axe (${locale})`, async () => {
      const { ctx, page } = await signedInPage(browser, { email: TEACHER }, { locale });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`/courses/${SLUG}/edit`);
      await page.locator('h2#outline').waitFor();
      await page.locator('.drag-handle').first().waitFor(); // hydrated: the enhanced editor
      expect(await page.locator('html').getAttribute('lang')).toBe(locale.slice(0, 2));
      await expectNoA11yViolations(page);

      // A lesson picked up with the keyboard (pressed state, announcement) is still clean.
      const handle = page.locator('ol.lesson-edit-list .drag-handle').first();
      await handle.focus();
      await page.keyboard.press('Space');
      expect(await handle.getAttribute('aria-pressed')).toBe('true');
      await expectNoA11yViolations(page);
      await page.keyboard.press('Escape');

      // A refused form (empty module title) shows its error: still clean, and nothing is saved.
      await page.locator('#new-module').fill('');
      await page.locator('button[name="intent"][value="add-module"]').click();
      await page.locator('#new-module[aria-invalid="true"]').waitFor();
      await expectNoA11yViolations(page);

      const lessonLinks = await page.locator('ol.lesson-edit-list > li > a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
      const rules = await page.locator('ol.lesson-edit-list > li > .badge').allTextContents();
      expect(lessonLinks.length).toBeGreaterThanOrEqual(3);
      // One lesson per completion rule (read, video, quiz) — the editor shows different fields for each.
      const seen = new Set<string>();
      let editedQuestion = false;
      for (const [i, href] of lessonLinks.entries()) {
        if (seen.has(rules[i]!)) continue;
        seen.add(rules[i]!);
        await page.goto(href);
        await page.locator('textarea[name="body_md"]').waitFor();
        await expectNoA11yViolations(page);
        if (await page.locator('ol.question-admin > li a.button').count()) {
          // The quiz lesson: a question opened for editing (its filled form). With JavaScript
          // this crashed once hydrated (a .server function called while rendering).
          const editQuestion = page.locator('ol.question-admin > li a.button').first();
          await Promise.all([page.waitForURL(/[?&]question=/, { waitUntil: 'commit' }), editQuestion.click()]);
          await page.locator('fieldset.question-edit').waitFor();
          expect(await page.locator('fieldset.question-edit textarea').first().inputValue()).not.toBe('');
          await expectNoA11yViolations(page);
          editedQuestion = true;
        }
      }
      expect(seen.size).toBe(3);
      expect(editedQuestion).toBe(true);
      expect(errors).toEqual([]);
      await ctx.close();
    });
  }
});
