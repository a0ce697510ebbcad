import { beforeAll, describe, expect, it } from 'vitest';
import { servedApp, type TestApp } from '../../helpers/app.ts';
import type { Client } from '../../helpers/client.ts';
import { apiClient, makeCustomer, makeSeller, signIn } from '../../helpers/factories.ts';
import { SseStream } from '../../helpers/sse.ts';
import { order, quietPeriod, streamOf } from './support.ts';

/** Issue 12: an acknowledgement on one device reaches the seller's other streams through the pipeline. */
const served = servedApp({ ORDER_RATE_LIMIT_PER_MINUTE: '1000' });
let t: TestApp;
let origin: string;
beforeAll(() => {
  ({ t } = served);
  origin = served.server.origin;
});

const cookie = (client: Client) => [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const pageStream = async (client: Client) => {
  const stream = await SseStream.open(`${origin}/events`, { cookie: cookie(client) });
  expect(stream.response.status).toBe(200);
  return stream;
};
const sameSite = { 'sec-fetch-site': 'same-origin' };
const alertState = (data: string) => data.match(/<span id="alert-state" data-unacked="(\d+)"/)?.[1];
const badge = (data: string) => data.match(/<span id="unread-badge"[^>]* data-unread="(\d+)"/)?.[1];
const unreadRows = (userId: string) =>
  t.database.sql<{ type: string; n: number }[]>`select type, count(*)::int as n from notifications where recipient_id = ${userId} and read_at is null group by type`;

describe('acknowledging a new order', () => {
  it("opening it on one device sends the seller's other device a read message that lowers its badge and its alert count", async () => {
    const s = await makeSeller(t.database.orm);
    const customer = await apiClient(origin, (await makeCustomer(t.database.orm)).email);
    const [phone, laptop] = [await signIn(origin, s.user.email), await signIn(origin, s.user.email)];
    const laptopStream = await pageStream(laptop);
    const api = await streamOf(origin, await apiClient(origin, s.user.email));
    const first = await order(customer, s.products[0]!.id);
    await order(customer, s.products[0]!.id);
    const arrived = await laptopStream.waitFor(2);
    expect(alertState(arrived[1]!.data)).toBe('2');
    expect(badge(arrived[1]!.data)).toBe('2');

    expect((await phone.get(`/seller/orders/${first.id}`, sameSite)).status).toBe(200);
    const [, , read] = await laptopStream.waitFor(3);
    expect(read!.event).toBe('message');
    expect(alertState(read!.data)).toBe('1');
    expect(badge(read!.data)).toBe('1');
    expect(read!.data).not.toContain('<li id="notice-'); // nothing new to announce
    // The read message is itself read: it never counts on a badge and is never emailed.
    expect(await unreadRows(s.user.id)).toEqual([{ type: 'order_notification', n: 1 }]);

    // Opening it again marks nothing: no message.
    expect((await phone.get(`/seller/orders/${first.id}`, sameSite)).status).toBe(200);
    // "Mark all read" on the phone: the laptop hears that nothing waits any more.
    expect((await phone.form('/notifications/read', { next: '/seller' })).status).toBe(303);
    const [, , , all] = await laptopStream.waitFor(4);
    expect(alertState(all!.data)).toBe('0');
    expect(badge(all!.data)).toBe('0');
    await quietPeriod();
    expect(laptopStream.events).toHaveLength(4);
    // The JSON API keeps to its three contracted events.
    expect(api.events.map((e) => e.event)).toEqual(['order_notification', 'order_notification']);
    await Promise.all([laptopStream.close(), api.close()]);
  });

  it("confirming it (plain form, bulk or API) acknowledges it in the same transaction, and the customer's own notifications stay as they were", async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 20 }]);
    const person = await makeCustomer(t.database.orm);
    const customer = await apiClient(origin, person.email);
    const seller = await signIn(origin, s.user.email);
    const stream = await pageStream(await signIn(origin, s.user.email));
    const [one, two, three] = [await order(customer, s.products[0]!.id), await order(customer, s.products[0]!.id), await order(customer, s.products[0]!.id)];
    await stream.waitFor(3);

    expect((await seller.form(`/seller/orders/${one.id}/status`, { status: 'confirmed' })).status).toBe(303);
    expect(alertState((await stream.waitFor(4))[3]!.data)).toBe('2');
    expect((await seller.form('/seller/bulk', { status: 'confirmed', ids: [String(two.id)] })).status).toBe(303);
    expect(alertState((await stream.waitFor(5))[4]!.data)).toBe('1');
    const sellerApi = await apiClient(origin, s.user.email);
    expect((await sellerApi.json('PUT', `/api/orders/${three.id}/confirm`)).status).toBe(200);
    expect(alertState((await stream.waitFor(6))[5]!.data)).toBe('0');
    expect(await unreadRows(s.user.id)).toEqual([]);
    // The customer was told of each confirmation, and nothing of theirs was marked read.
    const customerRows = await unreadRows(person.id);
    expect(customerRows.find((r) => r.type === 'order_confirmed')?.n).toBe(3);
    await stream.close();
  });

  it('a change made by someone other than the store does not acknowledge it for the store', async () => {
    const s = await makeSeller(t.database.orm);
    const placed = await order(await apiClient(origin, (await makeCustomer(t.database.orm)).email), s.products[0]!.id);
    await t.database.sql`update seller_orders set status = 'confirmed', changed_by = null where order_id = ${placed.id}`;
    expect((await unreadRows(s.user.id)).find((r) => r.type === 'order_notification')?.n).toBe(1);
  });
});

describe('while you were away', () => {
  it("sums up the seller's new orders after a notification id: how many, their total for this store, links; nothing when none came", async () => {
    const s = await makeSeller(t.database.orm, [{ price: 1250, stock: 20 }]);
    const other = await makeSeller(t.database.orm);
    const customer = await apiClient(origin, (await makeCustomer(t.database.orm, { name: 'Away Buyer' })).email);
    const seller = await signIn(origin, s.user.email);
    await order(customer, s.products[0]!.id);
    const newestId = async () => (await t.database.sql<{ id: number }[]>`select max(id)::float8 as id from notifications where recipient_id = ${s.user.id}`)[0]!.id;
    const before = await newestId();
    const later = [await order(customer, s.products[0]!.id, other.products[0]!.id), await order(customer, s.products[0]!.id)];
    const html = await (await seller.get(`/seller/away?after=${before}`, { 'hx-request': 'true' })).text();
    expect(html).toContain('While you were away: 2 new orders, $25.00');
    for (const o of later) expect(html).toContain(`<a href="/seller/orders/${o.id}">${o.orderNumber}</a> from Away Buyer, $12.50`);
    expect((await (await seller.get(`/seller/away?after=${await newestId()}`)).text()).trim()).toBe('');
    expect((await seller.get('/seller/away?after=-1')).status).toBe(422);
    expect((await seller.get('/seller/away')).status).toBe(422);
    expect((await (await signIn(origin, (await makeCustomer(t.database.orm)).email)).get('/seller/away?after=0')).status).toBe(403);
  });
});
