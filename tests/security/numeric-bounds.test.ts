import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import type { Client } from '../helpers/client.ts';
import { makeAdmin, makeCustomer, makeSeller, signIn } from '../helpers/factories.ts';

/**
 * Every route that takes a number (path, query, form or JSON), fed integers up to 2^63 and beyond,
 * fractions, exponents and huge strings: never a 5xx. Ids are bounded by their column's type
 * (int4 for products and stores, bigint for orders and notifications) in one shared zod helper.
 */
let t: TestApp;
let customer: Client;
let seller: Client;
let admin: Client;
let productId: number;
let orderId: number;

beforeAll(async () => {
  t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '100000' });
  const s = await makeSeller(t.database.orm, [{ stock: 1_000_000 }]);
  productId = s.products[0]!.id;
  customer = await signIn(t.app, (await makeCustomer(t.database.orm)).email);
  seller = await signIn(t.app, s.user.email);
  admin = await signIn(t.app, (await makeAdmin(t.database.orm)).email);
  const res = await customer.json('POST', '/api/orders', { items: [{ productId, quantity: 1 }], deliveryAddress: '1 Known Street' });
  orderId = ((await res.json()) as { id: number }).id;
});
afterAll(() => t.close());

/** Text that a number parameter may carry: digits of any size, signs, fractions, exponents, junk. */
const numberText = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('2147483647', '2147483648', '4294967296', '9007199254740991', '9007199254740992', '9223372036854775807', '9223372036854775808', '18446744073709551616'),
  fc.constantFrom('0', '-1', '1.5', '0.0001', '1e3', '1e309', '-0', '0x10', 'NaN', 'Infinity', ' 7', '7 ', '07', '1_000', ''),
  fc.double().map(String),
  fc.string({ maxLength: 30 }),
  fc.nat({ max: 5000 }).map((n) => '9'.repeat(n)),
);
/** The same as JSON values: numbers past 2^53 and 2^63, fractions, and the text forms. */
const numberJson = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(Number),
  fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 53, 2 ** 63, 2 ** 64, 1.5, -1, 0, 1e308),
  fc.double({ noNaN: true }),
  numberText,
);

type Probe = (n: string) => Promise<Response>;
const q = encodeURIComponent;

/** route -> how to send a number into each of its numeric parameters. */
const ROUTES: Record<string, Probe> = {
  'GET /?store': (n) => customer.get(`/?store=${q(n)}`),
  'GET /api/products?store': (n) => customer.get(`/api/products?store=${q(n)}`),
  'POST /cart productId': (n) => customer.form('/cart', { productId: n, quantity: 1 }),
  'POST /cart quantity': (n) => customer.form('/cart', { productId, quantity: n }),
  'POST /cart/:productId': (n) => customer.form(`/cart/${q(n)}`, { quantity: 1 }),
  'POST /cart/:productId quantity': (n) => customer.form(`/cart/${productId}`, { quantity: n }),
  'POST /cart/:productId/remove': (n) => customer.form(`/cart/${q(n)}/remove`, {}),
  'GET /orders?cursor': (n) => customer.get(`/orders?cursor=${q(n)}`),
  'GET /orders?limit': (n) => customer.get(`/orders?limit=${q(n)}`),
  'GET /orders/:id': (n) => customer.get(`/orders/${q(n)}`),
  'GET /orders/:id/cancel': (n) => customer.get(`/orders/${q(n)}/cancel`),
  'POST /orders/:id/cancel': (n) => customer.form(`/orders/${q(n)}/cancel`, {}),
  'GET /seller?cursor': (n) => seller.get(`/seller?cursor=${q(n)}`),
  'GET /seller?limit': (n) => seller.get(`/seller?limit=${q(n)}`),
  'GET /seller/orders/:id': (n) => seller.get(`/seller/orders/${q(n)}`),
  'GET /seller/orders/:id/row': (n) => seller.get(`/seller/orders/${q(n)}/row`),
  'GET /seller/orders/:id/cancel': (n) => seller.get(`/seller/orders/${q(n)}/cancel`),
  'POST /seller/orders/:id/status': (n) => seller.form(`/seller/orders/${q(n)}/status`, { status: 'pending' }),
  'POST /seller/bulk ids': (n) => seller.form('/seller/bulk', { status: 'confirmed', ids: [n, String(orderId)] }),
  'GET /admin/orders?store': (n) => admin.get(`/admin/orders?store=${q(n)}`),
  'GET /admin/orders?cursor': (n) => admin.get(`/admin/orders?cursor=${q(n)}`),
  'GET /admin/orders?cursor&sort=oldest': (n) => admin.get(`/admin/orders?sort=oldest&cursor=${q(n)}`),
  'GET /admin/orders?cursor&sort=total': (n) => admin.get(`/admin/orders?sort=total&cursor=${q(n)}.${q(n)}`),
  'GET /admin/orders?before': (n) => admin.get(`/admin/orders?before=${q(n)}`),
  'GET /admin/orders?before&sort=oldest': (n) => admin.get(`/admin/orders?sort=oldest&before=${q(n)}`),
  'GET /admin/orders?before&sort=total': (n) => admin.get(`/admin/orders?sort=total&before=${q(n)}.${q(n)}`),
  'GET /admin/orders.csv?store': (n) => admin.get(`/admin/orders.csv?store=${q(n)}`),
  'GET /admin/orders/:id': (n) => admin.get(`/admin/orders/${q(n)}`),
  'POST /admin/orders/:id/parts/:partId/status': (n) => admin.form(`/admin/orders/${orderId}/parts/${q(n)}/status`, { status: 'pending', reason: 'Checking bounds' }),
  'GET /admin/outbox?cursor': (n) => admin.get(`/admin/outbox?cursor=${q(n)}`),
  'POST /notifications/read upTo': (n) => seller.form('/notifications/read', { upTo: n }),
  'GET /api/orders?cursor': (n) => customer.get(`/api/orders?cursor=${q(n)}`),
  'GET /api/orders?limit': (n) => customer.get(`/api/orders?limit=${q(n)}`),
  'GET /api/orders/seller?cursor': (n) => seller.get(`/api/orders/seller?cursor=${q(n)}`),
  'GET /api/orders/:id': (n) => customer.get(`/api/orders/${q(n)}`),
  'PUT /api/orders/:id/status': (n) => seller.json('PUT', `/api/orders/${q(n)}/status`, { status: 'pending' }),
  'PUT /api/orders/:id/confirm': (n) => seller.json('PUT', `/api/orders/${q(n)}/confirm`),
  'PUT /api/orders/:id/ship': (n) => seller.json('PUT', `/api/orders/${q(n)}/ship`),
  'DELETE /api/orders/:id': (n) => admin.json('DELETE', `/api/orders/${q(n)}`),
  'GET /api/events?after': (n) => seller.get(`/api/events?after=${q(n)}`),
  'GET /events?after': (n) => seller.get(`/events?after=${q(n)}`),
};

/** JSON bodies, where numbers arrive as numbers. */
const JSON_ROUTES: Record<string, (n: unknown) => Promise<Response>> = {
  'POST /api/orders items[].productId': (n) => customer.json('POST', '/api/orders', { items: [{ productId: n, quantity: 1 }], deliveryAddress: '1 Bound Street' }),
  'POST /api/orders items[].quantity': (n) => customer.json('POST', '/api/orders', { items: [{ productId, quantity: n }], deliveryAddress: '1 Bound Street' }),
  'POST /api/notifications/read upTo': (n) => seller.json('POST', '/api/notifications/read', { upTo: n }),
};

async function settle(res: Response) {
  // A stream that opened is closed again; everything else is read whole.
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) await res.body?.cancel();
  else await res.text();
  return res.status;
}

describe('property: numeric parameters of every route never give a 5xx', () => {
  for (const [route, probe] of Object.entries(ROUTES)) {
    it(route, async () => {
      await fc.assert(
        fc.asyncProperty(numberText, async (n) => {
          expect(await settle(await probe(n)), `${route} with ${JSON.stringify(n.slice(0, 40))}`).toBeLessThan(500);
        }),
        { numRuns: 25 },
      );
    });
  }
  for (const [route, probe] of Object.entries(JSON_ROUTES)) {
    it(route, async () => {
      await fc.assert(
        fc.asyncProperty(numberJson, async (n) => {
          expect(await settle(await probe(n)), `${route} with ${String(n).slice(0, 40)}`).toBeLessThan(500);
        }),
        { numRuns: 50 },
      );
    });
  }
});

describe('the inputs that gave a 500 before', () => {
  it('a productId beyond 32 bits in an order body is a 400 naming the field', async () => {
    for (const id of [2 ** 31, 2 ** 32, 2 ** 53 + 2, 2 ** 63]) {
      const res = await customer.json('POST', '/api/orders', { items: [{ productId: id, quantity: 1 }], deliveryAddress: '1 Bound Street' });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid', fields: { 'items.0.productId': expect.stringContaining('Unknown product') } } });
    }
  });

  it('admin filters with a store id beyond 32 bits or a fractional cursor are a 422 with the field message', async () => {
    for (const query of ['store=4294967296', 'store=9223372036854775808', 'cursor=1.5', 'sort=oldest&cursor=0.5', 'sort=total&cursor=99999999999999.1', 'cursor=0']) {
      const res = await admin.get(`/admin/orders?${query}`);
      expect(res.status, query).toBe(422);
      expect(await res.text(), query).toMatch(/No store is called|That page link is broken/);
    }
    expect((await admin.get('/admin/orders?sort=total&cursor=1000.1')).status).toBe(200);
  });

  it('a cursor past 2^63 on the order lists is a 4xx', async () => {
    expect((await customer.get('/api/orders?cursor=9223372036854775808')).status).toBe(400);
    expect((await seller.get('/api/orders/seller?cursor=18446744073709551616')).status).toBe(400);
    expect((await customer.get('/orders?cursor=9223372036854775808')).status).toBe(422);
  });
});
