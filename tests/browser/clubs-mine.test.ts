/**
 * The club directory without JavaScript, as a signed-in member sees it: the unit filter in two
 * steps (a province, then one of its districts, communes or wards), and "my clubs" with the
 * private meetings calendar on /clubs/mine (kept off the directory, which signed-in readers share).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, expectNoA11yViolations, launchBrowser, newContext, type Page, signIn } from './setup/browser';

const ELDER = 'ongba@demo.hoctap.vn';
const CLUB = '/clubs/clb-ong-ba-va-chau-cung-doc';

async function optionValue(page: Page, text: string): Promise<string> {
  const v = await page.locator('select[name="unit"] option', { hasText: text }).first().getAttribute('value');
  if (!v) throw new Error(`no unit option ${text}`);
  return v;
}

describe('the club directory and my clubs, without JavaScript', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('filters by a province, then by one of its units', async () => {
    const ctx = await newContext(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signIn(page, ELDER);
    await page.goto('/clubs');
    await page.getByRole('heading', { name: 'Câu lạc bộ đọc sách', level: 1 }).waitFor();
    // Step 1: the country and its provinces only.
    const options = () => page.locator('select[name="unit"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const first = await options();
    const province = await optionValue(page, 'Thành phố Hà Nội');
    await page.locator('select[name="unit"]').selectOption(province);
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForURL((u) => u.searchParams.get('unit') === province);
    // The province's clubs (its whole subtree), and step 2: its communes and wards under it.
    await page.locator(`a[href="${CLUB}"]`).first().waitFor();
    const second = await options();
    const children = second.filter((v) => v && !first.includes(v));
    expect(children.length).toBeGreaterThan(0);
    expect(await page.locator('select[name="unit"]').inputValue()).toBe(province);
    await page.locator('select[name="unit"]').selectOption(children[0]!);
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForURL((u) => u.searchParams.get('unit') === children[0]);
    expect(await page.locator('select[name="unit"]').inputValue()).toBe(children[0]);
    expect(await options()).toEqual(second); // the same province's list, the commune chosen
    await ctx.close();
  });

  it('shows my clubs and the private calendar address on their own page, and resets the address', async () => {
    const ctx = await newContext(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signIn(page, ELDER);
    await page.goto('/clubs');
    await page.getByRole('link', { name: 'Câu lạc bộ của tôi' }).click();
    await page.getByRole('heading', { name: 'Câu lạc bộ của tôi', level: 1 }).waitFor();
    await page.locator(`main a[href="${CLUB}"]`).waitFor();
    const before = await page.locator('main code').textContent();
    expect(before).toMatch(/\/clubs\/calendar\/.+\.ics$/);
    await page.getByRole('button', { name: 'Đổi địa chỉ lịch' }).click();
    await page.getByText('Đã đổi địa chỉ lịch').waitFor();
    expect(await page.locator('main code').textContent()).not.toBe(before);
    await ctx.close();
  });

  // axe runs its script in the page, so it is checked with JavaScript on (same pages, same markup).
  it('passes axe on the directory filtered by a province and on my clubs', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, ELDER);
    await page.goto('/clubs');
    await page.getByRole('heading', { name: 'Câu lạc bộ đọc sách', level: 1 }).waitFor();
    await page.goto(`/clubs?unit=${encodeURIComponent(await optionValue(page, 'Thành phố Hà Nội'))}`);
    await page.locator(`a[href="${CLUB}"]`).first().waitFor();
    await expectNoA11yViolations(page);
    await page.goto('/clubs/mine');
    await page.getByRole('heading', { name: 'Câu lạc bộ của tôi', level: 1 }).waitFor();
    await expectNoA11yViolations(page);
    await ctx.close();
  });
});
