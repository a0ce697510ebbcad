import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, orderEvents, products, sellerOrders } from '../../../src/db/schema.ts';
import type { OrderView } from '../../../src/orders/queries.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import { apiClient, makeCustomer, makeSeller } from '../../helpers/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(() => t.close());

const address = '12 Harbour Road, Portsmouth';

describe('placing an order through the API', () => {
  it('splits an order across two stores into two seller orders with subtotals and total, ignoring client prices', async () => {
    const a = await makeSeller(t.database.orm, [{ price: 1250, stock: 10 }, { price: 300, stock: 10 }]);
    const b = await makeSeller(t.database.orm, [{ price: 4500, stock: 5 }]);
    const customer = await apiClient(t.app, (await makeCustomer(t.database.orm)).email);
    const res = await customer.json('POST', '/api/orders', {
      items: [
        { productId: a.products[0]!.id, quantity: 2, price: 1 },
        { productId: a.products[1]!.id, quantity: 1 },
        { productId: b.products[0]!.id, quantity: 1, price: 0 },
      ],
      deliveryAddress: `  ${address}  `,
      totalAmount: 5,
    });
    expect(res.status).toBe(201);
    const order = (await res.json()) as OrderView;
    expect(order.orderNumber).toMatch(/^OB-[0-9A-F]{8}$/);
    expect(order.totalAmount).toBe(2 * 1250 + 300 + 4500);
    expect(order.deliveryAddress).toBe(address);
    expect(order.status).toBe('pending');
    expect(order.sellerOrders.map((p) => [p.sellerId, p.subtotal]).sort()).toEqual(
      [[a.store.id, 2800], [b.store.id, 4500]].sort(),
    );
    expect(order.items.find((i) => i.productId === a.products[0]!.id)).toMatchObject({ price: 1250, quantity: 2, subtotal: 2500 });
    expect(order.timeline).toEqual([expect.objectContaining({ type: 'placed', status: 'pending' })]);
    const stock = await t.database.orm.select().from(products).where(inArray(products.id, [a.products[0]!.id, b.products[0]!.id]));
    expect(stock.map((p) => p.stock).sort()).toEqual([4, 8]);
    const notes = await t.database.orm.select().from(notifications).where(eq(notifications.orderId, order.id));
    expect(notes.map((n) => [n.recipientId, n.type]).sort()).toEqual([[a.user.id, 'order_notification'], [b.user.id, 'order_notification']].sort());
  });

  it('lets exactly three of ten concurrent buyers have the last three units', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 3, name: 'Last Lamp' }]);
    const buyers = await Promise.all(Array.from({ length: 10 }, async () => apiClient(t.app, (await makeCustomer(t.database.orm)).email)));
    const results = await Promise.all(
      buyers.map((c) => c.json('POST', '/api/orders', { items: [{ productId: s.products[0]!.id, quantity: 1 }], deliveryAddress: address })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409, 409, 409, 409, 409]);
    const refused = (await results.find((r) => r.status === 409)!.json()) as { error: { message: string } };
    expect(refused.error.message).toContain('Last Lamp');
    const [p] = await t.database.orm.select().from(products).where(eq(products.id, s.products[0]!.id));
    expect(p!.stock).toBe(0);
  });

  it('returns the first order for a repeated Idempotency-Key and takes stock once', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 10 }]);
    const customer = await apiClient(t.app, (await makeCustomer(t.database.orm)).email);
    const body = { items: [{ productId: s.products[0]!.id, quantity: 2 }], deliveryAddress: address };
    const key = { 'idempotency-key': 'checkout-0001-abcdef' };
    const [first, second] = await Promise.all([customer.json('POST', '/api/orders', body, key), customer.json('POST', '/api/orders', body, key)]);
    const ids = [((await first!.json()) as OrderView).id, ((await second!.json()) as OrderView).id];
    expect(ids[0]).toBe(ids[1]);
    expect([first!.status, second!.status].sort()).toEqual([200, 201]);
    const [p] = await t.database.orm.select().from(products).where(eq(products.id, s.products[0]!.id));
    expect(p!.stock).toBe(8);
  });
});

describe('changing status', () => {
  it('moves a part through the machine, refuses what is not allowed and restores stock on cancel', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 5 }]);
    const other = await makeSeller(t.database.orm, [{ stock: 5 }]);
    const customer = await apiClient(t.app, (await makeCustomer(t.database.orm)).email);
    const seller = await apiClient(t.app, s.user.email);
    const stranger = await apiClient(t.app, other.user.email);
    const placed = (await (await customer.json('POST', '/api/orders', { items: [{ productId: s.products[0]!.id, quantity: 2 }], deliveryAddress: address })).json()) as OrderView;
    expect((await stranger.json('PUT', `/api/orders/${placed.id}/confirm`)).status).toBe(404);
    expect((await seller.json('PUT', `/api/orders/${placed.id}/ship`)).status).toBe(409);
    const confirmed = await seller.json('PUT', `/api/orders/${placed.id}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(((await confirmed.json()) as OrderView).status).toBe('confirmed');
    const late = await customer.json('DELETE', `/api/orders/${placed.id}`);
    expect(late.status).toBe(409);
    expect(((await seller.json('PUT', `/api/orders/${placed.id}/status`, { status: 'cancelled' })).status)).toBe(200);
    const [p] = await t.database.orm.select().from(products).where(eq(products.id, s.products[0]!.id));
    expect(p!.stock).toBe(5);
    const [part] = await t.database.orm.select().from(sellerOrders).where(eq(sellerOrders.orderId, placed.id));
    expect(part!.status).toBe('cancelled');
    const events = await t.database.orm.select().from(orderEvents).where(eq(orderEvents.orderId, placed.id));
    expect(events.map((e) => e.toStatus)).toEqual(['pending', 'confirmed', 'cancelled']);
  });

  it('lets a customer cancel what is left after one store cancelled its part, and restores that stock', async () => {
    const a = await makeSeller(t.database.orm, [{ stock: 5 }]);
    const b = await makeSeller(t.database.orm, [{ stock: 5 }]);
    const customer = await apiClient(t.app, (await makeCustomer(t.database.orm)).email);
    const sellerA = await apiClient(t.app, a.user.email);
    const order = (await (await customer.json('POST', '/api/orders', {
      items: [{ productId: a.products[0]!.id, quantity: 1 }, { productId: b.products[0]!.id, quantity: 2 }],
      deliveryAddress: address,
    })).json()) as OrderView;
    expect((await sellerA.json('PUT', `/api/orders/${order.id}/status`, { status: 'cancelled' })).status).toBe(200);
    const res = await customer.json('DELETE', `/api/orders/${order.id}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as OrderView).status).toBe('cancelled');
    const stock = await t.database.orm.select().from(products).where(inArray(products.id, [a.products[0]!.id, b.products[0]!.id]));
    expect(stock.map((p) => p.stock)).toEqual([5, 5]);
    const again = await customer.json('DELETE', `/api/orders/${order.id}`);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toBe('This order is already cancelled.');
  });
});
