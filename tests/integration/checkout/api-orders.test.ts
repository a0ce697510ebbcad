import { eq, inArray, sql as dsql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cartItems, orders, products } from '../../../src/db/schema.ts';
import type { OrderView } from '../../../src/orders/queries.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import type { Client } from '../../helpers/client.ts';
import { apiClient, makeCustomer, makeSeller } from '../../helpers/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(() => t.close());

const address = '7 Mill Lane, Bristol BS1 4AA';
const customer = async () => apiClient(t.app, (await makeCustomer(t.database.orm)).email);
const stockOf = async (id: number) => (await t.database.orm.select().from(products).where(eq(products.id, id)))[0]!.stock;

describe('POST /api/orders', () => {
  it('splits two stores into two seller orders with their subtotals, and ignores client prices', async () => {
    const a = await makeSeller(t.database.orm, [{ price: 1999, stock: 4 }]);
    const b = await makeSeller(t.database.orm, [{ price: 350, stock: 9 }, { price: 120, stock: 9 }]);
    const res = await (await customer()).json('POST', '/api/orders', {
      items: [
        { productId: a.products[0]!.id, quantity: 2, price: 1, name: 'cheap' },
        { productId: b.products[0]!.id, quantity: 3, price: 0 },
        { productId: b.products[1]!.id, quantity: 1 },
        { productId: b.products[0]!.id, quantity: 1 },
      ],
      deliveryAddress: address,
      totalAmount: 1,
    });
    expect(res.status).toBe(201);
    const order = (await res.json()) as OrderView;
    expect(order.totalAmount).toBe(2 * 1999 + 4 * 350 + 120);
    const parts = Object.fromEntries(order.sellerOrders.map((p) => [p.sellerId, p.subtotal]));
    expect(parts).toEqual({ [a.store.id]: 3998, [b.store.id]: 1520 });
    expect(order.items.find((i) => i.productId === b.products[0]!.id)).toMatchObject({ quantity: 4, price: 350, subtotal: 1400 });
    expect(order.items.find((i) => i.productId === a.products[0]!.id)).toMatchObject({ name: a.products[0]!.name, price: 1999 });
    expect([await stockOf(a.products[0]!.id), await stockOf(b.products[0]!.id), await stockOf(b.products[1]!.id)]).toEqual([2, 5, 8]);
  });

  it('answers with the order exactly as GET /api/orders/:id shows it, byte for byte, for a new and for a replayed order', async () => {
    // The POST answers from the placing statement's own rows (decision 017): this holds it to the GET's contract.
    const a = await makeSeller(t.database.orm, [{ price: 1250, stock: 9 }, { price: 99, stock: 9 }]);
    const b = await makeSeller(t.database.orm, [{ price: 4000, stock: 9 }]);
    const c = await customer();
    const body = {
      items: [{ productId: b.products[0]!.id, quantity: 1 }, { productId: a.products[1]!.id, quantity: 3 }, { productId: a.products[0]!.id, quantity: 2 }],
      deliveryAddress: address,
      phone: '+44 117 496 0123',
      notes: 'Leave with "the neighbour" <next door>',
    };
    const placed = await c.json('POST', '/api/orders', body, { 'idempotency-key': 'same-as-get-789' });
    expect(placed.status).toBe(201);
    const sent = await placed.text();
    const { id } = JSON.parse(sent) as OrderView;
    expect(sent).toBe(await (await c.get(`/api/orders/${id}`)).text());
    const replayed = await c.json('POST', '/api/orders', body, { 'idempotency-key': 'same-as-get-789' });
    expect(replayed.status).toBe(200);
    expect(await replayed.text()).toBe(sent);
  });

  it('gives the last three units to exactly three of ten concurrent buyers; the others get 409 naming the product', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 3, name: 'Copper Kettle' }]);
    const buyers = await Promise.all(Array.from({ length: 10 }, customer));
    const results = await Promise.all(
      buyers.map((c) => c.json('POST', '/api/orders', { items: [{ productId: s.products[0]!.id, quantity: 1 }], deliveryAddress: address })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.map((r) => r.status)).toEqual(Array(7).fill(409));
    for (const r of refused) {
      const body = (await r.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('conflict');
      expect(body.error.message).toContain('Copper Kettle');
    }
    expect(await stockOf(s.products[0]!.id)).toBe(0);
    const placed = await t.database.orm.execute<{ n: number }>(
      dsql`select count(distinct order_id)::int as n from order_items where product_id = ${s.products[0]!.id}`,
    );
    expect(placed[0]!.n).toBe(3);
  });

  it('returns the first order for a repeated Idempotency-Key, taking stock once', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 6 }]);
    const c = await customer();
    const body = { items: [{ productId: s.products[0]!.id, quantity: 2 }], deliveryAddress: address };
    const first = await c.json('POST', '/api/orders', body, { 'idempotency-key': 'repeat-me-123' });
    const again = await c.json('POST', '/api/orders', body, { 'idempotency-key': 'repeat-me-123' });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as OrderView).id).toBe(((await first.json()) as OrderView).id);
    expect(await stockOf(s.products[0]!.id)).toBe(4);
    const other = await c.json('POST', '/api/orders', body, { 'idempotency-key': 'another-key-456' });
    expect(other.status).toBe(201);
    expect(await stockOf(s.products[0]!.id)).toBe(2);
  });

  it('hides another customer\'s order behind 404 and lists only one\'s own orders, newest first, by cursor', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 50 }]);
    const owner = await customer();
    const stranger = await customer();
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await owner.json('POST', '/api/orders', { items: [{ productId: s.products[0]!.id, quantity: 1 }], deliveryAddress: address });
      ids.push(((await res.json()) as OrderView).id);
    }
    const peek = await stranger.get(`/api/orders/${ids[0]}`);
    expect(peek.status).toBe(404);
    expect(JSON.stringify(await peek.json())).not.toContain(address);
    expect(((await (await stranger.get('/api/orders')).json()) as { orders: unknown[] }).orders).toEqual([]);
    const first = (await (await owner.get('/api/orders?limit=2')).json()) as { orders: { id: number }[]; nextCursor: number };
    expect(first.orders.map((o) => o.id)).toEqual([ids[2], ids[1]]);
    const rest = (await (await owner.get(`/api/orders?limit=2&cursor=${first.nextCursor}`)).json()) as { orders: { id: number }[]; nextCursor: null };
    expect(rest.orders.map((o) => o.id)).toEqual([ids[0]]);
    expect(rest.nextCursor).toBeNull();
  });
});

describe('bad input to POST /api/orders changes nothing', () => {
  let buyer: Client;
  let buyerId: string;
  let good: number;
  let retired: number;
  beforeAll(async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 5, name: 'Tin Whistle' }, { stock: 5, active: false }]);
    [good, retired] = [s.products[0]!.id, s.products[1]!.id];
    const user = await makeCustomer(t.database.orm);
    buyerId = user.id;
    buyer = await apiClient(t.app, user.email);
    await t.database.orm.insert(cartItems).values({ userId: buyerId, productId: good, quantity: 2 });
  });

  const snapshot = async () => ({
    orders: (await t.database.orm.select().from(orders).where(eq(orders.customerId, buyerId))).length,
    stock: (await t.database.orm.select().from(products).where(inArray(products.id, [good, retired]))).map((p) => p.stock),
    cart: await t.database.orm.select().from(cartItems).where(eq(cartItems.userId, buyerId)),
  });

  type Case = [string, number, () => unknown, string?];
  const line = (over: Record<string, unknown> = {}) => ({ productId: good, quantity: 1, ...over });
  const order = (over: Record<string, unknown> = {}) => ({ items: [line()], deliveryAddress: address, ...over });
  const cases: Case[] = [
    ['missing items', 400, () => ({ deliveryAddress: address }), 'items'],
    ['empty items', 400, () => order({ items: [] }), 'items'],
    ['items not a list', 400, () => order({ items: 'all of it' }), 'items'],
    ['items null', 400, () => order({ items: null }), 'items'],
    ['quantity 0', 400, () => order({ items: [line({ quantity: 0 })] }), 'items.0.quantity'],
    ['quantity -1', 400, () => order({ items: [line({ quantity: -1 })] }), 'items.0.quantity'],
    ['quantity 1.5', 400, () => order({ items: [line({ quantity: 1.5 })] }), 'items.0.quantity'],
    ['quantity "2" as text', 400, () => order({ items: [line({ quantity: '2' })] }), 'items.0.quantity'],
    ['quantity 10^9', 400, () => order({ items: [line({ quantity: 1e9 })] }), 'items.0.quantity'],
    ['quantity missing', 400, () => order({ items: [{ productId: good }] }), 'items.0.quantity'],
    ['unknown product', 400, () => order({ items: [line({ productId: 987654 })] }), 'items.0.productId'],
    ['inactive product', 400, () => order({ items: [line({ productId: retired })] }), 'items.0.productId'],
    ['product id as text', 400, () => order({ items: [line({ productId: 'abc' })] }), 'items.0.productId'],
    ['product id negative', 400, () => order({ items: [line({ productId: -4 })] }), 'items.0.productId'],
    ['more than 100 lines', 400, () => order({ items: Array.from({ length: 101 }, () => line()) }), 'items'],
    ['missing address', 400, () => ({ items: [line()] }), 'deliveryAddress'],
    ['blank address', 400, () => order({ deliveryAddress: '      ' }), 'deliveryAddress'],
    ['address too short', 400, () => order({ deliveryAddress: 'abc' }), 'deliveryAddress'],
    ['address over 500 characters', 400, () => order({ deliveryAddress: 'x'.repeat(501) }), 'deliveryAddress'],
    ['control character in address', 400, () => order({ deliveryAddress: '12 Road\u0000 Town' }), 'deliveryAddress'],
    ['escape character in address', 400, () => order({ deliveryAddress: '12 Road \u001b[31m Town' }), 'deliveryAddress'],
    ['address as a number', 400, () => order({ deliveryAddress: 123456 }), 'deliveryAddress'],
    ['notes over 1,000 characters', 400, () => order({ notes: 'n'.repeat(1001) }), 'notes'],
    ['notes as a list', 400, () => order({ notes: ['x'] }), 'notes'],
    ['unknown payment method', 400, () => order({ paymentMethod: 'credit_card' }), 'paymentMethod'],
    ['invalid phone', 400, () => order({ phone: 'call me' }), 'phone'],
    ['unknown top-level field', 400, () => order({ coupon: 'FREE' }), '_'],
    ['unknown field in a line', 400, () => order({ items: [line({ discount: 50 })] }), 'items.0'],
    ['body is a list', 400, () => [order()], '_'],
    ['body is null', 400, () => null, '_'],
    ['more than the stock', 409, () => order({ items: [line({ quantity: 6 })] }), 'items'],
    ['duplicate lines together over the stock', 409, () => order({ items: [line({ quantity: 3 }), line({ quantity: 3 })] }), 'items'],
  ];

  it.each(cases)('%s -> %i', async (_name, status, body, field) => {
    const before = await snapshot();
    const res = await buyer.json('POST', '/api/orders', body());
    expect(res.status).toBe(status);
    const { error } = (await res.json()) as { error: { code: string; message: string; fields?: Record<string, string> } };
    expect(error.code).toBe(status === 409 ? 'conflict' : 'invalid');
    expect(error.message.length).toBeGreaterThan(5);
    if (field) expect(Object.keys(error.fields ?? {}).some((k) => k === field || k.startsWith(`${field}.`))).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  const raw: [string, number, string, RequestInit & { headers: Record<string, string> }][] = [
    ['malformed JSON', 400, 'invalid', { body: '{"items": [', headers: { 'content-type': 'application/json' } }],
    ['form-encoded body', 415, 'unsupported_media_type', { body: 'items=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
    ['no content type', 415, 'unsupported_media_type', { body: JSON.stringify(order()), headers: {} }],
    ['body over 64 KiB', 413, 'payload_too_large', { body: JSON.stringify(order({ notes: 'x'.repeat(70_000) })), headers: { 'content-type': 'application/json' } }],
    ['Idempotency-Key too short', 400, 'invalid', { body: JSON.stringify(order()), headers: { 'content-type': 'application/json', 'idempotency-key': 'abc' } }],
  ];

  it.each(raw)('%s -> %i', async (_name, status, code, init) => {
    const before = await snapshot();
    const res = await buyer.request('/api/orders', { method: 'POST', ...init });
    expect(res.status).toBe(status);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(5);
    expect(await snapshot()).toEqual(before);
  });

  it('still accepts a good order afterwards (the table above was refused for its input, not the setup)', async () => {
    const res = await buyer.json('POST', '/api/orders', order());
    expect(res.status).toBe(201);
    expect(await stockOf(good)).toBe(4);
  });
});
