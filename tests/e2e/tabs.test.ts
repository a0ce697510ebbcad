import type { BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeBrowser, servedAppAndBrowser, signInPage } from '../helpers/browser.ts';
import { apiClient, makeCustomer, makeSeller, PASSWORD } from '../helpers/factories.ts';
import { holders, observeTab, tabState } from '../helpers/live-tab.ts';

const audioStarted = async (pages: Page[]) => (await Promise.all(pages.map(tabState))).reduce((n, t) => n + t.audioStarted, 0);

describeBrowser('one event stream per browser', () => {
  // Alerts repeat far apart here: the test counts the one chime each order makes per browser.
  const suite = servedAppAndBrowser({ ORDER_RATE_LIMIT_PER_MINUTE: '1000', ALERT_REPEAT_SECONDS: '3600' });

  it('8 tabs of /seller over HTTP/1.1 all load and share one stream: each order shows in all within 2 s, chimes once, and survives closing or freezing the holding tab', async () => {
    const shop = await makeSeller(suite.t.database.orm, [{ stock: 20 }]);
    const customer = await apiClient(suite.t.app, (await makeCustomer(suite.t.database.orm, { name: 'Tab Tester' })).email);
    const order = async () => {
      const res = await customer.json('POST', '/api/orders', { items: [{ productId: shop.products[0]!.id, quantity: 1 }], deliveryAddress: '8 Tab Row, Leeds' });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: number }).id;
    };

    const context: BrowserContext = await suite.browser.newContext();
    await context.addInitScript(observeTab);
    const pages: Page[] = [];
    for (let i = 0; i < 8; i++) {
      const page = await context.newPage();
      if (i === 0) await signInPage(page, suite.server.origin, shop.user.email, PASSWORD);
      // With a stream per tab the seventh would wait forever for one of six connections.
      await page.goto(`${suite.server.origin}/seller`);
      expect(await page.getByRole('heading', { name: 'Orders', level: 1 }).count()).toBe(1);
      pages.push(page);
    }
    await expect.poll(() => holders(pages), { timeout: 10_000 }).toHaveLength(1);
    expect(suite.t.deps.notifications.hub.streamCount).toBe(1);

    // Sound on in the holding tab and in one other: each order still chimes once in the browser.
    const [holder] = await holders(pages);
    const other = pages.find((p) => p !== holder)!;
    for (const page of [holder!, other]) {
      await page.getByRole('button', { name: 'Enable sound' }).click();
      await expect.poll(() => page.locator('#sound-state').textContent()).toBe('On');
    }
    let chimes = await audioStarted(pages); // enabling sound plays a sample chime in that tab

    /** The order's row, badge and title in every open tab, each once. */
    const shownEverywhere = (open: Page[], id: number, unread: number) =>
      expect
        .poll(
          async () => (await Promise.all(open.map(async (p) => [await p.locator(`#seller-order-${id}`).count(), await p.title()]))).every(([n, title]) => n === 1 && title === `(${unread}) Orders · Orderbell`),
          { timeout: 2000, interval: 50 },
        )
        .toBe(true);

    const first = await order();
    await shownEverywhere(pages, first, 1);
    expect(await audioStarted(pages)).toBe(chimes + 1);
    chimes += 1;

    // The holding tab goes; another takes the stream over from the newest id seen, and the order
    // placed meanwhile arrives once in every remaining tab, with one chime (now from the other tab).
    const open = pages.filter((p) => p !== holder);
    chimes = await audioStarted(open);
    await holder!.close();
    const second = await order();
    await expect.poll(() => holders(open), { timeout: 2000, interval: 50 }).toHaveLength(1);
    await shownEverywhere(open, second, 2);
    expect(await audioStarted(open)).toBe(chimes + 1);
    for (const page of open) expect(await page.locator('#live-notices li').count()).toBe(2);
    await expect.poll(() => suite.t.deps.notifications.hub.streamCount).toBe(1);

    // The new holder is frozen, as a browser freezes a background tab: it gives the stream up and
    // another tab takes over. Woken again, it waits for the stream as the others do.
    // Headless Chromium keeps every tab visible and does not freeze one (CDP's
    // Page.setWebLifecycleState left it running), so the tab gets the events a browser sends.
    const [sleeper] = await holders(open);
    await sleeper!.evaluate(() => document.dispatchEvent(new Event('freeze')));
    const awake = open.filter((p) => p !== sleeper);
    await expect.poll(() => holders(awake), { timeout: 2000, interval: 50 }).toHaveLength(1);
    const third = await order();
    await shownEverywhere(awake, third, 3);
    await sleeper!.evaluate(() => document.dispatchEvent(new Event('resume')));
    await expect.poll(async () => (await tabState(sleeper!)).phase).toBe('waiting');
    await shownEverywhere(open, third, 3);
    expect(await holders(open)).toHaveLength(1);
    for (const page of open) expect(await page.locator('#live-notices li').count()).toBe(3);
    await context.close();
  }, 120_000);
});
