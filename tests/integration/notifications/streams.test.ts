import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../../src/db/schema.ts';
import { latestId } from '../../../src/notifications/store.ts';
import { servedApp, type TestApp } from '../../helpers/app.ts';
import { Client } from '../../helpers/client.ts';
import { apiClient, makeCustomer, makeSeller, signIn } from '../../helpers/factories.ts';
import { SseStream } from '../../helpers/sse.ts';
import { order, payloadOf, quietPeriod, sleep, streamOf } from './support.ts';

const METRICS_TOKEN = 'streams-test-metrics';
const served = servedApp({ ORDER_RATE_LIMIT_PER_MINUTE: '1000', SSE_HEARTBEAT_SECONDS: '1', METRICS_TOKEN });
let t: TestApp;
let origin: string;
beforeAll(() => {
  ({ t } = served);
  origin = served.server.origin;
});

const db = () => t.database.orm;
const newCustomer = async () => apiClient(t.app, (await makeCustomer(db())).email);

describe('GET /api/events', () => {
  it("delivers an order to the seller whose products are in it, and not to another seller's stream", async () => {
    const s1 = await makeSeller(db());
    const s2 = await makeSeller(db());
    const [one, two] = [await streamOf(origin, await apiClient(t.app, s1.user.email)), await streamOf(origin, await apiClient(t.app, s2.user.email))];
    expect(one.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(one.response.headers.get('cache-control')).toContain('no-cache');
    expect(one.response.headers.get('x-accel-buffering')).toBe('no');
    expect(one.response.headers.get('content-encoding')).toBeNull();

    const placed = await order(await newCustomer(), s1.products[0]!.id);
    const [event] = await one.waitFor(1);
    expect(event!.event).toBe('order_notification');
    expect(payloadOf(event!.data)).toMatchObject({ orderId: placed.id, orderNumber: placed.orderNumber, sellerId: s1.store.id });
    const [row] = await db().select().from(notifications).where(and(eq(notifications.orderId, placed.id), eq(notifications.recipientId, s1.user.id)));
    expect(Number(event!.id)).toBe(row!.id);
    expect(one.retry).toBeGreaterThanOrEqual(1000);
    await quietPeriod();
    expect(two.events).toEqual([]);
    await Promise.all([one.close(), two.close()]);
  });

  it('replays exactly the five orders placed while the stream was closed, in order, after Last-Event-ID', async () => {
    const s = await makeSeller(db(), [{ stock: 50 }]);
    const seller = await apiClient(t.app, s.user.email);
    const customer = await newCustomer();
    const first = await streamOf(origin, seller);
    await order(customer, s.products[0]!.id);
    const [seen] = await first.waitFor(1);
    await first.close();

    const missed = [];
    for (let i = 0; i < 5; i++) missed.push(await order(customer, s.products[0]!.id));
    const again = await streamOf(origin, seller, '/api/events', { 'last-event-id': seen!.id! });
    const events = await again.waitFor(5);
    expect(events.map((e) => payloadOf(e.data).orderId)).toEqual(missed.map((o) => o.id));
    expect(again.ids).toEqual([...again.ids].sort((a, b) => a - b));
    expect(Math.min(...again.ids)).toBeGreaterThan(Number(seen!.id));
    await quietPeriod();
    expect(again.events).toHaveLength(5);
    await again.close();
  });

  it('sends a cursor-less stream what commits after it was answered and nothing from before, however slowly the server reads where "now" is', async () => {
    const s = await makeSeller(db(), [{ stock: 50 }]);
    const seller = await apiClient(t.app, s.user.email);
    const customer = await newCustomer();
    const history = await order(customer, s.products[0]!.id);

    // Hold the notifications table, so that any read of it by the server waits for this transaction.
    const held = await t.database.sql.reserve();
    let answeredAt: number | undefined;
    let stream: SseStream;
    try {
      await held`begin`;
      await held`lock table notifications in access exclusive mode`;
      const opening = streamOf(origin, seller).then((opened) => ((answeredAt = Date.now()), opened));
      await sleep(500);
      // One more notification of the seller's, committed while the server is held.
      const [copy] = await held<{ id: number }[]>`insert into notifications (recipient_id, type, order_id, seller_order_id, payload)
        select recipient_id, type, order_id, seller_order_id, payload from notifications
        where recipient_id = ${s.user.id} and order_id = ${history.id} returning id`;
      await held`commit`;
      const committedAt = Date.now();
      stream = await opening;
      const later = await order(customer, s.products[0]!.id);
      await stream.waitFor(1);
      await quietPeriod();
      // Sent exactly when it committed after the client heard 200: then it is news, before that history.
      const answeredFirst = answeredAt! < committedAt;
      expect(stream.events.map((e) => payloadOf(e.data).orderId)).toEqual([...(answeredFirst ? [history.id] : []), later.id]);
      expect(stream.ids.includes(copy!.id)).toBe(answeredFirst);
    } finally {
      held.release();
    }
    await stream.close();
  });

  it('sends a notification that arrived between page render and stream connect (?after=)', async () => {
    const s = await makeSeller(db());
    const seller = await apiClient(t.app, s.user.email);
    const renderedUpTo = await latestId(t.database.sql, s.user.id); // the newest id the page showed
    const placed = await order(await newCustomer(), s.products[0]!.id);
    const stream = await streamOf(origin, seller, `/api/events?after=${renderedUpTo}`);
    const [event] = await stream.waitFor(1);
    expect(payloadOf(event!.data).orderId).toBe(placed.id);
    await stream.close();
  });

  it("tells the customer's stream about the seller's confirmation as order_status_update and order_confirmed", async () => {
    const s = await makeSeller(db());
    const seller = await apiClient(t.app, s.user.email);
    const customer = await newCustomer();
    const placed = await order(customer, s.products[0]!.id);
    const watching = await streamOf(origin, customer);
    const sellerStream = await streamOf(origin, seller);
    expect((await seller.json('PUT', `/api/orders/${placed.id}/confirm`)).status).toBe(200);
    const events = await watching.waitFor(2);
    expect(events.map((e) => e.event)).toEqual(['order_status_update', 'order_confirmed']);
    expect(payloadOf(events[0]!.data)).toMatchObject({ orderId: placed.id, from: 'pending', to: 'confirmed' });
    await quietPeriod();
    expect(sellerStream.events).toEqual([]); // the seller made the change: no news for them
    await Promise.all([watching.close(), sellerStream.close()]);
  });

  it('answers 401 when signed out and 400 for a cursor that is not an id', async () => {
    const res = await fetch(`${origin}/api/events`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await fetch(`${origin}/events`, { redirect: 'manual' })).status).toBe(401);
    const seller = await apiClient(t.app, (await makeSeller(db())).user.email);
    const bad = await fetch(`${origin}/api/events?after=abc`, { headers: { authorization: `Bearer ${seller.token}` } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid', fields: { after: expect.any(String) } } });
  });

  it('sends heartbeats and ends the stream once the session is revoked by signing out', async () => {
    const s = await makeSeller(db());
    const seller = await apiClient(t.app, s.user.email);
    const stream = await streamOf(origin, seller);
    await stream.waitForComments('heartbeat');
    expect((await seller.json('DELETE', '/api/session')).status).toBe(204);
    await stream.waitForEnd(4000);
    expect(t.deps.notifications.hub.streamCount).toBe(0);
  });

  it('keeps the seller online while a stream is open, and not after', async () => {
    const s = await makeSeller(db());
    const { presence } = t.deps.notifications;
    expect(await presence.isOnline(s.user.id)).toBe(false);
    const stream = await streamOf(origin, await apiClient(t.app, s.user.email));
    await expect.poll(() => presence.isOnline(s.user.id)).toBe(true);
    await stream.close();
    await expect.poll(() => presence.isOnline(s.user.id)).toBe(false);
  });
});

describe('GET /events (pages)', () => {
  it('sends unnamed HTML messages with hx-partial fragments for htmx to swap, from the cookie session', async () => {
    const s = await makeSeller(db());
    const page = await signIn(origin, s.user.email);
    const stream = await SseStream.open(`${origin}/events`, { cookie: [...page.cookies].map(([k, v]) => `${k}=${v}`).join('; ') });
    expect(stream.response.status).toBe(200);
    const placed = await order(await newCustomer(), s.products[0]!.id);
    const [event] = await stream.waitFor(1);
    expect(event!.event).toBe('message');
    expect(event!.data).toContain('<hx-partial hx-target="#live-notices"');
    expect(event!.data).toContain(`New order ${placed.orderNumber}`);
    await stream.close();
  });

  it("is written straight to the socket with the app's security and cache headers", async () => {
    const s = await makeSeller(db());
    const page = await signIn(origin, s.user.email);
    const stream = await SseStream.open(`${origin}/events`, { cookie: [...page.cookies].map(([k, v]) => `${k}=${v}`).join('; ') });
    const h = stream.response.headers;
    expect(h.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(h.get('cache-control')).toBe('no-cache, no-store, no-transform');
    expect(h.get('content-security-policy')).toContain("default-src 'self'");
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('x-request-id')).toMatch(/\S/);
    expect(h.get('x-hono-already-sent')).toBeNull();
    await stream.waitForComments('connected');
    await stream.close();
  });
});

describe('marking notifications read', () => {
  it("marks the signed-in user's own notifications up to an id, and refuses bad input with the JSON error shape", async () => {
    const s = await makeSeller(db(), [{ stock: 10 }]);
    const other = await makeSeller(db());
    const customer = await newCustomer();
    const a = await order(customer, s.products[0]!.id);
    await order(customer, s.products[0]!.id, other.products[0]!.id);
    const mine = await db().select().from(notifications).where(eq(notifications.recipientId, s.user.id)).orderBy(notifications.id);
    const seller = await apiClient(t.app, s.user.email);

    const bad = await seller.json('POST', '/api/notifications/read', { upTo: 'soon' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid', fields: { upTo: expect.any(String) } } });
    const res = await seller.json('POST', '/api/notifications/read', { upTo: mine[0]!.id });
    expect(await res.json()).toEqual({ marked: 1 });
    const after = await db().select().from(notifications).where(eq(notifications.orderId, a.id));
    expect(after.find((n) => n.recipientId === s.user.id)!.readAt).not.toBeNull();
    const stillUnread = await db().select().from(notifications).where(eq(notifications.recipientId, other.user.id));
    expect(stillUnread.every((n) => n.readAt === null)).toBe(true);
    await expect((await seller.json('POST', '/api/notifications/read', { upTo: mine[1]!.id + 1000 })).json()).resolves.toEqual({ marked: 1 });
  });

  it('has a plain form "Mark all read" that redirects back', async () => {
    const s = await makeSeller(db());
    await order(await newCustomer(), s.products[0]!.id);
    const page = await signIn(t.app, s.user.email);
    const res = await page.form('/notifications/read', { next: '/seller' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/seller');
    const rows = await db().select().from(notifications).where(eq(notifications.recipientId, s.user.id));
    expect(rows.every((n) => n.readAt !== null)).toBe(true);
    expect((await new Client(t.app).form('/notifications/read', {})).headers.get('location')).toMatch(/^\/login/);
  });
});

describe('GET /metrics', () => {
  it('counts a delivered notification, its latency and the open stream, whatever ran before', async () => {
    const scrape = async () => {
      const res = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      return (name: string) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1]);
    };
    const before = await scrape();
    const s = await makeSeller(db());
    const stream = await streamOf(origin, await apiClient(t.app, s.user.email));
    await expect.poll(async () => (await scrape())('orderbell_open_streams')).toBe(before('orderbell_open_streams') + 1);
    await order(await newCustomer(), s.products[0]!.id);
    await stream.waitFor(1);
    const during = await scrape();
    expect(during('orderbell_notifications_created_total')).toBeGreaterThan(before('orderbell_notifications_created_total'));
    expect(during('orderbell_notifications_delivered_total')).toBe(before('orderbell_notifications_delivered_total') + 1);
    expect(during('orderbell_notification_delivery_seconds_count')).toBe(before('orderbell_notification_delivery_seconds_count') + 1);
    expect(during('orderbell_notifications_emailed_total')).toBe(before('orderbell_notifications_emailed_total'));
    await stream.close();
    await expect.poll(async () => (await scrape())('orderbell_open_streams')).toBe(before('orderbell_open_streams'));
  });
});
