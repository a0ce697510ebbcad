import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stats, STORE_ROWS, type Stats } from '../../../src/admin/stats.ts';
import type { Store } from '../../../src/admin/store-search.ts';
import type { Database, Db } from '../../../src/db/client.ts';
import { migrationsFolder } from '../../../src/db/migrate.ts';
import { SELLER_ORDER_STATUSES, type Status } from '../../../src/db/schema.ts';
import { Conflict } from '../../../src/http/errors.ts';
import type { Viewer } from '../../../src/orders/queries.ts';
import { changeStatus, placeOrder, type Customer } from '../../../src/orders/service.ts';
import { freshDatabase } from '../../helpers/db.ts';
import { makeAdmin, makeCustomer, makeSeller } from '../../helpers/factories.ts';

/**
 * /admin/stats reads daily rollups that triggers keep in the order and status transactions
 * (decision 018). Every figure must equal a full recount over the base tables: the query below is
 * how the page counted before the rollups, scanning every part of the orders placed in the range.
 */
let database: Database;
let sql: Database['sql'];
let stores: Awaited<ReturnType<typeof makeSeller>>[];
let customers: (Customer & Viewer)[];
let admin: Viewer;
const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const today = Date.parse(`${dayOf(Date.now())}T00:00:00Z`);

/** Seconds from the order's placement to its part's first 'confirmed' event, from the events themselves. */
const secondsToConfirm = (db: Db) =>
  db.unsafe(`extract(epoch from (select min(e.created_at) from order_events e
    where e.order_id = so.order_id and e.seller_order_id = so.id and e.to_status = 'confirmed') - o.created_at)::float8`);

async function recount(db: Db, range: { from: string; to: string }, store: Store | null): Promise<Stats> {
  const [row] = await db<(Omit<Stats, 'from' | 'to' | 'store' | 'statuses'> & { statuses: { status: Status; n: number }[] | null })[]>`
    with parts as materialized (
      select so.order_id, so.seller_id, so.status, so.subtotal, (o.created_at at time zone 'UTC')::date as day, ${secondsToConfirm(db)} as seconds
      from orders o join seller_orders so on so.order_id = o.id
      where o.created_at >= ${range.from}::date::timestamp at time zone 'UTC' and o.created_at < (${range.to}::date + 1)::timestamp at time zone 'UTC'
        ${store ? db`and so.seller_id = ${store.id}` : db``}
    ), per_store as (
      select seller_id, count(*)::int as orders, coalesce(sum(subtotal) filter (where status <> 'cancelled'), 0)::float8 as revenue,
        row_number() over (order by coalesce(sum(subtotal) filter (where status <> 'cancelled'), 0) desc, count(*) desc, seller_id) as rank
      from parts group by seller_id
    ), per_day as (
      select day, count(distinct order_id)::int as orders, coalesce(sum(subtotal) filter (where status <> 'cancelled'), 0)::float8 as revenue
      from parts group by day
    ), confirm as (
      select seller_id, count(seconds)::int as confirmed, percentile_cont(0.5) within group (order by seconds)::float8 as median
      from parts where seconds is not null group by seller_id order by count(seconds) desc, seller_id limit ${STORE_ROWS}
    )
    select
      (select count(distinct order_id)::int from parts) as orders,
      (select count(*)::int from parts) as "storeOrders",
      (select coalesce(sum(subtotal) filter (where status <> 'cancelled'), 0)::float8 from parts) as revenue,
      (select json_agg(json_build_object('day', to_char(d.day, 'YYYY-MM-DD'), 'orders', coalesce(p.orders, 0), 'revenue', coalesce(p.revenue, 0)) order by d.day)
        from generate_series(${range.from}::date, ${range.to}::date, interval '1 day') d(day) left join per_day p on p.day = d.day) as days,
      (select json_agg(json_build_object('status', status, 'n', n)) from (select status, count(*)::int as n from parts group by status) s) as statuses,
      coalesce((select json_agg(json_build_object('storeId', s.id, 'storeName', s.name, 'orders', p.orders, 'revenue', p.revenue) order by p.rank)
        from per_store p join sellers s on s.id = p.seller_id where p.rank <= ${STORE_ROWS}), '[]') as stores,
      (select json_build_object('stores', count(*)::int, 'orders', sum(orders)::int, 'revenue', sum(revenue))
        from per_store where rank > ${STORE_ROWS} having count(*) > 0) as "otherStores",
      coalesce((select json_agg(json_build_object('storeId', s.id, 'storeName', s.name, 'medianSeconds', c.median, 'confirmed', c.confirmed)
          order by c.confirmed desc, s.name)
        from confirm c join sellers s on s.id = c.seller_id), '[]') as "confirmTimes"`;
  const statuses = Object.fromEntries(SELLER_ORDER_STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const r of row!.statuses ?? []) statuses[r.status] = r.n;
  return { ...row!, from: range.from, to: range.to, store, statuses };
}

/** The page's figures for every store alone and all together, over these ranges, against the recount. */
async function expectRecount(ranges: { from: string; to: string }[]) {
  for (const range of ranges) {
    for (const store of [null, ...stores.map((s) => ({ id: s.store.id, name: s.store.name }))]) {
      expect(await stats(sql, range, store), `${range.from}..${range.to} ${store?.name ?? 'all stores'}`).toEqual(await recount(sql, range, store));
    }
  }
}

/** The rollup rows themselves against a GROUP BY of the base tables (rows that net to zero aside). */
async function expectRollupRows() {
  const kept = await sql`
    select day::text, seller_id, parts, orders, revenue::int, pending, confirmed, shipped, delivered, cancelled, confirmations
    from store_day_figures where parts <> 0 or confirmations <> 0 order by day, seller_id`;
  const counted = await sql`
    select (o.created_at at time zone 'UTC')::date::text as day, so.seller_id, count(*)::int as parts,
      count(*) filter (where so.id = (select min(id) from seller_orders x where x.order_id = so.order_id))::int as orders,
      coalesce(sum(so.subtotal) filter (where so.status <> 'cancelled'), 0)::int as revenue,
      ${sql.unsafe(SELLER_ORDER_STATUSES.map((s) => `count(*) filter (where so.status = '${s}')::int as ${s}`).join(', '))},
      count(*) filter (where exists (select 1 from order_events e where e.seller_order_id = so.id and e.order_id = so.order_id and e.to_status = 'confirmed'))::int as confirmations
    from seller_orders so join orders o on o.id = so.order_id group by 1, 2 order by 1, 2`;
  expect(kept).toEqual(counted);
}

const input = (items: { productId: number; quantity: number }[]) => ({ items, deliveryAddress: '1 Rollup Road', paymentMethod: 'cash_on_delivery' as const });
const placeOpts = { deliveryDays: 5, ratePerMinute: 1_000_000 };

/** An order of the given stores (one line of each store's first product). */
async function placeFrom(customer: Customer & Viewer, storeIndexes: number[], quantity = 1) {
  const items = [...new Set(storeIndexes)].map((i) => ({ productId: stores[i]!.products[0]!.id, quantity }));
  return (await placeOrder(sql, customer, input(items), placeOpts)).order.id;
}

/** A status change as a seller, the customer or an admin (with or without a reason); a refused one changes nothing. */
async function tryChange(viewer: Viewer, orderId: number, to: Status, opts?: { sellerOrderId?: number; reason?: string }) {
  try {
    await changeStatus(sql, viewer, orderId, to, opts);
  } catch (e) {
    if (!(e instanceof Conflict)) throw e;
  }
}

/** Moves an order back by whole days and hours, as data fixes and fixtures do. */
const moveBack = (orderId: number, days: number, hours = 0) =>
  sql`update orders set created_at = created_at - make_interval(days => ${days}, hours => ${hours}) where id = ${orderId}`;

const partsOf = (orderId: number) => sql<{ id: number; sellerId: number }[]>`
  select id::int as id, seller_id as "sellerId" from seller_orders where order_id = ${orderId} order by id`;

beforeAll(async () => {
  ({ database } = await freshDatabase());
  sql = database.sql;
  stores = [];
  for (let i = 0; i < 5; i++) stores.push(await makeSeller(database.orm, [{ price: 300 + 111 * i, stock: 100_000 }]));
  customers = [];
  for (let i = 0; i < 3; i++) {
    const u = await makeCustomer(database.orm);
    customers.push({ id: u.id, role: 'customer', name: u.name, email: u.email, phone: u.phone });
  }
  const a = await makeAdmin(database.orm);
  admin = { id: a.id, role: 'admin' };
});
afterAll(() => database.close());

const sellerOf = (storeIndex: number): Viewer => ({ id: stores[storeIndex]!.user.id, role: 'seller' });
const storeIndexOf = (sellerId: number) => stores.findIndex((s) => s.store.id === sellerId);

describe('stats rollups', () => {
  it('equal a full recount after many orders placed and changed at once: stores, days, statuses, cancellations, overrides', async () => {
    // Placed concurrently, with overlapping stores, so that rollup rows are contended and locked in one order.
    const placed = await Promise.all(
      Array.from({ length: 60 }, (_, i) => placeFrom(customers[i % 3]!, [i % 5, (i * 7) % 5, (i * 3) % 5].slice(0, 1 + (i % 3)), 1 + (i % 4))),
    );
    // Spread over days (some beyond 30 days back, some within the same day at another hour).
    await Promise.all(placed.map((id, i) => (i % 4 === 0 ? sql`select 1` : moveBack(id, (i * 5) % 45, i % 7))));
    // Sellers confirm, ship, deliver and cancel their parts; customers cancel; admins override one part with a reason.
    await Promise.all(
      placed.map(async (id, i) => {
        const parts = await partsOf(id);
        const first = storeIndexOf(parts[0]!.sellerId);
        if (i % 6 === 0) return tryChange(customers[i % 3]!, id, 'cancelled');
        await tryChange(sellerOf(first), id, 'confirmed');
        if (i % 6 === 1) await tryChange(sellerOf(first), id, 'cancelled');
        if (i % 6 >= 2) await tryChange(sellerOf(first), id, 'shipped');
        if (i % 6 >= 3) await tryChange(sellerOf(first), id, 'delivered');
        const last = parts.at(-1)!;
        if (i % 5 === 0) await tryChange(admin, id, 'confirmed', { sellerOrderId: last.id, reason: 'Phoned the store' });
        if (i % 5 === 1) await tryChange(admin, id, 'cancelled', { sellerOrderId: last.id, reason: 'Customer phoned' });
        if (i % 7 === 0) await tryChange(admin, id, 'confirmed');
      }),
    );
    // Moved after confirmation too: the time to confirm grows by the move.
    await moveBack(placed[5]!, 2);
    await moveBack(placed[7]!, 0, 3);

    await expectRollupRows();
    await expectRecount([
      { from: dayOf(today - 29 * DAY), to: dayOf(today) },
      { from: dayOf(today - 60 * DAY), to: dayOf(today) },
      { from: dayOf(today - 5 * DAY), to: dayOf(today - 5 * DAY) },
      { from: dayOf(today - 40 * DAY), to: dayOf(today - 20 * DAY) },
    ]);
    const [{ n }] = await sql<[{ n: number }]>`select count(*)::int as n from part_confirmations`;
    expect(n).toBeGreaterThan(20);
  });

  it('equal a full recount after any sequence of placements, status changes and moves (property)', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('place' as const), stores: fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }), quantity: fc.integer({ min: 1, max: 3 }) }),
      fc.record({
        kind: fc.constant('change' as const),
        pick: fc.nat(),
        part: fc.nat(),
        to: fc.constantFrom(...SELLER_ORDER_STATUSES),
        who: fc.constantFrom('seller', 'customer', 'admin-part', 'admin-order'),
      }),
      fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), days: fc.integer({ min: -2, max: 40 }), hours: fc.integer({ min: 0, max: 23 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const mine: { id: number; customer: Customer & Viewer }[] = [];
        for (const s of steps) {
          if (s.kind === 'place') {
            const customer = customers[s.quantity % 3]!;
            mine.push({ id: await placeFrom(customer, s.stores, s.quantity), customer });
            continue;
          }
          const order = mine[s.pick % Math.max(1, mine.length)];
          if (!order) continue;
          if (s.kind === 'move') {
            await moveBack(order.id, s.days, s.hours);
            continue;
          }
          const parts = await partsOf(order.id);
          const part = parts[s.part % parts.length]!;
          if (s.who === 'seller') await tryChange(sellerOf(storeIndexOf(part.sellerId)), order.id, s.to);
          else if (s.who === 'customer') await tryChange(order.customer, order.id, s.to);
          else if (s.who === 'admin-part') await tryChange(admin, order.id, s.to, { sellerOrderId: part.id, reason: 'Checked by phone' });
          else await tryChange(admin, order.id, s.to);
        }
        await expectRollupRows();
        await expectRecount([{ from: dayOf(today - 29 * DAY), to: dayOf(today + 2 * DAY) }, { from: dayOf(today - 45 * DAY), to: dayOf(today - 10 * DAY) }]);
      }),
      { numRuns: 12 },
    );
  });

  it("the migration's backfill rebuilds the same rollups from the base tables", async () => {
    const migration = readFileSync(join(migrationsFolder, '0011_stats_rollups.sql'), 'utf8');
    const backfill = migration.split('--> statement-breakpoint').filter((s) => /^INSERT INTO/m.test(s));
    expect(backfill).toHaveLength(2);
    await sql.begin(async (tx) => {
      await tx`delete from store_day_figures`;
      await tx`delete from part_confirmations`;
      for (const statement of backfill) await tx.unsafe(statement);
    });
    await expectRollupRows();
    await expectRecount([{ from: dayOf(today - 60 * DAY), to: dayOf(today + 2 * DAY) }]);
  });

  it('refuses to delete a part, which would make the rollup drift', async () => {
    const id = await placeFrom(customers[0]!, [0]);
    // Its notifications would refuse the delete first.
    await sql`delete from notifications where order_id = ${id}`;
    await expect(sql`delete from seller_orders where order_id = ${id}`).rejects.toThrow(/not deleted/);
  });
});
