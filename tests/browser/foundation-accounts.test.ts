/**
 * Accounts in a real browser against the built site: sign up → sign out → sign in, with and
 * without JavaScript; a wrong password; switching the language and back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Browser, launchBrowser, newContext, type Page, signInWithForm, uniqueEmail } from './setup/browser';

const PASSWORD = 'mat-khau-rat-dai-2024';

async function signUp(page: Page, name: string, email: string): Promise<void> {
  await page.goto('/signup');
  await page.locator('input[name="displayName"]').fill(name);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('input[name="confirmPassword"]').fill(PASSWORD);
  await page.locator('input[name="birthYear"]').fill('1990');
  // Sign-up answers "check your mail" whether or not the address was taken (security review,
  // finding 10); the new account then signs in.
  await Promise.all([page.waitForURL(/\/login/, { waitUntil: 'commit' }), page.locator('main form button[type="submit"]').click()]);
  await page.getByText(`Chúng tôi đã gửi thư đến ${email}`).waitFor();
  await signInWithForm(page, email, PASSWORD, '/account?welcome=1');
  await page.locator('form[action="/logout"]').waitFor();
}

async function signOut(page: Page): Promise<void> {
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/', { waitUntil: 'commit' }),
    page.getByRole('button', { name: 'Đăng xuất' }).click(),
  ]);
  await page.locator('header .account-nav a[href^="/login"]').waitFor();
}

describe('foundation: accounts in the browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const javaScriptEnabled of [true, false]) {
    it(`signs up, signs out and signs back in (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const ctx = await newContext(browser, { javaScriptEnabled });
      const page = await ctx.newPage();
      const name = `Người học ${javaScriptEnabled ? 'JS' : 'HTML'} Đặng Thị Hoa`;
      const email = uniqueEmail('signup');
      await signUp(page, name, email);
      // Welcomed by name, and the header shows the account.
      await expect(page.locator('main').textContent()).resolves.toContain(name);
      await expect(page.locator('header .account-nav').textContent()).resolves.toContain(name);

      await signOut(page);
      await expect(page.locator('header .account-nav').textContent()).resolves.toContain('Đăng nhập');
      await expect(page.locator('header .account-nav').textContent()).resolves.not.toContain(name);
      // The session is really gone, not just hidden: the account page asks to sign in.
      await page.goto('/account');
      expect(new URL(page.url()).pathname).toBe('/login');

      await signInWithForm(page, email, PASSWORD, '/account');
      expect(new URL(page.url()).pathname).toBe('/account');
      await expect(page.locator('header .account-nav').textContent()).resolves.toContain(name);
      await ctx.close();
    });
  }

  it('a wrong password shows the translated error and keeps the email typed', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const email = uniqueEmail('wrongpw');
    await page.goto('/login');
    await page.locator('input[name="email"]').fill(email);
    await page.locator('input[name="password"]').fill('khong-phai-mat-khau');
    await page.locator('main form button[type="submit"]').click();
    // Announced to screen readers, in Vietnamese (the default language).
    await expect(page.getByRole('alert').filter({ hasText: 'Email hoặc mật khẩu không đúng.' }).waitFor()).resolves.toBeUndefined();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('input[name="email"]').inputValue()).toBe(email);
    await expect(page.locator('header .account-nav').textContent()).resolves.toContain('Đăng nhập');
    await ctx.close();
  });

  for (const javaScriptEnabled of [true, false]) {
    it(`switches to English and back, staying on the same page (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const ctx = await newContext(browser, { javaScriptEnabled });
      const page = await ctx.newPage();
      await page.goto('/weeks');
      expect(await page.locator('html').getAttribute('lang')).toBe('vi');
      await expect(page.locator('h1').first().textContent()).resolves.toBe('Các kỳ Tuần lễ');

      await page.getByRole('button', { name: 'English' }).click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(new URL(page.url()).pathname).toBe('/weeks');
      await expect(page.locator('header .brand').textContent()).resolves.toContain('Lifelong Learning Week');
      await expect(page.getByRole('button', { name: 'Đăng nhập' }).count()).resolves.toBe(0);
      await expect(page.getByRole('link', { name: 'Sign in' }).count()).resolves.toBe(1);

      // The choice sticks across navigations (a cookie), then switching back restores Vietnamese.
      await page.goto('/');
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await page.getByRole('button', { name: 'Tiếng Việt' }).click();
      await page.waitForFunction(() => document.documentElement.lang === 'vi');
      await expect(page.locator('header .brand').textContent()).resolves.toContain('Tuần lễ hưởng ứng học tập suốt đời');
      await ctx.close();
    });
  }
});
