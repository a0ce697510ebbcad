import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cartItems, orders, products, sellerOrders } from '../../../src/db/schema.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import type { Client } from '../../helpers/client.ts';
import { makeCustomer, makeSeller, signIn } from '../../helpers/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '1000', DELIVERY_DAYS: '4' });
});
afterAll(() => t.close());

const address = '21 Quay Street\nCardiff CF10 1EA';
const htmx = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };

async function shopper(phone = '+44 20 7946 0000') {
  const user = await makeCustomer(t.database.orm, { phone });
  return { user, client: await signIn(t.app, user.email) };
}

async function fill(client: Client, lines: [number, number][]) {
  for (const [productId, quantity] of lines) expect((await client.form('/cart', { productId, quantity })).status).toBe(303);
}

/** Opens the checkout page and returns its HTML and the key the form was rendered with. */
async function openCheckout(client: Client) {
  const res = await client.get('/checkout');
  expect(res.status).toBe(200);
  const html = await res.text();
  return { html, key: html.match(/name="idempotencyKey" value="([^"]+)"/)![1]! };
}

const stock = async (id: number) => (await t.database.orm.select().from(products).where(eq(products.id, id)))[0]!.stock;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the checkout page', () => {
  it('shows the profile read-only, the phone editable, the summary per store, the total and the delivery date', async () => {
    const a = await makeSeller(t.database.orm, [{ price: 1250, name: 'Green Tea' }]);
    const b = await makeSeller(t.database.orm, [{ price: 2800, name: 'Stone Mug' }]);
    const { user, client } = await shopper();
    await fill(client, [[a.products[0]!.id, 2], [b.products[0]!.id, 1]]);
    const { html, key } = await openCheckout(client);
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(html).toMatch(new RegExp(`<input[^>]*name="name"[^>]*readonly[^>]*value="${user.name}"|<input[^>]*readonly[^>]*name="name"`));
    expect(html).toMatch(/<input id="f-email" name="email" readonly=""/);
    expect(html).toMatch(/<input id="f-phone" name="phone" [^>]*value="\+44 20 7946 0000"/);
    expect(html).not.toMatch(/id="f-phone"[^>]*readonly/);
    expect(html).toContain('<label for="f-deliveryAddress">Delivery address</label>');
    expect(html).toContain('<label for="f-notes">Notes</label>');
    const words = text(html);
    expect(words).toContain('Cash on delivery');
    expect(words).toContain(`${a.store.name} subtotal $25.00`);
    expect(words).toContain(`${b.store.name} subtotal $28.00`);
    expect(words).toContain('Total $53.00');
    const due = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.now() + 4 * 86_400_000));
    expect(words).toContain(`Estimated delivery: ${due}`);
    expect(html).toContain('>Place order</button>');
    expect((await openCheckout(client)).key).not.toBe(key);
  });

  it('places an order across two stores, redirects to its page and empties the cart', async () => {
    const a = await makeSeller(t.database.orm, [{ price: 1250, stock: 5 }]);
    const b = await makeSeller(t.database.orm, [{ price: 300, stock: 5 }, { price: 4500, stock: 5 }]);
    const { user, client } = await shopper();
    await fill(client, [[a.products[0]!.id, 2], [b.products[0]!.id, 1], [b.products[1]!.id, 1]]);
    const { key } = await openCheckout(client);
    const res = await client.form('/checkout', { idempotencyKey: key, phone: '+1 555 0142', deliveryAddress: `  ${address}  `, notes: 'Ring twice', paymentMethod: 'cash_on_delivery', price: '1', totalAmount: '1' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/orders\/\d+$/);
    const [order] = await t.database.orm.select().from(orders).where(eq(orders.customerId, user.id));
    expect(order).toMatchObject({ totalAmount: 2500 + 300 + 4500, deliveryAddress: address, notes: 'Ring twice', customerPhone: '+1 555 0142', customerName: user.name });
    const parts = await t.database.orm.select().from(sellerOrders).where(eq(sellerOrders.orderId, order!.id));
    expect(Object.fromEntries(parts.map((p) => [p.sellerId, p.subtotal]))).toEqual({ [a.store.id]: 2500, [b.store.id]: 4800 });
    expect(await t.database.orm.select().from(cartItems).where(eq(cartItems.userId, user.id))).toEqual([]);
    const page = await client.get(location);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(`Order ${order!.orderNumber}`);
    expect(html).toContain(`Thank you! Your order ${order!.orderNumber} is placed.`);
    for (const p of parts) expect(html).toMatch(new RegExp(`<section id="part-${p.id}"`));
    expect(html).toContain('<div id="order-live"');
    expect(text(html)).toContain(`${a.store.name} subtotal $25.00`);
    expect(text(html)).toContain('To pay on delivery $73.00');
    expect(html).toContain('21 Quay Street\nCardiff CF10 1EA');
    expect(text(html)).toContain('Pending since');
  });

  it('answers an htmx submit with HX-Redirect to the order page', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 5 }]);
    const { client } = await shopper();
    await fill(client, [[s.products[0]!.id, 1]]);
    const { key } = await openCheckout(client);
    const res = await client.form('/checkout', { idempotencyKey: key, phone: '+1 555 0100', deliveryAddress: address }, htmx);
    expect(res.status).toBe(200);
    expect(res.headers.get('hx-redirect')).toMatch(/^\/orders\/\d+$/);
  });

  it('places one order for a double submit of the same form, taking stock once', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 5 }]);
    const { user, client } = await shopper();
    await fill(client, [[s.products[0]!.id, 2]]);
    const { key } = await openCheckout(client);
    const fields = { idempotencyKey: key, phone: '+1 555 0100', deliveryAddress: address };
    const [one, two] = await Promise.all([client.form('/checkout', fields), client.form('/checkout', fields)]);
    expect([one.status, two.status]).toEqual([303, 303]);
    expect(one.headers.get('location')).toBe(two.headers.get('location'));
    const three = await client.form('/checkout', fields);
    expect(three.headers.get('location')).toBe(one.headers.get('location'));
    expect(await t.database.orm.select().from(orders).where(eq(orders.customerId, user.id))).toHaveLength(1);
    expect(await stock(s.products[0]!.id)).toBe(3);
  });

  it('shows errors next to their fields with the typed values kept (422), and changes nothing', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 5 }]);
    const { user, client } = await shopper();
    await fill(client, [[s.products[0]!.id, 1]]);
    const { key } = await openCheckout(client);
    const res = await client.form('/checkout', { idempotencyKey: key, phone: 'not a phone', deliveryAddress: 'abc', notes: 'Leave at <the> door' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<h1>Checkout</h1>');
    expect(html).toMatch(/id="f-deliveryAddress-error" class="error">Delivery address needs at least 5 characters/);
    expect(html).toMatch(/id="f-phone-error" class="error">Enter a phone number/);
    expect(html).toMatch(/<textarea [^>]*name="deliveryAddress"[^>]*>abc<\/textarea>/);
    expect(html).toContain('value="not a phone"');
    expect(html).toContain('Leave at &lt;the&gt; door');
    expect(html).toContain(`value="${key}"`);
    expect(await t.database.orm.select().from(orders).where(eq(orders.customerId, user.id))).toEqual([]);
    expect(await stock(s.products[0]!.id)).toBe(5);

    const partial = await client.form('/checkout', { idempotencyKey: key, phone: '+1 555 0100', deliveryAddress: '' }, htmx);
    expect(partial.status).toBe(422);
    const fragment = await partial.text();
    expect(fragment.startsWith('<form id="checkout-form"')).toBe(true);
    expect(fragment).toContain('Delivery address needs at least 5 characters.');
  });

  it('stops with the product named when its stock fell after the form was shown (409), and places nothing', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 2, name: 'Walnut Board' }]);
    const { user, client } = await shopper();
    await fill(client, [[s.products[0]!.id, 2]]);
    const { key } = await openCheckout(client);
    const fields = { idempotencyKey: key, phone: '+1 555 0100', deliveryAddress: address };
    await t.database.orm.update(products).set({ stock: 1 }).where(eq(products.id, s.products[0]!.id));
    const lowered = await client.form('/checkout', fields);
    expect(lowered.status).toBe(409);
    const html = await lowered.text();
    expect(html).toContain('Only 1 of Walnut Board left');
    expect(html).toContain('1 × Walnut Board');
    expect(html).toContain('21 Quay Street');
    await t.database.orm.update(products).set({ stock: 0 }).where(eq(products.id, s.products[0]!.id));
    const soldOut = await client.form('/checkout', fields);
    expect(soldOut.status).toBe(409);
    expect(text(await soldOut.text())).toContain('Walnut Board is sold out');
    expect(await t.database.orm.select().from(orders).where(eq(orders.customerId, user.id))).toEqual([]);
  });

  it('refuses a second customer\'s look at an order with 404, on the page and in the API', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 5 }]);
    const { client } = await shopper();
    await fill(client, [[s.products[0]!.id, 1]]);
    const { key } = await openCheckout(client);
    const location = (await client.form('/checkout', { idempotencyKey: key, phone: '+1 555 0100', deliveryAddress: address })).headers.get('location')!;
    const other = (await shopper()).client;
    const page = await other.get(location);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain('Quay Street');
    expect((await other.get(`/api${location}`)).status).toBe(404);
    expect((await other.get(`${location}/cancel`)).status).toBe(404);
    expect((await other.form(`${location}/cancel`, {})).status).toBe(404);
    expect((await other.get('/orders/not-a-number')).status).toBe(404);
  });

  it('escapes a delivery address and notes holding markup on the order page', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 5 }]);
    const { client } = await shopper();
    await fill(client, [[s.products[0]!.id, 1]]);
    const { key } = await openCheckout(client);
    const evil = '<script>alert(1)</script> 1 Road';
    const location = (await client.form('/checkout', { idempotencyKey: key, phone: '+1 555 0100', deliveryAddress: evil, notes: '<img src=x onerror=alert(2)>' })).headers.get('location')!;
    const html = await (await client.get(location)).text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; 1 Road');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
  });
});

describe('the order list and cancelling', () => {
  it('lists the customer\'s own orders newest first, a page at a time', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 100 }]);
    const { client } = await shopper();
    const numbers: string[] = [];
    for (let i = 0; i < 22; i++) {
      await fill(client, [[s.products[0]!.id, 1]]);
      const { key } = await openCheckout(client);
      const location = (await client.form('/checkout', { idempotencyKey: key, phone: '+1 555 0100', deliveryAddress: address })).headers.get('location')!;
      numbers.push(text(await (await client.get(location)).text()).match(/Order (OB-[0-9A-F]{8})/)![1]!);
    }
    const first = await (await client.get('/orders')).text();
    const shown = [...first.matchAll(/>(OB-[0-9A-F]{8})</g)].map((m) => m[1]);
    expect(shown).toEqual(numbers.slice(2).reverse());
    const next = first.match(/href="(\/orders\?cursor=\d+)"/)![1]!;
    const second = await (await client.get(next)).text();
    expect([...second.matchAll(/>(OB-[0-9A-F]{8})</g)].map((m) => m[1])).toEqual([numbers[1], numbers[0]]);
    expect(second).not.toContain('Older orders');
    expect(await (await (await shopper()).client.get('/orders')).text()).toContain('You have no orders yet');
  });

  it('lets the customer cancel while every part is pending, after a confirmation step, and puts the stock back', async () => {
    const a = await makeSeller(t.database.orm, [{ stock: 5 }]);
    const b = await makeSeller(t.database.orm, [{ stock: 5 }]);
    const { client } = await shopper();
    await fill(client, [[a.products[0]!.id, 2], [b.products[0]!.id, 1]]);
    const { key } = await openCheckout(client);
    const location = (await client.form('/checkout', { idempotencyKey: key, phone: '+1 555 0100', deliveryAddress: address })).headers.get('location')!;
    expect(await (await client.get(location)).text()).toContain(`href="${location}/cancel"`);
    const confirm = await client.get(`${location}/cancel`);
    expect(confirm.status).toBe(200);
    const confirmHtml = await confirm.text();
    expect(confirmHtml).toContain(`action="${location}/cancel"`);
    expect(confirmHtml).toContain('Yes, cancel order');
    expect(await stock(a.products[0]!.id)).toBe(3);
    const done = await client.form(`${location}/cancel`, {});
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(location);
    const after = await (await client.get(location)).text();
    expect(after).toContain('Your order is cancelled.');
    expect(after).not.toContain(`href="${location}/cancel"`);
    expect([await stock(a.products[0]!.id), await stock(b.products[0]!.id)]).toEqual([5, 5]);
    const again = await client.form(`${location}/cancel`, {});
    expect(again.status).toBe(409);
  });

  it('offers no cancel once a store has confirmed its part', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 5 }]);
    const { client } = await shopper();
    await fill(client, [[s.products[0]!.id, 1]]);
    const { key } = await openCheckout(client);
    const location = (await client.form('/checkout', { idempotencyKey: key, phone: '+1 555 0100', deliveryAddress: address })).headers.get('location')!;
    const id = Number(location.split('/').pop());
    await t.database.orm.update(sellerOrders).set({ status: 'confirmed' }).where(eq(sellerOrders.orderId, id));
    const html = await (await client.get(location)).text();
    expect(html).not.toContain('Cancel order');
    expect(text(html)).toContain('Confirmed since');
    const confirm = await client.get(`${location}/cancel`);
    expect(confirm.status).toBe(303);
    const refused = await client.form(`${location}/cancel`, {});
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('only the seller can cancel');
    expect(await stock(s.products[0]!.id)).toBe(4);
  });

  it('offers cancel exactly when the server lets the customer cancel, for every pair of store statuses', async () => {
    const a = await makeSeller(t.database.orm, [{ stock: 100 }]);
    const b = await makeSeller(t.database.orm, [{ stock: 100 }]);
    const { client } = await shopper();
    const statuses = ['pending', 'confirmed', 'shipped', 'delivered', 'cancelled'] as const;
    const seen: string[] = [];
    for (const first of statuses) {
      for (const second of statuses) {
        await fill(client, [[a.products[0]!.id, 1], [b.products[0]!.id, 1]]);
        const { key } = await openCheckout(client);
        const location = (await client.form('/checkout', { idempotencyKey: key, phone: '+1 555 0100', deliveryAddress: address })).headers.get('location')!;
        const id = Number(location.split('/').pop());
        await t.database.orm.update(sellerOrders).set({ status: first }).where(and(eq(sellerOrders.orderId, id), eq(sellerOrders.sellerId, a.store.id)));
        await t.database.orm.update(sellerOrders).set({ status: second }).where(and(eq(sellerOrders.orderId, id), eq(sellerOrders.sellerId, b.store.id)));
        const offered = (await (await client.get(location)).text()).includes(`href="${location}/cancel"`);
        const asked = await client.get(`${location}/cancel`);
        const done = await client.form(`${location}/cancel`, {});
        // The page, the confirmation page and the server agree; a store's own cancellation is no obstacle.
        expect([first, second, offered, asked.status === 200]).toEqual([first, second, done.status === 303, done.status === 303]);
        expect([first, second, done.status]).toEqual([first, second, [first, second].every((x) => x === 'pending' || x === 'cancelled') && [first, second].includes('pending') ? 303 : 409]);
        seen.push(`${first}/${second}:${offered}`);
      }
    }
    expect(seen.filter((x) => x.endsWith('true')).sort()).toEqual(['cancelled/pending:true', 'pending/cancelled:true', 'pending/pending:true']);
  });
});

describe('the order rate limit', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => limited.close());

  it('answers the third order in a minute with 429, Retry-After and a friendly message, on the page and the API', async () => {
    const s = await makeSeller(limited.database.orm, [{ stock: 50 }]);
    const user = await makeCustomer(limited.database.orm);
    const client = await signIn(limited.app, user.email);
    const place = async (headers: Record<string, string> = {}) => {
      await client.form('/cart', { productId: s.products[0]!.id });
      const html = await (await client.get('/checkout')).text();
      const key = html.match(/name="idempotencyKey" value="([^"]+)"/)![1]!;
      return client.form('/checkout', { idempotencyKey: key, phone: '+1 555 0100', deliveryAddress: address }, headers);
    };
    expect((await place()).status).toBe(303);
    expect((await place()).status).toBe(303);
    const third = await place();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    const html = await third.text();
    expect(html).toContain('Please wait');
    expect(html).toContain('>Place order</button>');
    const partial = await place(htmx);
    expect(partial.status).toBe(429);
    expect(await partial.text()).toMatch(/^<form id="checkout-form"[\s\S]*role="alert"[^>]*><p>You have placed many orders/);
    const api = await client.json('POST', '/api/orders', { items: [{ productId: s.products[0]!.id, quantity: 1 }], deliveryAddress: address });
    expect(api.status).toBe(429);
    expect(api.headers.get('retry-after')).toBeTruthy();
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(await limited.database.orm.select().from(orders).where(eq(orders.customerId, user.id))).toHaveLength(2);
  });
});
