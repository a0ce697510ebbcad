import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listen, testApp, type TestApp } from '../helpers/app.ts';
import { describeBrowser, launchBrowser, signInPage } from '../helpers/browser.ts';

describeBrowser('accounts in a real browser', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  beforeAll(async () => {
    t = await testApp();
    server = await listen(t.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  it('signs up, logs out and logs in again', async () => {
    const page = await browser.newPage();
    const email = `e2e-${Date.now()}@example.test`;
    await page.goto(`${server.origin}/signup`);
    await page.getByLabel('Name').fill('Erin Browser');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Phone').fill('+1 555 0199');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => page.locator('#f-password-error').textContent()).toContain('at least 8');
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await page.getByLabel('Password').fill('a good long password');
    await Promise.all([page.waitForURL(`${server.origin}/`), page.getByRole('button', { name: 'Sign up' }).click()]);
    expect(await page.locator('header').textContent()).toContain('Erin Browser');
    await Promise.all([page.waitForURL(/\/login$/), page.getByRole('button', { name: 'Sign out' }).click()]);
    expect(await page.locator('header').textContent()).not.toContain('Erin Browser');
    await signInPage(page, server.origin, email, 'a good long password');
    expect(await page.locator('header').textContent()).toContain('Erin Browser');
    await page.close();
  });
});
