import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OrderView } from '../../src/orders/queries.ts';
import { listen, testApp, type TestApp } from '../helpers/app.ts';
import { describeBrowser, launchBrowser, seriousA11yViolations, signInPage } from '../helpers/browser.ts';
import { apiClient, makeAdmin, makeCustomer, makeSeller, PASSWORD } from '../helpers/factories.ts';

describeBrowser('order management in a real browser', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let seller: Awaited<ReturnType<typeof makeSeller>>;
  let adminEmail: string;
  let orders: OrderView[];

  beforeAll(async () => {
    t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '1000' });
    server = await listen(t.app);
    browser = await launchBrowser();
    seller = await makeSeller(t.database.orm, [{ stock: 50, name: 'Copper Kettle', price: 3200 }]);
    const other = await makeSeller(t.database.orm, [{ stock: 50, name: 'Tin Cup' }]);
    adminEmail = (await makeAdmin(t.database.orm)).email;
    const customer = await apiClient(t.app, (await makeCustomer(t.database.orm, { name: 'Grace Hopper' })).email);
    orders = [];
    for (const items of [[seller.products[0]!.id], [seller.products[0]!.id, other.products[0]!.id]]) {
      const res = await customer.json('POST', '/api/orders', { items: items.map((productId) => ({ productId, quantity: 1 })), deliveryAddress: '1 Navy Yard, Arlington', notes: 'Call first' });
      orders.push((await res.json()) as OrderView);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  /** A signed-in seller tab in its own context. */
  async function sellerPage(): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await signInPage(page, server.origin, seller.user.email, PASSWORD);
    return page;
  }

  it('lets the seller confirm and ship an order from the dashboard, the row changing in place', async () => {
    const page = await sellerPage();
    await page.goto(`${server.origin}/seller`);
    await page.waitForFunction(() => 'htmx' in window);
    // A full navigation would drop this marker.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const order = orders[0]!;
    const row = page.locator(`#seller-order-${order.id}`);
    expect(await row.locator('.status').textContent()).toBe('Pending');
    await row.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => row.locator('.status').textContent()).toBe('Confirmed');
    expect(await page.locator('#seller-tabs a[href="/seller?status=confirmed"] .count').textContent()).toBe('1');
    await row.getByRole('button', { name: 'Mark shipped' }).click();
    await expect.poll(() => row.locator('.status').textContent()).toBe('Shipped');
    expect(await row.getByRole('button', { name: 'Mark delivered' }).count()).toBe(1);
    expect(await row.getByRole('link', { name: 'Cancel' }).count()).toBe(0);
    expect(await page.locator('#seller-message').textContent()).toContain(`${order.orderNumber} is now shipped`);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(page.url()).toBe(`${server.origin}/seller`);
    await page.context().close();
  });

  it('asks in place before the seller cancels, and keeps the order when told to', async () => {
    const page = await sellerPage();
    await page.goto(`${server.origin}/seller`);
    await page.waitForFunction(() => 'htmx' in window);
    const order = orders[1]!;
    const row = page.locator(`#seller-order-${order.id}`);
    // A mark on the window survives an htmx swap but not a page load: the question must come in place.
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const rowsBefore = await page.locator('#seller-orders > article').count();
    await row.getByRole('link', { name: 'Cancel' }).click();
    await expect.poll(() => row.locator('.confirm-cancel p').textContent()).toContain(`Cancel order ${order.orderNumber}?`);
    expect(await row.getByRole('button', { name: 'Yes, cancel order' }).count()).toBe(1);
    expect(await row.getByRole('button', { name: 'Confirm' }).count()).toBe(0);
    expect(page.url()).toBe(`${server.origin}/seller`);
    expect(await page.locator('#seller-orders > article').count()).toBe(rowsBefore);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await row.getByRole('link', { name: 'Keep order' }).click();
    await expect.poll(() => row.getByRole('button', { name: 'Confirm' }).count()).toBe(1);
    expect(await row.locator('.status').textContent()).toBe('Pending');
    expect(page.url()).toBe(`${server.origin}/seller`);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await page.context().close();
  });

  it('lets an admin without JavaScript find an order by its number, open it and override its status with a reason', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInPage(page, server.origin, adminEmail, PASSWORD);
    const order = orders[1]!;
    await page.goto(`${server.origin}/admin/orders`);
    await page.getByLabel('Search: order number, name, email, phone or address').fill(order.orderNumber.toLowerCase());
    await Promise.all([page.waitForURL(/\/admin\/orders\?/), page.getByRole('button', { name: 'Show orders' }).click()]);
    expect(await page.locator('table.admin-orders tbody tr').count()).toBe(1);
    await Promise.all([page.waitForURL(`${server.origin}/admin/orders/${order.id}`), page.getByRole('link', { name: order.orderNumber }).click()]);
    const part = page.locator(`#part-${order.sellerOrders.find((p) => p.sellerId === seller.store.id)!.id}`);
    await part.getByLabel('New status').selectOption('confirmed');
    await part.getByLabel('Reason (recorded in the timeline)').fill('Seller confirmed on the phone');
    await Promise.all([page.waitForURL(`${server.origin}/admin/orders/${order.id}`), part.getByRole('button', { name: 'Override status' }).click()]);
    expect(await page.locator('#flash').textContent()).toContain(`of ${order.orderNumber} is now confirmed`);
    expect(await part.locator('h2 .status').textContent()).toBe('Confirmed');
    expect(await page.locator('.timeline').textContent()).toContain('Reason: Seller confirmed on the phone');
    await context.close();
  });

  it('lets an admin pick the store filter from suggestions while typing, and without JavaScript by submitting its name', async () => {
    const page = await (await browser.newContext()).newPage();
    await signInPage(page, server.origin, adminEmail, PASSWORD);
    await page.goto(`${server.origin}/admin/orders?sort=oldest`);
    const label = `${seller.store.name} (#${seller.store.id})`;
    await page.getByLabel('Store: name or number (empty for all)').pressSequentially(seller.store.name.slice(0, -1), { delay: 20 });
    const suggestion = page.getByRole('list', { name: 'Matching stores' }).getByRole('link', { name: label });
    await suggestion.waitFor();
    const filtered = (url: URL) => url.pathname === '/admin/orders' && url.searchParams.get('store') === String(seller.store.id) && url.searchParams.get('sort') === 'oldest';
    await Promise.all([page.waitForURL(filtered), suggestion.click()]);
    expect(await page.getByLabel('Store: name or number (empty for all)').inputValue()).toBe(label);
    expect(await page.locator('table.admin-orders tbody tr').count()).toBe(2);
    await page.context().close();

    const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await signInPage(plain, server.origin, adminEmail, PASSWORD);
    await plain.goto(`${server.origin}/admin/orders`);
    await plain.getByLabel('Store: name or number (empty for all)').fill(seller.store.name.toLowerCase());
    await Promise.all([plain.waitForURL(/\/admin\/orders\?/), plain.getByRole('button', { name: 'Show orders' }).click()]);
    expect(await plain.getByLabel('Store: name or number (empty for all)').inputValue()).toBe(label);
    expect(await plain.locator('table.admin-orders tbody tr').count()).toBe(2);
    await plain.context().close();
  });

  it('has no serious or critical accessibility violations on the seller and admin pages', async () => {
    const sellerTab = await sellerPage();
    const adminTab = await (await browser.newContext()).newPage();
    await signInPage(adminTab, server.origin, adminEmail, PASSWORD);
    const pages: [Page, string][] = [
      [sellerTab, '/seller'],
      [sellerTab, `/seller/orders/${orders[1]!.id}`],
      [sellerTab, `/seller/orders/${orders[1]!.id}/cancel`],
      [adminTab, '/admin/orders'],
      [adminTab, `/admin/orders/${orders[1]!.id}`],
      [adminTab, '/admin/stats'],
      [adminTab, '/admin/outbox'],
    ];
    for (const [page, path] of pages) {
      await page.goto(`${server.origin}${path}`);
      expect(await seriousA11yViolations(page), path).toEqual([]);
    }
    await sellerTab.context().close();
    await adminTab.context().close();
  });
});
