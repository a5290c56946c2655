import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

import { type Browser, dataDir as serverDataDir, launchBrowser, newContext, type Page, signIn } from './setup/browser';

function uploadDir(): string {
  const dataDir = serverDataDir();
  return path.join(dataDir, 'uploads', 'library');
}
const filesIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

/** Picks `file` (a refused form comes back without one, as browsers never keep a file) and sends the form. */
async function submit(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }) {
  await page.setInputFiles('input[name="file"]', file, { timeout: 90_000 }); // generous: a loaded machine
  await page.getByRole('button', { name: 'Tải lên' }).click();
}

describe('rejected EPUB uploads in the browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('refuses a non-EPUB, a corrupt zip and a too-big file with a Vietnamese message, keeps the form, and stores nothing', async () => {
    const ctx = await newContext(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    await signIn(page, 'thuthu@demo.hoctap.vn', undefined, '/library/upload');
    const before = filesIn(uploadDir());
    const title = `Sách bị từ chối ${Date.now().toString(36)}`;
    // Typed once: each refused form comes back with it, and the next file is tried from there.
    await page.selectOption('select[name="library_id"]', { index: 1 });
    await page.fill('input[name="title"]', title);
    await page.fill('input[name="copies"]', '4');
    // The too-big file from disk: a path is handed to Chromium as it is, where a buffer is carried
    // into the page as base64 (28 MB for this one).
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llw-upload-'));
    onTestFinished(() => fs.rmSync(tmp, { recursive: true, force: true })); // also when the test fails
    const tooBig = path.join(tmp, 'qua-lon.epub');
    fs.writeFileSync(tooBig, Buffer.alloc(21 * 1024 * 1024, 0x20));
    const cases: Array<{ file: string | { name: string; mimeType: string; buffer: Buffer }; message: string }> = [
      {
        file: {
          name: 'bao-cao.epub',
          mimeType: 'application/epub+zip',
          buffer: Buffer.from('%PDF-1.4 đây là tệp PDF đổi tên, không phải EPUB '.repeat(20)),
        },
        message: 'không phải tệp nén ZIP',
      },
      // A ZIP header followed by garbage: looks like an archive, is not one.
      {
        file: {
          name: 'hong.epub',
          mimeType: 'application/epub+zip',
          buffer: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(4000, 0x41)]),
        },
        message: 'Tệp',
      },
      { file: tooBig, message: 'Tệp quá lớn (tối đa 20 MB).' },
    ];
    for (const c of cases) {
      const res = page.waitForResponse((r) => r.url().includes('/library/upload') && r.request().method() === 'POST', { timeout: 120_000 });
      await submit(page, c.file);
      expect((await res).status()).toBe(400);
      const err = page.locator('#f-file-error');
      await err.waitFor();
      expect(await err.innerText()).toContain(c.message);
      // What the librarian typed is still there (after each refusal in turn).
      expect(await page.inputValue('input[name="title"]')).toBe(title);
      expect(await page.inputValue('input[name="copies"]')).toBe('4');
    }
    // No temporary or kept file is left behind, and no title was created.
    expect(filesIn(uploadDir())).toEqual(before);
    await page.goto(`/library?q=${encodeURIComponent(title)}`);
    await page.getByText('Không có sách phù hợp').waitFor();
    await ctx.close();
  }, 240_000);
});
