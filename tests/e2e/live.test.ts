import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { latestId } from '../../src/notifications/store.ts';
import { describeBrowser, seriousA11yViolations, servedAppAndBrowser, signInPage } from '../helpers/browser.ts';
import { apiClient, makeCustomer, makeSeller, PASSWORD } from '../helpers/factories.ts';

/**
 * Runs in the page before its own scripts (through the DevTools protocol, outside the CSP): counts
 * the chimes app.js synthesises and stands in for the Notification API, whose popups a headless
 * browser cannot show.
 */
function observeAlerts() {
  const seen = { tones: 0, desktop: [] as string[] };
  Object.assign(window, { seen });
  const create = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function (this: AudioContext) {
    seen.tones++;
    return create.call(this);
  };
  class FakeNotification {
    static permission = 'default';
    static requestPermission = async () => (FakeNotification.permission = 'granted');
    onclick: (() => void) | null = null;
    constructor(_title: string, options: { body: string }) {
      seen.desktop.push(options.body);
    }
    close() {}
  }
  Object.assign(window, { Notification: FakeNotification });
}

type Seen = { tones: number; desktop: string[] };
const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: Seen }).seen);
/** A mark on the window survives htmx swaps but not a page load: it tells the two apart. */
const mark = (page: Page) => page.evaluate(() => Object.assign(window, { sameDocument: true }));
const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true);

describeBrowser('live updates in a real browser', () => {
  // Alerts repeat far apart here: these tests count the one chime each order makes (never-miss.test.ts tests the repeats).
  const suite = servedAppAndBrowser({ ORDER_RATE_LIMIT_PER_MINUTE: '1000', ALERT_REPEAT_SECONDS: '3600' });

  /** A signed-in tab in a context of its own (its own cookies), observing alerts. */
  async function signedIn(email: string): Promise<Page> {
    const context = await suite.browser.newContext();
    await context.addInitScript(observeAlerts);
    const page = await context.newPage();
    await signInPage(page, suite.server.origin, email, PASSWORD);
    return page;
  }

  /** The stream is open once the server counts the seller online. */
  const connected = (userId: string) => expect.poll(() => suite.t.deps.notifications.presence.isOnline(userId), { timeout: 5000 }).toBe(true);

  it("puts a customer's new order on the open dashboard in a background tab, and the seller's confirmation on the customer's page", async () => {
    const shop = await makeSeller(suite.t.database.orm, [{ name: 'Pu-erh Cake', price: 2400, stock: 5 }]);
    const person = await makeCustomer(suite.t.database.orm, { name: 'Lin Customer' });

    const dashboard = await signedIn(shop.user.email);
    await dashboard.goto(`${suite.server.origin}/seller`);
    await connected(shop.user.id);
    await dashboard.getByRole('button', { name: 'Enable sound' }).click();
    await expect.poll(() => dashboard.locator('#sound-state').textContent()).toBe('On');
    await dashboard.getByRole('button', { name: 'Desktop notifications' }).click();
    await expect.poll(() => dashboard.locator('#desktop-state').textContent()).toBe('On');
    const tonesBefore = (await seen(dashboard)).tones; // enabling sound plays one sample chime
    await mark(dashboard);
    // The seller works in another tab and the dashboard is hidden: it must keep its stream (htmx's
    // SSE extension would close a hidden tab's stream). Headless Chromium keeps every tab visible,
    // so the page is told it is hidden the way a browser does it.
    await dashboard.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });

    const shopper = await signedIn(person.email);
    await shopper.goto(`${suite.server.origin}/`);
    const card = shopper.locator('li.product', { has: shopper.getByRole('heading', { name: 'Pu-erh Cake' }) });
    await card.getByRole('button', { name: 'Add to cart' }).click();
    await expect.poll(() => shopper.locator('#cart-count').textContent()).toBe('1');
    await shopper.goto(`${suite.server.origin}/checkout`);
    await shopper.getByLabel('Delivery address').fill('3 Harbour Road, Oban');
    await Promise.all([shopper.waitForURL(/\/orders\/\d+$/), shopper.getByRole('button', { name: 'Place order' }).click()]);
    const orderId = Number(new URL(shopper.url()).pathname.split('/').pop());
    const orderNumber = (await shopper.getByRole('heading', { level: 1 }).textContent())!.match(/OB-[0-9A-F]{8}/)![0];

    const row = dashboard.locator(`#seller-order-${orderId}`);
    // The order is committed once the customer is on its page: from then, two seconds at most.
    const arrived = async () => [await row.count(), await dashboard.locator('#unread-badge').textContent()];
    await expect.poll(arrived, { timeout: 2000, interval: 50 }).toEqual([1, '1']);
    expect(await dashboard.evaluate(() => document.visibilityState)).toBe('hidden');
    expect(await sameDocument(dashboard)).toBe(true);
    expect(await dashboard.locator('#seller-orders > article').first().getAttribute('id')).toBe(`seller-order-${orderId}`);
    expect(await row.textContent()).toContain('Lin Customer');
    expect(await dashboard.title()).toBe('(1) Orders · Orderbell');
    expect(await dashboard.locator('#seller-tabs a[href="/seller?status=pending"] .count').textContent()).toBe('1');
    expect(await dashboard.locator('#live-notices').textContent()).toContain(`New order ${orderNumber} from Lin Customer`);
    await expect.poll(async () => (await seen(dashboard)).tones).toBe(tonesBefore + 1);
    expect((await seen(dashboard)).desktop).toEqual([`New order ${orderNumber} from Lin Customer`]);
    // "Mark all read" now reaches the order that arrived live.
    const notificationId = await dashboard.locator('#live-notices li').first().getAttribute('id');
    expect(await dashboard.locator('input[name="upTo"]').inputValue()).toBe(notificationId!.replace('notice-', ''));

    // The seller confirms from the dashboard; the customer's open order page follows without a reload.
    await mark(shopper);
    const part = shopper.locator('section.part .part-status');
    expect(await part.textContent()).toContain('Pending');
    await dashboard.bringToFront();
    await row.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => row.locator('.status').textContent()).toBe('Confirmed');
    const confirmedAt = Date.now();
    await expect.poll(() => part.locator('.status').textContent(), { timeout: 2000, interval: 50 }).toBe('Confirmed');
    expect(Date.now() - confirmedAt).toBeLessThan(2000);
    expect(await sameDocument(shopper)).toBe(true);
    expect(await shopper.locator(`#order-notices-${orderId}`).textContent()).toContain(`${shop.store.name}: your order is now confirmed.`);
    expect(await shopper.getByRole('link', { name: 'Cancel order' }).count()).toBe(0);

    expect(await seriousA11yViolations(dashboard)).toEqual([]);
    expect(await seriousA11yViolations(shopper)).toEqual([]);
  });

  it("keeps the store's figures current without a reload: a new order, the seller's own confirmation, and an acknowledgement on another device", async () => {
    const shop = await makeSeller(suite.t.database.orm, [{ stock: 10 }]);
    const customer = await apiClient(suite.t.app, (await makeCustomer(suite.t.database.orm)).email);
    const place = async () => {
      const res = await customer.json('POST', '/api/orders', { items: [{ productId: shop.products[0]!.id, quantity: 1 }], deliveryAddress: '9 Tally Street, York' });
      return ((await res.json()) as { id: number }).id;
    };
    const page = await signedIn(shop.user.email);
    await page.goto(`${suite.server.origin}/seller`);
    await connected(shop.user.id);
    await mark(page);
    /** The panel's figures as the seller reads them: today, not yet opened, the median's line. */
    const figures = () => page.locator('#seller-figures dd').allTextContents();
    expect(await figures()).toEqual(['0', '0', 'No confirmed orders yet']);

    const first = await place();
    await expect.poll(figures).toEqual(['1', '1', 'No confirmed orders yet']);
    await page.locator(`#seller-order-${first}`).getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(figures).toEqual(['1', '0', expect.stringMatching(/ over 1 confirmed$/)]);

    await place();
    await expect.poll(figures).toEqual(['2', '1', expect.stringMatching(/ over 1 confirmed$/)]);
    const phone = await apiClient(suite.t.app, shop.user.email);
    expect((await phone.json('POST', '/api/notifications/read', { upTo: await latestId(suite.t.database.sql, shop.user.id) })).status).toBe(200);
    await expect.poll(figures).toEqual(['2', '0', expect.stringMatching(/ over 1 confirmed$/)]);
    expect(await sameDocument(page)).toBe(true);
  });

  it('replaces a row the page already shows when the stream replays its order, instead of adding it twice', async () => {
    const shop = await makeSeller(suite.t.database.orm, [{ stock: 10 }]);
    const customer = await apiClient(suite.t.app, (await makeCustomer(suite.t.database.orm)).email);
    const ids: number[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await customer.json('POST', '/api/orders', { items: [{ productId: shop.products[0]!.id, quantity: 1 }], deliveryAddress: '5 Mill Lane, Ely' });
      ids.push(((await res.json()) as { id: number }).id);
    }
    const page = await signedIn(shop.user.email);
    // As if both orders were committed between the page reading its cursor and its list: the page's stream starts from 0.
    await page.route(`${suite.server.origin}/seller`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: (await response.text()).replace(/data-live-after="\d+"/, 'data-live-after="0"') });
    });
    await page.goto(`${suite.server.origin}/seller`);
    expect(await page.locator('#seller-live').getAttribute('data-live-after')).toBe('0');
    await expect.poll(() => page.locator('#live-notices li').count(), { timeout: 15000 }).toBe(2);
    expect(await page.locator('#seller-orders > article').evaluateAll((rows) => rows.map((r) => [r.id, r.classList.contains('fresh')]))).toEqual([
      [`seller-order-${ids[1]}`, true],
      [`seller-order-${ids[0]}`, true],
    ]);
  });

  it('remembers the mute switch across visits: after a reload without a click the strip says sound is blocked by the browser, and the first click brings it back', async () => {
    const shop = await makeSeller(suite.t.database.orm);
    const page = await signedIn(shop.user.email);
    await page.goto(`${suite.server.origin}/seller`);
    const state = page.locator('#sound-state');
    expect(await state.textContent()).toBe('Off');
    await page.getByRole('button', { name: 'Enable sound' }).click();
    await expect.poll(() => state.textContent()).toBe('On');

    // A new visit may not start audio by itself (Chromium's autoplay policy keeps the page's
    // AudioContext suspended): the strip says so rather than "On"; the first click anywhere starts it.
    await page.reload();
    expect(await state.textContent()).toBe('Blocked by the browser: click anywhere to enable');
    await page.getByRole('heading', { name: 'Orders', level: 1 }).click();
    await expect.poll(() => state.textContent()).toBe('On');

    await page.getByRole('button', { name: 'Mute sound' }).click();
    await expect.poll(() => state.textContent()).toBe('Off');
    await page.reload();
    await page.getByRole('heading', { name: 'Orders', level: 1 }).click();
    await new Promise((r) => setTimeout(r, 1000)); // room for a wrongly resumed AudioContext to flip the state
    expect(await state.textContent()).toBe('Off');
    expect(await page.getByRole('button', { name: 'Enable sound' }).count()).toBe(1);
  });
});
