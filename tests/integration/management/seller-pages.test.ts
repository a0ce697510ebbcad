import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderEvents, sellerOrders } from '../../../src/db/schema.ts';
import { sellerTallies } from '../../../src/orders/dashboard.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import type { Client } from '../../helpers/client.ts';
import { apiClient, makeCustomer, makeSeller } from '../../helpers/factories.ts';
import { text } from '../../helpers/html.ts';
import { forceStatus, place, snapshot } from './fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => t.close());

async function shop() {
  const s = await makeSeller(t.database.orm, [{ stock: 500, price: 1250, name: 'Teapot' }]);
  const other = await makeSeller(t.database.orm, [{ stock: 500, name: 'Kettle of another store' }]);
  const customer = await apiClient(t.app, (await makeCustomer(t.database.orm, { name: 'Ada Byron', phone: '+44 20 7946 0018' })).email);
  const seller = await apiClient(t.app, s.user.email);
  const order = (qty = 2) => place(customer, [{ productId: s.products[0]!.id, quantity: qty }, { productId: other.products[0]!.id, quantity: 1 }], { notes: 'Leave at the door' });
  return { s, seller, customer, order };
}

/** The status of this test's seller's part (the other store's part stays pending). */
const statusOf = async (orderId: number, sellerId: number) =>
  (await t.database.orm.select().from(sellerOrders).where(and(eq(sellerOrders.orderId, orderId), eq(sellerOrders.sellerId, sellerId))))[0]!.status;
const htmx = { 'hx-request': 'true', 'hx-request-type': 'partial' };
// The flash cookie holds the message URI-encoded twice (by render.tsx and by the cookie helper).
const flash = (c: Client) => decodeURIComponent(decodeURIComponent(c.cookies.get('ob_flash') ?? ''));

describe('the seller dashboard', () => {
  it('lists the seller part of each order, newest first, with tabs, customer contact and allowed buttons only', async () => {
    const { seller, order } = await shop();
    const first = await order(2);
    const second = await order(1);
    await forceStatus(t.database.orm, first.id, 'shipped');
    const html = await (await seller.get('/seller')).text();
    expect(html.indexOf(second.orderNumber)).toBeLessThan(html.indexOf(first.orderNumber));
    expect(html).toContain('id="seller-orders"');
    expect(html).toMatch(/Pending <span class="count">1<\/span>/);
    expect(html).toMatch(/Shipped <span class="count">1<\/span>/);
    expect(html).toMatch(/All <span class="count">2<\/span>/);
    expect(html).toContain('href="tel:+442079460018"');
    expect(html).toContain('href="mailto:');
    expect(html).toContain('12 Harbour Road, Portsmouth');
    expect(html).toContain('Leave at the door');
    expect(html).toContain('$25.00');
    expect(html).not.toContain('Kettle of another store');
    const rowOf = (id: number) => html.slice(html.indexOf(`id="seller-order-${id}"`), html.indexOf('</article>', html.indexOf(`id="seller-order-${id}"`)));
    expect(rowOf(second.id)).toContain('>Confirm<');
    expect(rowOf(second.id)).toContain('>Cancel<');
    expect(rowOf(second.id)).not.toContain('Mark shipped');
    expect(rowOf(first.id)).toContain('Mark delivered');
    expect(rowOf(first.id)).not.toContain('>Cancel<');
    const shippedTab = await (await seller.get('/seller?status=shipped')).text();
    expect(shippedTab).toContain(first.orderNumber);
    expect(shippedTab).not.toContain(second.orderNumber);
  });

  it('pages to older and back to newer orders with keyset links and the position, without gaps or repeats', async () => {
    const { seller, order } = await shop();
    const placed = [];
    for (let i = 0; i < 23; i++) placed.push((await order(1)).orderNumber);
    const firstPage = await (await seller.get('/seller')).text();
    const older = firstPage.match(/href="(\/seller\?cursor=\d+)" rel="next">Older orders/)?.[1];
    expect(older).toBeDefined();
    const secondPage = await (await seller.get(older!)).text();
    const numbers = (h: string) => [...h.matchAll(/<h3[^>]*><a href="\/seller\/orders\/\d+">(OB-[0-9A-F]+)</g)].map((m) => m[1]);
    expect(numbers(firstPage)).toHaveLength(20);
    expect([...numbers(firstPage), ...numbers(secondPage)]).toEqual(placed.reverse());
    expect(secondPage).not.toContain('Older orders');
    expect(text(firstPage)).toContain('Orders 1–20 of 23');
    expect(text(secondPage)).toContain('Orders 21–23 of 23');
    const newer = secondPage.match(/href="(\/seller\?before=\d+)" rel="prev">/)?.[1];
    expect(numbers(await (await seller.get(newer!)).text())).toEqual(numbers(firstPage));
    expect(firstPage).not.toContain('Newer orders');
  });

  it('counts its tabs as a direct count of its parts does, after changes by the API, by hand and of the order day', async () => {
    const { s, seller, order } = await shop();
    const placed = [await order(1), await order(1), await order(1), await order(1)];
    expect((await seller.json('PUT', `/api/orders/${placed[0]!.id}/status`, { status: 'confirmed' })).status).toBe(200);
    expect((await seller.form(`/seller/orders/${placed[1]!.id}/status`, { status: 'cancelled' })).status).toBe(303);
    await forceStatus(t.database.orm, placed[2]!.id, 'delivered');
    // An order moved to an earlier day (as data fixes do) keeps its part in the counts.
    await t.database.sql`update orders set created_at = created_at - interval '3 days' where id = ${placed[3]!.id}`;
    const direct = await t.database.sql<{ status: string; n: number }[]>`
      select status, count(*)::int as n from seller_orders where seller_id = ${s.store.id} group by status`;
    const { counts } = await sellerTallies(t.database.sql, { id: s.user.id, role: 'seller' });
    expect(counts).toEqual({ pending: 0, confirmed: 0, shipped: 0, delivered: 0, cancelled: 0, ...Object.fromEntries(direct.map((r) => [r.status, r.n])) });
    expect(counts).toEqual({ pending: 1, confirmed: 1, shipped: 0, delivered: 1, cancelled: 1 });
    const html = await (await seller.get('/seller')).text();
    expect(html).toMatch(/Pending <span class="count">1<\/span>/);
    expect(html).toMatch(/Cancelled <span class="count">1<\/span>/);
    expect(html).toMatch(/All <span class="count">4<\/span>/);
  });

  it('without JavaScript, a button posts and redirects back to the same tab; a refused one says why', async () => {
    const { s, seller, order } = await shop();
    const o = await order();
    const res = await seller.form(`/seller/orders/${o.id}/status`, { status: 'confirmed' }, { referer: 'http://localhost/seller?status=pending' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/seller?status=pending');
    expect(flash(seller)).toContain(`${o.orderNumber} is now confirmed`);
    expect((await statusOf(o.id, s.store.id))).toBe('confirmed');
    const refused = await seller.form(`/seller/orders/${o.id}/status`, { status: 'delivered' }, { referer: 'http://localhost/seller' });
    expect(refused.status).toBe(303);
    expect(flash(seller)).toContain('must be shipped first');
    expect((await statusOf(o.id, s.store.id))).toBe('confirmed');
    const page = await (await seller.get('/seller')).text();
    expect(page).toContain('must be shipped first');
  });

  it('with htmx, answers with the row and the new tab counts only', async () => {
    const { seller, order } = await shop();
    const o = await order();
    const res = await seller.form(`/seller/orders/${o.id}/status`, { status: 'confirmed' }, { ...htmx, 'hx-current-url': 'http://localhost/seller?status=pending' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith(`<article id="seller-order-${o.id}"`)).toBe(true);
    expect(html).not.toContain('<html');
    expect(html).toContain('<hx-partial hx-target="#seller-tabs" hx-swap="outerHTML">');
    expect(html).toMatch(/Confirmed <span class="count">1<\/span>/);
    expect(html).toMatch(/href="\/seller\?status=pending" aria-current="page"/);
    expect(html).toContain('Mark shipped');
    const refused = await seller.form(`/seller/orders/${o.id}/status`, { status: 'confirmed' }, htmx);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toMatch(/class="row-message" role="alert">This order is already confirmed/);
  });

  it('asks before cancelling, also without JavaScript, and puts the stock back', async () => {
    const { s, seller, order } = await shop();
    const o = await order(3);
    const confirm = await seller.get(`/seller/orders/${o.id}/cancel`, { referer: 'http://localhost/seller?status=pending' });
    const html = await confirm.text();
    expect(html).toContain(`Cancel order ${o.orderNumber}?`);
    expect(html).toContain('name="back" value="/seller?status=pending"');
    expect(html).toContain('Yes, cancel order');
    expect((await statusOf(o.id, s.store.id))).toBe('pending');
    const before = (await snapshot(t.database.orm, o.id, [s.products[0]!.id])).stock[0]!.stock;
    const res = await seller.form(`/seller/orders/${o.id}/status`, { status: 'cancelled', back: '/seller?status=pending' });
    expect(res.headers.get('location')).toBe('/seller?status=pending');
    const after = await snapshot(t.database.orm, o.id, [s.products[0]!.id]);
    expect(await statusOf(o.id, s.store.id)).toBe('cancelled');
    expect(after.stock[0]!.stock).toBe(before + 3);
    // An outside "back" address is not followed.
    const evil = await seller.form(`/seller/orders/${(await order()).id}/status`, { status: 'confirmed', back: '//evil.example/' });
    expect(evil.headers.get('location')).toBe('/seller');
  });

  it('confirms several orders at once and reports each one it could not change', async () => {
    const { s, seller, order } = await shop();
    const [a, b, c] = [await order(), await order(), await order()];
    await forceStatus(t.database.orm, c.id, 'cancelled');
    const res = await seller.form('/seller/bulk', { status: 'confirmed', ids: [String(a.id), String(b.id), String(c.id)] }, { referer: 'http://localhost/seller?status=pending' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/seller?status=pending');
    const message = flash(seller);
    expect(message).toContain(`Confirmed: ${a.orderNumber}, ${b.orderNumber}.`);
    expect(message).toContain(`${c.orderNumber} (A cancelled order cannot change any more.)`);
    expect((await statusOf(a.id, s.store.id))).toBe('confirmed');
    const partial = await seller.form('/seller/bulk', { status: 'shipped', ids: [String(a.id), String(c.id), '999999'] }, htmx);
    const html = await partial.text();
    expect(html).toContain(`Shipped: ${a.orderNumber}.`);
    expect(html).toContain(`<hx-partial hx-target="#seller-order-${a.id}" hx-swap="outerHTML">`);
    expect(html).not.toContain(`hx-target="#seller-order-${c.id}"`);
    expect(html).toContain('#999999: No such order.');
    // Each failure is listed once.
    expect(html.split(c.orderNumber)).toHaveLength(2);
    expect(html.split('#999999')).toHaveLength(2);
    expect(html).toContain('<hx-partial hx-target="#seller-tabs"');
    const none = await seller.form('/seller/bulk', { status: 'confirmed' });
    expect(none.status).toBe(303);
    expect(flash(seller)).toBe('Select at least one order first.');
  });

  it('shows one order with its timeline and records "seen" on the first view only', async () => {
    const { s, seller, order } = await shop();
    const o = await order();
    const first = await (await seller.get(`/seller/orders/${o.id}`)).text();
    await seller.get(`/seller/orders/${o.id}`);
    expect(first).toContain(`Order ${o.orderNumber}`);
    expect(first).toContain('Order placed');
    expect(first).toContain('Seen by the store');
    expect(first).not.toContain('Kettle of another store');
    const seen = await t.database.orm.select().from(orderEvents).where(and(eq(orderEvents.orderId, o.id), eq(orderEvents.type, 'seen')));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.actorId).toBe(s.user.id);
  });
});
