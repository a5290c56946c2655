/**
 * The honour roll in a real browser against the built site: a school's organiser nominates an
 * exemplary self-learner for the 2024 Week with JavaScript off (bad input answered next to the
 * fields, what was typed kept) and sends it up; the ward's organiser returns it with a comment,
 * the school resubmits, the ward approves; the honour appears on the public roll of the Week and
 * of the unit; its printable certificate's QR code is decoded and the link it encodes opens the
 * public verification page (no account). axe-core on every page.
 */
import jsQR from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { switchUser } from './new-account';
import {
  type Browser,
  expectNoA11yViolations,
  launchBrowser,
  NO_SERVICE_WORKER,
  type Page,
  type SharedPages,
  sharedPages,
  signIn,
  url,
} from './setup/browser';

const SCHOOL = 'bantochuc.thcsbiengiang@demo.hoctap.vn';
const WARD = 'bantochuc.biengiang@demo.hoctap.vn';
const NOMINEE = `Trần Thị Tự Học ${Date.now().toString(36).toUpperCase()}`;

async function go(page: Page, click: () => Promise<unknown>, urlTest: RegExp, ready: string) {
  await Promise.all([page.waitForURL(urlTest, { waitUntil: 'commit', timeout: 60_000 }), click()]);
  await page.locator(ready).first().waitFor();
}

async function selectUnit(page: Page, name: string) {
  const select = page.locator('select[name="unit_id"]');
  const value = await select.locator('option', { hasText: name }).first().getAttribute('value');
  await select.selectOption(value!);
}

/**
 * Decodes the QR code drawn in `selector` (an SVG): screenshot → a canvas of the same page (not shown;
 * the site allows data: images) → jsQR.
 */
async function decodeQr(page: Page, selector: string): Promise<string> {
  const png = await page.locator(selector).screenshot();
  const { data, width, height } = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const pad = 24;
    const c = document.createElement('canvas');
    c.width = img.width + 2 * pad;
    c.height = img.height + 2 * pad;
    const g = c.getContext('2d')!;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, c.width, c.height);
    g.drawImage(img, pad, pad);
    return { data: Array.from(g.getImageData(0, 0, c.width, c.height).data), width: c.width, height: c.height };
  }, png.toString('base64'));
  const code = jsQR(Uint8ClampedArray.from(data), width, height);
  if (!code) throw new Error('no QR code found in the certificate');
  return code.data;
}

describe('honour roll: school → ward → public roll → verified certificate', () => {
  let browser: Browser;
  let nominationUrl = '';
  // One context with JavaScript and one without, each with one page, shared by the tests: a new
  // context and page cost ~1.5 s here (a renderer started, the site's scripts fetched again). Each
  // use starts signed out (`anonymous`) and signs in by cookie (`signIn`, `switchUser`).
  let pages: SharedPages;
  const anonymous = (javaScriptEnabled = true) => pages.anonymous(javaScriptEnabled);
  beforeAll(async () => {
    browser = await launchBrowser();
    pages = await sharedPages(browser, NO_SERVICE_WORKER);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(
    'the school nominates without JavaScript: errors next to the fields, typed values kept, then saved and sent up',
    { timeout: 240_000 },
    async () => {
      const page = await anonymous(false);
      await signIn(page, SCHOOL, undefined, '/honours');
      await page.goto('/honours/new');
      await page.locator('select[name="unit_id"]').waitFor();
      await selectUnit(page, 'Trường THCS Biên Giang');
      await page.locator('select[name="week_year"]').selectOption('2024');
      await page.locator('input[name="nominee_name"]').fill(NOMINEE);
      await page.locator('input[name="nominee_birth_year"]').fill('19x5');
      await page.locator('input[name="headline"]').fill('Tự học tiếng Anh và dạy lại cho 30 học sinh');
      await page.locator('textarea[name="citation_md"]').fill('Cô **tự học** mỗi tối <script>alert(1)</script>');
      await page.locator('textarea[name="evidence"]').fill('không-phải-đường-dẫn');
      await go(page, () => page.locator('main form button[type="submit"]').click(), /\/honours\/new/, '.field-error');
      expect((await page.locator('#f-nominee_birth_year-error').textContent())?.trim()).toBe('Năm sinh gồm 4 chữ số, ví dụ 1985.');
      expect(await page.locator('#f-evidence-error').textContent()).toContain('http(s)://');
      expect(await page.locator('input[name="nominee_name"]').inputValue()).toBe(NOMINEE);
      expect(await page.locator('input[name="headline"]').inputValue()).toBe('Tự học tiếng Anh và dạy lại cho 30 học sinh');

      await selectUnit(page, 'Trường THCS Biên Giang');
      await page.locator('input[name="nominee_birth_year"]').fill('1975');
      await page.locator('textarea[name="evidence"]').fill('https://thcsbiengiang.edu.vn/tin/tu-hoc Bài viết trên cổng trường');
      await go(page, () => page.locator('main form button[type="submit"]').click(), /\/honours\/[A-Za-z0-9_-]+$/, '.flash-region');
      expect(await page.locator('.flash-region').textContent()).toContain('Đã lưu bản nháp đề cử.');
      expect((await page.locator('h1').textContent())?.trim()).toBe(NOMINEE);
      expect((await page.locator('.prose strong').textContent())?.trim()).toBe('tự học');
      expect(await page.locator('.prose script').count()).toBe(0);
      nominationUrl = new URL(page.url()).pathname;
      await page.goto(`${nominationUrl}/edit`);
      expect(await page.locator('input[name="nominee_name"]').inputValue()).toBe(NOMINEE);
      await page.goto(nominationUrl);
      await go(page, () => page.getByRole('button', { name: 'Gửi lên đơn vị cấp trên duyệt' }).click(), /\/honours\//, '.flash-region');
      expect(await page.locator('.flash-region').textContent()).toContain('Đã gửi đề cử lên đơn vị cấp trên.');
      expect((await page.locator('.status').textContent())?.trim()).toBe('Đã gửi, chờ duyệt');

      // axe needs JavaScript in the page: the same pages (and the error state) with JavaScript.
      const jsPage = await anonymous();
      await signIn(jsPage, SCHOOL, undefined, '/honours');
      for (const path of ['/honours', `${nominationUrl}`, '/honours/new']) {
        if (new URL(jsPage.url()).pathname !== path) await jsPage.goto(path);
        await jsPage.locator('main h1').waitFor();
        await expectNoA11yViolations(jsPage);
      }
      await selectUnit(jsPage, 'Trường THCS Biên Giang');
      await jsPage.locator('input[name="nominee_name"]').fill('Thử lỗi');
      await jsPage.locator('input[name="headline"]').fill('Thử lỗi');
      await jsPage.locator('input[name="nominee_birth_year"]').fill('abcd');
      await jsPage.locator('main form button[type="submit"]').click();
      await jsPage.locator('#f-nominee_birth_year-error').waitFor();
      await expectNoA11yViolations(jsPage);

      // Not public yet: a visitor (no cookie) gets 404.
      expect((await fetch(url(nominationUrl))).status).toBe(404);
    },
  );

  it('the ward returns it with a comment, the school resubmits, the ward approves', { timeout: 240_000 }, async () => {
    const page = await anonymous();
    await signIn(page, WARD, undefined, '/honours');
    await expectNoA11yViolations(page);
    await page.locator('section[aria-labelledby="review-h"]').getByRole('link', { name: NOMINEE }).click();
    await page.waitForURL(new RegExp(`${nominationUrl}$`));
    await page.getByRole('button', { name: 'Trả lại kèm nhận xét' }).waitFor();
    await expectNoA11yViolations(page);
    // An empty comment is answered next to the field.
    await page.getByRole('button', { name: 'Trả lại kèm nhận xét' }).click();
    await page.locator('#f-comment-error').waitFor();
    expect((await page.locator('#f-comment-error').textContent())?.trim()).toBe('Nhập nhận xét để đơn vị đề cử biết cần sửa gì.');
    await page.locator('textarea[name="comment"]').fill('Bổ sung số học sinh được kèm');
    await go(page, () => page.getByRole('button', { name: 'Trả lại kèm nhận xét' }).click(), /\/honours\//, '.flash-region');
    expect(await page.locator('.flash-region').textContent()).toContain('Đã trả lại đề cử kèm nhận xét.');

    // The school, in the same page by its session cookie (the ward's comes back after).
    const school = page;
    await switchUser(pages.js.ctx, SCHOOL);
    await school.goto(`${nominationUrl}/edit`);
    await school.locator('form[action="/logout"]').waitFor();
    await school.locator('input[name="nominee_name"]').waitFor();
    await expectNoA11yViolations(school);
    await school.goto(nominationUrl);
    expect((await school.locator('.honour-history blockquote').textContent())?.trim()).toBe('Bổ sung số học sinh được kèm');
    await go(school, () => school.getByRole('button', { name: 'Gửi lên đơn vị cấp trên duyệt' }).click(), /\/honours\//, '.flash-region');
    expect(await school.locator('.flash-region').textContent()).toContain('Đã gửi đề cử lên đơn vị cấp trên.');

    await switchUser(pages.js.ctx, WARD);
    await page.goto(nominationUrl);
    await go(page, () => page.getByRole('button', { name: 'Phê duyệt và cấp giấy khen' }).click(), /\/honours\//, '.flash-region');
    expect(await page.locator('.flash-region').textContent()).toContain('Đã phê duyệt');
    expect(await page.locator('.honour-history li').count()).toBe(2);
    await expectNoA11yViolations(page);
  });

  it('the public roll shows it, and its certificate verifies from the QR link without an account', { timeout: 240_000 }, async () => {
    const page = await anonymous();
    await page.goto('/weeks/2024/honours');
    await page.getByRole('link', { name: NOMINEE }).waitFor();
    // Seeded: a minor with consent is shown; the pending and draft nominations are not.
    await page.getByRole('link', { name: 'Lê Minh An' }).waitFor();
    expect(await page.getByText('Câu lạc bộ đọc sách liên thế hệ Biên Giang').count()).toBe(0);
    await expectNoA11yViolations(page);
    await page.locator('input[name="q"]').fill('tu hoc');
    await page.locator('select[name="category"]').selectOption('self_learner');
    await go(page, () => page.getByRole('button', { name: 'Lọc' }).click(), /q=tu/, 'p[role="status"]');
    await page.getByRole('link', { name: NOMINEE }).waitFor();
    expect(await page.getByRole('link', { name: 'Gia đình ông Nguyễn Văn Bình' }).count()).toBe(0);
    await page.goto('/units/thcs-bien-giang/honours');
    await page.getByRole('link', { name: NOMINEE }).waitFor();
    await expectNoA11yViolations(page);

    await page.goto(nominationUrl);
    await expectNoA11yViolations(page);
    const badge = await page.request.get(`${nominationUrl}/badge.json`);
    expect(badge.ok()).toBe(true);
    const credential = (await badge.json()) as { type: string[]; credentialSubject: { achievement: { name: string } } };
    expect(credential.type).toContain('OpenBadgeCredential');
    const jwks = (await (await page.request.get('/.well-known/jwks.json')).json()) as { keys: Array<{ crv: string }> };
    expect(jwks.keys[0]!.crv).toBe('Ed25519');

    await go(page, () => page.getByRole('link', { name: 'Giấy khen (in được, có mã QR)' }).click(), /\/certificates\//, '.cert-qr svg');
    expect((await page.locator('#cert-h').textContent())?.trim()).toBe('Giấy khen');
    expect((await page.locator('.cert-holder').textContent())?.trim()).toBe(NOMINEE);
    await expectNoA11yViolations(page);
    const link = await decodeQr(page, '.cert-qr');
    expect(link).toMatch(/\/verify\/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    // A stranger without an account (nor JavaScript) opens the link.
    const stranger = await anonymous(false);
    await stranger.goto(new URL(link).pathname);
    expect((await stranger.locator('#status-h').textContent())?.trim()).toBe('Chứng nhận hợp lệ');
    await stranger.getByText(NOMINEE).waitFor();
    await page.goto(new URL(link).pathname);
    await page.locator('#status-h').waitFor();
    await expectNoA11yViolations(page);
  });
});
