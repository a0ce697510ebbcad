import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderEvents } from '../../../src/db/schema.ts';
import type { OrderView } from '../../../src/orders/queries.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import { apiClient, makeAdmin, makeCustomer, makeSeller } from '../../helpers/factories.ts';
import { place } from './fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('the timeline', () => {
  it('records every placement, view, change and override with its actor, order and part', async () => {
    const db = t.database.orm;
    const a = await makeSeller(db, [{}]);
    const b = await makeSeller(db, [{}]);
    const c = await makeCustomer(db, { name: 'Tina Timeline' });
    const adminUser = await makeAdmin(db);
    const customer = await apiClient(t.app, c.email);
    const sellerA = await apiClient(t.app, a.user.email);
    const admin = await apiClient(t.app, adminUser.email);
    const other = await place(customer, [{ productId: a.products[0]!.id, quantity: 1 }]);
    const order = await place(customer, [{ productId: a.products[0]!.id, quantity: 1 }, { productId: b.products[0]!.id, quantity: 1 }]);
    const partOf = (store: number) => order.sellerOrders.find((p) => p.sellerId === store)!.id;

    await sellerA.get(`/seller/orders/${order.id}`);
    await sellerA.form(`/seller/orders/${order.id}/status`, { status: 'confirmed' });
    await admin.form(`/admin/orders/${order.id}/parts/${partOf(b.store.id)}/status`, { status: 'cancelled', reason: 'Store B is closed' });

    const rows = await db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id)).orderBy(orderEvents.id);
    expect(rows.map((e) => [e.type, e.sellerOrderId, e.actorId, e.actorRole, e.fromStatus, e.toStatus, e.note])).toEqual([
      ['placed', null, c.id, 'customer', null, 'pending', ''],
      ['seen', partOf(a.store.id), a.user.id, 'seller', null, null, ''],
      ['status_changed', partOf(a.store.id), a.user.id, 'seller', 'pending', 'confirmed', ''],
      ['override', partOf(b.store.id), adminUser.id, 'admin', 'pending', 'cancelled', 'Store B is closed'],
    ]);
    // Nothing leaked onto the other order of the same customer and store.
    expect(await db.select().from(orderEvents).where(eq(orderEvents.orderId, other.id))).toHaveLength(1);

    const seen = (await (await customer.get(`/api/orders/${order.id}`)).json()) as OrderView;
    expect(seen.timeline.map((e) => [e.type, e.status, e.actor])).toEqual([
      ['placed', 'pending', { name: 'Tina Timeline', role: 'customer' }],
      ['seen', null, { name: a.store.name, role: 'seller' }],
      ['status_changed', 'confirmed', { name: a.store.name, role: 'seller' }],
      ['override', 'cancelled', { name: 'Orderbell support', role: 'admin' }],
    ]);
    // Staff see who acted by account name.
    const adminView = (await (await admin.get(`/api/orders/${order.id}`)).json()) as OrderView;
    expect(adminView.timeline.map((e) => e.actor?.name)).toEqual(['Tina Timeline', a.user.name, a.user.name, adminUser.name]);
    for (const e of seen.timeline) expect(Date.parse(e.at)).toBeGreaterThan(Date.now() - 60_000);
    // The seller sees the events of their own part only.
    const sellerView = (await (await sellerA.get(`/api/orders/${order.id}`)).json()) as OrderView;
    expect(sellerView.timeline.map((e) => e.type)).toEqual(['placed', 'seen', 'status_changed']);
  });
});
