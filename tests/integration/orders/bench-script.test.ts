import { afterAll, beforeAll, expect, it } from 'vitest';
import { findPgbench, runPgbench } from '../../../bench/lib/pgbench.ts';
import { placeOrderScript } from '../../../bench/lib/place-order-script.ts';
import { seedWorld, type World } from '../../../bench/lib/seed.ts';
import type { Database } from '../../../src/db/client.ts';
import { freshDatabase } from '../../helpers/db.ts';

/**
 * The bench's database ceiling runs a pgbench script generated from the statements placeOrder
 * sends; this checks that the generated script places whole orders as the service does, so the
 * ceiling measures the app's transaction.
 */
const pgbench = findPgbench();
let url: string;
let database: Database;
let world: World;
beforeAll(async () => {
  ({ url, database } = await freshDatabase());
  world = await seedWorld(database.sql, { customers: 5, stores: 3, productsPerStore: 2 });
});
afterAll(() => database.close());

it.skipIf(!pgbench && !process.env.REQUIRE_E2E)("the generated pgbench script places whole orders in the service's one transaction, rate-limit count included", async () => {
  const script = await placeOrderScript(url, world.customers[4]!, [world.stores[0]!.productIds[0]!, world.stores[2]!.productIds[1]!]);
  // What the service sends inside its transaction, in order: the rate-limit count (not a
  // transaction of its own), the product locks, the one statement that writes the order.
  const statements = script.split(/;\n/).map((s) => s.replace(/^(--|\\).*\n/gm, '').trim()).filter(Boolean).map((s) => s.split(/\s+/)[0]!.toLowerCase());
  expect(statements).toEqual(['begin', 'select', 'insert', 'select', 'with', 'commit']);
  const before = await counts();
  expect(before.orders).toBe(1); // the order the generator placed through the service

  const result = await runPgbench(pgbench!, url, script, { clients: 2, seconds: 1, customers: 5, products: 6 });
  expect(result.failed).toBe(0);
  expect(result.ok).toBeGreaterThan(0);
  const after = await counts();
  expect(after.orders - before.orders).toBe(result.ok);
  expect(after.rateLimitHits - before.rateLimitHits).toBe(result.ok);
  // Every order is whole: items, one part per store, its 'placed' event, the store owners' notifications.
  expect(after.hollow).toBe(0);
  expect(after.placed).toBe(after.orders);
  expect(after.storeNotifications).toBe(after.parts);
  expect(after.customers).toBeGreaterThan(1);
});

async function counts() {
  const [row] = await database.sql<[{ orders: number; parts: number; hollow: number; placed: number; storeNotifications: number; rateLimitHits: number; customers: number }]>`
    select (select count(*)::int from orders) as orders,
      (select count(*)::int from seller_orders) as parts,
      (select count(*)::int from orders o where not exists (select 1 from order_items i where i.order_id = o.id)
         or not exists (select 1 from seller_orders so where so.order_id = o.id)) as hollow,
      (select count(*)::int from order_events where type = 'placed') as placed,
      (select count(*)::int from notifications where type = 'order_notification') as "storeNotifications",
      (select count(*)::int from rate_limit_hits where key like 'order:%') as "rateLimitHits",
      (select count(distinct customer_id)::int from orders) as customers`;
  return row;
}
