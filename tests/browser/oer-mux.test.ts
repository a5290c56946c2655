/**
 * Mux Data monitoring is opt-in: without MUX_DATA_ENV_KEY (the shared test server) a viewer's
 * browser downloads no Mux code and sends nothing to Mux; with a key (a second server started
 * here on its own DATA_DIR) playing the demo e-lecture sends beacons naming the video.
 */
import fs from 'node:fs';
import path from 'node:path';

import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, dataDir, launchBrowser, newContext, type Page } from './setup/browser';
import { type StartedServer, startServer } from './setup/global';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DEMO_TITLE = 'Bài giảng: Con đường tự học trong kỷ nguyên số';

/** The chunk the bundler split mux-embed into (it must never load without a key). */
function muxChunks(): string[] {
  const dir = path.join(ROOT, 'public/build/_shared');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.js') && fs.readFileSync(path.join(dir, f), 'utf8').includes('litix.io'));
}

/**
 * A copy of the shared test server's DATA_DIR (its uploads, its EPUBs, and one consistent snapshot
 * of its SQLite database by `VACUUM INTO`, as the backups take it): the keyed server starts on the
 * demo data already seeded, instead of seeding it afresh (building 13 EPUBs and every area's demo
 * rows took 1–2 minutes of this file on a loaded machine).
 */
function copyServerData(to: string) {
  const from = dataDir();
  fs.cpSync(from, to, { recursive: true, filter: (src) => !/^app\.sqlite/.test(path.basename(src)) && path.basename(src) !== 'backups' });
  const src = new Sqlite(path.join(from, 'app.sqlite'), { readonly: true, fileMustExist: true });
  try {
    src.pragma('busy_timeout = 30000');
    src.prepare('VACUUM INTO ?').run(path.join(to, 'app.sqlite'));
  } finally {
    src.close();
  }
}

/** Opens the demo e-lecture through the search page and plays it for `seconds`. */
async function openAndPlay(page: Page, seconds: number) {
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
    (s) => (document.querySelector('video[data-testid="oer-media"]') as HTMLVideoElement).currentTime > s,
    seconds,
    { timeout: 20_000 },
  );
  return href!.split('/').pop()!;
}

describe('oer: mux-embed only when configured', () => {
  let browser: Browser;
  let keyed: StartedServer | null = null;
  let keyedStart: Promise<StartedServer> | null = null;
  let keyedDir = '';

  beforeAll(async () => {
    keyedDir = path.join(ROOT, 'tests/.tmp', `oer-mux-${process.pid}-${Date.now()}`);
    fs.mkdirSync(keyedDir, { recursive: true });
    copyServerData(keyedDir);
    keyedStart = startServer({
      NODE_ENV: 'test',
      SEED_DEMO: '0', // the copied database has the demo data
      DATA_DIR: keyedDir,
      DATABASE_URL: path.join(keyedDir, 'app.sqlite'),
      SESSION_SECRET: 'oer-mux-tests-session-secret-0123456789abcdef',
      MUX_DATA_ENV_KEY: 'testkey',
      WEB_CONCURRENCY: '1', // one process, as the shared test servers
    });
    [browser, keyed] = await Promise.all([launchBrowser(), keyedStart]);
  }, 240_000); // a server start on a loaded machine
  afterAll(async () => {
    await browser?.close();
    // Stopped even when the hook gave up before the server answered (it would outlive the run).
    await (keyed ?? (await keyedStart?.catch(() => null)))?.stop();
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
    // Playing at all is when a monitor would start (no Mux code is fetched: nothing could send).
    await openAndPlay(page, 0.5);
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
    const id = await openAndPlay(page, 2);
    // Mux batches beacons (every 10 s); leaving the page flushes what is queued, so leave at once
    // rather than wait for the batch (up to 15 s here before).
    await page.goto('/resources');
    await expect.poll(() => bodies.some((b) => b.includes(id)), { timeout: 20_000 }).toBe(true);
    expect(bodies.length).toBeGreaterThan(0);
    expect([...hosts].every((h) => h.endsWith('litix.io'))).toBe(true);
    const withVideo = bodies.filter((b) => b.includes(id));
    expect(withVideo.length).toBeGreaterThan(0);
    expect(withVideo.some((b) => b.includes(DEMO_TITLE))).toBe(true);
    expect(bodies.some((b) => b.includes('testkey'))).toBe(true);
    await ctx.close();
  });
});
