import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, orders } from '../../../src/db/schema.ts';
import { deliveryHealth } from '../../../src/notifications/delivery.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import { apiClient, makeAdmin, makeCustomer, makeSeller } from '../../helpers/factories.ts';

let t: TestApp;
let A: Awaited<ReturnType<typeof makeSeller>>;
let B: Awaited<ReturnType<typeof makeSeller>>;
const S = 1000;
const H = 3600 * S;
const now = Date.now();

/** Notifications with chosen times: [recipient, created ms ago, delivered ms after, read, emailed]. */
type Row = [string, number, number | null, boolean, boolean];

beforeAll(async () => {
  t = await testApp();
  const db = t.database.orm;
  A = await makeSeller(db, [{}]);
  B = await makeSeller(db, [{}]);
  const customer = await makeCustomer(db);
  // An order without parts fires no trigger: the notifications below are all there is.
  const [o] = await db
    .insert(orders)
    .values({ customerId: customer.id, customerName: 'C', customerEmail: 'c@example.test', customerPhone: '1', deliveryAddress: 'Somewhere 1', totalAmount: 0, estimatedDelivery: new Date() })
    .returning();
  const rows: Row[] = [
    [A.user.id, 1 * H, 200, true, false],
    [A.user.id, 2 * H, 800, false, false],
    [A.user.id, 3 * H, 5 * S, false, false],
    [A.user.id, 4 * H, null, false, true],
    [A.user.id, 25 * H, 100, true, false], // before the window
    [B.user.id, 1 * H, 20 * S, true, false],
    [B.user.id, 2 * H, 50, false, false],
    [customer.id, 1 * H, 300, true, false],
    [customer.id, 5 * H, null, false, false],
  ];
  await db.insert(notifications).values(
    rows.map(([recipientId, ago, after, read, emailed]) => ({
      recipientId,
      type: recipientId === customer.id ? ('order_status_update' as const) : ('order_notification' as const),
      orderId: o!.id,
      payload: {},
      createdAt: new Date(now - ago),
      deliveredAt: after === null ? null : new Date(now - ago + after),
      readAt: read ? new Date(now - ago + 60 * S) : null,
      emailedAt: emailed ? new Date(now - ago + 120 * S) : null,
    })),
  );
});
afterAll(() => t.close());

/** The same figures counted row by row in JavaScript. */
async function directCount(role: 'seller' | 'customer' | 'all') {
  const rows = await t.database.sql<{ role: string; created: Date; delivered: Date | null; read: Date | null; emailed: Date | null }[]>`
    select u.role, n.created_at as created, n.delivered_at as delivered, n.read_at as read, n.emailed_at as emailed
    from notifications n join users u on u.id = n.recipient_id`;
  const mine = rows.filter((r) => (role === 'all' || r.role === role) && +new Date(r.created) >= Date.now() - 24 * H);
  const ms = mine.filter((r) => r.delivered).map((r) => +new Date(r.delivered!) - +new Date(r.created));
  return {
    created: mine.length,
    delivered: ms.length,
    acknowledged: mine.filter((r) => r.read).length,
    emailed: mine.filter((r) => r.emailed).length,
    within1s: ms.filter((m) => m <= S).length,
    within10s: ms.filter((m) => m <= 10 * S).length,
  };
}

describe('notification delivery health', () => {
  it('counts the last 24 hours per audience with shares and latency percentiles, equal to a direct count', async () => {
    const h = await deliveryHealth(t.database.sql);
    const [stores, customers, all] = h.figures;
    expect(stores).toEqual({ audience: 'seller', created: 6, delivered: 5, acknowledged: 2, emailed: 1, within1s: 3, within10s: 4, p50: 800, p95: 17_000, p99: 19_400 });
    expect(customers).toEqual({ audience: 'customer', created: 2, delivered: 1, acknowledged: 1, emailed: 0, within1s: 1, within10s: 1, p50: 300, p95: 300, p99: 300 });
    expect(all).toMatchObject({ audience: 'all', created: 8, delivered: 6, acknowledged: 3, emailed: 1, within1s: 4, within10s: 5, p50: 550 });
    for (const f of h.figures) {
      const { audience, p50: _a, p95: _b, p99: _c, ...counts } = f;
      expect(counts).toEqual(await directCount(audience));
    }
    // Fewest delivered within 10 s first: B (1 of 2), then A (3 of 4).
    expect(h.slowestStores).toEqual([
      { storeId: B.store.id, storeName: B.store.name, created: 2, delivered: 2, within10s: 1, p50: 10_025, p95: 19_002.5 },
      { storeId: A.store.id, storeName: A.store.name, created: 4, delivered: 3, within10s: 3, p50: 800, p95: 4_580 },
    ]);
  });

  it('shows the delivered share and latency on /admin/delivery, linked from the admin navigation', async () => {
    const admin = await apiClient(t.app, (await makeAdmin(t.database.orm)).email);
    const res = await admin.get('/admin/delivery');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<a href="/admin/delivery">Delivery</a>');
    expect(html).toContain('50.0% of the 6 notifications to stores reached an open dashboard within 1 second, 66.6% within 10 seconds; p99 19.4 s.');
    expect(html).toMatch(/<th scope="row">To stores<\/th><td class="num">6<\/td><td class="num">5<\/td><td class="num">2<\/td><td class="num">1<\/td><td class="num">50.0%<\/td><td class="num">66.6%<\/td><td class="num">800 ms<\/td><td class="num">17.0 s<\/td><td class="num">19.4 s<\/td>/);
    expect(html).toMatch(/<th scope="row">To customers<\/th><td class="num">2<\/td>/);
    expect(html.indexOf(B.store.name)).toBeLessThan(html.indexOf(A.store.name));
    // Only admins.
    const seller = await apiClient(t.app, A.user.email);
    expect((await seller.get('/admin/delivery')).status).toBe(403);
  });
});
