import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, orderEvents, orders, sellerOrders, type Status } from '../../../src/db/schema.ts';
import { sellerDashboard } from '../../../src/orders/dashboard.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import { makeCustomer, makeSeller, signIn } from '../../helpers/factories.ts';

/** The figures the dashboard shows, as its service reads them. */
const sellerFigures = async (sql: TestApp['database']['sql'], viewer: { id: string; role: 'seller' }) =>
  (await sellerDashboard(sql, viewer, { limit: 20 })).figures;

let t: TestApp;
let mine: Awaited<ReturnType<typeof makeSeller>>;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z').getTime();

/** One order with a part for each store given, placed at `at`, each part confirmed after `confirmedAfter` if given. */
async function order(customerId: string, at: number, parts: { store: typeof mine; status: Status; confirmedAfter?: number }[]) {
  const db = t.database.orm;
  const [o] = await db
    .insert(orders)
    .values({ customerId, customerName: 'F', customerEmail: 'f@example.test', customerPhone: '1', deliveryAddress: 'Somewhere 1', totalAmount: 1000, estimatedDelivery: new Date(at + 5 * DAY), createdAt: new Date(at), orderDate: new Date(at) })
    .returning();
  for (const p of parts) {
    const [part] = await db.insert(sellerOrders).values({ orderId: o!.id, sellerId: p.store.store.id, subtotal: 1000, status: p.status, createdAt: new Date(at) }).returning();
    if (p.confirmedAfter !== undefined)
      await db.insert(orderEvents).values({ orderId: o!.id, sellerOrderId: part!.id, type: 'status_changed', fromStatus: 'pending', toStatus: 'confirmed', createdAt: new Date(at + p.confirmedAfter) });
  }
  return o!;
}

beforeAll(async () => {
  t = await testApp();
  mine = await makeSeller(t.database.orm, [{}]);
  const other = await makeSeller(t.database.orm, [{}]);
  const c = (await makeCustomer(t.database.orm)).id;
  // In placement order, as order ids follow it.
  await order(c, today - 40 * DAY, [{ store: mine, status: 'confirmed', confirmedAfter: 60 * MIN }]);
  const read = await order(c, today - DAY, [{ store: mine, status: 'confirmed', confirmedAfter: 10 * MIN }]);
  await order(c, today, [{ store: other, status: 'pending' }]);
  await order(c, today + 1000, [{ store: mine, status: 'confirmed', confirmedAfter: 4 * MIN }, { store: other, status: 'confirmed', confirmedAfter: MIN }]);
  await order(c, today + 2000, [{ store: mine, status: 'pending' }]);
  // The store opened one of its orders: that notification is acknowledged.
  await t.database.orm.update(notifications).set({ readAt: new Date() }).where(and(eq(notifications.orderId, read.id), eq(notifications.recipientId, mine.user.id)));
});
afterAll(() => t.close());

describe("a store's own figures", () => {
  it('counts its orders today, its unacknowledged new orders and its median time to confirm over 30 days', async () => {
    expect(await sellerFigures(t.database.sql, { id: mine.user.id, role: 'seller' })).toEqual({ ordersToday: 2, unacknowledged: 3, medianConfirmSeconds: 7 * 60, confirmed: 2 });
    const html = await (await (await signIn(t.app, mine.user.email)).get('/seller')).text();
    expect(html).toMatch(/<dt>Orders today<\/dt><dd>2<\/dd>/);
    expect(html).toMatch(/<dt>Not yet opened<\/dt><dd>3<\/dd>/);
    expect(html).toMatch(/<dt>Median time to confirm \(30 days\)<\/dt><dd>7 min <span class="muted">over 2 confirmed<\/span><\/dd>/);
  });

  it('says so when the store has confirmed nothing yet', async () => {
    const fresh = await makeSeller(t.database.orm, [{}]);
    expect(await sellerFigures(t.database.sql, { id: fresh.user.id, role: 'seller' })).toEqual({ ordersToday: 0, unacknowledged: 0, medianConfirmSeconds: null, confirmed: 0 });
    const html = await (await (await signIn(t.app, fresh.user.email)).get('/seller')).text();
    expect(html).toContain('No confirmed orders yet');
  });
});
