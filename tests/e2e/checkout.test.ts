import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listen, testApp, type TestApp } from '../helpers/app.ts';
import { describeBrowser, launchBrowser, seriousA11yViolations, signInPage } from '../helpers/browser.ts';
import { makeCustomer, makeSeller, PASSWORD } from '../helpers/factories.ts';

describeBrowser('checkout in a real browser', () => {
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

  const addToCart = async (page: Page, name: string) => {
    const card = page.locator('li.product', { has: page.getByRole('heading', { name }) });
    await card.getByRole('button', { name: 'Add to cart' }).click();
    await expect.poll(() => card.getByRole('status').textContent()).toContain(`Added ${name}`);
  };

  /** A mark on the window survives htmx swaps but not a page load: it tells the two apart. */
  const mark = (page: Page) => page.evaluate(() => Object.assign(window, { sameDocument: true }));
  const stillSameDocument = (page: Page) => page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true);

  it('adds products of two stores with htmx, checks out, and finds the order; markup in the address stays text', async () => {
    const tea = await makeSeller(t.database.orm, [{ name: 'Sencha Tin', price: 1250, stock: 10 }, { name: 'Empty Shelf', stock: 0 }]);
    const pots = await makeSeller(t.database.orm, [{ name: 'Blue Teapot', price: 5900, stock: 2 }]);
    const customer = await makeCustomer(t.database.orm, { name: 'Cleo Customer' });
    // The page runs without CSP so that an unescaped script in the address would really run:
    // this test checks escaping, not the CSP (tests/security checks the CSP).
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await signInPage(page, server.origin, customer.email, PASSWORD);
    await page.goto(`${server.origin}/`);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const shelf = page.locator('li.product', { has: page.getByRole('heading', { name: 'Empty Shelf' }) });
    expect(await shelf.textContent()).toContain('Sold out');
    expect(await shelf.getByRole('button', { name: 'Add to cart' }).isDisabled()).toBe(true);
    expect(await page.locator('li.product', { hasText: 'Blue Teapot' }).textContent()).toContain('Only 2 left');

    await mark(page);
    await addToCart(page, 'Sencha Tin');
    await expect.poll(() => page.locator('#cart-count').textContent()).toBe('1');
    await addToCart(page, 'Sencha Tin');
    await addToCart(page, 'Blue Teapot');
    await expect.poll(() => page.locator('#cart-count').textContent()).toBe('3');
    expect(await stillSameDocument(page)).toBe(true);

    await page.getByRole('link', { name: /Cart/ }).click();
    await page.waitForURL(`${server.origin}/cart`);
    expect(await page.locator('#cart').textContent()).toContain(`${tea.store.name} subtotal`);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    await page.waitForURL(`${server.origin}/checkout`);
    expect(await page.getByLabel('Name').inputValue()).toBe('Cleo Customer');
    expect(await page.getByLabel('Email').getAttribute('readonly')).not.toBeNull();
    expect(await page.locator('.summary').textContent()).toContain('Total $84.00');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The server refuses a too-short address: htmx swaps the form with the error and keeps what was typed.
    await mark(page);
    await page.getByLabel('Notes').fill('Back door please');
    await page.getByLabel('Delivery address').fill('abc');
    await page.getByRole('button', { name: 'Place order' }).click();
    await expect.poll(() => page.locator('#f-deliveryAddress-error').textContent()).toContain('at least 5 characters');
    expect(await page.getByLabel('Notes').inputValue()).toBe('Back door please');
    expect(await stillSameDocument(page)).toBe(true);

    const evil = '<script>alert(1)</script> 9 Elm Street, Leeds';
    await page.getByLabel('Delivery address').fill(evil);
    await Promise.all([page.waitForURL(/\/orders\/\d+$/), page.getByRole('button', { name: 'Place order' }).click()]);
    const heading = await page.getByRole('heading', { level: 1 }).textContent();
    const orderNumber = heading!.match(/OB-[0-9A-F]{8}/)![0];
    expect(await page.locator('#flash').textContent()).toContain(`Your order ${orderNumber} is placed`);
    expect(await page.locator('.address').first().textContent()).toBe(evil);
    expect(await page.locator('main script').count()).toBe(0);
    for (const store of [tea.store.name, pots.store.name]) expect(await page.locator('section.part', { hasText: store }).textContent()).toContain('Pending');
    expect(await page.locator('#order-live').count()).toBe(1);
    expect(await page.locator('#cart-count').textContent()).toBe('0');
    expect(await seriousA11yViolations(page)).toEqual([]);
    const orderUrl = page.url();

    await page.getByRole('link', { name: 'My orders' }).click();
    await page.waitForURL(`${server.origin}/orders`);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(orderUrl), page.getByRole('link', { name: orderNumber }).click()]);
    expect(await page.locator('.address').first().textContent()).toBe(evil);
    expect(dialogs).toEqual([]);
    await context.close();
  }, 120_000); // five axe runs on a shared 2-core machine
});
