import { expect, it } from 'vitest';
import { describeBrowser, servedAppAndBrowser, signInPage } from '../helpers/browser.ts';

describeBrowser('accounts in a real browser', () => {
  const s = servedAppAndBrowser();

  it('signs up, logs out and logs in again', async () => {
    const page = await s.browser.newPage();
    const origin = s.server.origin;
    const email = `e2e-${Date.now()}@example.test`;
    await page.goto(`${origin}/signup`);
    await page.getByLabel('Name').fill('Erin Browser');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Phone').fill('+1 555 0199');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => page.locator('#f-password-error').textContent()).toContain('at least 8');
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await page.getByLabel('Password').fill('a good long password');
    await Promise.all([page.waitForURL(`${origin}/`), page.getByRole('button', { name: 'Sign up' }).click()]);
    expect(await page.locator('header').textContent()).toContain('Erin Browser');
    await Promise.all([page.waitForURL(/\/login$/), page.getByRole('button', { name: 'Sign out' }).click()]);
    expect(await page.locator('header').textContent()).not.toContain('Erin Browser');
    await signInPage(page, origin, email, 'a good long password');
    expect(await page.locator('header').textContent()).toContain('Erin Browser');
    await page.close();
  });
});
