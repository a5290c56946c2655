/**
 * An e-lecture that is only an HLS stream (no uploaded file). Browsers without native HLS get
 * hls.js, loaded on demand by the player (its own chunk), attached through Media Source Extensions.
 * The stream is a real one made with ffmpeg (H.264 in MPEG-TS segments) and served to the page
 * from https://hls.test/ by request interception.
 *
 * Chromium 156 here plays HLS natively (canPlayType says 'maybe'), so the hls.js test hides that
 * one capability (canPlayType → '' for HLS, as in Firefox or older desktop Chromium); decoding,
 * MSE and the network are real. A second test checks native playback does not download hls.js.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, type BrowserContext, launchBrowser, newContext, type Page, signIn } from './setup/browser';

const TEACHER = 'giaovien@demo.hoctap.vn';
const ORGANISER = 'bantochuc.biengiang@demo.hoctap.vn';
const TMP = path.resolve(import.meta.dirname, '../.tmp', `hls-${process.pid}`);
const TAG = `hls${Date.now().toString(36)}`;
const TITLE = `Bài giảng phát trực tuyến ${TAG}`;
const VTT = `WEBVTT

00:00.000 --> 00:03.000
Xin chào, đây là bài giảng phát trực tuyến.

00:03.000 --> 00:06.000
Hẹn gặp lại các bạn.
`;

function encoderMissing(): string | null {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-encoders'], { stdio: 'pipe' });
  if (r.error || r.status !== 0) return 'ffmpeg is not installed';
  if (!r.stdout.toString().includes('libx264')) return 'ffmpeg has no libx264 encoder';
  return null;
}
const missing = encoderMissing();

function makeStream(dir: string) {
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
      'testsrc=size=320x240:rate=10',
      '-t',
      '6',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-f',
      'hls',
      '-hls_time',
      '2',
      '-hls_playlist_type',
      'vod',
      'out.m3u8',
    ],
    { stdio: 'pipe', cwd: dir },
  );
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.error?.message ?? r.stderr.toString()}`);
}

const TYPES: Record<string, string> = { '.m3u8': 'application/vnd.apple.mpegurl', '.ts': 'video/mp2t' };

/** Serves https://hls.test/<file> from the generated stream (CORS open, as a CDN would). */
async function serveStream(ctx: BrowserContext, dir: string) {
  await ctx.route('https://hls.test/**', (route) => {
    const name = path.basename(new URL(route.request().url()).pathname);
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({
      status: 200,
      headers: { 'Content-Type': TYPES[path.extname(name)] ?? 'application/octet-stream', 'Access-Control-Allow-Origin': '*' },
      body: fs.readFileSync(file),
    });
  });
}

async function playPast(page: Page, seconds: number) {
  const video = page.locator('video[data-testid="oer-media"]');
  await video.evaluate(async (el: HTMLVideoElement) => {
    el.muted = true;
    await el.play();
  });
  await page.waitForFunction(
    (s) => (document.querySelector('video[data-testid="oer-media"]') as HTMLVideoElement).currentTime > s,
    seconds,
    { timeout: 20_000 },
  );
  return video.evaluate((el: HTMLVideoElement) => el.currentTime);
}

describe.skipIf(missing)(`oer: an HLS-only e-lecture plays in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let browser: Browser;
  let resourcePath = '';

  beforeAll(async () => {
    fs.mkdirSync(TMP, { recursive: true });
    makeStream(TMP);
    fs.writeFileSync(path.join(TMP, 'captions.vtt'), VTT);
    browser = await launchBrowser();

    // A teacher makes the e-lecture pointing at the stream, the ward's organiser publishes it.
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, TEACHER, undefined, '/resources/new');
    await page.locator('select[name="kind"]').selectOption('video');
    await page.locator('input[name="title"]').fill(TITLE);
    await page.locator('textarea[name="summary"]').fill('Một bài giảng ngắn phát bằng HLS để thử trình phát.');
    await page.locator('textarea[name="authors"]').fill('Cô Nguyễn Thu Hà');
    await page.locator('select[name="subject"]').selectOption('reading');
    await page.locator('select[name="level"]').selectOption('elderly');
    await page.locator('input[name="hls_url"]').fill('https://hls.test/out.m3u8');
    await page.locator('input[name="captions"]').setInputFiles(path.join(TMP, 'captions.vtt'));
    await page.locator('textarea[name="chapters"]').fill('00:00 Mở đầu\n00:04 Kết thúc');
    await Promise.all([
      page.waitForURL((u) => /^\/resources\/[^/]+$/.test(u.pathname) && u.pathname !== '/resources/new'),
      page.getByRole('button', { name: 'Lưu bản nháp' }).click(),
    ]);
    await page.locator('.flash-region p.flash', { hasText: 'Đã lưu học liệu' }).waitFor();
    resourcePath = new URL(page.url()).pathname;
    await page.locator('h1', { hasText: TAG }).waitFor();
    await page.getByRole('button', { name: 'Gửi duyệt' }).click();
    await page.locator('.flash-region p.flash', { hasText: 'Đã gửi duyệt' }).waitFor();
    await ctx.close();

    const org = await newContext(browser);
    const op = await org.newPage();
    await signIn(op, ORGANISER, undefined, resourcePath);
    await op.locator('h1', { hasText: TAG }).waitFor();
    await op.getByRole('button', { name: 'Duyệt và đăng' }).click();
    await op.locator('.flash-region p.flash', { hasText: 'Đã đăng học liệu' }).waitFor();
    await op.getByRole('button', { name: 'Gỡ xuống' }).waitFor();
    await org.close();
  });
  afterAll(async () => {
    await browser?.close();
    fs.rmSync(TMP, { recursive: true, force: true });
  });

  it('without native HLS, the player loads hls.js on demand and plays with captions and chapters', async () => {
    const ctx = await newContext(browser);
    await ctx.addInitScript(() => {
      const orig = HTMLMediaElement.prototype.canPlayType;
      HTMLMediaElement.prototype.canPlayType = function (type: string) {
        return /mpegurl/i.test(type) ? '' : orig.call(this, type);
      };
    });
    await serveStream(ctx, TMP);
    const page = await ctx.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    const segment = page.waitForRequest((r) => r.url().startsWith('https://hls.test/') && r.url().endsWith('.ts'));
    await page.goto(resourcePath);
    await page.locator('h1', { hasText: TAG }).waitFor();
    await page.locator('video[data-testid="oer-media"][data-hls="hlsjs"]').waitFor({ state: 'attached' });
    await segment;
    // hls.js came in its own chunk, after the page, not in the root or entry bundles.
    expect(scripts.filter((u) => /\/build\/_shared\/hls-[A-Z0-9]+\.js$/.test(u))).toHaveLength(1);
    const src = await page.locator('video[data-testid="oer-media"]').evaluate((el: HTMLVideoElement) => el.currentSrc);
    expect(src).toMatch(/^blob:/); // Media Source Extensions, not the native <source>

    const t = await playPast(page, 1);
    expect(t).toBeGreaterThan(1);
    const track = await page.locator('video[data-testid="oer-media"]').evaluate((el: HTMLVideoElement) => {
      const tt = el.textTracks[0];
      return { mode: tt?.mode, cues: tt?.cues?.length ?? 0, active: (tt?.activeCues?.[0] as VTTCue | undefined)?.text ?? '' };
    });
    expect(track).toMatchObject({ mode: 'showing', cues: 2 });
    expect(track.active).toMatch(/trực tuyến|Hẹn gặp lại/);

    // Speed is kept, and a chapter seeks into a later segment.
    await page.getByTestId('oer-speed').selectOption('1.5');
    await page.getByRole('button', { name: /Kết thúc/ }).click();
    await page.waitForFunction(() => (document.querySelector('video[data-testid="oer-media"]') as HTMLVideoElement).currentTime >= 4);
    expect(await page.locator('video[data-testid="oer-media"]').evaluate((el: HTMLVideoElement) => el.playbackRate)).toBe(1.5);
    await ctx.close();
  });

  it('where HLS is native (this Chromium), it plays without downloading hls.js', async () => {
    const ctx = await newContext(browser);
    await serveStream(ctx, TMP);
    const page = await ctx.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await page.goto(resourcePath);
    await page.locator('h1', { hasText: TAG }).waitFor();
    const native = await page
      .locator('video[data-testid="oer-media"]')
      .evaluate((el: HTMLVideoElement) => el.canPlayType('application/vnd.apple.mpegurl'));
    const t = await playPast(page, 1);
    expect(t).toBeGreaterThan(1);
    if (native !== '') {
      expect(scripts.some((u) => /\/_shared\/hls-/.test(u))).toBe(false);
      expect(await page.locator('video[data-testid="oer-media"]').getAttribute('data-hls')).toBeNull();
    }
    await ctx.close();
  });
});
