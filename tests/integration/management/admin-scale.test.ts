import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderFiltersSchema } from '../../../src/admin/schemas.ts';
import { adminOrders } from '../../../src/admin/service.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import { makeCustomer, makeSeller } from '../../helpers/factories.ts';

let t: TestApp;
let storeId: number;
const ORDERS = 100_000;

beforeAll(async () => {
  t = await testApp();
  const { sql } = t.database;
  const s = await makeSeller(t.database.db, [{}]);
  await makeSeller(t.database.db, [{}]);
  storeId = s.store.id;
  const c = await makeCustomer(t.database.db);
  await sql.begin(async (tx) => {
    // Bulk fixture: the notification triggers are not what this test measures.
    await tx`set local session_replication_role = replica`;
    await tx`
      insert into orders (customer_id, customer_name, customer_email, customer_phone, delivery_address, total_amount, status, estimated_delivery, created_at, order_date)
      select ${c.id}, 'Customer ' || i, 'customer' || i || '@example.test', '+1 555 ' || lpad(i::text, 6, '0'), 'Street ' || i,
        (i * 7919) % 100000, (array['pending','confirmed','shipped','delivered','cancelled'])[1 + i % 5],
        now(), now() - make_interval(mins => ${ORDERS} - i), now() - make_interval(mins => ${ORDERS} - i)
      from generate_series(1, ${ORDERS}) i`;
    await tx`
      insert into seller_orders (order_id, seller_id, subtotal, status)
      select o.id, (select min(id) from sellers) + (o.id % 2), o.total_amount, o.status from orders o`;
  });
  await sql`analyze`;
}, 120_000);
afterAll(() => t.close());

const plan = async (f: Record<string, string>) => {
  const filters = orderFiltersSchema.parse(f);
  const started = performance.now();
  const page = await adminOrders(t.database.sql, filters);
  return { page, ms: performance.now() - started };
};

describe('the admin order list on 100,000 orders', () => {
  it('answers every filter and sort quickly, first page and deep pages alike', async () => {
    const [sample] = await t.database.sql<{ orderNumber: string; email: string }[]>`
      select order_number as "orderNumber", customer_email as email from orders where id = 54321`;
    const cases: Record<string, string>[] = [
      {},
      { sort: 'oldest' },
      { sort: 'total' },
      { status: 'shipped' },
      { store: String(storeId) },
      { status: 'pending', sort: 'total' },
      { from: new Date(Date.now() - 3 * 86400_000).toISOString().slice(0, 10) },
      { q: sample!.orderNumber },
      { q: sample!.email.toUpperCase() },
      { q: '+1 555 054321' },
    ];
    const slow: string[] = [];
    for (const f of cases) {
      await plan(f); // warm the cache
      const first = await plan(f);
      const deep = first.page.nextCursor ? await plan({ ...f, cursor: first.page.nextCursor }) : first;
      expect(first.page.rows.length, JSON.stringify(f)).toBeGreaterThan(0);
      for (const r of [first, deep]) if (r.ms > 250) slow.push(`${JSON.stringify(f)}: ${r.ms.toFixed(0)} ms`);
    }
    expect(slow).toEqual([]);
  }, 60_000);
});
