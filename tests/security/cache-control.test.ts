import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { PASSWORD, apiClient, makeAdmin, makeCustomer, makeSeller, signIn } from '../helpers/factories.ts';

/** Personal answers carry Cache-Control: no-store, so no shared cache or back button shows them to the next person. */
let t: TestApp;
let customer: Client;
let customerApi: Client;
let seller: Client;
let sellerApi: Client;
let admin: Client;
let orderId: number;
let customerEmail: string;

beforeAll(async () => {
  t = await testApp();
  const s = await makeSeller(t.database.orm);
  customerEmail = (await makeCustomer(t.database.orm)).email;
  customer = await signIn(t.app, customerEmail);
  customerApi = await apiClient(t.app, customerEmail);
  seller = await signIn(t.app, s.user.email);
  sellerApi = await apiClient(t.app, s.user.email);
  admin = await signIn(t.app, (await makeAdmin(t.database.orm)).email);
  const res = await customerApi.json('POST', '/api/orders', { items: [{ productId: s.products[0]!.id, quantity: 1 }], deliveryAddress: '3 Private Road' });
  orderId = ((await res.json()) as { id: number }).id;
});
afterAll(() => t.close());

const expectNoStore = async (res: Response, what: string) => {
  expect(res.status, what).toBeLessThan(500);
  expect(res.headers.get('cache-control'), what).toContain('no-store');
  await res.body?.cancel();
};

describe('Cache-Control: no-store', () => {
  it('on every signed-in page', async () => {
    const pages: [Client, string][] = [
      [customer, '/'],
      [customer, '/cart'],
      [customer, '/checkout'],
      [customer, '/orders'],
      [customer, `/orders/${orderId}`],
      [customer, `/orders/${orderId}/cancel`],
      [customer, '/login'],
      [customer, '/nowhere'],
      [seller, '/seller'],
      [seller, `/seller/orders/${orderId}`],
      [seller, `/seller/orders/${orderId}/row`],
      [admin, '/admin/orders'],
      [admin, '/admin/orders.csv'],
      [admin, `/admin/orders/${orderId}`],
      [admin, '/admin/stats'],
      [admin, '/admin/outbox'],
      [seller, '/events'],
    ];
    for (const [client, path] of pages) await expectNoStore(await client.get(path), path);
  });

  it('on API answers with personal data, errors included, and on the answer that hands out a session', async () => {
    await expectNoStore(await customerApi.get('/api/orders'), 'GET /api/orders');
    await expectNoStore(await customerApi.get(`/api/orders/${orderId}`), 'GET /api/orders/:id');
    await expectNoStore(await sellerApi.get('/api/orders/seller'), 'GET /api/orders/seller');
    await expectNoStore(await sellerApi.get('/api/orders/999999'), '404');
    await expectNoStore(await new Client(t.app).get('/api/orders'), '401');
    await expectNoStore(await sellerApi.json('POST', '/api/notifications/read', { upTo: 1 }), 'POST /api/notifications/read');
    await expectNoStore(await new Client(t.app).json('POST', '/api/session', { email: customerEmail, password: PASSWORD }), 'POST /api/session');
    await expectNoStore(await sellerApi.get('/api/events'), 'GET /api/events');
  });

  it('on the redirect that sets the session cookie at sign-in', async () => {
    const res = await new Client(t.app).form('/login', { email: customerEmail, password: PASSWORD });
    expect(res.status).toBe(303);
    await expectNoStore(res, 'POST /login');
  });

  it('not on public, impersonal answers: the catalog API for visitors and static files', async () => {
    expect((await new Client(t.app).get('/api/products')).headers.get('cache-control')).toBeNull();
    for (const client of [new Client(t.app), customer]) {
      const res = await client.get('/public/css/base.css');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control') ?? '').not.toContain('no-store');
    }
  });
});
