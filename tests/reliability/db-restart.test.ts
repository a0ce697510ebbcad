import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, type Database } from '../../src/db/client.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import type { Client } from '../helpers/client.ts';
import { apiClient, makeCustomer, makeSeller, signIn } from '../helpers/factories.ts';
import { startAppProcess, type AppProcess } from '../helpers/process.ts';
import { SseStream } from '../helpers/sse.ts';

// This file restarts Postgres, so it runs its own server: the shared test server stays up for the others.
let dir: string;
let pg: EmbeddedServer;
let database: Database;
let app: AppProcess;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'orderbell-restart-'));
  chmodSync(dir, 0o755);
  pg = await startEmbeddedPostgres(join(dir, 'pg'));
  database = connect(pg.url, 2);
  await runMigrations(database);
  app = await startAppProcess({ DATABASE_URL: pg.url, ORDER_RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(async () => {
  app?.child.kill('SIGKILL');
  await database?.close();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ADDRESS = '12 Restart Row, Testville';
const orderIdsOf = (stream: SseStream) => stream.events.map((e) => (JSON.parse(e.data) as { orderId: number }).orderId);

async function placeOrder(customer: Client, productId: number) {
  const res = await customer.json('POST', '/api/orders', { items: [{ productId, quantity: 1 }], deliveryAddress: ADDRESS });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

it('fails fast with 503 while Postgres is down, and recovers pool, LISTEN and delivery without an app restart', async () => {
  const sellers = [await makeSeller(database.orm, [{ stock: 100 }]), await makeSeller(database.orm, [{ stock: 100 }])];
  const customer = await apiClient(app.origin, (await makeCustomer(database.orm)).email);
  const shopper = await signIn(app.origin, (await makeCustomer(database.orm)).email);
  expect((await shopper.form('/cart', { productId: sellers[0]!.products[0]!.id, quantity: 1 })).status).toBe(303);
  const streams = await Promise.all(
    sellers.map(async (s) => SseStream.open(`${app.origin}/api/events`, { authorization: `Bearer ${(await apiClient(app.origin, s.user.email)).token}` })),
  );
  for (const s of streams) expect(s.response.status).toBe(200);
  const productIds = sellers.map((s) => s.products[0]!.id);

  const placed: number[][] = [[], []];
  for (const [i, id] of productIds.entries()) placed[i]!.push(await placeOrder(customer, id));
  for (const s of streams) await s.waitFor(1);
  // Created just before the restart: maybe not yet delivered when the database goes away.
  for (const [i, id] of productIds.entries()) placed[i]!.push(await placeOrder(customer, id));
  await pg.stop();

  // While it is down: the API answers 503 with the JSON error shape, quickly.
  const started = Date.now();
  const down = await customer.json('POST', '/api/orders', { items: [{ productId: productIds[0], quantity: 1 }], deliveryAddress: ADDRESS });
  const took = Date.now() - started;
  expect(down.status).toBe(503);
  expect(down.headers.get('retry-after')).toBeTruthy();
  expect(await down.json()).toEqual({ error: { code: 'unavailable', message: expect.stringMatching(/unavailable/i) } });
  expect(took).toBeLessThan(2000);

  // The checkout form answers 503 and gives back what the customer typed.
  const form = await shopper.form('/checkout', { deliveryAddress: '99 Kept Input Lane', phone: '+1 555 0199', notes: 'Leave by the blue door', idempotencyKey: crypto.randomUUID() });
  expect(form.status).toBe(503);
  const html = await form.text();
  expect(html).toContain('99 Kept Input Lane');
  expect(html).toContain('Leave by the blue door');
  expect(html).toMatch(/<form[^>]*action="\/checkout"/);

  const ready = await fetch(`${app.origin}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({ status: 'not ready' });
  // The streams stay open while the database is away.
  expect(streams.every((s) => !s.ended && s.failure === undefined)).toBe(true);

  // Down for longer than postgres.js's own re-LISTEN attempt, so the listener's watchdog has to bring it back.
  await new Promise((r) => setTimeout(r, 1500));
  await pg.start();
  await expect.poll(async () => (await fetch(`${app.origin}/readyz`)).status, { timeout: 20_000, interval: 250 }).toBe(200);
  // One LISTEN connection again, not a leaked old one next to a new one.
  const listeners = await database.sql`select count(*)::int as n from pg_stat_activity where application_name like 'orderbell-listener-%'`;
  expect(listeners[0]!.n).toBe(1);
  for (const [i, id] of productIds.entries()) placed[i]!.push(await placeOrder(customer, id));

  for (const [i, s] of streams.entries()) {
    await s.waitFor(3, 10_000);
    await new Promise((r) => setTimeout(r, 1000)); // room for a duplicate to show up, on a busy machine too
    expect(orderIdsOf(s)).toEqual(placed[i]);
    expect(new Set(s.ids).size).toBe(s.ids.length);
  }
  // The checkout form works again with the same cart.
  const again = await shopper.form('/checkout', { deliveryAddress: '99 Kept Input Lane', phone: '+1 555 0199', idempotencyKey: crypto.randomUUID() });
  expect(again.status).toBe(303);
  for (const s of streams) await s.close();
}, 60_000);
