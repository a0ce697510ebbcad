import { serve } from '@hono/node-server';
import type { BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { listen } from '../helpers/app.ts';
import { describeBrowser, seriousA11yViolations, servedAppAndBrowser, signInPage } from '../helpers/browser.ts';
import { apiClient, makeAdmin, makeCustomer, makeSeller, PASSWORD } from '../helpers/factories.ts';
import { markDocument, sameDocument } from '../helpers/live-tab.ts';

/**
 * Runs in each tab before its scripts (DevTools protocol, outside the CSP): counts the chimes
 * app.js synthesises, and stands in for the Notification API, whose popups headless Chromium
 * cannot show. The page's AudioContext is Chromium's own, under its autoplay policy.
 */
function observeAlerts() {
  const seen = { tones: 0 };
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
    close() {}
  }
  Object.assign(window, { Notification: FakeNotification });
}

const tones = (page: Page) => page.evaluate(() => (window as unknown as { seen: { tones: number } }).seen.tones);
/** The unread count leading the tab title (0 without one). */
const titleCount = async (page: Page) => Number((await page.title()).match(/^\((\d+)\) /)?.[1] ?? 0);
const strip = (page: Page, what: 'connection' | 'sound' | 'desktop') => page.locator(`#${what}-state`).textContent();
/** Tells the page it is hidden or visible again, as a browser does (headless Chromium keeps every tab visible). */
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Serves the app on a given port again (a server that was stopped comes back where it was). */
function serveOn(app: App, port: number) {
  return new Promise<{ close(): Promise<void> }>((done) => {
    const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () =>
      done({
        close: () =>
          new Promise<void>((closed) => {
            (server as unknown as { closeAllConnections(): void }).closeAllConnections();
            server.close(() => closed());
          }),
      }),
    );
  });
}

const REPEAT_SECONDS = 2;

describeBrowser('never miss an order (issue 12)', () => {
  // Alerts repeat every 2 s and an absence of 2 s is summed up, so that nothing here waits 30 s or 5 min.
  const suite = servedAppAndBrowser({
    ALERT_REPEAT_SECONDS: String(REPEAT_SECONDS),
    AWAY_SUMMARY_SECONDS: '2',
    ORDER_RATE_LIMIT_PER_MINUTE: '1000',
    NOTIFY_EMAIL_AFTER_SECONDS: '3600',
    NOTIFY_EMAIL_OFFLINE_SECONDS: '3600',
  });

  /** A device of a user: a browser context of its own (own cookies, own audio), signed in at `origin`. */
  async function device(email: string, origin = suite.server.origin): Promise<{ context: BrowserContext; page: Page }> {
    const context = await suite.browser.newContext();
    await context.addInitScript(observeAlerts);
    const page = await context.newPage();
    await signInPage(page, origin, email, PASSWORD);
    return { context, page };
  }

  const placeOrder = async (customer: Awaited<ReturnType<typeof apiClient>>, productId: number) => {
    const res = await customer.json('POST', '/api/orders', { items: [{ productId, quantity: 1 }], deliveryAddress: '12 Bell Lane, York' });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: number; orderNumber: string };
  };

  it("chimes again every ALERT_REPEAT_SECONDS until acknowledged; opening the order on a second device lowers this one's title count within 2 s and its chimes stop", async () => {
    const shop = await makeSeller(suite.t.database.orm);
    const customer = await apiClient(suite.t.app, (await makeCustomer(suite.t.database.orm)).email);
    const desk = await device(shop.user.email);
    const phone = await device(shop.user.email);
    await desk.page.goto(`${suite.server.origin}/seller`);
    await expect.poll(() => strip(desk.page, 'connection'), { timeout: 10_000 }).toBe('Live');
    await desk.page.getByRole('button', { name: 'Enable sound' }).click();
    await expect.poll(() => strip(desk.page, 'sound')).toBe('On');
    const before = await tones(desk.page); // enabling plays a sample chime

    const placed = await placeOrder(customer, shop.products[0]!.id);
    await expect.poll(() => titleCount(desk.page), { timeout: 2000, interval: 50 }).toBe(1);
    await expect.poll(() => tones(desk.page)).toBe(before + 1);
    // Nobody acknowledged it: it chimes again, and again, and the title flashes.
    await expect.poll(() => tones(desk.page), { timeout: 4 * REPEAT_SECONDS * 1000 }).toBeGreaterThanOrEqual(before + 3);
    await expect.poll(() => desk.page.title(), { timeout: 3 * REPEAT_SECONDS * 1000, interval: 100 }).toBe('(1) New order waiting · Orderbell');

    // The seller opens it on the phone: the desk hears it on its own stream.
    await markDocument(desk.page);
    await phone.page.goto(`${suite.server.origin}/seller/orders/${placed.id}`);
    await expect.poll(() => titleCount(desk.page), { timeout: 2000, interval: 50 }).toBe(0);
    await expect.poll(() => desk.page.title()).toBe('Orders · Orderbell');
    expect(await desk.page.locator('#alert-state').getAttribute('data-unacked')).toBe('0');
    expect(await sameDocument(desk.page)).toBe(true);
    const silenced = await tones(desk.page);
    await sleep(3 * REPEAT_SECONDS * 1000); // three repeat periods: none of them may chime
    expect(await tones(desk.page)).toBe(silenced);
    expect(await desk.page.title()).toBe('Orders · Orderbell');
    await Promise.all([desk.context.close(), phone.context.close()]);
  }, 120_000);

  it('stopping the server shows "Reconnecting" in every tab within 5 s; started again, "Live", the orders placed meanwhile, and a summary of them', async () => {
    const shop = await makeSeller(suite.t.database.orm, [{ price: 1500, stock: 20 }]);
    const customer = await apiClient(suite.t.app, (await makeCustomer(suite.t.database.orm, { name: 'Night Owl' })).email);
    let server: { close(): Promise<void> } = await listen(suite.t.app);
    const origin = (server as Awaited<ReturnType<typeof listen>>).origin;
    const { context, page } = await device(shop.user.email, origin);
    try {
      await page.goto(`${origin}/seller`);
      const other = await context.newPage(); // a second tab: it hears of the stream from the tab holding it
      await other.goto(`${origin}/seller`);
      for (const tab of [page, other]) await expect.poll(() => strip(tab, 'connection'), { timeout: 10_000 }).toBe('Live');
      await markDocument(page);

      await server.close();
      for (const tab of [page, other]) await expect.poll(() => strip(tab, 'connection'), { timeout: 5000, interval: 100 }).toMatch(/^Reconnecting since \d{1,2}:\d{2}/);
      const placed = [await placeOrder(customer, shop.products[0]!.id), await placeOrder(customer, shop.products[0]!.id)];
      await sleep(2500); // away longer than AWAY_SUMMARY_SECONDS

      server = await serveOn(suite.t.app, Number(new URL(origin).port));
      for (const tab of [page, other]) await expect.poll(() => strip(tab, 'connection'), { timeout: 15_000 }).toBe('Live');
      for (const o of placed) await expect.poll(() => page.locator(`#seller-order-${o.id}`).count()).toBe(1);
      expect(await sameDocument(page)).toBe(true);
      const summary = page.locator('#away-summary');
      await expect.poll(() => summary.textContent()).toContain('While you were away: 2 new orders, $30.00');
      for (const o of placed) expect(await summary.getByRole('link', { name: o.orderNumber }).getAttribute('href')).toBe(`/seller/orders/${o.id}`);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await summary.getByRole('button', { name: 'Dismiss' }).click();
      expect(await summary.textContent()).toBe('');
    } finally {
      await context.close();
      await server.close();
    }
  }, 120_000);

  it('sums up the orders that came while the tab was hidden long enough, and not after a short absence', async () => {
    const shop = await makeSeller(suite.t.database.orm, [{ price: 990, stock: 20 }]);
    const customer = await apiClient(suite.t.app, (await makeCustomer(suite.t.database.orm, { name: 'Day Tripper' })).email);
    const { context, page } = await device(shop.user.email);
    await page.goto(`${suite.server.origin}/seller`);
    await expect.poll(() => strip(page, 'connection'), { timeout: 10_000 }).toBe('Live');
    const summary = page.locator('#away-summary');

    await setHidden(page, true);
    const first = await placeOrder(customer, shop.products[0]!.id);
    await expect.poll(() => page.locator(`#seller-order-${first.id}`).count()).toBe(1);
    await setHidden(page, false); // back at once: no summary
    await sleep(1000);
    expect(await summary.textContent()).toBe('');

    await setHidden(page, true);
    const second = await placeOrder(customer, shop.products[0]!.id);
    await sleep(2500);
    await setHidden(page, false);
    await expect.poll(() => summary.textContent()).toContain('While you were away: 1 new order, $9.90');
    expect(await summary.getByRole('link').getAttribute('href')).toBe(`/seller/orders/${second.id}`);
    await context.close();
  }, 60_000);

  it('the strip says what the browser allows: desktop notifications on, then blocked; sound tested with its button', async () => {
    const shop = await makeSeller(suite.t.database.orm);
    const { context, page } = await device(shop.user.email);
    await page.goto(`${suite.server.origin}/seller`);
    expect(await page.getByRole('status', { name: 'Alert status' }).isVisible()).toBe(true);
    expect(await strip(page, 'desktop')).toBe('Off');
    await page.getByRole('button', { name: 'Desktop notifications' }).click();
    await expect.poll(() => strip(page, 'desktop')).toBe('On');
    // Sound stays off, but "Test sound" plays one chime (its click lets the browser start audio).
    const before = await tones(page);
    await page.getByRole('button', { name: 'Test sound' }).click();
    await expect.poll(() => tones(page)).toBe(before + 1);
    expect(await strip(page, 'sound')).toBe('Off');
    // The seller blocks notifications in the browser's settings: a reload says so.
    await context.addInitScript(() => Object.assign((window as unknown as { Notification: { permission: string } }).Notification, { permission: 'denied' }));
    await page.reload();
    expect(await strip(page, 'desktop')).toBe('Blocked in the browser settings');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });

  it('/admin/stores lists the seller online while their dashboard is open, and passes axe', async () => {
    const shop = await makeSeller(suite.t.database.orm);
    const admin = await makeAdmin(suite.t.database.orm);
    const seller = await device(shop.user.email);
    await seller.page.goto(`${suite.server.origin}/seller`);
    await expect.poll(() => strip(seller.page, 'connection'), { timeout: 10_000 }).toBe('Live');
    const { context, page } = await device(admin.email);
    await page.getByRole('link', { name: 'Stores' }).click();
    await page.getByLabel('Store or seller').fill(shop.store.name);
    await page.getByRole('button', { name: 'Find stores' }).click();
    const row = page.locator(`#store-${shop.store.id}`);
    expect(await row.textContent()).toContain('Online now');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([context.close(), seller.context.close()]);
  });
});
