/**
 * The unit tree in a real browser: the home page after the latest Week (shown as past, never its
 * activities as "upcoming", the next Week offered to the Ministry's admin), an organiser loading
 * two units from a CSV list and merging them with the reorganisation tool (preview, then apply;
 * with JavaScript and without), the searchable unit picker, and axe on each page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { switchUser } from './new-account';
import { type Browser, type BrowserContext, expectNoA11yViolations, launchBrowser, newContext, signIn } from './setup/browser';

const THAI_NGUYEN = 'bantochuc.thainguyen@demo.hoctap.vn';
const ADMIN = 'admin@demo.hoctap.vn';

describe('units: the two-tier tree, reorganisation and the latest Week', () => {
  let browser: Browser;
  /** One JavaScript-on context for the read-only pages (each test starts it signed out). */
  let shared: BrowserContext;
  beforeAll(async () => {
    browser = await launchBrowser();
    shared = await newContext(browser);
  });
  afterAll(async () => {
    await shared?.close();
    await browser?.close();
  });

  it('the home page shows the latest Week as past, with its results, and nothing as upcoming', async () => {
    await shared.clearCookies();
    const page = await shared.newPage();
    await page.goto('/');
    await expect(page.locator('.hero .eyebrow').textContent()).resolves.toBe('Tuần lễ 2025 đã diễn ra');
    await expect(page.locator('h1').textContent()).resolves.toContain('làm chủ tri thức và công nghệ');
    await expect(page.locator('a[href="/weeks/2025"]').first().textContent()).resolves.toContain('Xem kết quả và lưu trữ Tuần lễ 2025');
    expect(await page.locator('text=Hoạt động sắp tới').count()).toBe(0);
    await expect(page.locator('#next-week').textContent()).resolves.toBe('Tuần lễ tiếp theo');
    await expect(page.locator('section[aria-labelledby="next-week"]').textContent()).resolves.toContain('Tuần lễ 2027 chưa được công bố');

    // The Ministry's admin, in the same context by cookie: the same home page, with the next Week
    // offered. axe runs once on the home page, here (the signed-in page has all of the public one).
    await switchUser(shared, ADMIN);
    await page.goto('/');
    const create = page.locator('a[href="/weeks/new"]', { hasText: 'Tạo Tuần lễ 2027' });
    await create.waitFor();
    await expectNoA11yViolations(page);
    await create.click();
    await page.waitForURL('**/weeks/new', { waitUntil: 'commit' });
    await expect(page.locator('input[name="year"]').inputValue()).resolves.toBe('2027');
    await page.close();
  }, 180_000);

  for (const javaScriptEnabled of [true, false]) {
    it(`an organiser loads units from a CSV list, then merges them after a preview (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const tag = `${javaScriptEnabled ? 'J' : 'H'}${Date.now().toString(36).slice(-5)}`;
      const ctx = await newContext(browser, { javaScriptEnabled });
      const page = await ctx.newPage();
      await signIn(page, THAI_NGUYEN, undefined, '/units/import');
      // axe on the import page runs below, with its error table shown.

      // A bad list first: every bad line is reported, nothing is loaded.
      await page
        .locator('textarea[name="csv_text"]')
        .fill(
          `code,name,kind,parent_code,valid_from\n${tag}-1,Xã Thử ${tag},huyện,thai-nguyen,01/07/2025\n${tag}-2,Xã Thử B ${tag},xã,ha-noi,01/07/2025\n${tag}-3,Xã Thử C ${tag},xã,thai-nguyen,31/02/2025`,
        );
      await page.locator('button[type="submit"]', { hasText: 'Kiểm tra và nạp' }).click();
      const errors = page.locator('#import-errors');
      await errors.waitFor();
      await expect(errors.textContent()).resolves.toBe('Tệp có 3 lỗi — chưa nạp dòng nào');
      const rows = await page.locator('section[aria-labelledby="import-errors"] tbody tr').allTextContents();
      expect(rows.join('\n')).toContain('Loại đơn vị không hợp lệ');
      expect(rows.join('\n')).toContain('Ngày không hợp lệ');
      expect(rows.join('\n')).toContain('Bạn không có quyền');
      await expect(page.locator('textarea[name="csv_text"]').inputValue()).resolves.toContain(`Xã Thử ${tag}`);
      if (javaScriptEnabled) await expectNoA11yViolations(page); // axe runs as a page script

      // A good list loads, and the flash says how many.
      await page
        .locator('textarea[name="csv_text"]')
        .fill(
          `${tag}-1,Xã Thử ${tag},xã,thai-nguyen,01/07/2025\n${tag}-2,Xã Thử B ${tag},xã,thai-nguyen,01/07/2025\n${tag}-3,Trường Thử ${tag},trường,${tag}-2,01/07/2025`,
        );
      await page.locator('button[type="submit"]', { hasText: 'Kiểm tra và nạp' }).click();
      await page.waitForURL('**/units/reorganise', { waitUntil: 'commit' });
      await page.locator('text=Đã nạp 3 đơn vị.').waitFor();

      // Merge the two communes into a new one: preview first.
      const merge = page.locator('form[aria-labelledby="merge-title"]');
      const sources = merge.locator('select[name="sources"]');
      const ids = await sources
        .locator('option')
        .evaluateAll(
          (opts, t) =>
            (opts as HTMLOptionElement[])
              .filter((o) => o.textContent!.includes(`Xã Thử`) && o.textContent!.includes(t as string))
              .map((o) => o.value),
          tag,
        );
      expect(ids).toHaveLength(2);
      await sources.selectOption(ids);
      await merge.locator('input[name="target_mode"][value="new"]').check();
      await merge.locator('input[name="new_name"]').fill(`Xã Hợp Nhất ${tag}`);
      await merge.locator('input[name="new_slug"]').fill(`xa-hop-nhat-${tag.toLowerCase()}`);
      await merge.locator('select[name="new_kind"]').selectOption('ward');
      if (javaScriptEnabled) {
        // The searchable picker: typed without accents, it finds the province.
        await merge.locator('input[type="search"]').first().fill('thai nguyen');
        const shown = await merge.locator('select[name="new_parent"] option').allTextContents();
        expect(shown).toContain('Tỉnh Thái Nguyên');
        // Only matches are left (with where each sits), besides the "none" choice.
        expect(shown.slice(1).every((o) => o.includes('Thái Nguyên'))).toBe(true);
      }
      await merge.locator('select[name="new_parent"]').selectOption({ label: 'Tỉnh Thái Nguyên' });
      await merge.locator('input[name="effective_on"]').fill('2026-11-30');
      await merge.locator('button[name="intent"][value="preview"]').click();
      const preview = page.locator('#preview');
      await preview.waitFor();
      // Without JavaScript the answer is a new document, read while it streams in: wait for its last line.
      await expect
        .poll(async () => (await preview.textContent()) ?? '', { timeout: 30_000 })
        .toContain(`Trường Thử ${tag}: Xã Thử B ${tag} → Xã Hợp Nhất ${tag}`);
      const text = (await preview.textContent()) ?? '';
      expect(text).toContain('Xem trước thay đổi (chưa áp dụng)');
      expect(text).toContain(`Đơn vị mới: Xã Hợp Nhất ${tag}`);
      expect(text).toContain(`Xã Thử ${tag} — sáp nhập vào Xã Hợp Nhất ${tag}`);
      expect(text).toContain(`Trường Thử ${tag}: Xã Thử B ${tag} → Xã Hợp Nhất ${tag}`);
      if (javaScriptEnabled) await expectNoA11yViolations(page); // axe runs as a page script
      // Nothing has changed yet: the new unit does not exist.
      expect((await ctx.request.get(`/units/xa-hop-nhat-${tag.toLowerCase()}`)).status()).toBe(404);

      await preview.locator('button[name="intent"][value="apply"]').click();
      await page.locator('text=Đã áp dụng thay đổi.').waitFor();
      await expect(page.locator('section[aria-labelledby="log-title"]').textContent()).resolves.toContain(
        `Xã Thử ${tag} → Xã Hợp Nhất ${tag}`,
      );

      // The new unit has the school under it and the lineage of both communes.
      await page.goto(`/units/xa-hop-nhat-${tag.toLowerCase()}`);
      await expect(page.locator('section[aria-labelledby="unit-children"]').textContent()).resolves.toContain(`Trường Thử ${tag}`);
      await expect(page.locator('section[aria-labelledby="unit-lineage"] li').count()).resolves.toBe(2);
      if (javaScriptEnabled) await expectNoA11yViolations(page); // axe runs as a page script
      await ctx.close();
    }, 240_000);
  }

  it("the tree on a past date still shows the 2024 districts; today's tree has wards under the province", async () => {
    await shared.clearCookies();
    const page = await shared.newPage();
    await page.goto('/units?on=01/10/2024');
    const tree2024 = (await page.locator('ul.tree').first().textContent()) ?? '';
    expect(tree2024).toContain('Quận Hà Đông');
    expect(tree2024).toContain('Phường Biên Giang');
    expect(tree2024).not.toContain('Phường Hà Đông');
    await expectNoA11yViolations(page);
    await page.goto('/units');
    const now = (await page.locator('ul.tree').first().textContent()) ?? '';
    expect(now).toContain('Phường Hà Đông');
    expect(now).not.toContain('Quận Hà Đông');
    await page.close();
  }, 180_000);
});
