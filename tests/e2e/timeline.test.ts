import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeBrowser, seriousA11yViolations, servedAppAndBrowser, signInPage } from '../helpers/browser.ts';
import { apiClient, makeAdmin, makeCustomer, makeSeller, PASSWORD } from '../helpers/factories.ts';

// Several pages, sign-ins and axe runs: room for a machine busy beside a benchmark (the 2 s limits stay).
const BROWSER_TEST_MS = 120_000;
const mark = (page: Page) => page.evaluate(() => Object.assign(window, { sameDocument: true }));
const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true);

describeBrowser('the live timeline and the figures pages in a real browser', () => {
  const suite = servedAppAndBrowser({ ORDER_RATE_LIMIT_PER_MINUTE: '1000' });

  async function signedIn(email: string): Promise<Page> {
    const page = await (await suite.browser.newContext()).newPage();
    await signInPage(page, suite.server.origin, email, PASSWORD);
    return page;
  }
  const connected = (userId: string) => expect.poll(() => suite.t.deps.notifications.presence.isOnline(userId), { timeout: 5000 }).toBe(true);

  it("puts 'seen by the store' and the store's confirmation on the customer's open order page without a reload", async () => {
    const shop = await makeSeller(suite.t.database.orm, [{ name: 'Sencha', price: 1800, stock: 5 }]);
    const person = await makeCustomer(suite.t.database.orm);
    const api = await apiClient(suite.server.origin, person.email);
    const res = await api.json('POST', '/api/orders', { items: [{ productId: shop.products[0]!.id, quantity: 1 }], deliveryAddress: '9 Tay Street, Perth' });
    const { id } = (await res.json()) as { id: number };

    const customer = await signedIn(person.email);
    await customer.goto(`${suite.server.origin}/orders/${id}`);
    await connected(person.id);
    await mark(customer);
    const entries = customer.locator(`#timeline-${id} li`);
    expect(await entries.allTextContents()).toHaveLength(1);

    // The store opens the order: "seen" reaches the customer's timeline, at most two seconds later.
    const seller = await signedIn(shop.user.email);
    await seller.goto(`${suite.server.origin}/seller/orders/${id}`);
    await expect.poll(() => entries.last().textContent(), { timeout: 2000, interval: 50 }).toContain(`Seen by the store (${shop.store.name})`);
    expect(await customer.locator(`#order-notices-${id}`).textContent()).toContain(`${shop.store.name} has seen your order.`);

    // The store confirms on its order page: its own timeline and the customer's follow.
    await connected(shop.user.id);
    await seller.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => seller.locator(`#timeline-${id} li`).last().textContent()).toContain('Pending → Confirmed');
    await expect.poll(() => entries.last().textContent(), { timeout: 2000, interval: 50 }).toContain(`Pending → Confirmed (${shop.store.name})`);
    expect(await entries.count()).toBe(3);
    expect(await sameDocument(customer)).toBe(true);

    expect(await seriousA11yViolations(customer)).toEqual([]);
    expect(await seriousA11yViolations(seller)).toEqual([]);
    await seller.goto(`${suite.server.origin}/seller`);
    expect(await seller.locator('#seller-figures').textContent()).toContain('Orders today1');
    expect(await seriousA11yViolations(seller)).toEqual([]);
  }, BROWSER_TEST_MS);

  it('shows the stats charts and the delivery page to an admin, axe clean', async () => {
    const admin = await signedIn((await makeAdmin(suite.t.database.orm)).email);
    await admin.goto(`${suite.server.origin}/admin/stats`);
    expect(await admin.getByRole('img', { name: /^Orders per day/ }).count()).toBe(1);
    expect(await admin.getByRole('img', { name: /^Revenue per day/ }).count()).toBe(1);
    expect(await seriousA11yViolations(admin)).toEqual([]);
    await admin.getByLabel('From (UTC day)').fill('2026-02-01');
    await admin.getByLabel('To (UTC day)').fill('2026-01-01');
    await Promise.all([admin.waitForURL(/from=2026-02-01/), admin.getByRole('button', { name: 'Show stats' }).click()]);
    expect(await admin.locator('#s-to-error').textContent()).toBe('To must be on or after From.');
    expect(await seriousA11yViolations(admin)).toEqual([]);

    await admin.getByRole('link', { name: 'Delivery' }).click();
    await admin.waitForURL(/\/admin\/delivery$/);
    expect(await admin.getByRole('heading', { level: 1 }).textContent()).toBe('Notification delivery');
    expect(await admin.locator('#delivery-figures tbody tr').count()).toBe(3);
    expect(await seriousA11yViolations(admin)).toEqual([]);
  }, BROWSER_TEST_MS);
});
