import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../../src/orders/queries.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import { Client } from '../../helpers/client.ts';
import { apiClient, makeAdmin, makeCustomer, makeSeller } from '../../helpers/factories.ts';
import { forceStatus, place, snapshot } from './fixtures.ts';

let t: TestApp;
type Who = 'anonymous' | 'owner' | 'otherCustomer' | 'seller' | 'otherSeller' | 'admin';
let who: Record<Who, Client>;
let stores: Awaited<ReturnType<typeof makeSeller>>[];
const ACTORS: Who[] = ['anonymous', 'owner', 'otherCustomer', 'seller', 'otherSeller', 'admin'];

beforeAll(async () => {
  t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '100000' });
  const db = t.database.orm;
  // "seller" owns store A; store B is the other store in the same orders; "otherSeller" has no part in them.
  stores = [await makeSeller(db, [{ stock: 500, name: 'Alpha Anvil' }]), await makeSeller(db, [{ stock: 500, name: 'Bravo Bellows' }])];
  const otherSeller = await makeSeller(db, [{ name: 'Charlie Chisel' }]);
  who = {
    anonymous: new Client(t.app),
    owner: await apiClient(t.app, (await makeCustomer(db, { email: 'owner-secret@example.test', phone: '+44 20 7946 0001' })).email),
    otherCustomer: await apiClient(t.app, (await makeCustomer(db)).email),
    seller: await apiClient(t.app, stores[0]!.user.email),
    otherSeller: await apiClient(t.app, otherSeller.user.email),
    admin: await apiClient(t.app, (await makeAdmin(db)).email),
  };
});
afterAll(() => t.close());

const newOrder = () =>
  place(who.owner, [
    { productId: stores[0]!.products[0]!.id, quantity: 1 },
    { productId: stores[1]!.products[0]!.id, quantity: 2 },
  ], { notes: 'Ring the secret bell' });

/** What each actor must never find in a body: the strangers nothing of the order, the seller nothing of store B. */
function leaks(actor: Who, order: OrderView, body: string) {
  const storeB = [stores[1]!.store.name, 'Bravo Bellows'];
  const all = [order.orderNumber, 'owner-secret@example.test', '7946 0001', 'Harbour Road', 'secret bell', stores[0]!.store.name, 'Alpha Anvil', ...storeB];
  const forbidden = actor === 'seller' ? storeB : ['anonymous', 'otherCustomer', 'otherSeller'].includes(actor) ? all : [];
  return forbidden.filter((s) => body.includes(s));
}

interface Case {
  name: string;
  expect: Record<Who, number>;
  /** The order's state the request starts from. */
  from?: 'confirmed';
  run(c: Client, order: OrderView): Promise<Response>;
  changes?: boolean;
}

const page = (path: (o: OrderView) => string): Case['run'] => (c, o) => c.get(path(o));

const CASES: Case[] = [
  { name: 'GET /api/orders/:id', run: page((o) => `/api/orders/${o.id}`), expect: { anonymous: 401, owner: 200, otherCustomer: 404, seller: 200, otherSeller: 404, admin: 200 } },
  { name: 'PUT /api/orders/:id/status', changes: true, run: (c, o) => c.json('PUT', `/api/orders/${o.id}/status`, { status: 'confirmed' }), expect: { anonymous: 401, owner: 403, otherCustomer: 403, seller: 200, otherSeller: 404, admin: 200 } },
  { name: 'PUT /api/orders/:id/confirm', changes: true, run: (c, o) => c.json('PUT', `/api/orders/${o.id}/confirm`), expect: { anonymous: 401, owner: 403, otherCustomer: 403, seller: 200, otherSeller: 404, admin: 200 } },
  { name: 'PUT /api/orders/:id/ship', changes: true, from: 'confirmed', run: (c, o) => c.json('PUT', `/api/orders/${o.id}/ship`), expect: { anonymous: 401, owner: 403, otherCustomer: 403, seller: 200, otherSeller: 404, admin: 200 } },
  { name: 'DELETE /api/orders/:id', changes: true, run: (c, o) => c.json('DELETE', `/api/orders/${o.id}`), expect: { anonymous: 401, owner: 200, otherCustomer: 404, seller: 403, otherSeller: 403, admin: 200 } },
  { name: 'GET /api/orders/seller', run: page(() => '/api/orders/seller'), expect: { anonymous: 401, owner: 403, otherCustomer: 403, seller: 200, otherSeller: 200, admin: 403 } },
  { name: 'GET /seller/orders/:id', run: page((o) => `/seller/orders/${o.id}`), expect: { anonymous: 303, owner: 403, otherCustomer: 403, seller: 200, otherSeller: 404, admin: 403 } },
  { name: 'GET /seller/orders/:id/row', run: page((o) => `/seller/orders/${o.id}/row`), expect: { anonymous: 303, owner: 403, otherCustomer: 403, seller: 200, otherSeller: 404, admin: 403 } },
  { name: 'POST /seller/orders/:id/status', changes: true, run: (c, o) => c.form(`/seller/orders/${o.id}/status`, { status: 'confirmed' }), expect: { anonymous: 303, owner: 403, otherCustomer: 403, seller: 303, otherSeller: 404, admin: 403 } },
  { name: 'GET /admin/orders/:id', run: page((o) => `/admin/orders/${o.id}`), expect: { anonymous: 303, owner: 403, otherCustomer: 403, seller: 403, otherSeller: 403, admin: 200 } },
  { name: 'POST /admin/orders/:id/parts/:part/status', changes: true, run: (c, o) => c.form(`/admin/orders/${o.id}/parts/${o.sellerOrders[0]!.id}/status`, { status: 'confirmed', reason: 'Phoned the store' }), expect: { anonymous: 303, owner: 403, otherCustomer: 403, seller: 403, otherSeller: 403, admin: 303 } },
  { name: 'GET /admin/orders', run: page((o) => `/admin/orders?q=${o.orderNumber}`), expect: { anonymous: 303, owner: 403, otherCustomer: 403, seller: 403, otherSeller: 403, admin: 200 } },
  { name: 'GET /admin/orders.csv', run: page((o) => `/admin/orders.csv?q=${o.orderNumber}`), expect: { anonymous: 303, owner: 403, otherCustomer: 403, seller: 403, otherSeller: 403, admin: 200 } },
  { name: 'GET /admin/stats', run: page(() => '/admin/stats'), expect: { anonymous: 303, owner: 403, otherCustomer: 403, seller: 403, otherSeller: 403, admin: 200 } },
  { name: 'GET /admin/outbox', run: page(() => '/admin/outbox'), expect: { anonymous: 303, owner: 403, otherCustomer: 403, seller: 403, otherSeller: 403, admin: 200 } },
];

describe('who may do what to an order', () => {
  for (const c of CASES) {
    it(`${c.name}: anonymous, owner, other customer, involved seller, other seller, admin`, async () => {
      const shared = c.changes ? null : await newOrder();
      for (const actor of ACTORS) {
        const order = shared ?? (await newOrder());
        if (c.from) await forceStatus(t.database.orm, order.id, c.from);
        const ids = [stores[0]!.products[0]!.id, stores[1]!.products[0]!.id];
        const before = await snapshot(t.database.orm, order.id, ids);
        const res = await c.run(who[actor], order);
        const body = await res.text();
        expect(res.status, `${actor}: ${body.slice(0, 200)}`).toBe(c.expect[actor]);
        expect(leaks(actor, order, body), actor).toEqual([]);
        if (res.status === 303 && actor === 'anonymous') expect(res.headers.get('location')).toMatch(/^\/login/);
        const after = await snapshot(t.database.orm, order.id, ids);
        const refused = res.status >= 400 || res.headers.get('location')?.startsWith('/login');
        if (refused) expect(after, `${actor} was refused but changed the order`).toEqual(before);
        else if (c.changes) expect(after.events, `${actor} changed nothing`).toBeGreaterThan(before.events);
      }
    });
  }

  it('shows the involved seller only their own part and items', async () => {
    const order = await newOrder();
    const seen = (await (await who.seller.get(`/api/orders/${order.id}`)).json()) as OrderView;
    expect(seen.sellerOrders.map((p) => p.storeName)).toEqual([stores[0]!.store.name]);
    expect(seen.items.map((i) => i.name)).toEqual(['Alpha Anvil']);
    expect(seen.totalAmount).toBe(stores[0]!.products[0]!.price);
    const list = (await (await who.seller.get('/api/orders/seller')).json()) as { orders: { id: number; items: { name: string }[] }[] };
    expect(list.orders.find((o) => o.id === order.id)!.items.map((i) => i.name)).toEqual(['Alpha Anvil']);
    const none = (await (await who.otherSeller.get('/api/orders/seller')).json()) as { orders: unknown[] };
    expect(none.orders).toEqual([]);
  });
});
