import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderEvents, products, sellerOrders } from '../../src/db/schema.ts';
import type { OrderView } from '../../src/orders/queries.ts';
import { testApp, type TestApp } from '../helpers/app.ts';
import type { Client } from '../helpers/client.ts';
import { apiClient, makeAdmin, makeCustomer, makeSeller } from '../helpers/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => t.close());

const jitter = () => new Promise((r) => setTimeout(r, Math.random() * 5));
const address = '9 Race Street, Raceville';

async function placed(customer: Client, productId: number, quantity = 1) {
  const res = await customer.json('POST', '/api/orders', { items: [{ productId, quantity }], deliveryAddress: address });
  expect(res.status).toBe(201);
  return (await res.json()) as OrderView;
}

describe('races have only serial outcomes', () => {
  it('a customer cancel racing a seller confirm: exactly one wins, stock and events agree', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 1000 }]);
    const seller = await apiClient(t.app, s.user.email);
    const customer = await apiClient(t.app, (await makeCustomer(t.database.orm)).email);
    const productId = s.products[0]!.id;
    let keptUnits = 0; // units of the orders the seller's confirm won: still sold
    for (let round = 0; round < 15; round++) {
      const order = await placed(customer, productId, 2);
      const [cancel, confirm] = await Promise.all([
        jitter().then(() => customer.json('DELETE', `/api/orders/${order.id}`)),
        jitter().then(() => seller.json('PUT', `/api/orders/${order.id}/confirm`)),
      ]);
      const [part] = await t.database.orm.select().from(sellerOrders).where(eq(sellerOrders.orderId, order.id));
      // Serial outcomes: cancel then confirm (409), or confirm then cancel (409: the customer is too late).
      expect([cancel!.status, confirm!.status].sort()).toEqual([200, 409]);
      expect(part!.status).toBe(cancel!.status === 200 ? 'cancelled' : 'confirmed');
      const events = await t.database.orm.select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
      expect(events.filter((e) => e.type === 'status_changed')).toHaveLength(1);
      if (confirm!.status === 200) keptUnits += 2;
    }
    // Stock follows the answers: a won cancel put its 2 units back, a won confirm kept them sold.
    const [p] = await t.database.orm.select().from(products).where(eq(products.id, productId));
    expect(p!.stock).toBe(1000 - keptUnits);
    const orders = await t.database.sql<{ n: number }[]>`
      select coalesce(sum(i.quantity), 0)::int as n from order_items i join seller_orders so on so.order_id = i.order_id
      where i.product_id = ${productId} and so.status <> 'cancelled'`;
    expect(orders[0]!.n).toBe(keptUnits);
  });

  it('a seller cancel racing an admin ship of a confirmed part: one applies, the other gets 409', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 1000 }]);
    const seller = await apiClient(t.app, s.user.email);
    const admin = await apiClient(t.app, (await makeAdmin(t.database.orm)).email);
    const customer = await apiClient(t.app, (await makeCustomer(t.database.orm)).email);
    for (let round = 0; round < 15; round++) {
      const order = await placed(customer, s.products[0]!.id);
      expect((await seller.json('PUT', `/api/orders/${order.id}/confirm`)).status).toBe(200);
      const [cancel, ship] = await Promise.all([
        jitter().then(() => seller.json('PUT', `/api/orders/${order.id}/status`, { status: 'cancelled' })),
        jitter().then(() => admin.json('PUT', `/api/orders/${order.id}/ship`)),
      ]);
      expect([cancel!.status, ship!.status].sort()).toEqual([200, 409]);
      const [part] = await t.database.orm.select().from(sellerOrders).where(eq(sellerOrders.orderId, order.id));
      expect(part!.status).toBe(cancel!.status === 200 ? 'cancelled' : 'shipped');
    }
  });

  it('two sessions of one seller (two devices) confirming the same part at once: one 200, one 409 "already confirmed"', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 1000 }]);
    const tabs = [await apiClient(t.app, s.user.email), await apiClient(t.app, s.user.email)];
    const customer = await apiClient(t.app, (await makeCustomer(t.database.orm)).email);
    for (let round = 0; round < 10; round++) {
      const order = await placed(customer, s.products[0]!.id);
      const results = await Promise.all(tabs.map((tab) => jitter().then(() => tab.json('PUT', `/api/orders/${order.id}/confirm`))));
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const refused = (await results.find((r) => r.status === 409)!.json()) as { error: { message: string } };
      expect(refused.error.message).toContain('already confirmed');
    }
  });

  it('buyers racing for the last units, many rounds: never oversold, refused buyers get 409', async () => {
    for (let round = 0; round < 5; round++) {
      const stock = 1 + Math.floor(Math.random() * 4);
      const s = await makeSeller(t.database.orm, [{ stock }]);
      const buyers = await Promise.all(Array.from({ length: 6 }, async () => apiClient(t.app, (await makeCustomer(t.database.orm)).email)));
      // One buyer wants a single unit, so that some order can always succeed (stock is at least 1).
      const wanted = buyers.map((_, i) => (i === 0 ? 1 : 1 + Math.floor(Math.random() * 2)));
      const results = await Promise.all(
        buyers.map((b, i) => jitter().then(() => b.json('POST', '/api/orders', { items: [{ productId: s.products[0]!.id, quantity: wanted[i] }], deliveryAddress: address }))),
      );
      expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
      expect(results.filter((r) => r.status === 201).length).toBeGreaterThan(0);
      // What the 201 answers sold is exactly what left the stock and what the order items hold.
      const soldByAnswers = wanted.filter((_, i) => results[i]!.status === 201).reduce((a, b) => a + b, 0);
      const orderIds = [];
      for (const r of results.filter((r) => r.status === 201)) orderIds.push(((await r.json()) as OrderView).id);
      const sold = await t.database.sql<{ n: number }[]>`select coalesce(sum(quantity), 0)::int as n from order_items where product_id = ${s.products[0]!.id}`;
      const ordersOfProduct = await t.database.sql<{ id: number }[]>`select distinct order_id::int as id from order_items where product_id = ${s.products[0]!.id} order by 1`;
      const [p] = await t.database.orm.select().from(products).where(eq(products.id, s.products[0]!.id));
      expect(p!.stock).toBeGreaterThanOrEqual(0);
      expect(sold[0]!.n).toBe(soldByAnswers);
      expect(p!.stock).toBe(stock - soldByAnswers);
      expect(ordersOfProduct.map((o) => o.id)).toEqual(orderIds.sort((a, b) => a - b));
      // A refused buyer was refused because the rest could not cover their quantity.
      for (let i = 0; i < results.length; i++) if (results[i]!.status === 409) expect(wanted[i]).toBeGreaterThan(p!.stock);
    }
  });
});
