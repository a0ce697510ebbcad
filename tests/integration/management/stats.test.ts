import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stats, STORE_ROWS } from '../../../src/admin/stats.ts';
import { orderEvents, orders, sellerOrders, type Status } from '../../../src/db/schema.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import type { Client } from '../../helpers/client.ts';
import { apiClient, makeAdmin, makeCustomer, makeSeller } from '../../helpers/factories.ts';

let t: TestApp;
let admin: Client;
let customerId: string;
let A: Awaited<ReturnType<typeof makeSeller>>;
let B: Awaited<ReturnType<typeof makeSeller>>;
let C: Awaited<ReturnType<typeof makeSeller>>;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z').getTime();
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const defaultRange = { from: dayOf(today - 29 * DAY), to: dayOf(today) };

type Part = { store: typeof A; subtotal: number; status: Status; confirmedAfter?: number };

/** An order written directly with chosen times: its parts and their "placed"/"confirmed" events. */
async function order(at: number, parts: Part[], status: Status) {
  const db = t.database.orm;
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

/**
 * The figures counted directly, row by row in JavaScript, from the store orders of the orders
 * placed in the range: what every figure on the page must equal.
 */
async function directCount(range: { from: string; to: string }, storeId?: number) {
  const rows = await t.database.sql<{ orderId: number; sellerId: number; status: Status; subtotal: number; createdAt: Date }[]>`
    select so.order_id::int as "orderId", so.seller_id as "sellerId", so.status, so.subtotal, o.created_at as "createdAt"
    from seller_orders so join orders o on o.id = so.order_id`;
  const start = Date.parse(`${range.from}T00:00:00Z`);
  const end = Date.parse(`${range.to}T00:00:00Z`) + DAY;
  const parts = rows.filter((r) => +new Date(r.createdAt) >= start && +new Date(r.createdAt) < end && (storeId === undefined || r.sellerId === storeId));
  const live = (r: (typeof parts)[number]) => (r.status === 'cancelled' ? 0 : r.subtotal);
  const statuses = { pending: 0, confirmed: 0, shipped: 0, delivered: 0, cancelled: 0 };
  const stores = new Map<number, { orders: number; revenue: number }>();
  const days = new Map<string, { orders: Set<number>; revenue: number }>();
  for (const r of parts) {
    statuses[r.status]++;
    const s = stores.get(r.sellerId) ?? { orders: 0, revenue: 0 };
    stores.set(r.sellerId, { orders: s.orders + 1, revenue: s.revenue + live(r) });
    const day = dayOf(+new Date(r.createdAt));
    const d = days.get(day) ?? { orders: new Set<number>(), revenue: 0 };
    d.orders.add(r.orderId);
    days.set(day, { orders: d.orders, revenue: d.revenue + live(r) });
  }
  return {
    orders: new Set(parts.map((p) => p.orderId)).size,
    storeOrders: parts.length,
    revenue: parts.reduce((a, r) => a + live(r), 0),
    statuses,
    stores,
    days: new Map([...days].map(([day, d]) => [day, { orders: d.orders.size, revenue: d.revenue }])),
  };
}

beforeAll(async () => {
  t = await testApp();
  A = await makeSeller(t.database.orm, [{}]);
  B = await makeSeller(t.database.orm, [{}]);
  C = await makeSeller(t.database.orm, [{}]);
  customerId = (await makeCustomer(t.database.orm)).id;
  admin = await apiClient(t.app, (await makeAdmin(t.database.orm)).email);
  // Split orders: parts at different statuses, parts cancelled by a store.
  await order(today + MIN, [{ store: A, subtotal: 1000, status: 'confirmed', confirmedAfter: 10 * MIN }, { store: B, subtotal: 500, status: 'cancelled' }], 'confirmed');
  await order(today - DAY + 5 * HOUR, [{ store: A, subtotal: 2000, status: 'pending' }], 'pending');
  await order(today - DAY + 6 * HOUR, [{ store: A, subtotal: 3000, status: 'confirmed', confirmedAfter: 30 * MIN }, { store: C, subtotal: 1500, status: 'delivered', confirmedAfter: HOUR }], 'confirmed');
  await order(today - 2 * DAY, [{ store: A, subtotal: 800, status: 'shipped', confirmedAfter: 5 * MIN }, { store: B, subtotal: 1200, status: 'pending' }, { store: C, subtotal: 300, status: 'cancelled' }], 'pending');
  await order(today - 29 * DAY + HOUR, [{ store: B, subtotal: 4000, status: 'delivered', confirmedAfter: HOUR }], 'delivered');
  await order(today - 40 * DAY, [{ store: B, subtotal: 7000, status: 'confirmed', confirmedAfter: 2 * HOUR }], 'confirmed');
});
afterAll(() => t.close());

describe('admin stats', () => {
  it('counts store orders by status, per store and per day for the last 30 days, equal to a direct count', async () => {
    const s = await stats(t.database.sql, defaultRange, null);
    const direct = await directCount(defaultRange);
    // Known answers for the fixture, then every figure against the direct count.
    expect([s.orders, s.storeOrders, s.revenue]).toEqual([5, 9, 13_500]);
    expect(s.statuses).toEqual({ pending: 2, confirmed: 2, shipped: 1, delivered: 2, cancelled: 2 });
    expect([s.orders, s.storeOrders, s.revenue]).toEqual([direct.orders, direct.storeOrders, direct.revenue]);
    expect(s.statuses).toEqual(direct.statuses);
    expect(Object.values(s.statuses).reduce((a, b) => a + b)).toBe(s.storeOrders);

    expect(s.stores.map((r) => [r.storeName, r.orders, r.revenue])).toEqual([
      [A.store.name, 4, 6800],
      [B.store.name, 3, 5200],
      [C.store.name, 2, 1500],
    ]);
    for (const r of s.stores) expect({ orders: r.orders, revenue: r.revenue }).toEqual(direct.stores.get(r.storeId));
    expect(s.otherStores).toBeNull();
    expect(s.stores.reduce((a, r) => a + r.orders, 0)).toBe(s.storeOrders);
    expect(s.stores.reduce((a, r) => a + r.revenue, 0)).toBe(s.revenue);

    expect(s.days).toHaveLength(30);
    expect(s.days[0]!.day).toBe(defaultRange.from);
    expect(s.days.at(-1)!.day).toBe(defaultRange.to);
    for (const d of s.days) expect({ orders: d.orders, revenue: d.revenue }).toEqual(direct.days.get(d.day) ?? { orders: 0, revenue: 0 });
    expect(s.days.filter((d) => d.orders)).toEqual([
      { day: dayOf(today - 29 * DAY), orders: 1, revenue: 4000 },
      { day: dayOf(today - 2 * DAY), orders: 1, revenue: 2000 },
      { day: dayOf(today - DAY), orders: 2, revenue: 6500 },
      { day: dayOf(today), orders: 1, revenue: 1000 },
    ]);
    expect(s.days.reduce((a, d) => a + d.orders, 0)).toBe(s.orders);

    const medians = Object.fromEntries(s.confirmTimes.map((c) => [c.storeName, [c.medianSeconds, c.confirmed]]));
    expect(medians).toEqual({ [A.store.name]: [10 * 60, 3], [B.store.name]: [60 * 60, 1], [C.store.name]: [60 * 60, 1] });
  });

  it("with a store chosen, counts that store's parts only; a wider range takes in older orders", async () => {
    const range = { from: dayOf(today - 45 * DAY), to: dayOf(today) };
    const s = await stats(t.database.sql, range, { id: B.store.id, name: B.store.name });
    const direct = await directCount(range, B.store.id);
    expect(s.statuses).toEqual({ pending: 1, confirmed: 1, shipped: 0, delivered: 1, cancelled: 1 });
    expect(s.statuses).toEqual(direct.statuses);
    expect([s.orders, s.storeOrders, s.revenue]).toEqual([4, 4, 12_200]);
    expect([s.orders, s.storeOrders, s.revenue]).toEqual([direct.orders, direct.storeOrders, direct.revenue]);
    expect(s.days).toHaveLength(46);
    for (const d of s.days) expect({ orders: d.orders, revenue: d.revenue }).toEqual(direct.days.get(d.day) ?? { orders: 0, revenue: 0 });
    expect(s.confirmTimes.map((c) => [c.storeName, c.medianSeconds, c.confirmed])).toEqual([[B.store.name, 90 * 60, 2]]);
  });

  it(`lists at most ${STORE_ROWS} stores and puts the rest in one row, so the rows still add up`, async () => {
    const base = today - 100 * DAY;
    const stores = [];
    for (let i = 0; i < STORE_ROWS + 3; i++) stores.push(await makeSeller(t.database.orm, [{}]));
    for (const [i, store] of stores.entries()) await order(base + i * MIN, [{ store, subtotal: 100 * (i + 1), status: 'pending' }], 'pending');
    const range = { from: dayOf(base), to: dayOf(base) };
    const s = await stats(t.database.sql, range, null);
    expect(s.stores).toHaveLength(STORE_ROWS);
    expect(s.stores[0]!.storeId).toBe(stores.at(-1)!.store.id);
    expect(s.otherStores).toEqual({ stores: 3, orders: 3, revenue: 600 });
    expect(s.stores.reduce((a, r) => a + r.orders, 0) + s.otherStores!.orders).toBe(s.storeOrders);
    expect(s.stores.reduce((a, r) => a + r.revenue, 0) + s.otherStores!.revenue).toBe(s.revenue);
  });
});

describe('the /admin/stats page', () => {
  it('draws the charts as SVG images with a name and summary, and keeps the tables with their totals', async () => {
    const res = await admin.get('/admin/stats');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('<script>');
    for (const id of ['chart-orders', 'chart-revenue', 'chart-confirm']) {
      expect(html).toContain(`<svg role="img" aria-labelledby="${id}-title ${id}-desc"`);
      expect(html).toMatch(new RegExp(`<title id="${id}-title">[^<]+</title><desc id="${id}-desc">[^<]+</desc>`));
    }
    expect(html).toContain('5 orders in all; the most on');
    expect(html).toContain('$135.00 in all');
    // One bar per day, each with its value as a tooltip.
    expect(html.match(/<rect class="bar"[^>]*><title>[^<]+: \d+ orders?<\/title>/g)).toHaveLength(30);
    expect(html).toContain(`${A.store.name}: 10 min`);
    expect(html).toContain('<caption>Store orders by status</caption>');
    expect(html).toMatch(/<th scope="row">Total<\/th><td class="num">9<\/td>/);
    expect(html).toContain('$68.00');
    expect(html).toContain('1 h');
    expect(html).toContain(new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(today - DAY));
    // A store picked by part of its name, through the plain GET form.
    const one = await (await admin.get(`/admin/stats?store=${encodeURIComponent(B.store.name.slice(0, -1))}&from=&to=`)).text();
    expect(one).toContain(`${B.store.name} (#${B.store.id})`);
    expect(one).toContain(`value="${B.store.name.slice(0, -1)}"`);
    const byNumber = await (await admin.get(`/admin/stats?store=%23${C.store.id}`)).text();
    expect(byNumber).toContain(`${C.store.name} (#${C.store.id})`);
  });

  it('answers a bad choice with 422 and a message at the field, never a server error', async () => {
    const cases: [string, string, RegExp][] = [
      ['from=2026-02-30', 'from', /From must be a date/],
      ['from=tomorrow', 'from', /From must be a date/],
      [`from=${dayOf(today)}&to=${dayOf(today - DAY)}`, 'to', /To must be on or after From/],
      ['from=2020-01-01&to=2026-01-01', 'from', /at most 366 days/],
      ['store=No%20such%20shop%20anywhere', 'store', /No store is called/],
      ['store=Store%20', 'store', /Several stores match: .*Type more of the name/],
      ['store=%23999999', 'store', /No store is called/],
      [`store=${'x'.repeat(101)}`, 'store', /at most 100 characters/],
      ['store=%25', 'store', /Several stores match|No store/],
    ];
    for (const [query, field, message] of cases) {
      const res = await admin.get(`/admin/stats?${query}`);
      expect(res.status, query).toBe(422);
      const html = await res.text();
      expect(html, query).toMatch(new RegExp(`id="s-${field}-error" class="error">[^<]*`));
      expect(html, query).toMatch(message);
      expect(html, query).toContain('aria-invalid="true"');
    }
  });
});
