/**
 * The confirmation of a saved resource is not lost when the form's live Markdown preview answers
 * while the save is under way (the flake of oer-electure / oer-hls in the loaded full suite).
 *
 * The preview used to be a Remix fetcher *action*. A fetcher action that completes while a
 * navigation is loading makes the router revalidate the next page itself and, being "newer",
 * abort the navigation and show the fetcher's data instead. The navigation's root loader had
 * already read (and cleared) the one-time flash cookie; the fetcher's root data was the page
 * shown before (no flash): "Đã lưu học liệu" never appeared. Here the network is held so that the
 * preview answers exactly then, ordered by events (requests seen, responses received, the
 * router's fetchers idle), never by time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, launchBrowser, type Page } from './setup/browser';
import { signedInPage } from './setup/signed-in';

/** A promise with its resolve function. */
function signal<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** True once no Remix fetcher is submitting or loading (none at all counts). */
function fetchersIdle(page: Page) {
  return page.waitForFunction(() => {
    const router = (window as unknown as { __remixRouter?: { state: { fetchers: Map<string, { state: string }> } } }).__remixRouter;
    return !!router && [...router.state.fetchers.values()].every((f) => f.state === 'idle');
  });
}

describe('oer: the saved confirmation survives a live preview answering during the save', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the live preview follows typing, sanitised, and goes when the text is cleared', async () => {
    const { ctx, page } = await signedInPage(browser, 'teacher', { path: '/resources/new' });
    await page.locator('button[name="intent"][value="preview"]').waitFor({ state: 'detached' });
    const body = page.locator('textarea[name="body_md"]');
    await body.fill('Đọc **sách điện tử** <img src=x onerror="alert(1)">');
    const preview = page.locator('section.oer-preview');
    await preview.locator('strong', { hasText: 'sách điện tử' }).waitFor();
    await expect(preview.locator('h2').textContent()).resolves.toBe('Xem trước trực tiếp');
    expect(await preview.locator('[onerror]').count()).toBe(0);
    await body.fill('Đọc *báo*');
    await preview.locator('em', { hasText: 'báo' }).waitFor();
    await body.fill('');
    await preview.waitFor({ state: 'detached' });
    await ctx.close();
  });

  it('shows "Đã lưu học liệu" on the new resource page', async () => {
    const { ctx, page } = await signedInPage(browser, 'teacher', { path: '/resources/new' });
    // Hydrated: the no-JavaScript "Xem trước" button gives way to the live preview.
    await page.locator('button[name="intent"][value="preview"]').waitFor({ state: 'detached' });

    const previewSeen = signal();
    const pageLoaderSeen = signal();
    const releasePreview = signal();
    const releasePageLoader = signal();
    const held = new Set<string>();
    // The preview waits until the new page's data is being loaded…
    await page.route('**/resources/preview**', async (route) => {
      previewSeen.resolve();
      await releasePreview.promise;
      await route.continue();
    });
    // …and the new page's first data request (the navigation's own) waits until the preview has
    // answered and everything it set off is done.
    await page.route(/\/resources\/(?!new|preview)[^/?]+\?_data=(root|routes%2Fresources\.%24id\._index)$/, async (route) => {
      const which = new URL(route.request().url()).searchParams.get('_data')!;
      if (!held.has(which)) {
        held.add(which);
        if (held.size === 2) pageLoaderSeen.resolve();
        await releasePageLoader.promise;
      }
      await route.continue();
    });

    const tag = `flash${Date.now().toString(36)}`;
    await page.locator('select[name="kind"]').selectOption('article');
    await page.locator('input[name="title"]').fill(`Bài viết ${tag}`);
    await page.locator('textarea[name="summary"]').fill('Một bài viết ngắn.');
    await page.locator('textarea[name="authors"]').fill('Cô Nguyễn Thu Hà');
    await page.locator('select[name="subject"]').selectOption('reading');
    await page.locator('select[name="level"]').selectOption('adult');
    // Typing the body asks for a live preview; the person saves before it answers.
    await page.locator('textarea[name="body_md"]').fill('Đọc **sách điện tử** ở thư viện số.');
    await previewSeen.promise;
    const previewAnswered = page.waitForResponse((r) => new URL(r.url()).pathname === '/resources/preview');

    await page.getByRole('button', { name: 'Lưu bản nháp' }).click();
    await pageLoaderSeen.promise;
    releasePreview.resolve();
    expect((await previewAnswered).status()).toBe(200);
    await fetchersIdle(page);
    releasePageLoader.resolve();

    await page.waitForURL((u) => /^\/resources\/[^/]+$/.test(u.pathname) && u.pathname !== '/resources/new', { waitUntil: 'commit' });
    await page.locator('h1', { hasText: tag }).waitFor();
    await page.locator('.flash-region p.flash', { hasText: 'Đã lưu học liệu' }).waitFor();
    // Shown once: the next page does not bring it back (the root clientLoader reuses the data shown
    // for a page with the same translation files: without the flash), nor does a reload.
    await page.locator('a[href="/resources"]').first().click();
    await page.waitForURL((u) => u.pathname === '/resources', { waitUntil: 'commit' });
    await page.locator('h1', { hasText: 'Học liệu' }).waitFor();
    expect(await page.locator('.flash-region p.flash').count()).toBe(0);
    await page.goBack();
    await page.locator('h1', { hasText: tag }).waitFor();
    await page.reload();
    await page.locator('h1', { hasText: tag }).waitFor();
    expect(await page.locator('.flash-region p.flash').count()).toBe(0);
    await ctx.close();
  });
});
