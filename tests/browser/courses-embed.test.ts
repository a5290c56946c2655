/**
 * A demo course lesson embeds the demo e-lecture from the repository (db/seed/oer.ts): the real
 * player with captions, and the lesson completes once the learner has watched it (the player's
 * progress, read by the course).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, expectNoA11yViolations, launchBrowser, newContext, signUp, uniqueEmail } from './setup/browser';

const PASSWORD = 'xem-bai-giang-2024';
const COURSE = 'ky-nang-tu-hoc-ky-nguyen-so';
const LESSON = 'Bài giảng: Con đường tự học trong kỷ nguyên số';

describe('courses: an embedded e-lecture counts for the "video watched" rule', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('plays the embedded e-lecture with captions in the lesson and marks the lesson done after watching it', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signUp(page, { name: 'Học viên xem video', email: uniqueEmail('video'), password: PASSWORD, redirectTo: '/account?welcome=1' });

    await page.goto(`/courses/${COURSE}`);
    await Promise.all([
      page.waitForURL(/\/lessons\//, { waitUntil: 'commit' }),
      page.getByRole('button', { name: 'Ghi danh và bắt đầu học' }).click(),
    ]);
    await page.locator('main h1').waitFor();
    await page.goto(`/courses/${COURSE}`);
    await Promise.all([page.waitForURL(/\/lessons\//, { waitUntil: 'commit' }), page.getByRole('link', { name: LESSON }).click()]);
    await page.locator('main h1', { hasText: LESSON }).waitFor();

    // The real embed: the repository's player with WebVTT captions and its attribution, not a link.
    const video = page.locator('.oer-embed video[data-testid="oer-media"]');
    await video.waitFor();
    await expect(page.locator('.oer-embed track[kind="captions"]').count()).resolves.toBe(1);
    await expect(page.locator('.oer-embed .oer-attribution').textContent()).resolves.toContain('Nguyễn Thu Hà');
    await expect(page.locator('main').textContent()).resolves.toContain('đã xem 0%');
    await expectNoA11yViolations(page);

    // Watch to the end (muted for the autoplay policy; the demo e-lecture is 10 s).
    await page.waitForFunction(() => ((document.querySelector('.oer-embed video') as HTMLVideoElement | null)?.readyState ?? 0) >= 1);
    await video.evaluate(async (el: HTMLVideoElement) => {
      el.muted = true;
      el.playbackRate = 2;
      await el.play();
    });
    await page.waitForFunction(() => (document.querySelector('.oer-embed video') as HTMLVideoElement).ended, undefined, {
      timeout: 30_000,
    });
    // The course reads the player's saved progress: the lesson shows done without a reload.
    await page.locator('main h1 .badge', { hasText: 'Đã xong' }).waitFor({ timeout: 15_000 });

    // And it stays done for the course.
    await page.goto(`/courses/${COURSE}`);
    await expect(page.locator(`li.done:has-text("${LESSON}")`).count()).resolves.toBe(1);
    await ctx.close();
  });
});
