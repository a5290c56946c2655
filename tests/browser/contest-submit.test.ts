/**
 * Submitting a read-aloud entry in a real browser (issue #15), against the built site, in Debian
 * Chromium with a fake microphone and camera: a student records 5 seconds in the browser (3-2-1,
 * level meter, listen back) and submits it through the resumable upload, and the entry plays; an
 * upload cut part-way resumes from where it stopped (one complete file on the server); the plain
 * file field works without JavaScript; a renamed text file and an empty file get translated
 * messages; an entrant whose upload starts are spent is told to wait (429) with JavaScript and without;
 * axe-core finds no WCAG 2 A/AA violation on the page; nothing overflows at 360 px.
 *
 * The students' JavaScript tests share one context and page (`as` puts the next student's session
 * in it and opens their round): the site's scripts stay cached and no context is opened per test.
 * Each test removes its request interception and goes back online in `finally`; the uploader
 * forgets a finished upload (removeFingerprintOnSuccess), so nothing of one test reaches the next.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { consumeUploadStart, LIMITS } from '~/lib/rate-limit.server';

import { register } from '../../app/domain/contests/contests.server';
import { addSubmissionRound } from '../../app/domain/contests/entries.server';
import { contestWorld } from '../helpers/contests';
import { tone } from '../helpers/media';
import { switchUser } from './new-account';
import {
  type Browser,
  type BrowserContext,
  dataDir as serverDataDir,
  expectNoA11yViolations,
  FAKE_MEDIA_ARGS,
  launchBrowser,
  newContext,
  openServerDb,
  type Page,
} from './setup/browser';
import { signedInPage } from './setup/signed-in';

const media = path.resolve('tests/.tmp', `contest-submit-${process.pid}`);
const file = (n: string) => path.join(media, n);

let browser: Browser;
/** The students' JavaScript-on context and page, shared by the tests (see the header). */
let ctx: BrowserContext;
let page: Page;
let db: DB;
let world: Awaited<ReturnType<typeof contestWorld>>;

beforeAll(async () => {
  fs.mkdirSync(media, { recursive: true });
  tone(file('short.webm'), 4);
  // ~3 MB of noise (several 1 MB tus pieces) for the interrupted upload
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'anoisesrc=d=50:c=white:a=0.5',
    '-ac',
    '2',
    '-c:a',
    'libopus',
    '-b:a',
    '510k',
    file('long.webm'),
  ]);
  fs.writeFileSync(file('bai-doc.mp3'), 'Đây là một bài văn, không phải âm thanh.\n'.repeat(40));
  fs.writeFileSync(file('rong.webm'), '');
  db = await openServerDb();
  world = await contestWorld(db);
  browser = await launchBrowser(FAKE_MEDIA_ARGS);
  ctx = await newContext(browser);
  page = await ctx.newPage();
}, 120_000);
afterAll(async () => {
  await ctx?.close();
  await browser?.close();
  await db?.destroy();
  fs.rmSync(media, { recursive: true, force: true });
});

/** A contest with an open read-aloud round and a registered student; returns the submit path. */
async function openRound(entryKind: 'audio' | 'video' = 'audio') {
  const c = await world.contest({ title: 'Giọng đọc hay' });
  const now = Date.now();
  const r = await addSubmissionRound(db, world.organiser, c.id, {
    title: 'Vòng trường',
    opensAt: new Date(now - 3_600_000).toISOString(),
    closesAt: new Date(now + 86_400_000).toISOString(),
    entryKind,
    passageTitle: 'Tre Việt Nam',
    passageText: 'Tre xanh, xanh tự bao giờ?\n\nChuyện ngày xưa đã có bờ tre xanh.',
    minSeconds: 3,
    maxSeconds: 120,
    stageLevel: 'school',
    advanceCount: 1,
  });
  if (!r.ok) throw new Error(r.code);
  const student = await world.user('Lê Thị Học Sinh', 2000);
  const reg = await register(db, c.id, student, { fullName: 'Lê Thị Học Sinh', birthYear: 2000, unitId: world.schoolA.id, phone: null });
  if (!reg.ok) throw new Error(reg.code);
  const email = (await db.selectFrom('users').select('email').where('id', '=', student).executeTakeFirstOrThrow()).email;
  return { path: `/contests/${c.slug}/rounds/${r.value}/submit`, roundId: r.value, student, email };
}

/** The shared page signed in as `round`'s student, at their round's submit page (hydrated with JavaScript). */
async function as(round: { email: string; path: string }) {
  await switchUser(ctx, round.email);
  await page.goto(round.path);
  await page.getByRole('button', { name: 'Bắt đầu ghi' }).waitFor(); // hydrated: the recorder renders only then
}

/** What a test changed on the shared page: its request interception, the network, the window size. */
async function reset() {
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await ctx.setOffline(false);
  await page.setViewportSize({ width: 1280, height: 720 });
}

const entryOf = (roundId: string, userId: string) =>
  db.selectFrom('contest_entries').selectAll().where('round_id', '=', roundId).where('user_id', '=', userId).executeTakeFirst();

async function expectFlash(page: Page, text: string) {
  await page.locator('.flash-region p.flash', { hasText: text }).waitFor({ timeout: 60_000 });
}

/** The entrant's own entry on the page plays: its audio loads metadata with a real duration. */
async function expectPlayable(page: Page) {
  const audio = page.locator('section[aria-labelledby="mine-h"] audio');
  await audio.waitFor();
  await page.waitForFunction(
    () => {
      const a = document.querySelector<HTMLAudioElement>('section[aria-labelledby="mine-h"] audio');
      return !!a && a.readyState >= 1 && !a.error;
    },
    undefined,
    { timeout: 30_000 },
  );
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe('contest entries: record, upload, resume', () => {
  it('a student records a 5-second read-aloud in the browser and submits it; it plays back', async () => {
    const round = await openRound();
    await page.setViewportSize({ width: 360, height: 800 });
    try {
      await as(round);
      const start = page.getByRole('button', { name: 'Bắt đầu ghi' });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await page.getByLabel('Tên bài dự thi').fill('Tre Việt Nam — bài đọc');
      await start.click();
      // 3-2-1 in the live region, then the passage in large type and the level meter while recording
      await page.locator('.recorder-status', { hasText: 'Bắt đầu ghi sau' }).waitFor();
      const stop = page.getByRole('button', { name: 'Dừng ghi' });
      await stop.waitFor({ timeout: 30_000 });
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Dừng ghi');
      await page.locator('.passage-recording', { hasText: 'Tre xanh, xanh tự bao giờ?' }).waitFor();
      await page.getByLabel('Mức âm thanh').waitFor();
      await expectNoA11yViolations(page);
      await page.locator('.recorder-status', { hasText: /Đang ghi: ([5-9]|\d\d+) \/ 120 giây/ }).waitFor({ timeout: 60_000 }); // a loaded page may skip a second
      await stop.click();
      // listen back, then submit
      await page.getByLabel('Nghe lại bài vừa ghi').waitFor();
      await page.getByRole('button', { name: 'Ghi lại' }).waitFor();
      await expectNoA11yViolations(page);
      await page.getByRole('button', { name: 'Nộp bài' }).click();
      await expectFlash(page, 'Đã nhận bài dự thi.');
      await expectPlayable(page);
      const entry = await entryOf(round.roundId, round.student);
      expect(entry).toMatchObject({ title: 'Tre Việt Nam — bài đọc', mime: 'audio/webm' });
      expect(Number(entry!.duration_s)).toBeGreaterThanOrEqual(4.5);
      expect(await db.selectFrom('contest_uploads').select('status').where('round_id', '=', round.roundId).execute()).toEqual([
        { status: 'attached' },
      ]);
    } finally {
      await reset();
    }
  }, 180_000);

  it('an upload cut part-way resumes where it stopped and the server keeps one complete file', async () => {
    const round = await openRound();
    try {
      await as(round);
      const patches: Array<{ offset: number; aborted: boolean }> = [];
      let posts = 0;
      await page.route('**/uploads/tus**', async (route) => {
        const req = route.request();
        if (req.method() === 'POST') posts++;
        if (req.method() === 'PATCH') {
          const offset = Number(req.headers()['upload-offset']);
          // the connection drops during the second piece
          const abort = patches.length === 1;
          patches.push({ offset, aborted: abort });
          if (abort) return route.abort('connectionreset');
        }
        return route.continue();
      });
      await page.getByLabel('Tên bài dự thi').fill('Bài tải lên qua mạng chập chờn');
      await page.locator('input[type=file][name=file]').setInputFiles(file('long.webm'));
      await page.getByRole('button', { name: 'Nộp bài' }).click();
      await expectFlash(page, 'Đã nhận bài dự thi.');
      const size = fs.statSync(file('long.webm')).size;
      expect(size).toBeGreaterThan(2 * 1024 * 1024);
      expect(posts).toBe(1);
      expect(patches[0]).toEqual({ offset: 0, aborted: false });
      expect(patches[1]).toEqual({ offset: 1024 * 1024, aborted: true });
      // after the drop the upload continued from the server's offset, not from zero
      expect(patches[2]).toEqual({ offset: 1024 * 1024, aborted: false });
      expect(patches.filter((p) => p.offset === 0)).toHaveLength(1);
      const entry = await entryOf(round.roundId, round.student);
      expect(entry!.size_bytes).toBe(size);
      // the stored file, as the entrant's player fetches it, is the whole original
      const media = await page.request.get(`${round.path.replace(/\/rounds\/.*$/, '')}/entries/${entry!.id}/media`);
      expect(media.status()).toBe(200);
      expect(sha(await media.body())).toBe(sha(fs.readFileSync(file('long.webm'))));
      // and nothing is left in the upload store
      expect(fs.readdirSync(path.join(serverDataDir(), 'uploads', 'tus')).filter((f) => !f.endsWith('.json'))).toEqual([]);
      await expectPlayable(page);
    } finally {
      await reset();
    }
  }, 180_000);

  it('going offline mid-upload says so, and the upload continues by itself when the network is back', async () => {
    const round = await openRound();
    try {
      await as(round);
      const offsets: number[] = [];
      let cut = false;
      await page.route('**/uploads/tus**', async (route) => {
        const req = route.request();
        if (req.method() === 'PATCH') {
          offsets.push(Number(req.headers()['upload-offset']));
          if (offsets.length === 2 && !cut) {
            cut = true;
            await ctx.setOffline(true);
            return route.abort('internetdisconnected');
          }
        }
        return route.continue();
      });
      await page.getByLabel('Tên bài dự thi').fill('Bài tải lên khi mất mạng');
      await page.locator('input[type=file][name=file]').setInputFiles(file('long.webm'));
      await page.getByRole('button', { name: 'Nộp bài' }).click();
      await page.getByRole('status').filter({ hasText: 'Mất kết nối ở' }).waitFor({ timeout: 30_000 });
      await ctx.setOffline(false);
      await expectFlash(page, 'Đã nhận bài dự thi.');
      expect(offsets[0]).toBe(0);
      expect(offsets.slice(1).every((o) => o >= 1024 * 1024)).toBe(true);
      const entry = await entryOf(round.roundId, round.student);
      expect(entry!.size_bytes).toBe(fs.statSync(file('long.webm')).size);
    } finally {
      await reset();
    }
  }, 180_000);

  it('a video round records from the camera and submits a video', async () => {
    const round = await openRound('video');
    try {
      await as(round);
      await page.getByLabel('Tên bài dự thi').fill('Bài ghi hình');
      await page.getByRole('button', { name: 'Bắt đầu ghi' }).click();
      const stop = page.getByRole('button', { name: 'Dừng ghi' });
      await stop.waitFor({ timeout: 30_000 });
      await page.getByLabel('Hình từ camera').waitFor();
      await page.locator('.recorder-status', { hasText: /Đang ghi: ([4-9]|\d\d+) \/ 120 giây/ }).waitFor({ timeout: 60_000 });
      await stop.click();
      await page.getByLabel('Nghe lại bài vừa ghi').waitFor();
      await page.getByRole('button', { name: 'Nộp bài' }).click();
      await expectFlash(page, 'Đã nhận bài dự thi.');
      const entry = await entryOf(round.roundId, round.student);
      expect(entry).toMatchObject({ title: 'Bài ghi hình', mime: 'video/webm' });
      await page.locator('section[aria-labelledby="mine-h"] video').waitFor();
    } finally {
      await reset();
    }
  }, 180_000);

  it('an entrant who started too many uploads is told to wait, in their language, and nothing is sent', async () => {
    const round = await openRound();
    // the account's budget of upload starts is spent (e.g. by a script using their session)
    for (let i = 0; i < LIMITS.uploadStartAccount.points; i++)
      expect((await consumeUploadStart(round.student, 'elsewhere', db)).ok).toBe(true);
    try {
      await as(round);
      let patches = 0;
      await page.route('**/uploads/tus**', (route) => {
        if (route.request().method() === 'PATCH') patches++;
        return route.continue();
      });
      await page.getByLabel('Tên bài dự thi').fill('Bài gửi quá nhiều lần');
      await page.locator('input[type=file][name=file]').setInputFiles(file('short.webm'));
      await page.getByRole('button', { name: 'Nộp bài' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: /^Bạn đã bắt đầu tải lên quá nhiều lần\. Vui lòng thử lại sau \d+ giây\.$/ })
        .waitFor();
      await expectNoA11yViolations(page);
      expect(patches).toBe(0);
      expect(await entryOf(round.roundId, round.student)).toBeUndefined();
      expect(await db.selectFrom('contest_uploads').select('id').where('round_id', '=', round.roundId).execute()).toEqual([]);
    } finally {
      await reset();
    }
    // without JavaScript the form's file is refused the same way, with what was typed kept
    const plain = await signedInPage(browser, { email: round.email }, { path: round.path, javaScriptEnabled: false, locale: 'en-GB' });
    try {
      await plain.page.getByLabel('Title of the entry').fill('Too many uploads');
      await plain.page.locator('input[type=file][name=file]').setInputFiles(file('short.webm'));
      await plain.page.getByRole('button', { name: 'Submit' }).first().click();
      await plain.page
        .getByRole('alert')
        .filter({ hasText: /You have started too many uploads\. Please try again in \d+ seconds\./ })
        .waitFor();
      expect(await plain.page.getByLabel('Title of the entry').inputValue()).toBe('Too many uploads');
      expect(await entryOf(round.roundId, round.student)).toBeUndefined();
    } finally {
      await plain.ctx.close();
    }
  }, 120_000);

  it('without JavaScript the plain file field submits the entry', async () => {
    const round = await openRound();
    const { ctx: plain, page: p } = await signedInPage(browser, { email: round.email }, { path: round.path, javaScriptEnabled: false });
    try {
      expect(await p.getByRole('button', { name: 'Bắt đầu ghi' }).count()).toBe(0);
      // only this page may use the microphone and camera (this site only); others keep them off
      expect((await p.request.get(round.path)).headers()['permissions-policy']).toContain('microphone=(self)');
      expect((await p.request.get('/contests')).headers()['permissions-policy']).toContain('microphone=()');
      await p.getByLabel('Tên bài dự thi').fill('Bài nộp không cần JavaScript');
      await p.getByLabel('Tệp ghi âm, video hoặc ảnh').setInputFiles(file('short.webm'));
      await p.getByRole('button', { name: 'Nộp bài' }).click();
      await expectFlash(p, 'Đã nhận bài dự thi.');
      const entry = await entryOf(round.roundId, round.student);
      expect(entry).toMatchObject({ title: 'Bài nộp không cần JavaScript', mime: 'audio/webm' });
      expect(await p.locator('section[aria-labelledby="mine-h"] audio source').getAttribute('src')).toContain(
        `/entries/${entry!.id}/media`,
      );
    } finally {
      await plain.close();
    }
  }, 120_000);

  it('a renamed text file and an empty file get translated messages, and nothing is submitted', async () => {
    const round = await openRound();
    try {
      await as(round);
      await page.getByLabel('Tên bài dự thi').fill('Bài hỏng');
      const input = page.locator('input[type=file][name=file]');
      await input.setInputFiles(file('bai-doc.mp3'));
      await page.getByRole('button', { name: 'Nộp bài' }).click();
      await page.getByRole('alert').filter({ hasText: 'Tệp không phải âm thanh/video/ảnh hợp lệ' }).waitFor();
      await input.setInputFiles(file('rong.webm'));
      await page.getByRole('button', { name: 'Nộp bài' }).click();
      await page.getByRole('alert').filter({ hasText: 'Tệp trống (0 byte)' }).waitFor();
      await expectNoA11yViolations(page);
      expect(await entryOf(round.roundId, round.student)).toBeUndefined();
    } finally {
      await reset();
    }
    // in English too
    const en = await signedInPage(browser, { email: round.email }, { path: round.path, locale: 'en-GB' });
    try {
      await en.page.getByRole('button', { name: 'Start recording' }).waitFor();
      await en.page.getByLabel('Title of the entry').fill('Broken');
      await en.page.locator('input[type=file][name=file]').setInputFiles(file('bai-doc.mp3'));
      await en.page.getByRole('button', { name: 'Submit' }).first().click();
      await en.page.getByRole('alert').filter({ hasText: 'The file is not valid audio/video/image' }).waitFor();
    } finally {
      await en.ctx.close();
    }
  }, 120_000);
});
