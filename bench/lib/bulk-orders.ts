import type { Pool } from '../../src/db/client.ts';
import { setNotifyTriggers } from './triggers.ts';

/**
 * Adds `count` orders in bulk SQL, one every 30 s back from now: each has 1-3 store parts (the
 * big store 1 is in about 20% of them, the others are spread over stores 2-200), one line per
 * part, a `placed` event (and a `confirmed` one for parts past pending) and the seller's
 * notification row (most of them read). Statuses are spread as in a shop that has run for a while.
 * The notification triggers are off meanwhile, so that the live pipeline is not flooded with a
 * backlog nobody listens to.
 */
export async function bulkOrders(sql: Pool, count: number) {
  await setNotifyTriggers(sql, false);
  try {
    await sql.begin(async (tx) => {
      const [{ start }] = await tx<[{ start: string }]>`select coalesce(max(id), 0)::bigint as start from orders`;
      const customers = (await tx`select count(*)::int as n from users where role = 'customer'`)[0]!.n as number;
      await tx`
        insert into orders (customer_id, customer_name, customer_email, customer_phone, delivery_address, total_amount,
          order_date, estimated_delivery, created_at, updated_at)
        select 'bc' || (1 + g % ${customers}), 'Customer ' || (1 + g % ${customers}), 'customer' || (1 + g % ${customers}) || '@bench.test',
          '+1 555 0001', g || ' Bulk Road, Testville', 0, t, t + interval '5 days', t, t
        from generate_series(1, ${count}) g, lateral (select now() - (${count} - g) * interval '30 seconds' as t) at`;
      await tx`
        insert into seller_orders (order_id, seller_id, status, subtotal, changed_by, created_at, updated_at)
        select o.id, x.store, st.status, (select price from products where seller_id = x.store order by id limit 1), o.customer_id, o.created_at, o.created_at
        from orders o
        cross join lateral (select case when random() < 0.2 then 1 else 2 + floor(random() * 199)::int end as store
                            from generate_series(1, 1 + (o.id % 3)::int) where o.id > 0) x
        cross join lateral (select (array['pending','confirmed','shipped','shipped','delivered','delivered','delivered','delivered','delivered','cancelled'])
                            [1 + floor(random() * 10)::int] as status where x.store > 0) st
        where o.id > ${start}
        on conflict (order_id, seller_id) do nothing`;
      await tx`
        insert into order_items (order_id, product_id, seller_id, name, price, quantity, subtotal)
        select so.order_id, p.id, so.seller_id, p.name, p.price, 1, p.price from seller_orders so
        cross join lateral (select id, name, price from products where seller_id = so.seller_id order by id limit 1) p
        where so.order_id > ${start}`;
      await tx`
        update orders o set total_amount = x.total, status = x.status from (
          select order_id, sum(subtotal)::int as total, (array_agg(status order by id))[1] as status
          from seller_orders where order_id > ${start} group by order_id) x
        where o.id = x.order_id`;
      await tx`
        insert into order_events (order_id, actor_id, actor_role, type, to_status, created_at)
        select id, customer_id, 'customer', 'placed', 'pending', created_at from orders where id > ${start}`;
      // Parts past pending were confirmed 1-120 minutes after placement: their events fill
      // part_confirmations (its trigger), which the stats' median time to confirm reads.
      await tx`
        insert into order_events (order_id, seller_order_id, actor_id, actor_role, type, from_status, to_status, created_at)
        select so.order_id, so.id, s.user_id, 'seller', 'status_changed', 'pending', 'confirmed',
          so.created_at + (1 + floor(random() * 120)) * interval '1 minute'
        from seller_orders so join sellers s on s.id = so.seller_id
        where so.order_id > ${start} and so.status in ('confirmed', 'shipped', 'delivered') order by so.id`;
      await tx`
        insert into notifications (recipient_id, type, order_id, seller_order_id, payload, read_at, delivered_at, created_at)
        select s.user_id, 'order_notification', so.order_id, so.id,
          jsonb_build_object('orderId', so.order_id, 'sellerOrderId', so.id, 'sellerId', s.id, 'status', 'pending', 'subtotal', so.subtotal),
          case when random() < 0.95 then so.created_at end, so.created_at, so.created_at
        from seller_orders so join sellers s on s.id = so.seller_id where so.order_id > ${start} order by so.id`;
    });
  } finally {
    await setNotifyTriggers(sql, true);
  }
  await sql`vacuum analyze`;
}
