/**
 * The outreach kit in Chromium, on the built site with the demo seed: the share card PNG of
 * Biên Giang's 2024 plan (1200×630, decoded in the browser: not blank, identical to a render of
 * the same text, and different from a render with the diacritics stripped — the marks are drawn);
 * Open Graph tags on public pages; the banner and the poster printed to PDF at their paper sizes
 * with the theme in the text; a news item posted without JavaScript (with a photo) showing on the
 * plan page, the unit page and in the Atom feed; the loudspeaker announcement edited, saved and
 * printed; axe on every page of the kit.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { renderShareCard } from '../../app/domain/outreach/share-card.server';
import { TMP_DIR } from '../helpers/db';
import { readPdf } from './courses-pdf-text';
import {
  baseUrl,
  type Browser,
  expectNoA11yViolations,
  launchBrowser,
  type Page,
  type SharedPages,
  sharedPages,
  signIn,
} from './setup/browser';

const ORGANISER = 'bantochuc.biengiang@demo.hoctap.vn';
const THEME = 'Phát triển văn hóa đọc thúc đẩy học tập suốt đời';
const PLAN = '/weeks/2024/plans/bien-giang';
const SHOTS = path.join(TMP_DIR, 'outreach-shots');
const squash = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();
const strip = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');

/** Decodes PNGs in the page (canvas) and compares them pixel by pixel. */
async function comparePngs(page: Page, a: Buffer, b: Buffer) {
  return page.evaluate(
    async ([x, y]) => {
      const load = (b64: string) =>
        new Promise<ImageData>((resolve, reject) => {
          const img = new Image();
          img.onload = () => {
            const c = document.createElement('canvas');
            c.width = img.naturalWidth;
            c.height = img.naturalHeight;
            const g = c.getContext('2d')!;
            g.drawImage(img, 0, 0);
            resolve(g.getImageData(0, 0, c.width, c.height));
          };
          img.onerror = () => reject(new Error('not an image'));
          img.src = `data:image/png;base64,${b64}`;
        });
      const [p, q] = await Promise.all([load(x), load(y)]);
      let differing = 0;
      let notBackground = 0;
      const bg = [p.data[600 * 4 * p.width + 1100 * 4], p.data[600 * 4 * p.width + 1100 * 4 + 1], p.data[600 * 4 * p.width + 1100 * 4 + 2]];
      for (let i = 0; i < p.data.length; i += 4) {
        if (Math.abs(p.data[i]! - q.data[i]!) + Math.abs(p.data[i + 1]! - q.data[i + 1]!) + Math.abs(p.data[i + 2]! - q.data[i + 2]!) > 30)
          differing++;
        if (Math.abs(p.data[i]! - bg[0]!) + Math.abs(p.data[i + 1]! - bg[1]!) + Math.abs(p.data[i + 2]! - bg[2]!) > 30) notBackground++;
      }
      return { width: p.width, height: p.height, differing, notBackground, total: p.width * p.height };
    },
    [a.toString('base64'), b.toString('base64')] as const,
  );
}

describe('outreach kit in the browser', () => {
  let browser: Browser;
  // One context with JavaScript and one without, each with one page, shared by the tests: a new
  // context and page cost ~1.5 s here (a renderer started, the site's scripts fetched again). Each
  // test starts signed out (`anonymous`) and signs in by cookie where it needs the organiser.
  let pages: SharedPages;
  const anonymous = (javaScriptEnabled = true) => pages.anonymous(javaScriptEnabled);
  beforeAll(async () => {
    browser = await launchBrowser();
    fs.mkdirSync(SHOTS, { recursive: true });
    pages = await sharedPages(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the plan’s share card is a 1200×630 PNG that draws the theme with its diacritics', async () => {
    const page = await anonymous(); // still about:blank (the first test): enough to decode PNGs in a canvas
    const res = await page.request.get(`${PLAN}/share-card.png`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('image/png');
    const png = Buffer.from(await res.body());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
    fs.writeFileSync(path.join(SHOTS, 'share-card.png'), png);

    const input = {
      year: 2024,
      eyebrow: 'Tuần lễ hưởng ứng học tập suốt đời 2024',
      theme: THEME,
      unitName: 'Phường Biên Giang',
      startsOn: '2024-10-01',
      endsOn: '2024-10-07',
      siteName: 'hoctapsuotdoi.vn',
    };
    const same = await comparePngs(page, png, await renderShareCard(input));
    expect(same).toMatchObject({ width: 1200, height: 630, differing: 0 });
    // Text covers a real share of the card (it is not a blank colour field)…
    expect(same.notBackground / same.total).toBeGreaterThan(0.05);
    // …and the same card with the marks stripped ("Phat trien van hoa doc…") draws differently.
    const plain = { ...input, theme: strip(THEME), eyebrow: strip(input.eyebrow), unitName: strip(input.unitName) };
    expect(plain.theme).toBe('Phat trien van hoa doc thuc day hoc tap suot doi');
    const stripped = await comparePngs(page, png, await renderShareCard(plain));
    expect(stripped.differing).toBeGreaterThan(2000);
  });

  it('public pages carry Open Graph and Twitter tags with an absolute share-card image', async () => {
    // The tags are in the server's HTML: read them without JavaScript (no hydration of six pages).
    const page = await anonymous(false);
    const origin = new URL(baseUrl()).origin;
    const expectations: Array<[string, RegExp]> = [
      ['/', /\/weeks\/\d{4}\/outreach\/share-card\.png$/],
      ['/weeks/2024', /\/weeks\/2024\/outreach\/share-card\.png$/],
      [PLAN, /\/weeks\/2024\/plans\/bien-giang\/share-card\.png$/],
      ['/units/bien-giang', /\/share-card\.png$/],
      ['/library', /\/share-card\.png$/],
      ['/weeks/2024/outreach', /\/weeks\/2024\/outreach\/share-card\.png$/],
    ];
    for (const [p, image] of expectations) {
      await page.goto(p);
      const og = await page.locator('meta[property="og:image"]').getAttribute('content');
      expect(og, p).toMatch(image);
      expect(og!.startsWith(`${origin}/`), p).toBe(true);
      expect(await page.locator('meta[property="og:image"]').count(), p).toBe(1);
      expect(await page.locator('meta[name="twitter:card"]').getAttribute('content'), p).toBe('summary_large_image');
      expect(await page.locator('meta[property="og:url"]').getAttribute('content'), p).toBe(`${origin}${p}`);
      expect((await page.locator('meta[property="og:title"]').getAttribute('content'))?.length, p).toBeGreaterThan(3);
      const img = await page.request.get(og!.replace(origin, ''));
      expect(img.status(), og!).toBe(200);
    }
    // The plan page's share links: Facebook and Zalo as plain links to the plan, no third-party script.
    const jsPage = await anonymous();
    await jsPage.goto(PLAN);
    const planUrl = `${origin}${PLAN}`;
    expect(await jsPage.getByRole('link', { name: 'Chia sẻ lên Facebook' }).getAttribute('href')).toBe(
      `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(planUrl)}`,
    );
    expect(await jsPage.getByRole('link', { name: 'Chia sẻ qua Zalo' }).getAttribute('href')).toContain(
      `url=${encodeURIComponent(planUrl)}`,
    );
    expect(await jsPage.locator('script[src^="http"]').count()).toBe(0);
    expect(await jsPage.getByLabel('Liên kết để gửi cho mọi người').inputValue()).toBe(planUrl);
    await jsPage.getByRole('button', { name: 'Sao chép liên kết' }).waitFor(); // JavaScript adds the copy button
    await expectNoA11yViolations(jsPage);
  });

  it('the banner prints on one 5 m × 0.8 m page and the poster on one A4 / A3 page, with the theme', async () => {
    const page = await anonymous();
    await page.goto(`${PLAN}/banner`);
    await page.locator('section.banner').waitFor();
    await expectNoA11yViolations(page);
    let pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    let read = readPdf(pdf);
    expect(read.pages).toBe(1);
    expect(squash(read.text)).toContain(THEME);
    // 5000 mm × 800 mm in points (1 mm = 72 / 25.4 pt).
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'))!;
    expect(Math.round((Number(box[1]) * 25.4) / 72)).toBe(5000);
    expect(Math.round((Number(box[2]) * 25.4) / 72)).toBe(800);

    // A slogan as the banner's main line (chosen with a plain GET form).
    await page.locator('select#line').selectOption({ index: 1 });
    await Promise.all([page.waitForURL(/line=1/), page.getByRole('button', { name: 'Xem' }).click()]);
    const line = (await page.locator('select#line option:checked').textContent())!;
    // The URL changes before the client render lands: wait for the banner to show the line.
    await page
      .waitForFunction(
        (want) => (document.querySelector('.banner-main')?.textContent ?? '').replace(/\s+/g, ' ').trim() === want,
        line.replace(/\s+/g, ' ').trim(),
      )
      .catch(() => undefined);
    expect(squash((await page.locator('.banner-main').textContent())!)).toBe(squash(line));

    for (const [size, mm] of [
      ['a4', [210, 297]],
      ['a3', [297, 420]],
    ] as const) {
      await page.goto(`${PLAN}/poster?size=${size}`);
      await page.locator('article.poster').waitFor();
      // axe once: on screen the A3 page is the A4 page (the size changes only its print style and the
      // chosen option).
      if (size === 'a4') await expectNoA11yViolations(page);
      pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      read = readPdf(pdf);
      expect(read.pages, size).toBe(1);
      const text = squash(read.text);
      expect(text).toContain(THEME);
      expect(text).toContain('01/10/2024 – 07/10/2024');
      expect(text.replace(/\s/g, '')).toContain(`${new URL(baseUrl()).origin}${PLAN}`); // the URL may wrap
      const b = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'))!;
      expect([Math.round((Number(b[1]) * 25.4) / 72), Math.round((Number(b[2]) * 25.4) / 72)], size).toEqual(mm);
      expect(await page.locator('.poster-qr svg').count()).toBe(1);
    }
  });

  it('a news item posted without JavaScript shows on the plan page, the unit page and in the feeds', async () => {
    const page = await anonymous(false);
    await signIn(page, ORGANISER, undefined, `${PLAN}/news`);
    const title = `Hội thi kể chuyện sách <lớp 6A> & “Đọc cùng bà” ${Date.now().toString(36)}`;
    // A bad date is refused next to its field, with what was typed kept.
    await page.getByLabel('Tiêu đề').fill(title);
    await page.getByLabel('Ngày', { exact: true }).fill('31/02/2024');
    await page.getByLabel('Nội dung').fill('Các em học sinh **kể lại** câu chuyện yêu thích.');
    await page.getByRole('button', { name: 'Đăng tin' }).click();
    await page.locator('#f-date-error').waitFor();
    expect(await page.getByLabel('Tiêu đề').inputValue()).toBe(title);
    await page.getByLabel('Ngày', { exact: true }).fill('05/10/2024');
    await page
      .locator('input[name="photo"]')
      .setInputFiles({ name: 'anh.png', mimeType: 'image/png', buffer: fs.readFileSync(path.join(SHOTS, 'share-card.png')) });
    await page.getByLabel('Mô tả ảnh (cho người không xem được ảnh)').fill('Học sinh kể chuyện');
    await page.getByRole('button', { name: 'Đăng tin' }).click();
    await page.locator('.flash-region', { hasText: 'Đã đăng tin.' }).waitFor();

    // Anyone (a fresh visitor) sees it on the plan page, with its photo, and on the unit page.
    const visitor = await anonymous();
    await visitor.goto(PLAN);
    const item = visitor.locator('.plan-news article', { hasText: title });
    await item.waitFor();
    expect(await item.locator('strong').textContent()).toBe('kể lại');
    const src = await item.locator('img.news-photo').getAttribute('src');
    const photo = await visitor.request.get(src!);
    expect(photo.status()).toBe(200);
    expect(photo.headers()['content-type']).toBe('image/png');
    await visitor.goto('/units/bien-giang');
    await visitor.locator('article', { hasText: title }).waitFor();
    await expectNoA11yViolations(visitor);
    await visitor.goto('/units/bien-giang/news');
    await visitor.locator('article', { hasText: title }).waitFor();
    await expectNoA11yViolations(visitor);

    const origin = new URL(baseUrl()).origin;
    for (const feed of ['/units/bien-giang/news.atom', '/weeks/2024/outreach/news.atom']) {
      const res = await visitor.request.get(feed);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toContain('application/atom+xml');
      const xml = await res.text();
      const escaped = title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      expect(xml).toContain(`<title type="text">${escaped}</title>`);
      expect(xml).toContain(`<link rel="self" type="application/atom+xml" href="${origin}${feed}"/>`);
      expect(xml).toContain(`src=&quot;${origin}/units/bien-giang/news/`);
    }
  });

  it('the organiser edits, saves and prints the loudspeaker announcement; the kit pages pass axe', async () => {
    const page = await anonymous();
    await signIn(page, ORGANISER, undefined, `${PLAN}/outreach`);
    await page.locator('h1').waitFor();
    await expectNoA11yViolations(page);
    await page.goto('/weeks/2024/outreach');
    await expectNoA11yViolations(page);
    // The news form with a refused field (axe cannot run in the JavaScript-free context above).
    await page.goto(`${PLAN}/news`);
    await page.getByRole('button', { name: 'Đăng tin' }).click();
    await page.locator('#f-title-error').waitFor();
    await expectNoA11yViolations(page);

    await page.goto(`${PLAN}/announcement`);
    const text = page.getByLabel('Nội dung phát thanh');
    const generated = await text.inputValue();
    expect(generated).toContain(`“${THEME}”`);
    expect(generated).toContain('Lễ khai mạc được tổ chức vào lúc 7 giờ 30 ngày 03/10/2024, tại Trường THCS Biên Giang.');
    // Read aloud: with speech synthesis the page says whether a Vietnamese voice exists.
    await page.locator('[data-speech]').waitFor();
    const speech = await page.locator('[data-speech]').getAttribute('data-speech');
    expect(['vi', 'no-vi', 'unsupported']).toContain(speech);
    if (speech === 'no-vi') await page.getByText('Thiết bị này không có giọng đọc tiếng Việt').waitFor();
    await expectNoA11yViolations(page);

    const edited = `${generated}\n\nXin mời bà con đến Trung tâm học tập cộng đồng lúc 14 giờ ngày 04/10/2024.`;
    await text.fill(edited);
    await page.getByRole('button', { name: 'Lưu văn bản' }).click();
    await page.locator('.flash-region', { hasText: 'Đã lưu văn bản phát thanh.' }).waitFor();
    await page.locator('#announcement-text', { hasText: 'lúc 14 giờ ngày 04/10/2024' }).waitFor();
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const read = readPdf(pdf);
    expect(squash(read.text)).toContain('Xin mời bà con đến Trung tâm học tập cộng đồng lúc 14 giờ ngày 04/10/2024.');
    expect(squash(read.text)).not.toContain('Lưu văn bản');
  });

  it('the kit’s pages fit a 360 px wide phone without sideways scrolling', async () => {
    // As a visitor (the kit of a published plan is public; the header's menu folds at this width).
    const page = await anonymous();
    await page.setViewportSize({ width: 360, height: 740 });
    for (const p of [
      `${PLAN}/outreach`,
      `${PLAN}/banner`,
      `${PLAN}/poster`,
      `${PLAN}/announcement`,
      `${PLAN}/news`,
      '/weeks/2024/outreach',
      PLAN,
      '/units/bien-giang/news',
    ]) {
      await page.goto(p);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, p).toBeLessThanOrEqual(360);
    }
  });
});
