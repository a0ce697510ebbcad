import { beforeAll, describe, expect, it } from 'vitest';
import { latestId } from '../../../src/notifications/store.ts';
import { servedApp, type TestApp } from '../../helpers/app.ts';
import type { Client } from '../../helpers/client.ts';
import { apiClient, makeCustomer, makeSeller, signIn } from '../../helpers/factories.ts';
import { SseStream } from '../../helpers/sse.ts';
import { order, quietPeriod } from './support.ts';

const served = servedApp({ ORDER_RATE_LIMIT_PER_MINUTE: '1000' });
let t: TestApp;
let origin: string;
beforeAll(() => {
  ({ t } = served);
  origin = served.server.origin;
});

const db = () => t.database.orm;
const cookie = (client: Client) => [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
/** The page stream as a browser tab opens it: the session cookie, no cursor header. */
const pageStream = async (client: Client, path = '/events') => {
  const stream = await SseStream.open(`${origin}${path}`, { cookie: cookie(client) });
  expect(stream.response.status).toBe(200);
  return stream;
};

async function twoStoresAndACustomer() {
  const tea = await makeSeller(db(), [{ name: 'Oolong Leaves', stock: 20 }]);
  const pots = await makeSeller(db(), [{ name: 'Cast Iron Pot', stock: 20 }]);
  const person = await makeCustomer(db(), { name: 'Ada Lovelace' });
  return { tea, pots, person, customer: await apiClient(origin, person.email) };
}

describe('the /events stream of a seller', () => {
  it("carries the new order's row, badge and tab counts as hx-partial fragments, and nothing of another store", async () => {
    const { tea, pots, customer } = await twoStoresAndACustomer();
    const [teaStream, potsStream] = [await pageStream(await signIn(origin, tea.user.email)), await pageStream(await signIn(origin, pots.user.email))];

    const placed = await order(customer, tea.products[0]!.id, pots.products[0]!.id);
    const [teaEvent] = await teaStream.waitFor(1);
    const [potsEvent] = await potsStream.waitFor(1);

    const data = teaEvent!.data;
    expect(teaEvent!.event).toBe('message'); // unnamed: htmx swaps it
    expect(data).toContain('<hx-upsert hx-target="#seller-orders[data-new-orders]" sort="desc">');
    expect(data).toContain(`<article id="seller-order-${placed.id}" class="seller-order fresh"`);
    expect(data).toContain(placed.orderNumber);
    expect(data).toContain('Oolong Leaves');
    expect(data).toContain('Ada Lovelace');
    expect(data).toMatch(/<hx-partial hx-target="#unread-badge" hx-swap="outerHTML"><span id="unread-badge" class="badge" data-unread="1"/);
    expect(data).toContain('<hx-partial hx-target="#seller-tabs a[href=&quot;/seller?status=pending&quot;] .count" hx-swap="outerHTML"><span class="count">1</span>');
    expect(data).toContain(`<li id="notice-${teaEvent!.id}" data-type="order_notification">New order ${placed.orderNumber} from Ada Lovelace</li>`);
    // The other store's part of the same order stays out of this seller's message, and the other way round.
    expect(data).not.toContain('Cast Iron Pot');
    expect(data).not.toContain(pots.store.name);
    expect(potsEvent!.data).toContain('Cast Iron Pot');
    expect(potsEvent!.data).not.toContain('Oolong Leaves');
    expect(potsEvent!.data).not.toContain(tea.store.name);
    await Promise.all([teaStream.close(), potsStream.close()]);
  });

  it('sends one message per notice and counts the unread ones on the badge', async () => {
    const { tea, customer } = await twoStoresAndACustomer();
    const stream = await pageStream(await signIn(origin, tea.user.email));
    const first = await order(customer, tea.products[0]!.id);
    const second = await order(customer, tea.products[0]!.id);
    const events = await stream.waitFor(2);
    expect(events[0]!.data).toContain(`id="seller-order-${first.id}"`);
    expect(events[1]!.data).toContain(`id="seller-order-${second.id}"`);
    expect(events[1]!.data).not.toContain(`id="seller-order-${first.id}"`);
    expect(events[1]!.data).toContain('data-unread="2"');
    expect(events[1]!.data).toContain('<hx-partial hx-target="#seller-tabs a[href=&quot;/seller&quot;] .count" hx-swap="outerHTML"><span class="count">2</span>');
    await quietPeriod();
    expect(stream.events).toHaveLength(2);
    await stream.close();
  });

  it("replaces the row in place when the customer cancels, with the counts of the two tabs it moved between", async () => {
    const { tea, customer } = await twoStoresAndACustomer();
    const placed = await order(customer, tea.products[0]!.id);
    const stream = await pageStream(await signIn(origin, tea.user.email));
    expect((await customer.json('DELETE', `/api/orders/${placed.id}`)).status).toBe(200);
    const [event] = await stream.waitFor(1);
    expect(event!.data).toContain(`<hx-partial hx-target="#seller-order-${placed.id}" hx-swap="outerHTML"><article id="seller-order-${placed.id}"`);
    expect(event!.data).toContain('Cancelled');
    expect(event!.data).not.toContain('<hx-upsert');
    expect(event!.data).toContain('a[href=&quot;/seller?status=pending&quot;] .count" hx-swap="outerHTML"><span class="count">0</span>');
    expect(event!.data).toContain('a[href=&quot;/seller?status=cancelled&quot;] .count" hx-swap="outerHTML"><span class="count">1</span>');
    expect(event!.data).toContain(`Order ${placed.orderNumber} is now cancelled`);
    await stream.close();
  });
});

describe('the /events stream of a customer', () => {
  it("carries the store's new part status when the seller confirms, and only that store's part", async () => {
    const { tea, pots, person, customer } = await twoStoresAndACustomer();
    const placed = await order(customer, tea.products[0]!.id, pots.products[0]!.id);
    const teaPart = placed.sellerOrders.find((p) => p.sellerId === tea.store.id)!;
    const potsPart = placed.sellerOrders.find((p) => p.sellerId === pots.store.id)!;
    const stream = await pageStream(await signIn(origin, person.email));

    const seller = await apiClient(origin, tea.user.email);
    expect((await seller.json('PUT', `/api/orders/${placed.id}/confirm`)).status).toBe(200);
    // A confirmation is two notices to the customer: order_status_update carries the change, order_confirmed is empty here.
    const [update, confirmed] = await stream.waitFor(2);
    expect(update!.data).toContain(`<hx-partial hx-target="#part-status-${teaPart.id}" hx-swap="outerHTML"><p id="part-status-${teaPart.id}" class="part-status"><span class="status status-confirmed">Confirmed</span>`);
    expect(update!.data).not.toContain(`part-status-${potsPart.id}`);
    // The order as a whole is still pending: the pot store has not acted; the cancel link goes, a store has.
    expect(update!.data).toContain(`<hx-partial hx-target="#order-status-${placed.id}" hx-swap="outerHTML"><p id="order-status-${placed.id}" class="order-headline"><span class="order-state"><span class="status status-pending">Pending</span><span class="progress"> · 1 of 2 stores confirmed</span>`);
    // What the customer pays is sent along, for when a store cancels its part.
    expect(update!.data).toContain(`<hx-partial hx-target="#order-due-${placed.id}" hx-swap="outerHTML"><div id="order-due-${placed.id}" class="due">`);
    expect(update!.data).toContain(`<hx-partial hx-target="#order-cancel-${placed.id}" hx-swap="delete">`);
    expect(update!.data).toContain(`<hx-partial hx-target="#order-notices-${placed.id}" hx-swap="afterbegin">`);
    expect(update!.data).toContain(`${tea.store.name}: your order is now confirmed.`);
    expect(confirmed!.data).toBe('');
    await stream.close();
  });
});

describe('pages with live updates', () => {
  it('the dashboard connects after the newest notification it showed, and only its newest-orders list takes new rows', async () => {
    const { tea, customer } = await twoStoresAndACustomer();
    await order(customer, tea.products[0]!.id);
    const seller = await signIn(origin, tea.user.email);
    const newest = await latestId(t.database.sql, tea.user.id);
    expect(newest).toBeGreaterThan(0);

    const html = await (await seller.get('/seller')).text();
    expect(html).toContain(`data-live-stream="/events" data-live-after="${newest}"`);
    expect(html).toContain('<div id="seller-orders" data-new-orders="top">');
    expect(html).toContain(`<input type="hidden" name="upTo" value="${newest}"/>`);
    // htmx, its extensions, then app.js, blocking at the end of the body (decision 011).
    expect(html).toMatch(/<script src="\/public\/htmx\/htmx.min.js"><\/script><script src="\/public\/htmx\/ext\/hx-upsert.min.js"><\/script><script src="\/public\/app.js"><\/script><script src="\/public\/live.js"><\/script><\/body>/);
    expect(html).toContain('<title>(1) Orders · Orderbell</title>');
    expect(await (await seller.get('/seller?status=confirmed')).text()).toContain('<div id="seller-orders">');
    expect(await (await seller.get('/seller?status=pending')).text()).toContain('<div id="seller-orders" data-new-orders="top">');
  });

  it("the customer's order page connects after the customer's newest notification", async () => {
    const { tea, person, customer } = await twoStoresAndACustomer();
    const placed = await order(customer, tea.products[0]!.id);
    const seller = await apiClient(origin, tea.user.email);
    expect((await seller.json('PUT', `/api/orders/${placed.id}/confirm`)).status).toBe(200);
    const newest = await latestId(t.database.sql, person.id);
    const html = await (await (await signIn(origin, person.email)).get(`/orders/${placed.id}`)).text();
    expect(html).toContain(`data-live-stream="/events" data-live-after="${newest}"`);
    expect(html).toContain(`<ul id="order-notices-${placed.id}" class="live-notices" aria-live="polite"`);
    expect(html).toContain(`<p id="order-status-${placed.id}" class="order-headline">`);
    expect(html).toContain(`<div id="order-due-${placed.id}" class="due">`);
  });

  it("opening an order marks that order's notifications read, and Mark all read the rest", async () => {
    const { tea, customer } = await twoStoresAndACustomer();
    const [first, second] = [await order(customer, tea.products[0]!.id), await order(customer, tea.products[0]!.id)];
    const seller = await signIn(origin, tea.user.email);
    const badge = async (path: string) => (await (await seller.get(path)).text()).match(/data-unread="(\d+)"/)![1];
    expect(await badge('/seller')).toBe('2');
    expect(await badge(`/seller/orders/${first.id}`)).toBe('1');
    expect(await badge('/seller')).toBe('1');

    const res = await seller.form('/notifications/read', { upTo: String(await latestId(t.database.sql, tea.user.id)), next: '/seller' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/seller');
    expect(await badge('/seller')).toBe('0');
    expect(await badge(`/seller/orders/${second.id}`)).toBe('0');
  });
});
