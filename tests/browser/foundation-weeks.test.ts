/**
 * Weeks and unit plans in a real browser: the 2024 Week page, an organiser publishing a plan
 * that a citizen then reads (with and without JavaScript), and a citizen refused the editor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { switchUser } from './new-account';
import { type Browser, type BrowserContext, launchBrowser, newContext, type Page, signIn, url } from './setup/browser';

const ORGANISER = 'bantochuc.biengiang@demo.hoctap.vn';
const CITIZEN = 'nguoidan@demo.hoctap.vn';

async function addActivity(page: Page, a: { title: string; kind: string; starts: string; ends: string; place: string; audience: string }) {
  const form = page.locator('form:has(input[name="intent"][value="add-activity"])');
  await form.locator('input[name="title"]').fill(a.title);
  await form.locator('select[name="kind"]').selectOption(a.kind);
  await form.locator('input[name="starts_at"]').fill(a.starts);
  await form.locator('input[name="ends_at"]').fill(a.ends);
  await form.locator('input[name="place"]').fill(a.place);
  await form.locator('input[name="audience"]').fill(a.audience);
  await form.locator('button[type="submit"]').click();
  // Back on the editor, the new activity is listed (its Edit link carries ?activity=<id>).
  await page.locator('ol.activity-list li', { hasText: a.title }).first().waitFor();
}

describe('foundation: Weeks and plans in the browser', () => {
  let browser: Browser;
  /** One JavaScript-off context for the checks that need no script (each test sets its own cookies). */
  let plain: BrowserContext;
  beforeAll(async () => {
    browser = await launchBrowser();
    plain = await newContext(browser, { javaScriptEnabled: false });
  });
  afterAll(async () => {
    await plain?.close();
    await browser?.close();
  });

  it('the 2024 Week page shows its theme and dates', async () => {
    await plain.clearCookies();
    const page = await plain.newPage();
    const res = await page.goto('/weeks/2024');
    expect(res?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Phát triển văn hóa đọc thúc đẩy học tập suốt đời');
    const hero = (await page.locator('section.hero').textContent()) ?? '';
    expect(hero).toContain('01/10/2024 – 07/10/2024');
    await page.close();
  });

  // Two plans, one per run, on units and a year that have no demo plan.
  for (const [javaScriptEnabled, unit] of [
    [true, 'thcs-bien-giang'],
    [false, 'th-bien-giang'],
  ] as const) {
    it(`an organiser publishes a plan with two activities and a citizen sees it (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const tag = javaScriptEnabled ? 'JS' : 'HTML';
      const planPath = `/weeks/2023/plans/${unit}`;
      const org = await newContext(browser, { javaScriptEnabled });
      const op = await org.newPage();
      await signIn(op, ORGANISER, undefined, `${planPath}/edit`);
      expect(new URL(op.url()).pathname).toBe(`${planPath}/edit`);
      await expect(op.locator('h1 .badge').textContent()).resolves.toBe('Bản nháp');

      await addActivity(op, {
        title: `Ngày hội đọc sách ${tag}`,
        kind: 'exhibition',
        starts: '2023-10-03T08:00',
        ends: '2023-10-03T11:00',
        place: 'Sân trường',
        audience: 'Học sinh và phụ huynh',
      });
      await addActivity(op, {
        title: `Tọa đàm tự học trong kỷ nguyên số ${tag}`,
        kind: 'talk',
        starts: '2023-10-05T14:00',
        ends: '2023-10-05T16:00',
        place: 'Thư viện trường',
        audience: 'Giáo viên',
      });

      // A citizen cannot see a draft.
      const cit = await newContext(browser, { javaScriptEnabled });
      await switchUser(cit, CITIZEN); // signed in by cookie: the first page opened is the one checked
      const cp = await cit.newPage();
      // The unit's Week page exists (it leads to the units below) but shows nothing of the draft.
      expect((await cp.goto(planPath))?.status()).toBe(200);
      await cp.locator('form[action="/logout"]').waitFor(); // signed in as the citizen
      const draftView = (await cp.locator('main').textContent()) ?? '';
      expect(draftView).not.toContain(`Ngày hội đọc sách ${tag}`);
      expect(draftView).toContain('Đơn vị chưa công bố kế hoạch.');

      await op.locator('textarea[name="purpose_md"]').fill(`Khuyến khích **tự học** cho học sinh (${tag}).`);
      await Promise.all([
        op.waitForURL((u) => u.pathname === planPath, { waitUntil: 'commit' }),
        op.getByRole('button', { name: 'Công bố kế hoạch' }).click(),
      ]);
      await op.getByRole('link', { name: 'Sửa kế hoạch' }).waitFor();

      const res = await cp.goto(planPath);
      expect(res?.status()).toBe(200);
      const main = (await cp.locator('main').textContent()) ?? '';
      expect(main).toContain(`Ngày hội đọc sách ${tag}`);
      expect(main).toContain(`Tọa đàm tự học trong kỷ nguyên số ${tag}`);
      expect(main).toContain('Sân trường');
      expect(await cp.locator('main strong', { hasText: 'tự học' }).count()).toBeGreaterThan(0);
      // In the order the organiser added them, and the citizen gets no edit button.
      expect(main.indexOf(`Ngày hội đọc sách ${tag}`)).toBeLessThan(main.indexOf(`Tọa đàm tự học trong kỷ nguyên số ${tag}`));
      expect(await cp.getByRole('link', { name: 'Sửa kế hoạch' }).count()).toBe(0);
      // The 2023 Week page now lists the unit among the published plans.
      await cp.goto('/weeks/2023');
      expect(await cp.locator(`main a[href="${planPath}"]`).count()).toBeGreaterThan(0);
      await org.close();
      await cit.close();
    });
  }

  it("a citizen gets 403 on an organiser's edit page", async () => {
    await switchUser(plain, CITIZEN);
    const page = await plain.newPage();
    const res = await page.goto('/weeks/2024/plans/bien-giang/edit');
    expect(res?.status()).toBe(403);
    expect(await page.locator('textarea[name="purpose_md"]').count()).toBe(0);
    // And a forged POST is refused too, not just the page.
    const cookies = (await plain.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const post = await fetch(url('/weeks/2024/plans/bien-giang/edit'), {
      method: 'POST',
      headers: { Cookie: cookies, 'Content-Type': 'application/x-www-form-urlencoded', Origin: new URL(url('/')).origin },
      body: 'intent=unpublish',
      redirect: 'manual',
    });
    expect(post.status).toBe(403);
    // The demo plan is still published for everyone.
    expect((await page.goto('/weeks/2024/plans/bien-giang'))?.status()).toBe(200);
    await page.close();
  });
});
