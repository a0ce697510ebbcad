import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { sellers } from '../../src/db/schema.ts';
import type { OrderView } from '../../src/orders/queries.ts';
import { describeBrowser, seriousA11yViolations, servedAppAndBrowser, signInPage } from '../helpers/browser.ts';
import { apiClient, makeAdmin, makeCustomer, makeSeller, PASSWORD } from '../helpers/factories.ts';
import { place } from '../integration/management/fixtures.ts';

// 200 characters without a break opportunity: a name or address nobody can wrap at a space.
const LONG = (prefix: string) => prefix + 'x'.repeat(200 - prefix.length);

describeBrowser('daily work in a real browser', () => {
  const s = servedAppAndBrowser({ ORDER_RATE_LIMIT_PER_MINUTE: '1000', SSE_HEARTBEAT_SECONDS: '1' });
  let shop: Awaited<ReturnType<typeof makeSeller>>;
  let other: Awaited<ReturnType<typeof makeSeller>>;
  let customer: Awaited<ReturnType<typeof makeCustomer>>;
  let admin: Awaited<ReturnType<typeof makeAdmin>>;
  let order: OrderView;

  beforeAll(async () => {
    const db = s.t.database.orm;
    shop = await makeSeller(db, [{ name: LONG('Teapot'), price: 1250, stock: 50 }]);
    other = await makeSeller(db, [{ name: 'Cup', price: 500, stock: 50 }]);
    await db.update(sellers).set({ name: LONG('Store') }).where(eq(sellers.id, shop.store.id));
    customer = await makeCustomer(db, { name: LONG('Cleo'), email: `${'c'.repeat(60)}@example.test` });
    admin = await makeAdmin(db);
    const api = await apiClient(s.t.app, customer.email);
    order = await place(api, [{ productId: shop.products[0]!.id, quantity: 1 }, { productId: other.products[0]!.id, quantity: 1 }], { deliveryAddress: LONG('Baker') });
    await place(api, [{ productId: shop.products[0]!.id, quantity: 2 }], { deliveryAddress: LONG('Baker') });
  });

  async function pageAs(email: string, width = 1280) {
    const context = await s.browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    await signInPage(page, s.server.origin, email, PASSWORD);
    return page;
  }

  /** How far the page reaches past the window's width (0 when nothing overflows sideways). */
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  // One test per role, so that each stays well inside the test timeout on a busy machine (axe is slow there).
  const visits = (): Record<string, { email: string; paths: string[] }> => ({
    customer: { email: customer.email, paths: ['/', '/cart', '/checkout', '/orders', `/orders/${order.id}`] },
    seller: { email: shop.user.email, paths: ['/seller', `/seller/orders/${order.id}`] },
    admin: { email: admin.email, paths: ['/admin/orders', `/admin/orders/${order.id}`] },
  });

  it.each(['customer', 'seller', 'admin'])('no %s page overflows at 320 px with 200-character unbroken names and addresses; axe stays clean there', async (role) => {
    const origin = s.server.origin;
    const { email, paths } = visits()[role]!;
    const page = await pageAs(email, 320);
    if (role === 'customer') {
      await page.goto(`${origin}/`);
      await page.locator('li.product', { hasText: 'Teapot' }).getByRole('button', { name: 'Add to cart' }).click();
      await expect.poll(() => page.locator('#cart-count').textContent()).not.toBe('0');
    }
    const wide: string[] = [];
    const a11y: unknown[] = [];
    for (const path of paths) {
      await page.goto(`${origin}${path}`);
      const extra = await overflow(page);
      if (extra > 0) wide.push(`${path}: ${extra}px too wide`);
      a11y.push(...(await seriousA11yViolations(page)).map((v) => ({ path, ...v })));
    }
    expect(wide).toEqual([]);
    expect(a11y).toEqual([]);
    await page.context().close();
  });

  it('after Confirm by keyboard, focus moves to the row’s next action', async () => {
    const origin = s.server.origin;
    const seller = await pageAs(shop.user.email);
    await seller.goto(`${origin}/seller?status=pending`);
    const row = seller.locator(`#seller-order-${order.id}`);
    await row.getByRole('button', { name: 'Confirm' }).focus();
    await seller.keyboard.press('Enter');
    await expect.poll(() => seller.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Mark shipped');
    expect(await seller.evaluate(() => document.activeElement?.closest('.seller-order')?.id)).toBe(`seller-order-${order.id}`);
    expect(await seriousA11yViolations(seller)).toEqual([]);
    await seller.context().close();
  });

  it('a refused checkout focuses the first invalid field, linked from an error summary; the last address is offered', async () => {
    const origin = s.server.origin;
    const buyer = await pageAs(customer.email);
    await buyer.goto(`${origin}/`);
    await buyer.locator('li.product', { hasText: 'Cup' }).getByRole('button', { name: 'Add to cart' }).click();
    await expect.poll(() => buyer.locator('#cart-count').textContent()).not.toBe('0');
    await buyer.goto(`${origin}/checkout`);
    // The last delivery address is offered; clearing it and placing the order is refused.
    const address = buyer.getByLabel('Delivery address');
    expect(await address.inputValue()).toBe(LONG('Baker'));
    await address.fill('');
    await buyer.getByRole('button', { name: 'Place order' }).focus();
    await buyer.keyboard.press('Enter');
    await expect.poll(() => buyer.evaluate(() => document.activeElement?.id)).toBe('f-deliveryAddress');
    const summary = buyer.locator('.form-error');
    expect(await summary.getByRole('link').first().getAttribute('href')).toBe('#f-deliveryAddress');
    expect(await seriousA11yViolations(buyer)).toEqual([]);
    await buyer.context().close();
  });

  it('a Confirm on a dashboard whose session ended leads to the sign-in page, not a pasted page', async () => {
    const origin = s.server.origin;
    const seller = await pageAs(shop.user.email);
    await seller.goto(`${origin}/seller?status=confirmed`);
    // Signed out in another tab: the same browser's session ends.
    const other = await seller.context().newPage();
    await other.goto(`${origin}/seller`);
    await Promise.all([other.waitForURL((u) => u.pathname === '/login'), other.getByRole('button', { name: 'Sign out' }).click()]);
    await other.close();
    await Promise.all([
      seller.waitForURL((u) => u.pathname === '/login'),
      seller.locator(`#seller-order-${order.id}`).getByRole('button', { name: 'Mark shipped' }).click(),
    ]);
    expect(new URL(seller.url()).searchParams.get('next')).toBe('/seller?status=confirmed');
    expect(await seller.locator('header.top').count()).toBe(1);
    await seller.context().close();
  });

  it('a dashboard whose session ended says so, with a link that signs in and comes back, instead of retrying in silence', async () => {
    const seller = await pageAs(shop.user.email);
    const refused: string[] = []; // answers to the page's stream that were not 200 (a 401 once signed out)
    seller.on('response', (r) => new URL(r.url()).pathname === '/events' && r.status() !== 200 && refused.push(`${r.status()} ${r.url()}`));
    await seller.goto(`${s.server.origin}/seller?status=pending`);
    await expect.poll(() => s.t.deps.notifications.presence.isOnline(shop.user.id), { timeout: 10_000 }).toBe(true);
    expect(await seller.locator('#signed-out').count()).toBe(0);
    // The session expires: the stream's next heartbeat finds it ended and tells the page so.
    await s.t.database.sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${shop.user.id}`;
    const note = seller.locator('#signed-out');
    await expect.poll(() => note.count(), { timeout: 30_000 }).toBe(1);
    // Said by that heartbeat itself: no refused reconnect (the server asks for one after 5-10 s) was needed.
    expect(refused).toEqual([]);
    expect(await note.textContent()).toContain('You are signed out');
    expect(await note.getByRole('link', { name: 'Sign in again' }).getAttribute('href')).toBe('/login?next=%2Fseller%3Fstatus%3Dpending');
    expect(await seriousA11yViolations(seller)).toEqual([]);
    await seller.context().close();
  });
});
