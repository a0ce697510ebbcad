import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { apiClient, makeCustomer, makeSeller, signIn } from '../helpers/factories.ts';

let t: TestApp;
let customer: Client;
let seller: Client;
let productId: number;
let orderId: number;
beforeAll(async () => {
  t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '100000' });
  const s = await makeSeller(t.database.orm, [{ stock: 1_000_000 }]);
  productId = s.products[0]!.id;
  customer = await apiClient(t.app, (await makeCustomer(t.database.orm)).email);
  seller = await apiClient(t.app, s.user.email);
  const res = await customer.json('POST', '/api/orders', { items: [{ productId, quantity: 1 }], deliveryAddress: '1 Known Street' });
  orderId = ((await res.json()) as { id: number }).id;
});
afterAll(() => t.close());

const snapshot = () =>
  t.database.sql`select (select count(*)::int from orders) as orders, (select count(*)::int from users) as users,
    (select sum(stock)::int from products) as stock, (select string_agg(status, ',' order by id) from seller_orders) as statuses`.then((r) => r[0]);

const hostile = fc.oneof(
  fc.string(),
  fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'; drop table orders; --", '\u0000', '\u202e', '%00', '{{7*7}}', '${7*7}'),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
);
const anything = fc.oneof(fc.anything(), hostile, fc.integer(), fc.double(), fc.constant(null), fc.array(fc.anything(), { maxLength: 3 }));

function expectErrorShape(body: unknown) {
  expect(body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
}

describe('property: the order API never answers 5xx and never stores anything invalid', () => {
  it('random bodies to POST /api/orders get 201 only when valid, else a 4xx with the error shape', async () => {
    const item = fc.record({ productId: fc.oneof(fc.constant(productId), anything), quantity: fc.oneof(fc.integer({ min: -5, max: 5 }), anything) }, { requiredKeys: [] });
    const body = fc.record(
      { items: fc.oneof(fc.array(item, { maxLength: 3 }), anything), deliveryAddress: fc.oneof(hostile, anything), notes: anything, paymentMethod: fc.oneof(fc.constant('cash_on_delivery'), anything), phone: anything },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await customer.json('POST', '/api/orders', b);
        expect(res.status).toBeLessThan(500);
        const json = await res.json();
        if (res.status === 201) {
          const order = json as { totalAmount: number; items: { quantity: number; price: number }[]; deliveryAddress: string };
          expect(order.items.every((i) => Number.isInteger(i.quantity) && i.quantity > 0)).toBe(true);
          expect(order.deliveryAddress.trim().length).toBeGreaterThanOrEqual(5);
        } else {
          expect([400, 409, 415, 422]).toContain(res.status);
          expectErrorShape(json);
        }
      }),
      { numRuns: 150 },
    );
    const [{ n }] = await t.database.sql<[{ n: number }]>`select count(*)::int as n from products where stock < 0`;
    expect(n).toBe(0);
  });

  it('random raw bodies and content types get 400/413/415, never 5xx, and change nothing', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', ''), async (raw, type) => {
        const res = await customer.request('/api/orders', { method: 'POST', body: raw, headers: type ? { 'content-type': type } : {} });
        // JSON that parses but is no order is a 400 too; anything not JSON is a 415.
        expect(res.status).toBe(type === 'application/json' ? 400 : 415);
        expectErrorShape(await res.json());
      }),
      { numRuns: 100 },
    );
    const big = await customer.request('/api/orders', { method: 'POST', body: JSON.stringify({ items: [{ productId, quantity: 1 }], deliveryAddress: 'x'.repeat(70_000) }), headers: { 'content-type': 'application/json' } });
    expect(big.status).toBe(413);
    expectErrorShape(await big.json());
    expect(await snapshot()).toEqual(before);
  });

  it('random status bodies to PUT /api/orders/:id/status never 5xx; invalid ones change nothing', async () => {
    let state = await snapshot();
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.record({ status: fc.oneof(hostile, anything), reason: anything }, { requiredKeys: [] }), fc.oneof(fc.constant(String(orderId)), fc.string(), fc.constant('-1'), fc.constant('1e309'), fc.constant('99999999999999999999')), async (b, id) => {
        const res = await seller.json('PUT', `/api/orders/${encodeURIComponent(id)}/status`, b);
        expect(res.status).toBeLessThan(500);
        const after = await snapshot();
        if (res.status === 200) {
          state = after; // a valid transition may change statuses and stock; the next ones compare with it
          return;
        }
        refused++;
        expectErrorShape(await res.json());
        // Orders, accounts, stock and every part's status exactly as before the refused request.
        expect(after).toEqual(state);
      }),
      { numRuns: 100 },
    );
    expect(refused).toBeGreaterThan(90);
  });
});

describe('property: the signup form never answers 5xx and never stores an invalid account', () => {
  it('random fields get 303 only for a valid account, else 409/422 with the form, and markup renders as text', async () => {
    const usersBefore = (await snapshot())!.users as number;
    const accepted: { name: string; email: string; phone: string; password: string }[] = [];
    // Hostile fields, and valid accounts among them so that what gets accepted is checked too.
    const valid = fc.record({ name: fc.constantFrom('Ada Lovelace', '  Grace Hopper  ', 'Zoë Ö'), email: fc.uuid().map((u) => `${u}@example.test`), phone: fc.constantFrom('+1 555 0100', '020 7946 0958'), password: fc.string({ minLength: 8, maxLength: 30 }) });
    const fields = fc.oneof(valid, fc.record({ name: hostile, email: fc.oneof(fc.emailAddress(), hostile), phone: fc.oneof(fc.constant('+1 555 0100'), hostile), password: fc.string({ maxLength: 30 }) }));
    await fc.assert(
      fc.asyncProperty(fields, async (submitted) => {
        const res = await new Client(t.app).form('/signup', submitted);
        expect([303, 409, 422]).toContain(res.status);
        if (res.status === 303) accepted.push(submitted);
        else {
          const html = await res.text();
          expect(html).not.toContain('<script>alert(1)</script>');
          expect(html).not.toContain('<img src=x onerror');
        }
      }),
      { numRuns: 80 },
    );
    // What was accepted satisfies the account rules, checked on the submitted fields (a stored hash
    // is long whatever the password was): a name, a password of 8 to 200, a phone of 6 to 20 digits,
    // spaces or dashes; and it is stored as given.
    const broken = accepted.filter(
      (f) =>
        f.name.trim().length === 0 || /\p{Cc}/u.test(f.name.trim()) || f.name.trim().length > 100 || f.password.length < 8 || f.password.length > 200 || !/^\+?[0-9 ()\-.]{6,20}$/.test(f.phone.trim()) || !f.email.includes('@'),
    );
    expect(accepted.length).toBeGreaterThan(0);
    expect(broken).toEqual([]);
    for (const f of accepted) {
      const [row] = await t.database.sql<{ name: string; phone: string }[]>`select name, phone from users where email = ${f.email.trim().toLowerCase()}`;
      expect(row).toEqual({ name: f.name.trim(), phone: f.phone.trim() });
    }
    // Refused sign-ups stored nothing: one account per 303.
    expect((await snapshot())!.users).toBe(usersBefore + accepted.length);
  });
});

describe('property: the checkout form never answers 5xx and never stores an invalid order', () => {
  it('random and adversarial fields get 303 only for a valid order, else 409/422 with the form, markup as text', async () => {
    const buyer = await makeCustomer(t.database.orm);
    const shopper = await signIn(t.app, buyer.email);
    const field = fc.oneof(hostile, fc.string({ maxLength: 600 }), fc.constant(''), fc.constant('   '), fc.constant('x'.repeat(1001)));
    const fields = fc.record(
      { deliveryAddress: fc.oneof(field, fc.constant('42 Valid Road, Testville')), phone: fc.oneof(field, fc.constant('+1 555 0100')), notes: field, paymentMethod: fc.oneof(field, fc.constant('cash_on_delivery')), idempotencyKey: fc.oneof(field, fc.uuid()), [`extra`]: field },
      { requiredKeys: [] },
    );
    let placed = 0;
    await fc.assert(
      fc.asyncProperty(fields, async (f) => {
        expect((await shopper.form('/cart', { productId, quantity: 1 })).status).toBe(303);
        const res = await shopper.form('/checkout', f);
        expect([303, 409, 422]).toContain(res.status);
        const html = await res.text();
        if (res.status === 303) {
          placed++;
          expect(res.headers.get('location')).toMatch(/^\/orders\/\d+$/);
        } else {
          expect(html).toContain('<form');
          expect(html).not.toContain('<script>alert(1)</script>');
          expect(html).not.toContain('<img src=x onerror');
        }
      }),
      { numRuns: 60 },
    );
    expect(placed).toBeGreaterThan(0);
    // Whatever got through is a valid order by the form's rules (lengths as JavaScript counts them, like zod).
    const stored = await t.database.sql<{ address: string; notes: string | null; payment: string; total: number; items: number }[]>`
      select delivery_address as address, notes, payment_method as payment, total_amount as total,
        (select count(*)::int from order_items i where i.order_id = o.id) as items from orders o`;
    const invalid = stored.filter((o) => o.address.trim().length < 5 || o.address.length > 500 || (o.notes ?? '').length > 1000 || o.payment !== 'cash_on_delivery' || o.total <= 0 || o.items === 0);
    expect(invalid).toEqual([]);
    // A refused checkout stored nothing: at most one order per 303 (fewer when a key was sent twice).
    const [{ mine }] = await t.database.sql<[{ mine: number }]>`select count(*)::int as mine from orders where customer_id = ${buyer.id}`;
    expect(mine).toBeGreaterThan(0);
    expect(mine).toBeLessThanOrEqual(placed);
    const [{ n }] = await t.database.sql<[{ n: number }]>`select count(*)::int as n from products where stock < 0`;
    expect(n).toBe(0);
  });
});
