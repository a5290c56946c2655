/**
 * Issue #16, the contest-badge desk in Chromium on the built site: a contest's organiser finds the
 * desk from the contest's manage page, turns the automatic issue off (JavaScript off), and after
 * the round's results are published (no badge: it is off) issues the winners' badges by hand;
 * revokes one from its honour page; anyone (no account) then sees the public badge page and
 * `/verify/<code>` say valid for one and revoked for the other. A person who may not use the desk
 * gets a 404. axe and a 360 px width check on every page.
 *
 * The contest is arranged in the test server's database with the domain's own functions (like
 * contest-submit.test.ts): a 2024 contest of a fresh unit tree, one closed quiz round, two winners.
 *
 * axe runs its checks as a script in the page, so it never finishes in a context with JavaScript
 * off (this test used to hang there until its timeout): the organiser's pages are audited in a
 * second, JavaScript-on context of the same organiser at the same addresses and states (the house
 * pattern of honours.test.ts); the public pages are visited with JavaScript on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { attemptView, startAttempt, submitAttempt } from '~/domain/contests/attempts.server';
import { addPrize, addRound, register } from '~/domain/contests/contests.server';
import { publishResults } from '~/domain/contests/results.server';

import { contestWorld } from '../helpers/contests';
import { switchUser } from './new-account';
import { type Browser, expectNoA11yViolations, launchBrowser, openServerDb, type Page } from './setup/browser';
import { DEMO_BY_ROLE, signedInPage } from './setup/signed-in';

const T0 = new Date('2024-10-02T01:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

async function narrowOk(page: Page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(over, `${page.url()} is wider than 360 px`).toBeLessThanOrEqual(0);
}

async function flash(page: Page, text: string) {
  await page.locator('.flash-region').getByText(text).waitFor();
}

describe('honours: the contest-badge desk', () => {
  let browser: Browser;
  let db: DB;
  let w: Awaited<ReturnType<typeof contestWorld>>;
  let contest: { id: string; slug: string };
  let roundId = '';
  let organiserEmail = '';
  let stranger = '';
  const names = [`Nguyễn Văn Nhất ${Date.now().toString(36)}`, `Trần Thị Nhì ${Date.now().toString(36)}`];

  beforeAll(async () => {
    browser = await launchBrowser();
    db = await openServerDb();
    w = await contestWorld(db);
    const c = await w.contest({ weekYear: 2024, title: 'Cuộc thi “Tìm hiểu sách” thử' });
    contest = { id: c.id, slug: c.slug };
    await w.bank(c.id, ['Sách'], 3);
    const r = await addRound(db, w.organiser, c.id, {
      title: 'Vòng 1',
      opensAt: at(0).toISOString(),
      closesAt: at(3600).toISOString(),
      timeLimitS: 600,
      quota: [{ topic: null, difficulty: 'easy', count: 2 }],
    });
    if (!r.ok) throw new Error(r.code);
    roundId = r.value;
    await addPrize(db, w.organiser, c.id, { roundId, label: 'Giải Nhất', rankFrom: 1, rankTo: 1, points: 0 });
    await addPrize(db, w.organiser, c.id, { roundId, label: 'Giải Nhì', rankFrom: 2, rankTo: 2, points: 0 });
    for (const [i, name] of names.entries()) {
      const u = await w.user(name, 1990);
      const reg = await register(db, c.id, u, { fullName: name, birthYear: 1990, unitId: w.schoolA.id, phone: null }, T0);
      if (!reg.ok) throw new Error(reg.code);
      const s = await startAttempt(db, roundId, u, at(10));
      if (!s.ok) throw new Error(s.code);
      const v = (await attemptView(db, s.value.attemptId, u))!;
      const responses = new Map(v.questions.map((q, n) => [q.id, n < 2 - i ? 'a' : 'b']));
      const sub = await submitAttempt(db, s.value.attemptId, u, { responses, prediction: 2 }, at(60));
      if (!sub.ok) throw new Error(sub.code);
    }
    organiserEmail = (await db.selectFrom('users').select('email').where('id', '=', w.organiser).executeTakeFirstOrThrow()).email;
    stranger = (
      await db
        .selectFrom('users')
        .select('email')
        .where('id', '=', await w.user('Người ngoài'))
        .executeTakeFirstOrThrow()
    ).email;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await db?.destroy();
  });

  it(
    'turns the automatic issue off, issues the winners by hand, revokes one; the public pages verify both',
    { timeout: 240_000 },
    async () => {
      const { ctx, page } = await signedInPage(browser, { email: organiserEmail }, { javaScriptEnabled: false, ...PHONE });
      // The same organiser with JavaScript on, for axe (see the header).
      const audit = await signedInPage(browser, { email: organiserEmail }, PHONE);
      try {
        const desk = `/honours/contests/${contest.id}`;
        const audited = async (path: string, ready: string) => {
          await audit.page.goto(path);
          await audit.page.locator(ready).first().waitFor();
          await expectNoA11yViolations(audit.page);
          await narrowOk(audit.page);
        };
        const items = page.locator('section[aria-labelledby="issued-h"] li');

        // Found from the contest's manage page.
        await page.goto(`/contests/${contest.slug}/manage`);
        await page.getByRole('link', { name: 'Giấy khen người đoạt giải (Open Badge)' }).click();
        await page.locator('h1', { hasText: 'Cuộc thi “Tìm hiểu sách” thử' }).waitFor();
        expect(new URL(page.url()).pathname).toBe(desk);
        expect(await page.locator('input[name="auto"]').isChecked()).toBe(true); // on by default
        await narrowOk(page);
        await audited(desk, 'h1');

        // Off (JavaScript off: a real form post), saved and shown.
        await page.locator('input[name="auto"]').uncheck();
        await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
        await flash(page, 'Đã tắt tự động cấp giấy khen');
        expect(await page.locator('input[name="auto"]').isChecked()).toBe(false);
        expect(await page.locator('main').innerText()).toContain('Đang tắt');

        // The round's results are published (by this organiser): nothing issued, since it is off.
        const pub = await publishResults(db, w.organiser, roundId, at(7200));
        expect(pub.ok).toBe(true);
        await page.goto(desk);
        await page.getByText('Chưa cấp giấy khen nào.').waitFor();
        expect(await page.locator('main').innerText()).toContain('có 2 lượt đoạt giải');

        // Issued by hand: both winners listed, each with a verification link.
        const award = page.getByRole('button', { name: 'Cấp giấy khen và chứng nhận số cho người đoạt giải' });
        await award.click();
        await flash(page, 'Đã cấp 2 giấy khen mới.');
        expect(await items.count()).toBe(2);
        expect(await items.nth(0).innerText()).toContain(names[0]!);
        expect(await items.nth(0).innerText()).toContain('Giải Nhất');
        expect(await items.nth(1).innerText()).toContain(names[1]!);
        expect(await items.nth(1).innerText()).toContain('Giải Nhì');
        await audited(desk, 'section[aria-labelledby="issued-h"] li');
        // A second click issues nothing more.
        await award.click();
        await flash(page, 'Đã cấp 0 giấy khen mới.');
        expect(await items.count()).toBe(2);

        const verifyHrefs = await items.locator('a[href^="/verify/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
        const honourHrefs = await items.locator('a[href^="/honours/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
        expect(verifyHrefs).toHaveLength(2);
        expect(honourHrefs).toHaveLength(2);

        // Revoke the second winner's badge from its honour page.
        await items.nth(1).getByRole('link', { name: names[1]! }).click();
        await page.locator('h1', { hasText: names[1]! }).waitFor();
        expect(new URL(page.url()).pathname).toBe(honourHrefs[1]);
        await page.locator('textarea[name="reason"]').fill('Phát hiện gian lận sau khi công bố');
        await page.locator('button[name="intent"][value="revoke"]').click();
        await flash(page, 'Đã thu hồi khen thưởng.');
        await page.locator('.honour-revoked', { hasText: 'Phát hiện gian lận' }).waitFor();
        await narrowOk(page);
        await audited(honourHrefs[1]!, '.honour-revoked');
        await page.goto(desk);
        await items.nth(1).getByText('đã thu hồi ngày').waitFor();
        expect(await items.nth(0).innerText()).not.toContain('đã thu hồi');

        // No account: the public badge page and the verification page (the audit context, signed out).
        await audit.ctx.clearCookies();
        const pub0 = audit.page;
        await pub0.goto(honourHrefs[0]!);
        await pub0.locator('h1', { hasText: names[0]! }).waitFor();
        expect(await pub0.locator('.honour-headline').innerText()).toContain('Giải Nhất — Cuộc thi “Tìm hiểu sách” thử · Vòng 1');
        expect(await pub0.locator('.honour-revoked').count()).toBe(0);
        await expectNoA11yViolations(pub0);
        await narrowOk(pub0);
        await pub0.goto(verifyHrefs[0]!);
        await pub0.locator('h2', { hasText: 'Chứng nhận hợp lệ' }).waitFor();
        expect(await pub0.locator('main').innerText()).toContain(names[0]!);
        await expectNoA11yViolations(pub0);
        await narrowOk(pub0);
        await pub0.goto(verifyHrefs[1]!);
        await pub0.locator('h2', { hasText: 'Chứng nhận đã bị thu hồi' }).waitFor();
        expect(await pub0.locator('main').innerText()).toContain('Phát hiện gian lận sau khi công bố');
        await expectNoA11yViolations(pub0);
        await narrowOk(pub0);
        await pub0.goto(honourHrefs[1]!);
        await pub0.locator('.honour-revoked', { hasText: 'Phát hiện gian lận' }).waitFor();
      } finally {
        await ctx.close();
        await audit.ctx.close();
      }
    },
  );

  it('is not there for someone who may not use it: no link, and a 404 at its address', { timeout: 120_000 }, async () => {
    // One context for both people (the session swapped), JavaScript off: nothing here needs it.
    const { ctx, page } = await signedInPage(browser, { email: stranger }, { javaScriptEnabled: false });
    try {
      const res = await page.goto(`/honours/contests/${contest.id}`);
      expect(res?.status()).toBe(404);
      // A ward organiser elsewhere in the demo sees the honours desk without this contest's link.
      await switchUser(ctx, DEMO_BY_ROLE.organiser);
      await page.goto('/honours');
      await page.locator('h1').waitFor();
      expect(await page.locator(`a[href="/honours/contests/${contest.id}"]`).count()).toBe(0);
    } finally {
      await ctx.close();
    }
  });
});
