/**
 * Mux Data monitoring is opt-in: without MUX_DATA_ENV_KEY (the shared test server) a viewer's
 * browser downloads no Mux code and sends nothing to Mux; with a key (a second server started
 * here on its own DATA_DIR) playing the demo e-lecture sends beacons naming the video.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, launchBrowser, newContext, type Page } from './setup/browser';
import { type StartedServer, startServer } from './setup/global';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DEMO_TITLE = 'Bài giảng: Con đường tự học trong kỷ nguyên số';

/** The chunk the bundler split mux-embed into (it must never load without a key). */
function muxChunks(): string[] {
  const dir = path.join(ROOT, 'public/build/_shared');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.js') && fs.readFileSync(path.join(dir, f), 'utf8').includes('litix.io'));
}

/** Opens the demo e-lecture through the search page and plays it for a few seconds. */
async function openAndPlay(page: Page) {
  await page.goto('/search?q=con+duong+tu+hoc&kind=video');
  const hit = page.locator('ol.oer-hits li a', { hasText: DEMO_TITLE });
  const href = await hit.getAttribute('href');
  expect(href).toMatch(/^\/resources\/[a-z0-9]+$/);
  await page.goto(href!);
  await page.locator('h1', { hasText: DEMO_TITLE }).waitFor();
  await page.locator('video[data-testid="oer-media"]').evaluate(async (el: HTMLVideoElement) => {
    el.muted = true;
    await el.play();
  });
  await page.waitForFunction(
    () => (document.querySelector('video[data-testid="oer-media"]') as HTMLVideoElement).currentTime > 2,
    undefined,
    { timeout: 20_000 },
  );
  return href!.split('/').pop()!;
}

describe('oer: mux-embed only when configured', () => {
  let browser: Browser;
  let keyed: StartedServer | null = null;
  let keyedDir = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    keyedDir = path.join(ROOT, 'tests/.tmp', `oer-mux-${process.pid}-${Date.now()}`);
    fs.mkdirSync(keyedDir, { recursive: true });
    keyed = await startServer({
      NODE_ENV: 'test',
      SEED_DEMO: '1',
      DATA_DIR: keyedDir,
      DATABASE_URL: path.join(keyedDir, 'app.sqlite'),
      SESSION_SECRET: 'oer-mux-tests-session-secret-0123456789abcdef',
      MUX_DATA_ENV_KEY: 'testkey',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await keyed?.stop();
    if (keyedDir) fs.rmSync(keyedDir, { recursive: true, force: true });
  });

  it('the build has mux-embed in its own chunk, not in the root bundle', () => {
    const chunks = muxChunks();
    expect(chunks.length).toBe(1);
    const root = fs.readdirSync(path.join(ROOT, 'public/build')).filter((f) => /^(root|entry\.client)-.*\.js$/.test(f));
    for (const f of root) expect(fs.readFileSync(path.join(ROOT, 'public/build', f), 'utf8')).not.toContain('litix.io');
  });

  it('without MUX_DATA_ENV_KEY no Mux code is downloaded and no beacon is sent', async () => {
    const ctx = await newContext(browser);
    const beacons: string[] = [];
    await ctx.route('**/*.litix.io/**', (route) => {
      beacons.push(route.request().url());
      return route.fulfill({ status: 200, body: '' });
    });
    const page = await ctx.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script' || r.url().endsWith('.js')) scripts.push(new URL(r.url()).pathname);
    });
    await openAndPlay(page);
    await page.waitForTimeout(1500);
    // Leaving the page is when a monitor would flush its queue.
    await page.goto('/resources');
    const chunk = muxChunks()[0]!;
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((s) => s.includes(chunk))).toEqual([]);
    expect(beacons).toEqual([]);
    await ctx.close();
  });

  it('with MUX_DATA_ENV_KEY the player sends beacons naming the video', async () => {
    const ctx = await newContext(browser, { baseURL: keyed!.baseUrl });
    const bodies: string[] = [];
    const hosts = new Set<string>();
    await ctx.route('**/*.litix.io/**', (route) => {
      const req = route.request();
      hosts.add(new URL(req.url()).host);
      bodies.push(`${decodeURIComponent(req.url())}\n${req.postData() ?? ''}`);
      return route.fulfill({ status: 200, contentType: 'image/gif', body: '' });
    });
    const page = await ctx.newPage();
    const id = await openAndPlay(page);
    // Mux batches beacons (about every 10 s); leaving the page flushes what is queued.
    const deadline = Date.now() + 15_000;
    while (!bodies.some((b) => b.includes(id)) && Date.now() < deadline) await page.waitForTimeout(500);
    if (!bodies.some((b) => b.includes(id))) {
      await page.goto('/resources');
      await page.waitForTimeout(2000);
    }
    expect(bodies.length).toBeGreaterThan(0);
    expect([...hosts].every((h) => h.endsWith('litix.io'))).toBe(true);
    const withVideo = bodies.filter((b) => b.includes(id));
    expect(withVideo.length).toBeGreaterThan(0);
    expect(withVideo.some((b) => b.includes(DEMO_TITLE))).toBe(true);
    expect(bodies.some((b) => b.includes('testkey'))).toBe(true);
    await ctx.close();
  });
});
