import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELLER_ORDER_STATUSES, type Status } from '../../../src/db/schema.ts';
import type { OrderSummary, OrderView } from '../../../src/orders/queries.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import type { Client } from '../../helpers/client.ts';
import { csvRows } from '../../helpers/csv.ts';
import { text } from '../../helpers/html.ts';
import { apiClient, makeAdmin, makeCustomer, makeSeller, signIn } from '../../helpers/factories.ts';
import { place } from './fixtures.ts';

// Split orders over two stores, moved by the real API as the stores and the customer would:
//   delivered: A delivered, B pending          cancelledPart: A pending, B cancelled
//   allCancelled: A and B cancelled (customer)  shipped: A shipped, B confirmed
//   aOnly: A only, shipped                      even: A and B both confirmed
let t: TestApp;
let A: Awaited<ReturnType<typeof makeSeller>>;
let B: Awaited<ReturnType<typeof makeSeller>>;
let customer: Client;
let customerPages: Client;
let admin: Client;
let sellerA: Client;
let sellerAPages: Client;
let sellerB: Client;
const o: Record<string, OrderView> = {};
const PRICE_A = 1000;
const PRICE_B = 2500;

async function move(seller: Client, orderId: number, ...steps: Status[]) {
  for (const status of steps) {
    const res = await seller.json('PUT', `/api/orders/${orderId}/status`, { status });
    if (res.status !== 200) throw new Error(`${status}: ${res.status} ${await res.text()}`);
  }
}

const numbersIn = (html: string) => [...html.matchAll(/<a href="\/admin\/orders\/\d+">(OB-[0-9A-F]{8})<\/a>/g)].map((m) => m[1]!).sort();
const adminList = async (query: string) => numbersIn(await (await admin.get(`/admin/orders?${query}`)).text());

/** Order numbers with a part in this status (of this store), counted straight from the table. */
async function direct(status: Status, storeId?: number) {
  const rows = await t.database.sql<{ orderNumber: string }[]>`
    select distinct o.order_number as "orderNumber" from orders o join seller_orders so on so.order_id = o.id
    where so.status = ${status} ${storeId ? t.database.sql`and so.seller_id = ${storeId}` : t.database.sql``}`;
  return rows.map((r) => r.orderNumber).sort();
}

beforeAll(async () => {
  t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '100000' });
  const db = t.database.orm;
  A = await makeSeller(db, [{ price: PRICE_A, stock: 100 }]);
  B = await makeSeller(db, [{ price: PRICE_B, stock: 100 }]);
  const c = await makeCustomer(db);
  customer = await apiClient(t.app, c.email);
  customerPages = await signIn(t.app, c.email);
  admin = await apiClient(t.app, (await makeAdmin(db)).email);
  sellerA = await apiClient(t.app, A.user.email);
  sellerAPages = await signIn(t.app, A.user.email);
  sellerB = await apiClient(t.app, B.user.email);
  const both = [{ productId: A.products[0]!.id, quantity: 1 }, { productId: B.products[0]!.id, quantity: 1 }];
  for (const key of ['delivered', 'cancelledPart', 'allCancelled', 'shipped', 'even']) o[key] = await place(customer, both);
  o.aOnly = await place(customer, [{ productId: A.products[0]!.id, quantity: 2 }]);
  await move(sellerA, o.delivered!.id, 'confirmed', 'shipped', 'delivered');
  await move(sellerB, o.cancelledPart!.id, 'cancelled');
  expect((await customer.json('DELETE', `/api/orders/${o.allCancelled!.id}`)).status).toBe(200);
  await move(sellerA, o.shipped!.id, 'confirmed', 'shipped');
  await move(sellerB, o.shipped!.id, 'confirmed');
  await move(sellerA, o.aOnly!.id, 'confirmed', 'shipped');
  await move(sellerA, o.even!.id, 'confirmed');
  await move(sellerB, o.even!.id, 'confirmed');
});
afterAll(() => t.close());

describe('amount due', () => {
  it('is the parts that are not cancelled, in the API beside the total', async () => {
    const get = async (k: string) => (await (await customer.get(`/api/orders/${o[k]!.id}`)).json()) as OrderView;
    expect(await get('delivered')).toMatchObject({ totalAmount: PRICE_A + PRICE_B, amountDue: PRICE_A + PRICE_B });
    expect(await get('cancelledPart')).toMatchObject({ totalAmount: PRICE_A + PRICE_B, amountDue: PRICE_A });
    expect(await get('allCancelled')).toMatchObject({ status: 'cancelled', totalAmount: PRICE_A + PRICE_B, amountDue: 0 });
    const list = (await (await customer.get('/api/orders')).json()) as { orders: OrderSummary[] };
    const byId = new Map(list.orders.map((r) => [r.id, r]));
    expect(byId.get(o.cancelledPart!.id)).toMatchObject({ totalAmount: 3500, amountDue: 1000 });
    expect(byId.get(o.allCancelled!.id)).toMatchObject({ amountDue: 0 });
  });

  it("is what the customer's order page and list say they pay", async () => {
    const page = text(await (await customerPages.get(`/orders/${o.cancelledPart!.id}`)).text());
    expect(page).toContain('To pay on delivery $10.00');
    expect(page).toContain('Ordered $35.00');
    const list = await (await customerPages.get('/orders')).text();
    const row = text(list.split('<tr>').find((r) => r.includes(o.cancelledPart!.orderNumber))!);
    expect(row).toContain('$10.00 (ordered $35.00 )');
  });

  it('is nothing, with no estimated delivery, once every part is cancelled', async () => {
    const page = text(await (await customerPages.get(`/orders/${o.allCancelled!.id}`)).text());
    expect(page).toContain('Nothing to pay');
    expect(page).not.toMatch(/estimated delivery/i);
    expect(page).not.toContain('To pay on delivery');
    const adminPage = text(await (await admin.get(`/admin/orders/${o.allCancelled!.id}`)).text());
    expect(adminPage).toContain('To pay on delivery Nothing to pay');
    expect(adminPage).toContain('Estimated delivery None: the order is cancelled');
  });

  it('has its own CSV column', async () => {
    const [header, ...csv] = await csvRows(await admin.get('/admin/orders.csv'));
    const due = header!.indexOf('Amount due');
    const total = header!.indexOf('Total');
    const row = (k: string) => csv.find((r) => r[0] === o[k]!.orderNumber)!;
    expect([row('cancelledPart')[total], row('cancelledPart')[due]]).toEqual(['35.00', '10.00']);
    expect([row('allCancelled')[total], row('allCancelled')[due]]).toEqual(['35.00', '0.00']);
    expect(row('delivered')[due]).toBe('35.00');
  });
});

describe("a split order's status", () => {
  it('shows its progress on the customer list, the order header, the admin list and the admin order', async () => {
    const progress = 'Pending · 1 of 2 stores delivered';
    const list = await (await customerPages.get('/orders')).text();
    expect(text(list.split('<tr>').find((r) => r.includes(o.delivered!.orderNumber))!)).toContain(progress);
    expect(text(await (await customerPages.get(`/orders/${o.delivered!.id}`)).text())).toContain(progress);
    const adminRows = (await (await admin.get('/admin/orders')).text()).split('<tr>');
    expect(text(adminRows.find((r) => r.includes(o.delivered!.orderNumber))!)).toContain(progress);
    expect(text(adminRows.find((r) => r.includes(o.cancelledPart!.orderNumber))!)).toContain('Pending · 1 of 2 stores cancelled');
    expect(text(adminRows.find((r) => r.includes(o.shipped!.orderNumber))!)).toContain('Confirmed · 1 of 2 stores shipped');
    // Parts that agree need no progress.
    expect(text(adminRows.find((r) => r.includes(o.even!.orderNumber))!)).not.toContain('of 2 stores');
    expect(text(await (await admin.get(`/admin/orders/${o.delivered!.id}`)).text())).toContain(progress);
  });

  it("lists each store's part status in the CSV", async () => {
    const [header, row] = await csvRows(await admin.get(`/admin/orders.csv?q=${o.delivered!.orderNumber}`));
    expect(row![header!.indexOf('Status')]).toBe('pending');
    expect(row![header!.indexOf('Store statuses')]).toBe([`${A.store.name}: delivered`, `${B.store.name}: pending`].sort().join('; '));
  });
});

describe('the admin status filter', () => {
  it("with a store, finds that store's parts in the status, as a direct count does", async () => {
    for (const store of [A.store.id, B.store.id]) {
      for (const status of SELLER_ORDER_STATUSES) {
        expect(await adminList(`status=${status}&store=${store}`), `${status} at store ${store}`).toEqual(await direct(status, store));
      }
    }
    expect(await adminList(`status=cancelled&store=${B.store.id}`)).toEqual([o.cancelledPart!.orderNumber, o.allCancelled!.orderNumber].sort());
  });

  it("with a store, agrees with that seller's own tab counts", async () => {
    const html = await (await sellerAPages.get('/seller')).text();
    for (const status of SELLER_ORDER_STATUSES) {
      const tab = html.match(new RegExp(`href="/seller\\?status=${status}"[^>]*>[^<]*<span class="count">(\\d+)</span>`))?.[1];
      expect((await adminList(`status=${status}&store=${A.store.id}`)).length, status).toBe(Number(tab));
    }
  });

  it('without a store, finds orders with any part in the status', async () => {
    for (const status of SELLER_ORDER_STATUSES) expect(await adminList(`status=${status}`), status).toEqual(await direct(status));
    expect(await adminList('status=delivered')).toEqual([o.delivered!.orderNumber]);
  });

  it('exports the same orders as it lists', async () => {
    const [, ...csv] = await csvRows(await admin.get('/admin/orders.csv?status=shipped'));
    expect(csv.map((r) => r[0]).sort()).toEqual(await direct('shipped'));
  });
});
