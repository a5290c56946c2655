/**
 * Participation statistics in the browser, JavaScript off, on a 360 px phone: the page renders
 * from the seeded pre-aggregates, every chart is an SVG with a title and description beside a data
 * table, the numbers drawn match the table, the metric picker works as a plain GET form, child
 * units lead to their own page (the 2024 tree with its district, the 2025 one with the merged
 * ward), the map's provinces drawn from its fingerprinted SVG file, no horizontal overflow, axe clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, type BrowserContext, expectNoA11yViolations, launchBrowser, newContext, type Page } from './setup/browser';

describe('participation statistics (no JavaScript, 360 px)', () => {
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let jsCtx: BrowserContext;

  beforeAll(async () => {
    browser = await launchBrowser();
    ctx = await newContext(browser, { javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
    page = await ctx.newPage();
    jsCtx = await newContext(browser, { viewport: { width: 360, height: 740 } });
  });
  afterAll(async () => {
    await ctx?.close();
    await jsCtx?.close();
    await browser?.close();
  });

  const noOverflow = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  /** axe needs JavaScript in the page: the same URL in a JavaScript-on context at the same size. */
  const axe = async (path: string) => {
    const p = await jsCtx.newPage();
    await p.goto(path);
    await expectNoA11yViolations(p);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await p.close();
  };
  const toInt = (s: string | null) => Number((s ?? '').replace(/[^\d]/g, ''));

  it('shows the 2025 Week for the whole country with SVG charts and their tables', async () => {
    const res = await page.goto('/weeks/2025/stats');
    expect(res?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toContain('Thống kê tham gia Tuần lễ 2025');
    // The overview: this Week's participants, compared with 2024.
    const participants = page.locator('[data-testid="stats-summary"] tr[data-metric="participants"] td');
    expect(toInt(await participants.nth(0).textContent())).toBeGreaterThan(0);
    expect(toInt(await participants.nth(1).textContent())).toBeGreaterThan(0);

    // Every chart: an SVG image with a title and a description, and a data table in the same figure.
    const figures = page.locator('figure.stat-figure:not([data-testid="stats-map"])');
    expect(await figures.count()).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < (await figures.count()); i++) {
      const f = figures.nth(i);
      const svg = f.locator('svg[role="img"]');
      await expect(svg.count()).resolves.toBe(1);
      expect((await svg.locator('title').first().textContent())?.length).toBeGreaterThan(5);
      expect((await svg.locator('desc').textContent())?.length).toBeGreaterThan(5);
      await expect(f.locator('table.data').count()).resolves.toBe(1);
    }

    // The numbers drawn are the table's: bars by unit…
    const units = page.locator('[data-testid="stats-children"]');
    const drawn = await units.locator('svg text.stat-value').allTextContents();
    const tabled = await units.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(drawn.map(toInt)).toEqual(tabled.map(toInt));
    expect(drawn.length).toBe(3); // Hà Nội, Thái Nguyên, Gia Lai in the 2025 tree
    // …and the points of the daily line (each point's <title> is "dd/MM: value").
    const daily = page.locator('[data-testid="stats-daily"]');
    const points = await daily.locator('svg circle title').allTextContents();
    const cells = await daily.locator('tbody tr td[data-metric="participants"]').allTextContents();
    expect(points.length).toBe(7);
    expect(points.map((p) => toInt(p.split(':')[1]!))).toEqual(cells.map(toInt));
    // The days add up to the overview.
    expect(cells.map(toInt).reduce((a, b) => a + b, 0)).toBe(toInt(await participants.nth(0).textContent()));
    // The provinces, each with its participation rate…
    const ranks = await page.locator('[data-testid="stats-children"] tbody tr').count();
    expect(ranks).toBe(3);
    // …and the map of the 34 provinces of the 2025 tree, each shaded by the rate in the table.
    const map = page.locator('[data-testid="stats-map"] svg[role="img"]');
    await expect(map.count()).resolves.toBe(1);
    expect((await map.locator('desc').textContent())?.length).toBeGreaterThan(5);
    await expect(map.locator('.stat-map-provinces use').count()).resolves.toBe(34);
    // The provinces' paths are not in the page: each is drawn from the edition's SVG file (no
    // JavaScript needed), a fingerprinted asset the browser keeps for a year.
    expect(await page.locator('[data-testid="stats-map"] path').count()).toBe(0);
    await expect
      .poll(() =>
        map
          .locator('.stat-map-provinces use')
          .evaluateAll((els) => els.filter((e) => (e as SVGGraphicsElement).getBBox().width > 0).length),
      )
      .toBe(34);
    const file = (await map.locator('.stat-map-provinces use').first().getAttribute('href'))!.split('#')[0]!;
    expect(file).toMatch(/^\/build\/_assets\/province-map-since2025-[A-Z0-9]+\.svg$/);
    const asset = await page.context().request.get(file);
    expect(asset.status()).toBe(200);
    expect(asset.headers()['cache-control']).toMatch(/immutable/);
    await expect(map.locator('text').allTextContents()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining('Quần đảo Hoàng Sa'), expect.stringContaining('Quần đảo Trường Sa')]),
    );
    const rows = page.locator('[data-testid="stats-children"] tbody tr');
    for (let i = 0; i < ranks; i++) {
      const name = (await rows.nth(i).locator('th').textContent())!.trim();
      const rate = (await rows.nth(i).locator('td').nth(2).textContent())!.trim();
      const shape = map.locator('.stat-map-provinces use', { has: page.locator(`title:text-is("${name}: ${rate}")`) });
      await expect(shape.count()).resolves.toBe(1);
      const cls = await shape.getAttribute('data-class');
      expect(cls).not.toBe('none');
      // The legend has that class, with the same colour.
      const fill = await shape.evaluate((e) => getComputedStyle(e).fill);
      expect(fill).toMatch(/^rgb/);
      const swatch = page.locator(`[data-testid="stats-map"] .stat-legend li[data-class="${cls}"] .stat-swatch`);
      expect(await swatch.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(fill);
    }
    // Provinces with no unit on the platform yet are drawn unshaded.
    expect(await map.locator('use[data-class="none"]').count()).toBe(34 - ranks);
    const box = await map.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(360);

    await noOverflow();
    await axe('/weeks/2025/stats');
  });

  it('draws the 2024 Week on the 63 provinces of its own tree', async () => {
    await page.goto('/weeks/2024/stats');
    const map = page.locator('[data-testid="stats-map"] svg[role="img"]');
    await expect(map.locator('.stat-map-provinces use').count()).resolves.toBe(63);
    await expect
      .poll(() =>
        map
          .locator('.stat-map-provinces use')
          .evaluateAll((els) => els.filter((e) => (e as SVGGraphicsElement).getBBox().width > 0).length),
      )
      .toBe(63);
    const shaded = await map.locator('.stat-map-provinces use:not([data-class="none"]) title').allTextContents();
    expect(shaded.length).toBeGreaterThan(0);
    expect(shaded.length).toBeLessThanOrEqual(await page.locator('[data-testid="stats-children"] tbody tr').count());
    expect(shaded.some((s) => s.startsWith('Tỉnh Bình Định'))).toBe(true);
    await noOverflow();
    await axe('/weeks/2024/stats');
  });

  it('changes the charted figure with the plain GET form', async () => {
    await page.goto('/weeks/2025/stats');
    await page.selectOption('select[name="metric"]', 'reading_minutes');
    await Promise.all([page.waitForURL(/metric=reading_minutes/), page.getByRole('button', { name: 'Xem' }).click()]);
    const title = await page.locator('[data-testid="stats-children"] svg title').first().textContent();
    expect(title).toContain('Phút đọc sách');
    const drawn = await page.locator('[data-testid="stats-children"] svg text.stat-value').allTextContents();
    const total = toInt(await page.locator('[data-testid="stats-summary"] tr[data-metric="reading_minutes"] td').first().textContent());
    expect(drawn.map(toInt).reduce((a, b) => a + b, 0)).toBe(total);
    await noOverflow();
  });

  it('ranks the provinces by participation rate from the column heading, keeping the charted figure', async () => {
    await page.goto('/weeks/2025/stats?metric=loans');
    const head = page.locator('[data-testid="stats-children"] thead th');
    await expect(head.nth(2).getAttribute('aria-sort')).resolves.toBe('descending');
    await Promise.all([page.waitForURL(/sort=rate/), head.nth(3).getByRole('link').click()]);
    expect(page.url()).toMatch(/metric=loans/);
    await expect(head.nth(3).getAttribute('aria-sort')).resolves.toBe('descending');
    const rates = (await page.locator('[data-testid="stats-children"] tbody tr td:nth-child(4)').allTextContents()).map((r) =>
      r.trim() === '—' ? -1 : Number(r.replace(/[^\d,]/g, '').replace(',', '.')),
    );
    expect(rates.length).toBeGreaterThan(1);
    expect([...rates].sort((a, b) => b - a)).toEqual(rates);
    // The bars are the rates, in the table's order.
    const drawn = await page.locator('[data-testid="stats-children"] svg text.stat-value').allTextContents();
    expect(drawn.map((d) => Number(d.replace(/[^\d,]/g, '').replace(',', '.')))).toEqual(rates.map((r) => Math.max(r, 0)));
    await noOverflow();
  });

  it('follows each Week’s own tree down to a unit, and compares a merged ward with what it was made from', async () => {
    await page.goto('/weeks/2024/stats/ha-noi');
    await expect(page.locator('[data-testid="stats-children"] tbody th').allTextContents()).resolves.toContain('Quận Hà Đông');
    await page.goto('/weeks/2025/stats/ha-noi');
    const children2025 = await page.locator('[data-testid="stats-children"] tbody th').allTextContents();
    expect(children2025).toContain('Phường Hà Đông');
    expect(children2025).not.toContain('Quận Hà Đông');
    await Promise.all([
      page.waitForURL(/\/weeks\/2025\/stats\/phuong-ha-dong/),
      page.getByRole('link', { name: 'Phường Hà Đông' }).click(),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toContain('Phường Hà Đông');
    await expect(page.getByText('Phường Biên Giang').count()).resolves.toBeGreaterThan(0); // "compared with … Biên Giang, Vạn Phúc"
    await noOverflow();
    await axe('/weeks/2025/stats/phuong-ha-dong');
    // A unit not in force for that Week has no page for it.
    expect((await page.goto('/weeks/2024/stats/phuong-ha-dong'))?.status()).toBe(404);
  });
});
