/**
 * The certificate as a learner prints it: Chromium renders /certificates/<code> to an A4
 * landscape PDF. It must be exactly one page, carry the holder's name (Vietnamese diacritics
 * intact), course, unit, date and code, a QR code large enough to scan, and none of the site's
 * header, navigation or footer. The certificate is issued through the domain function for a
 * learner who signed up through the real form (completing a course in the UI is covered in
 * courses-learning.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { issueCertificate } from '../../app/domain/courses/progress.server';
import { formatDate } from '../../app/lib/dates';
import { readPdf } from './courses-pdf-text';
import { type Browser, launchBrowser, newContext, openServerDb, signUp, uniqueEmail } from './setup/browser';

const HOLDER = 'Tôn Nữ Hoàng Thị Ngọc Diễm Phương Khuê';
const squash = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim();

describe('courses: the printed certificate', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('prints on exactly one A4 landscape page with the holder, course, unit, date, code and a scannable QR code, without the site chrome', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const email = uniqueEmail('inchungnhan');
    await signUp(page, { name: HOLDER, email, password: 'in-chung-nhan-2024', redirectTo: '/account?welcome=1' });

    // Issue the certificate for the demo course with the longest title.
    const db = await openServerDb();
    let code: string;
    let courseTitle: string;
    let unitName: string;
    try {
      const user = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
      const course = await db
        .selectFrom('courses as c')
        .innerJoin('units as u', 'u.id', 'c.unit_id')
        .select(['c.id', 'c.title', 'u.name'])
        .where('c.slug', '=', 'tim-kiem-thong-tin-an-toan')
        .executeTakeFirstOrThrow();
      ({ code } = await issueCertificate(db, course.id, user.id));
      courseTitle = course.title;
      unitName = course.name;
    } finally {
      await db.destroy();
    }

    // The learner finds it under "My certificates" and opens it.
    await page.goto('/certificates');
    await Promise.all([
      page.waitForURL(/\/certificates\/[A-Z0-9-]+$/, { waitUntil: 'commit' }),
      page.locator(`main a[href="/certificates/${code}"]`).first().click(),
    ]);
    await page.locator('article.certificate').waitFor();
    await page.getByRole('button', { name: 'In chứng nhận' }).waitFor(); // shown once JavaScript can print

    const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
    const { pages, text } = readPdf(pdf);
    expect(pages).toBe(1);
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 84\d(\.\d+)? 59\d(\.\d+)?\]/); // A4 landscape, in points
    const printed = squash(text);
    for (const s of [HOLDER, courseTitle, unitName, code, formatDate(new Date().toISOString()), 'Chứng nhận hoàn thành khóa học'])
      expect(printed).toContain(squash(s));
    // No site header, navigation, footer or on-screen hints on paper.
    for (const s of ['Thư viện số', 'Đăng xuất', 'Chứng nhận của tôi', 'Dùng lệnh In', 'In chứng nhận']) expect(printed).not.toContain(s);

    // The QR code prints at least 30 mm wide (≈113 CSS px) so a phone reads it from arm's length.
    await page.emulateMedia({ media: 'print' });
    const qr = await page.locator('.cert-qr svg').boundingBox();
    expect(qr!.width).toBeGreaterThanOrEqual(113);
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    await ctx.close();

    // English interface, large text switched on: still one page, same holder.
    const en = await newContext(browser, { locale: 'en-US' });
    await en.addCookies([{ name: 'textsize', value: 'large', url: page.url() }]);
    const p2 = await en.newPage();
    await p2.goto(`/certificates/${code}`);
    await p2.locator('article.certificate').waitFor();
    const r2 = readPdf(await p2.pdf({ format: 'A4', landscape: true, printBackground: true }));
    expect(r2.pages).toBe(1);
    expect(squash(r2.text)).toContain(HOLDER);
    expect(squash(r2.text)).toContain('Certificate of course completion');
    await en.close();
  });
});
