import type { Sql } from '../db/client.ts';
import { SELLER_ORDER_STATUSES, type Status } from '../db/schema.ts';

export interface DayFigures {
  day: string;
  orders: number;
  revenue: number;
}
export interface StoreFigures {
  storeId: number;
  storeName: string;
  orders: number;
  revenue: number;
}
export interface ConfirmTime {
  storeId: number;
  storeName: string;
  medianSeconds: number;
  confirmed: number;
}
export interface Stats {
  days: DayFigures[];
  stores: StoreFigures[];
  statuses: Record<Status, number>;
  confirmTimes: ConfirmTime[];
}

// Days are UTC calendar days; the window is today and the 29 days before it.
const windowStart = `((now() at time zone 'UTC')::date - 29)::timestamp at time zone 'UTC'`;

/**
 * The admin's figures, all aggregated in SQL. Revenue counts the parts that are not cancelled,
 * so a half-cancelled order contributes only what will still be delivered.
 */
export async function stats(sql: Sql): Promise<Stats> {
  const since = () => sql.unsafe(windowStart);
  const [days, stores, statusRows, confirmTimes] = await Promise.all([
    sql<DayFigures[]>`
      with per_day as (
        select (o.created_at at time zone 'UTC')::date as day, count(*)::int as orders,
          sum((select coalesce(sum(so.subtotal), 0) from seller_orders so where so.order_id = o.id and so.status <> 'cancelled'))::float8 as revenue
        from orders o where o.created_at >= ${since()} group by 1
      )
      select to_char(d.day, 'YYYY-MM-DD') as day, coalesce(p.orders, 0) as orders, coalesce(p.revenue, 0) as revenue
      from (select (now() at time zone 'UTC')::date - i as day from generate_series(0, 29) i) d
      left join per_day p on p.day = d.day order by d.day desc`,
    sql<StoreFigures[]>`
      select s.id as "storeId", s.name as "storeName", count(so.id)::int as orders,
        coalesce(sum(so.subtotal) filter (where so.status <> 'cancelled'), 0)::float8 as revenue
      from sellers s left join seller_orders so on so.seller_id = s.id and so.created_at >= ${since()}
      group by s.id, s.name order by revenue desc, orders desc, s.name`,
    sql<{ status: Status; n: number }[]>`select status, count(*)::int as n from orders group by status`,
    sql<ConfirmTime[]>`
      with placed as (
        select order_id, min(created_at) as at from order_events where type = 'placed' group by order_id
      ), confirmed as (
        select seller_order_id, min(created_at) as at from order_events
        where to_status = 'confirmed' and seller_order_id is not null group by seller_order_id
      )
      select s.id as "storeId", s.name as "storeName", count(*)::int as confirmed,
        percentile_cont(0.5) within group (order by extract(epoch from c.at - p.at))::float8 as "medianSeconds"
      from confirmed c join seller_orders so on so.id = c.seller_order_id
        join placed p on p.order_id = so.order_id join sellers s on s.id = so.seller_id
      group by s.id, s.name order by s.name`,
  ]);
  const statuses = Object.fromEntries(SELLER_ORDER_STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const r of statusRows) statuses[r.status] = r.n;
  return { days, stores, statuses, confirmTimes };
}
