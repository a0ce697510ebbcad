import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderEvents, orders, sellerOrders, type Status } from '../../../src/db/schema.ts';
import { stats } from '../../../src/admin/stats.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import { apiClient, makeAdmin, makeCustomer, makeSeller } from '../../helpers/factories.ts';

let t: TestApp;
let A: Awaited<ReturnType<typeof makeSeller>>;
let B: Awaited<ReturnType<typeof makeSeller>>;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z').getTime();
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** An order written directly with chosen times: its parts and their "placed"/"confirmed" events. */
async function order(customerId: string, at: number, parts: { store: typeof A; subtotal: number; status: Status; confirmedAfter?: number }[], status: Status) {
  const db = t.database.db;
  const total = parts.reduce((a, p) => a + p.subtotal, 0);
  const [o] = await db
    .insert(orders)
    .values({ customerId, customerName: 'Stat Customer', customerEmail: 'stat@example.test', customerPhone: '1', deliveryAddress: 'Somewhere 1', totalAmount: total, status, estimatedDelivery: new Date(at + 5 * DAY), createdAt: new Date(at), orderDate: new Date(at) })
    .returning();
  await db.insert(orderEvents).values({ orderId: o!.id, type: 'placed', toStatus: 'pending', createdAt: new Date(at) });
  for (const p of parts) {
    const [part] = await db.insert(sellerOrders).values({ orderId: o!.id, sellerId: p.store.store.id, subtotal: p.subtotal, status: p.status, createdAt: new Date(at) }).returning();
    if (p.confirmedAfter !== undefined)
      await db.insert(orderEvents).values({ orderId: o!.id, sellerOrderId: part!.id, type: 'status_changed', fromStatus: 'pending', toStatus: 'confirmed', createdAt: new Date(at + p.confirmedAfter) });
  }
}

beforeAll(async () => {
  t = await testApp();
  A = await makeSeller(t.database.db, [{}]);
  B = await makeSeller(t.database.db, [{}]);
  const c = await makeCustomer(t.database.db);
  await order(c.id, today + MIN, [{ store: A, subtotal: 1000, status: 'confirmed', confirmedAfter: 10 * MIN }, { store: B, subtotal: 500, status: 'cancelled' }], 'confirmed');
  await order(c.id, today - DAY + 5 * HOUR, [{ store: A, subtotal: 2000, status: 'pending' }], 'pending');
  await order(c.id, today - DAY + 6 * HOUR, [{ store: A, subtotal: 3000, status: 'confirmed', confirmedAfter: 30 * MIN }], 'confirmed');
  await order(c.id, today - 40 * DAY, [{ store: B, subtotal: 7000, status: 'confirmed', confirmedAfter: 2 * HOUR }], 'confirmed');
  await order(c.id, today - 29 * DAY + HOUR, [{ store: B, subtotal: 4000, status: 'delivered', confirmedAfter: HOUR }], 'delivered');
});
afterAll(() => t.close());

describe('admin stats', () => {
  it('aggregates orders and revenue per day and per store, orders per status and the median time to confirm', async () => {
    const s = await stats(t.database.sql);
    expect(s.days).toHaveLength(30);
    expect(s.days[0]!.day).toBe(dayOf(today));
    expect(s.days[29]!.day).toBe(dayOf(today - 29 * DAY));
    const busy = s.days.filter((d) => d.orders > 0);
    expect(busy).toEqual([
      { day: dayOf(today), orders: 1, revenue: 1000 },
      { day: dayOf(today - DAY), orders: 2, revenue: 5000 },
      { day: dayOf(today - 29 * DAY), orders: 1, revenue: 4000 },
    ]);
    expect(s.stores).toEqual([
      { storeId: A.store.id, storeName: A.store.name, orders: 3, revenue: 6000 },
      { storeId: B.store.id, storeName: B.store.name, orders: 2, revenue: 4000 },
    ]);
    expect(s.statuses).toEqual({ pending: 1, confirmed: 3, shipped: 0, delivered: 1, cancelled: 0 });
    const medians = Object.fromEntries(s.confirmTimes.map((c) => [c.storeName, [c.medianSeconds, c.confirmed]]));
    expect(medians).toEqual({ [A.store.name]: [20 * 60, 2], [B.store.name]: [90 * 60, 2] });
  });

  it('shows the figures formatted for people', async () => {
    const admin = await apiClient(t.app, (await makeAdmin(t.database.db)).email);
    const html = await (await admin.get('/admin/stats')).text();
    expect(html).toContain('$100.00');
    expect(html).toContain('$60.00');
    expect(html).toContain('20 min');
    expect(html).toContain('1 h 30 min');
    expect(html).toContain(new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(today - DAY));
  });
});
