import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, orderEvents } from '../../src/db/schema.ts';
import { testApp, type TestApp } from '../helpers/app.ts';
import type { Client } from '../helpers/client.ts';
import { apiClient, makeCustomer, makeSeller, signIn } from '../helpers/factories.ts';

/**
 * Opening an order marks it seen and read only on the user's own navigation (Sec-Fetch-Site
 * same-origin or none). A link on another site shows the page and changes nothing: it used to mark
 * the order seen and read, which also stopped the email that tells a store about an unseen order.
 */
let t: TestApp;
let seller: Client;
let sellerId: string;
let customer: Client;
let customerApi: Client;
let productId: number;

beforeAll(async () => {
  t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '1000' });
  const s = await makeSeller(t.database.orm);
  productId = s.products[0]!.id;
  sellerId = s.user.id;
  seller = await signIn(t.app, s.user.email);
  const c = await makeCustomer(t.database.orm);
  customer = await signIn(t.app, c.email);
  customerApi = await apiClient(t.app, c.email);
});
afterAll(() => t.close());

/**
 * An order the seller has a new-order notification of. Confirmed: the customer hears about status
 * changes, so they have one too, and the seller's own change acknowledges theirs (decision 015).
 */
async function newOrder({ confirmed }: { confirmed: boolean }) {
  const res = await customerApi.json('POST', '/api/orders', { items: [{ productId, quantity: 1 }], deliveryAddress: '9 Link Lane' });
  const id = ((await res.json()) as { id: number }).id;
  if (confirmed) expect((await seller.request(`/seller/orders/${id}/status`, { method: 'POST', body: 'status=confirmed', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(303);
  return id;
}

const unread = async (userId: string, orderId: number) =>
  (await t.database.orm.select().from(notifications).where(and(eq(notifications.recipientId, userId), eq(notifications.orderId, orderId)))).filter((n) => n.readAt === null).length;
const seenEvents = async (orderId: number) =>
  (await t.database.orm.select().from(orderEvents).where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'seen')))).length;

const CROSS_SITE: Record<string, string>[] = [
  { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' },
  { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate' },
  // A browser without Fetch Metadata, following a link on another site that sent its address.
  { referer: 'https://evil.example/page' },
];
const OWN: Record<string, string>[] = [{ 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none' }];

describe('a cross-site GET shows the order and changes nothing', () => {
  it('seller order page: not seen, not read', async () => {
    for (const headers of CROSS_SITE) {
      const id = await newOrder({ confirmed: false });
      const sellerUnread = await unread(sellerId, id);
      expect(sellerUnread).toBeGreaterThan(0);
      const res = await seller.get(`/seller/orders/${id}`, headers);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Order ');
      expect(await seenEvents(id), JSON.stringify(headers)).toBe(0);
      expect(await unread(sellerId, id), JSON.stringify(headers)).toBe(sellerUnread);
    }
  });

  it('customer order page: not read', async () => {
    const customerId = (await t.database.sql<{ id: string }[]>`select customer_id as id from orders limit 1`)[0]!.id;
    for (const headers of CROSS_SITE) {
      const id = await newOrder({ confirmed: true });
      const before = await unread(customerId, id);
      expect(before).toBeGreaterThan(0);
      expect((await customer.get(`/orders/${id}`, headers)).status).toBe(200);
      expect(await unread(customerId, id), JSON.stringify(headers)).toBe(before);
    }
  });
});

describe('the user\'s own navigation marks it', () => {
  it('seller: seen once and read, for a link on our pages or a typed address', async () => {
    for (const headers of OWN) {
      const id = await newOrder({ confirmed: false });
      expect(await unread(sellerId, id)).toBeGreaterThan(0);
      expect((await seller.get(`/seller/orders/${id}`, headers)).status).toBe(200);
      expect(await seenEvents(id)).toBe(1);
      expect(await unread(sellerId, id)).toBe(0);
    }
  });

  it('customer: read', async () => {
    const customerId = (await t.database.sql<{ id: string }[]>`select customer_id as id from orders limit 1`)[0]!.id;
    const id = await newOrder({ confirmed: true });
    expect((await customer.get(`/orders/${id}`, { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect(await unread(customerId, id)).toBe(0);
  });
});
