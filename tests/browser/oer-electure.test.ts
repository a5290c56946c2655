/**
 * Open educational resources in a real browser: a teacher uploads an e-lecture (a WebM video made
 * with ffmpeg and a WebVTT captions file) and sends it for review, the ward's organiser publishes
 * it, a new citizen finds it on /search typing without diacritics, plays it with captions, and
 * finds their place again after a reload. Then the same pages without JavaScript, and axe-core.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

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

const TEACHER = 'giaovien@demo.hoctap.vn';
const ORGANISER = 'bantochuc.biengiang@demo.hoctap.vn';
const PASSWORD = 'mat-khau-hoc-tap-2024';
const TMP = path.resolve(import.meta.dirname, '../.tmp', `oer-browser-${process.pid}`);

// A word that exists nowhere else, so the search finds exactly this lecture.
const TAG = `bg${Date.now().toString(36)}`;
const TITLE = `Bài giảng điện tử: Đường đến thư viện số ${TAG}`;
const UNACCENTED = `duong den thu vien so ${TAG}`;

const VTT = `WEBVTT

00:00.000 --> 00:04.000
Chào mừng các bạn đến với thư viện số.

00:04.000 --> 00:08.000
Mượn sách điện tử chỉ cần một tài khoản.

00:08.000 --> 00:12.000
Chúc các bạn học tập suốt đời vui vẻ.
`;

function makeVideo(file: string) {
  const r = spawnSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=320x180:rate=15:duration=12',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=330:duration=12',
      '-c:v',
      'libvpx',
      '-b:v',
      '150k',
      '-c:a',
      'libvorbis',
      '-shortest',
      file,
    ],
    { stdio: 'pipe' },
  );
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.error?.message ?? r.stderr.toString()}`);
}

/** Starts playback (muted: autoplay policy) and returns once the clock has moved past `seconds`. */
async function playUntil(page: Page, seconds: number): Promise<number> {
  await page.locator('video[data-testid="oer-media"]').evaluate(async (el: HTMLVideoElement) => {
    el.muted = true;
    await el.play();
  });
  await page.waitForFunction(
    (s) => (document.querySelector('video[data-testid="oer-media"]') as HTMLVideoElement).currentTime > s,
    seconds,
    { timeout: 20_000 },
  );
  return page.locator('video[data-testid="oer-media"]').evaluate((el: HTMLVideoElement) => el.currentTime);
}

describe('oer: an e-lecture from upload to a citizen watching it', () => {
  let browser: Browser;
  let videoFile: string;
  let vttFile: string;
  let resourcePath = '';
  let citizenEmail = '';
  // One context with JavaScript and one without, each with one page, shared by the tests: a new
  // context and page cost ~1.5 s here (a renderer started, the site's scripts fetched again). Each
  // test starts signed out (`anonymous`) and signs its person in by cookie. (The player keeps its
  // place on the server only: nothing in the page's storage carries it from one test to the next.)
  let pages: SharedPages;
  const anonymous = (javaScriptEnabled = true) => pages.anonymous(javaScriptEnabled);

  beforeAll(async () => {
    fs.mkdirSync(TMP, { recursive: true });
    videoFile = path.join(TMP, 'bai-giang.webm');
    vttFile = path.join(TMP, 'phu-de.vtt');
    makeVideo(videoFile);
    fs.writeFileSync(vttFile, VTT);
    browser = await launchBrowser();
    pages = await sharedPages(browser);
  });
  afterAll(async () => {
    await browser?.close();
    fs.rmSync(TMP, { recursive: true, force: true });
  });

  it('a teacher uploads a video with captions and sends it for review', async () => {
    const page = await anonymous();
    await signIn(page, TEACHER, undefined, '/resources/new');
    expect(new URL(page.url()).pathname).toBe('/resources/new');
    await page.locator('select[name="kind"]').selectOption('video');
    await page.locator('input[name="title"]').fill(TITLE);
    await page.locator('textarea[name="summary"]').fill('Hướng dẫn người cao tuổi mượn và đọc sách điện tử ở thư viện số của phường.');
    await page.locator('textarea[name="authors"]').fill('Cô Nguyễn Thu Hà');
    await page.locator('select[name="subject"]').selectOption('reading');
    await page.locator('select[name="level"]').selectOption('elderly');
    await page.locator('input[name="years"]').fill('2024');
    await page.locator('input[name="media"]').setInputFiles(videoFile);
    await page.locator('input[name="captions"]').setInputFiles(vttFile);
    await page.locator('textarea[name="chapters"]').fill('00:00 Giới thiệu\n00:04 Mượn sách\n00:08 Lời chúc');
    await Promise.all([
      page.waitForURL((u) => /^\/resources\/[^/]+$/.test(u.pathname) && u.pathname !== '/resources/new'),
      page.getByRole('button', { name: 'Lưu bản nháp' }).click(),
    ]);
    await page.locator('.flash-region p.flash', { hasText: 'Đã lưu học liệu' }).waitFor();
    resourcePath = new URL(page.url()).pathname;
    // With JavaScript the URL changes before the new page renders: wait for its heading.
    await page.locator('h1', { hasText: TAG }).waitFor();
    await expect(page.locator('h1').textContent()).resolves.toBe(TITLE);
    await expect(page.locator('main .badge.draft').textContent()).resolves.toBe('Bản nháp');
    // The author can already watch the draft: the uploaded file is served back.
    const src = await page.locator('video[data-testid="oer-media"] source').first().getAttribute('src');
    expect(src).toBe(`${resourcePath}/file/media`);

    await page.getByRole('button', { name: 'Gửi duyệt' }).click();
    await page.locator('.flash-region p.flash', { hasText: 'Đã gửi duyệt' }).waitFor();
    await page.locator('main .badge.draft', { hasText: 'Chờ duyệt' }).waitFor();
    await expect(page.locator('main .badge.draft').textContent()).resolves.toBe('Chờ duyệt');

    // Not public yet: a visitor (no cookie) gets 404.
    expect((await fetch(url(resourcePath))).status).toBe(404);
  });

  it("the ward's organiser publishes it from the review queue", async () => {
    expect(resourcePath).not.toBe('');
    const page = await anonymous();
    await signIn(page, ORGANISER, undefined, '/resources/review');
    await page.locator('h1', { hasText: 'duyệt' }).waitFor();
    await Promise.all([page.waitForURL((u) => u.pathname === resourcePath), page.getByRole('link', { name: TITLE }).click()]);
    await page.getByRole('button', { name: 'Duyệt và đăng' }).click();
    await page.locator('.flash-region p.flash', { hasText: 'Đã đăng học liệu' }).waitFor();
    await page.getByRole('button', { name: 'Gỡ xuống' }).waitFor();
    expect(await page.locator('main .badge.draft').count()).toBe(0);
    // Tagged 2024, it now heads the resources block of the 2024 Week page.
    await page.goto('/weeks/2024');
    const block = page.locator('section[aria-labelledby="week-resources"]');
    await expect(block.locator('li').first().locator(`a[href="${resourcePath}"]`).textContent()).resolves.toBe(TITLE);
  });

  it('a new citizen finds it by typing without diacritics and plays it with captions', async () => {
    const page = await anonymous();
    citizenEmail = uniqueEmail('oer');
    await newAccount(page, { name: 'Người học mới', email: citizenEmail, password: PASSWORD, birthYear: '1962', redirectTo: '/search' });
    await page.locator('h1', { hasText: 'Tìm' }).waitFor();
    await page.locator('input#q').fill(UNACCENTED);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('q') === UNACCENTED),
      page.locator('form[role="search"] button[type="submit"]').click(),
    ]);
    const hit = page.locator('ol.oer-hits li a', { hasText: TAG });
    // With JavaScript the URL changes before the new results render, and /search without a query
    // lists the newest documents (this one first): wait for the query's own list, one hit.
    await expect.poll(() => page.locator('ol.oer-hits > li').count(), { timeout: 30_000 }).toBe(1);
    await hit.waitFor();
    // The accented title is shown, with the typed (unaccented) words highlighted on it.
    await expect(hit.textContent()).resolves.toBe(TITLE);
    expect(await hit.locator('mark', { hasText: 'Đường' }).count()).toBe(1);

    await Promise.all([page.waitForURL((u) => u.pathname === resourcePath), hit.click()]);
    await page.locator('h1', { hasText: TAG }).waitFor();
    const captions = page.locator('video[data-testid="oer-media"] track[kind="captions"]');
    await expect(captions.getAttribute('src')).resolves.toBe(`${resourcePath}/file/captions`);
    // Half a second of playback shows it plays, with the first cue (0–4 s) showing.
    const t = await playUntil(page, 0.5);
    expect(t).toBeGreaterThan(0.5);
    // The captions track is really loaded: its three cues are there, and one is showing now.
    const track = await page.locator('video[data-testid="oer-media"]').evaluate((el: HTMLVideoElement) => {
      const tt = el.textTracks[0];
      return {
        n: el.textTracks.length,
        kind: tt?.kind,
        mode: tt?.mode,
        cues: tt?.cues?.length ?? 0,
        active: (tt?.activeCues?.[0] as VTTCue | undefined)?.text ?? '',
      };
    });
    expect(track).toMatchObject({ n: 1, kind: 'captions', mode: 'showing', cues: 3 });
    expect(track.active).toMatch(/thư viện số|Mượn sách/);
    // Chapters are buttons that seek.
    await page.getByRole('button', { name: /Lời chúc/ }).click();
    await page.waitForFunction(() => (document.querySelector('video[data-testid="oer-media"]') as HTMLVideoElement).currentTime >= 8);
  });

  it('the player resumes where the citizen stopped after a reload', async () => {
    expect(citizenEmail).not.toBe('');
    const page = await anonymous();
    await signIn(page, citizenEmail, PASSWORD, resourcePath);
    await page.locator('h1', { hasText: TAG }).waitFor();
    await page.waitForFunction(
      () => ((document.querySelector('video[data-testid="oer-media"]') as HTMLVideoElement | null)?.readyState ?? 0) >= 1,
    );
    const video = page.locator('video[data-testid="oer-media"]');
    // From 3.5 s (where the chapters left it, past 8 s, would not do): half a second of playing,
    // where from 0 it took four on every run.
    await video.evaluate((el: HTMLVideoElement) => {
      el.currentTime = 3.5;
    });
    await playUntil(page, 4);
    const saved = page.waitForResponse((r) => r.url().endsWith(`${resourcePath}/progress`) && r.request().method() === 'POST');
    const pausedAt = await video.evaluate((el: HTMLVideoElement) => {
      el.pause();
      return el.currentTime;
    });
    expect((await saved).status()).toBe(200);
    expect(pausedAt).toBeGreaterThan(4);
    expect(pausedAt).toBeLessThan(10);

    await page.reload();
    await page.waitForFunction(() => (document.querySelector('video[data-testid="oer-media"]') as HTMLVideoElement).currentTime > 1);
    const resumed = await video.evaluate((el: HTMLVideoElement) => el.currentTime);
    expect(Math.abs(resumed - pausedAt)).toBeLessThan(1);
    // And the page says so.
    await expect(page.locator('.oer-player-bar').textContent()).resolves.toContain('0:0');
  });

  it('without JavaScript the search form and the resource page still work', async () => {
    const page = await anonymous(false);
    const ctx = page.context();
    await page.goto('/search');
    await page.locator('input#q').fill(`thu vien ${TAG}`);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('q') === `thu vien ${TAG}`),
      page.locator('form[role="search"] button[type="submit"]').click(),
    ]);
    const hit = page.locator('ol.oer-hits li a', { hasText: TAG });
    await expect(hit.textContent()).resolves.toBe(TITLE);
    // Filters are plain form fields too: a kind that does not match empties the list.
    await page.goto(`/search?q=${encodeURIComponent(UNACCENTED)}&kind=document`);
    expect(await page.locator('ol.oer-hits > li').count()).toBe(0);
    await page.goto(`/search?q=${encodeURIComponent(UNACCENTED)}&kind=video`);
    await Promise.all([page.waitForURL((u) => u.pathname === resourcePath), page.locator('ol.oer-hits li a', { hasText: TAG }).click()]);
    await expect(page.locator('h1').textContent()).resolves.toBe(TITLE);
    // The server-rendered player has its file, its captions and a download link as fallback.
    await expect(page.locator('video source').first().getAttribute('src')).resolves.toBe(`${resourcePath}/file/media`);
    expect(await page.locator('video track[kind="captions"]').count()).toBe(1);
    const media = await ctx.request.get(`${resourcePath}/file/media`, { headers: { Range: 'bytes=0-99' } });
    expect(media.status()).toBe(206);
    expect(media.headers()['content-type']).toBe('video/webm');
    const vtt = await ctx.request.get(`${resourcePath}/file/captions`);
    expect(await vtt.text()).toContain('Mượn sách điện tử');
  });

  it('has no axe-core violations on /resources, the resource page and /search', async () => {
    const page = await anonymous();
    for (const p of ['/resources', resourcePath, `/search?q=${encodeURIComponent(UNACCENTED)}`, '/search?q=hoc+tap']) {
      const res = await page.goto(p);
      expect(res?.status(), p).toBe(200);
      await expectNoA11yViolations(page);
    }
  });
});
