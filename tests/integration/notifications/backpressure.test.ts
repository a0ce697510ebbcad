import { eq } from 'drizzle-orm';
import { connect as tcp } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sellerOrders } from '../../../src/db/schema.ts';
import { listen, testApp, type TestApp } from '../../helpers/app.ts';
import { apiClient, makeCustomer, makeSeller } from '../../helpers/factories.ts';
import { order, sleep, streamOf } from './support.ts';

let t: TestApp;
let served: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  t = await testApp({}, { maxUnsentBytes: 256 * 1024 });
  served = await listen(t.app);
});
afterAll(async () => {
  await served.close();
  await t.close();
});

it('disconnects a client that stopped reading while the other streams keep receiving everything', async () => {
  const s = await makeSeller(t.database.orm);
  const seller = await apiClient(t.app, s.user.email);
  const { hub } = t.deps.notifications;

  // A client that sends its request and then never reads a byte.
  const stuck = tcp(Number(new URL(served.origin).port), '127.0.0.1');
  stuck.pause();
  stuck.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${seller.token}\r\nAccept: text/event-stream\r\n\r\n`);
  await expect.poll(() => hub.streamCount).toBe(1);
  const reader = await streamOf(served.origin, seller);
  await expect.poll(() => hub.streamCount).toBe(2);

  const placed = await order(await apiClient(t.app, (await makeCustomer(t.database.orm)).email), s.products[0]!.id);
  const [part] = await t.database.orm.select().from(sellerOrders).where(eq(sellerOrders.orderId, placed.id));
  // 600 notifications of ~8 KB each, in bursts of ten: far more than the socket buffers and the
  // 256 KiB bound in all, while each burst stays within what a reading client takes at once.
  for (let burst = 0; burst < 60; burst++) {
    await t.database.sql`select orderbell_notify(${s.user.id}, 'order_notification', ${placed.id}::bigint, ${part!.id}::bigint,
      jsonb_build_object('orderNumber', ${placed.orderNumber}::text, 'filler', repeat('x', 8000))) from generate_series(1, 10)`;
    await sleep(20);
  }

  await expect.poll(() => hub.streamCount, { timeout: 10_000 }).toBe(1);
  await reader.waitFor(601, 10_000);
  expect(new Set(reader.ids).size).toBe(601);
  const next = await order(await apiClient(t.app, (await makeCustomer(t.database.orm)).email), s.products[0]!.id);
  const events = await reader.waitFor(602);
  expect(JSON.parse(events[601]!.data).orderId).toBe(next.id);
  expect((await t.deps.notifications.metrics.openStreams.get()).values[0]!.value).toBe(1);
  stuck.destroy();
  await reader.close();

  // The disconnected client catches up by replay: ~4.8 MB of backlog, paced, not cut off by the bound.
  const back = await streamOf(served.origin, seller, '/api/events', { 'last-event-id': events[0]!.id! });
  await back.waitFor(601, 10_000);
  expect(back.ids).toEqual(reader.ids.slice(1));
  await back.close();
});
