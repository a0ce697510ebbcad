import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../../src/db/schema.ts';
import { servedApp, type TestApp } from '../../helpers/app.ts';
import type { Client } from '../../helpers/client.ts';
import { apiClient, makeCustomer, makeSeller, signIn } from '../../helpers/factories.ts';
import { SseStream } from '../../helpers/sse.ts';
import { order, quietPeriod, streamOf } from './support.ts';

const served = servedApp({ ORDER_RATE_LIMIT_PER_MINUTE: '1000' });
let t: TestApp;
let origin: string;
beforeAll(() => {
  ({ t } = served);
  origin = served.server.origin;
});

const db = () => t.database.orm;
const cookie = (client: Client) => [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const pageStream = async (client: Client) => {
  const stream = await SseStream.open(`${origin}/events`, { cookie: cookie(client) });
  expect(stream.response.status).toBe(200);
  return stream;
};
const timelinePartial = (orderId: number) => `<hx-partial hx-target="#timeline-${orderId}" hx-swap="outerHTML"><section id="timeline-${orderId}" class="timeline"`;

async function splitOrder() {
  const tea = await makeSeller(db(), [{ stock: 20 }]);
  const pots = await makeSeller(db(), [{ stock: 20 }]);
  const person = await makeCustomer(db());
  const customer = await apiClient(origin, person.email);
  const placed = await order(customer, tea.products[0]!.id, pots.products[0]!.id);
  return { tea, pots, person, customer, placed };
}

describe("the order's timeline, live", () => {
  it('tells the customer when a store first opens the order (order_seen), once, with the timeline as the page renders it', async () => {
    const { tea, pots, person, customer, placed } = await splitOrder();
    const page = await pageStream(await signIn(origin, person.email));
    const api = await streamOf(origin, customer);
    const potsStream = await pageStream(await signIn(origin, pots.user.email));

    const seller = await signIn(origin, tea.user.email);
    expect((await seller.get(`/seller/orders/${placed.id}`)).status).toBe(200);
    const [seen] = await page.waitFor(1);
    expect(seen!.data).toContain(timelinePartial(placed.id));
    expect(seen!.data).toContain(`Seen by the store (${tea.store.name})`);
    expect(seen!.data).toContain(`<li id="notice-${seen!.id}" data-type="order_seen">${tea.store.name} has seen your order.</li>`);
    // The page renders the same timeline.
    const html = await (await customer.get(`/orders/${placed.id}`)).text();
    const section = seen!.data.slice(seen!.data.indexOf('<section'), seen!.data.indexOf('</section>') + '</section>'.length);
    expect(html).toContain(section);

    // A second visit records nothing new; the other store hears nothing of it.
    await seller.get(`/seller/orders/${placed.id}`);
    const rows = await db().select().from(notifications).where(and(eq(notifications.orderId, placed.id), eq(notifications.type, 'order_seen')));
    expect(rows.map((r) => [r.recipientId, r.sellerOrderId])).toEqual([[person.id, placed.sellerOrders.find((p) => p.sellerId === tea.store.id)!.id]]);
    await quietPeriod();
    expect(page.events).toHaveLength(1);
    expect(potsStream.events).toEqual([]);
    // The JSON API keeps to its three events: order_seen is for the pages' timelines. The store's
    // confirmation, committed after it, is the first thing the API stream sends.
    expect((await (await apiClient(origin, tea.user.email)).json('PUT', `/api/orders/${placed.id}/confirm`)).status).toBe(200);
    const [json] = await api.waitFor(1);
    expect(json!.event).toBe('order_status_update');
    await Promise.all([page.close(), api.close(), potsStream.close()]);
  });

  it("adds the store's confirmation to the customer's timeline", async () => {
    const { tea, person, placed } = await splitOrder();
    const page = await pageStream(await signIn(origin, person.email));
    const seller = await apiClient(origin, tea.user.email);
    expect((await seller.json('PUT', `/api/orders/${placed.id}/confirm`)).status).toBe(200);
    const [update] = await page.waitFor(1);
    expect(update!.data).toContain(timelinePartial(placed.id));
    expect(update!.data).toMatch(new RegExp(`Pending → Confirmed \\(${tea.store.name}\\)</strong><span class="muted"> by ${tea.store.name} \\(seller\\)`));
    await page.close();
  });

  it("keeps the seller's own order page live: a customer's cancellation and the seller's own action reach its timeline", async () => {
    const { tea, pots, customer, placed } = await splitOrder();
    const seller = await signIn(origin, tea.user.email);
    const page = await (await seller.get(`/seller/orders/${placed.id}`)).text();
    expect(page).toMatch(/<div id="seller-live" data-live-stream="\/events" data-live-after="\d+"/);
    expect(page).toContain(`<section id="timeline-${placed.id}" class="timeline"`);
    const stream = await pageStream(seller);
    expect((await customer.json('DELETE', `/api/orders/${placed.id}`)).status).toBe(200);
    const [cancelled] = await stream.waitFor(1);
    expect(cancelled!.data).toContain(timelinePartial(placed.id));
    expect(cancelled!.data).toContain(`Pending → Cancelled (${tea.store.name})`);
    expect(cancelled!.data).not.toContain(pots.store.name);
    await stream.close();

    // The seller's own change (no notification to themselves) comes back with the timeline when sent from the order page.
    const other = await order(customer, tea.products[0]!.id);
    const fromPage = await seller.form(`/seller/orders/${other.id}/status`, { status: 'confirmed' }, { 'hx-request': 'true', 'hx-current-url': `${origin}/seller/orders/${other.id}` });
    expect(await fromPage.text()).toContain(`${timelinePartial(other.id)}`);
    const fromList = await seller.form(`/seller/orders/${other.id}/status`, { status: 'shipped' }, { 'hx-request': 'true', 'hx-current-url': `${origin}/seller` });
    expect(await fromList.text()).not.toContain('hx-target="#timeline-');
  });
});

describe('when a notification is first written to a stream', () => {
  it('records it once, on the database clock, batched; a later replay to another tab does not move it', async () => {
    const tea = await makeSeller(db(), [{ stock: 20 }]);
    const customer = await apiClient(origin, (await makeCustomer(db())).email);
    const seller = await signIn(origin, tea.user.email);
    const first = await pageStream(seller);
    const placed = await order(customer, tea.products[0]!.id);
    await first.waitFor(1);
    const row = async () =>
      (await db().select().from(notifications).where(and(eq(notifications.orderId, placed.id), eq(notifications.recipientId, tea.user.id))))[0]!;
    await expect.poll(async () => (await row()).deliveredAt, { timeout: 5000 }).not.toBeNull();
    const delivered = await row();
    // Written after its commit (created_at is set at commit time), and not in the future.
    expect(+delivered.deliveredAt! - +delivered.createdAt).toBeGreaterThanOrEqual(-2);
    expect(+delivered.deliveredAt!).toBeLessThanOrEqual(Date.now() + 5);

    const replay = await SseStream.open(`${origin}/events?after=0`, { cookie: cookie(seller) });
    await replay.waitFor(1);
    await quietPeriod(); // room for a second write time to be stored (it is batched every 100 ms)
    expect(+(await row()).deliveredAt!).toBe(+delivered.deliveredAt!);
    await Promise.all([first.close(), replay.close()]);
  });
});
