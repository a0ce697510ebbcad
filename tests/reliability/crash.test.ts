import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { freshDatabase } from '../helpers/db.ts';
import { apiClient, makeCustomer, makeSeller } from '../helpers/factories.ts';
import { startAppProcess, type AppProcess } from '../helpers/process.ts';

let url: string;
let database: Database;
let app: AppProcess | undefined;
beforeAll(async () => {
  ({ url, database } = await freshDatabase());
});
afterAll(async () => {
  app?.child.kill('SIGKILL');
  await database.close();
});

it('keeps every acknowledged order whole when the app is killed mid-load, and stock adds up', async () => {
  const stores = await Promise.all([0, 1, 2].map(() => makeSeller(database.orm, [{ stock: 500 }, { stock: 500 }, { stock: 500 }])));
  const productIds = stores.flatMap((s) => s.products.map((p) => p.id));
  const customers = await Promise.all(Array.from({ length: 6 }, () => makeCustomer(database.orm)));
  const env = { DATABASE_URL: url, ORDER_RATE_LIMIT_PER_MINUTE: '100000' };
  app = await startAppProcess(env);
  const clients = await Promise.all(customers.map((c) => apiClient(app!.origin, c.email)));

  const acknowledged: { id: number; lines: Map<number, number> }[] = [];
  const unexpected: string[] = []; // any answer but 201/409, and any failed connection before the kill
  let killed = false;
  let running = true;
  const load = clients.map(async (client) => {
    while (running) {
      const picks = [...new Set(Array.from({ length: 1 + Math.floor(Math.random() * 4) }, () => productIds[Math.floor(Math.random() * productIds.length)]!))];
      const items = picks.map((productId) => ({ productId, quantity: 1 + Math.floor(Math.random() * 3) }));
      try {
        const res = await client.json('POST', '/api/orders', { items, deliveryAddress: '1 Crash Lane, Testville' }, { 'idempotency-key': randomUUID() });
        if (res.status === 201) {
          const order = (await res.json()) as { id: number };
          acknowledged.push({ id: order.id, lines: new Map(items.map((i) => [i.productId, i.quantity])) });
        } else if (res.status !== 409) unexpected.push(`${res.status}: ${await res.text()}`);
      } catch (err) {
        // After the kill the connection dies with the process and the outcome is unknown to the
        // client; before it, a failed request is a failure of the app.
        if (!killed) unexpected.push(`before the kill: ${String(err)}`);
      }
    }
  });
  // Killed in the middle of the load, once it is well under way (not after a fixed time: a busy machine is slower).
  await expect.poll(() => acknowledged.length, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(20);
  killed = true;
  app.child.kill('SIGKILL');
  expect(await app.exited).toBe('SIGKILL');
  running = false;
  await Promise.all(load);
  expect(unexpected).toEqual([]);
  expect(acknowledged.length).toBeGreaterThan(10);

  app = await startAppProcess(env, Number(new URL(app.origin).port));
  const { sql } = database;
  for (const { id, lines } of acknowledged) {
    const items = await sql<{ productId: number; quantity: number }[]>`select product_id as "productId", quantity from order_items where order_id = ${id}`;
    expect(new Map(items.map((i) => [i.productId, i.quantity]))).toEqual(lines);
    const [{ parts, placed }] = await sql<[{ parts: number; placed: number }]>`
      select (select count(*)::int from seller_orders where order_id = ${id}) as parts,
             (select count(*)::int from order_events where order_id = ${id} and type = 'placed') as placed`;
    const stores = new Set((await sql<{ s: number }[]>`select seller_id as s from order_items where order_id = ${id}`).map((r) => r.s));
    expect(parts).toBe(stores.size);
    expect(placed).toBe(1);
  }
  const [{ hollow }] = await sql<[{ hollow: number }]>`select count(*)::int as hollow from orders o where not exists (select 1 from order_items i where i.order_id = o.id)`;
  expect(hollow).toBe(0);
  const drift = await sql`
    select p.id, p.stock, 500 - coalesce(sum(i.quantity) filter (where so.status <> 'cancelled'), 0) as expected
    from products p left join order_items i on i.product_id = p.id
      left join seller_orders so on so.order_id = i.order_id and so.seller_id = i.seller_id
    where p.id = any(${productIds}::int[]) group by p.id having p.stock <> 500 - coalesce(sum(i.quantity) filter (where so.status <> 'cancelled'), 0)`;
  expect(drift).toEqual([]);
  // The restarted process serves orders again.
  const again = await clients[0]!.json('POST', '/api/orders', { items: [{ productId: productIds[0]!, quantity: 1 }], deliveryAddress: '1 Crash Lane, Testville' });
  expect(again.status).toBe(201);
});
