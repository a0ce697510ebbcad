import type { Db } from '../db/client.ts';
import { SELLER_ORDER_STATUSES, type Status } from '../db/schema.ts';
import { statusSumsJson, storeNameOf } from '../orders/queries.ts';
import type { StatsFilters } from './schemas.ts';
import type { Store } from './store-search.ts';

export interface DayFigures {
  day: string;
  orders: number;
  revenue: number;
}
export interface StoreFigures {
  storeId: number;
  storeName: string;
  /** Store orders: this store's parts of orders. */
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
  from: string;
  to: string;
  store: Store | null;
  /** Orders placed in the range (with a store chosen: those holding a part of that store). */
  orders: number;
  /** Store orders: one per store in an order, so a two-store order counts twice here. */
  storeOrders: number;
  revenue: number;
  /** Every day of the range, oldest first. */
  days: DayFigures[];
  /** Store orders by their own status; they add up to `storeOrders`. */
  statuses: Record<Status, number>;
  /** The stores with the most revenue, at most STORE_ROWS; `otherStores` holds the rest, so rows add up. */
  stores: StoreFigures[];
  otherStores: { stores: number; orders: number; revenue: number } | null;
  /** The stores that confirmed the most parts, at most STORE_ROWS. */
  confirmTimes: ConfirmTime[];
}

/** Bounded, so the page stays small with 10,000 stores. */
export const STORE_ROWS = 20;

/**
 * The admin's figures for a range of UTC days and optionally one store, in one query over the daily
 * rollup store_day_figures (one row per store and day, kept by triggers in the order and status
 * transactions: decision 018), so the cost follows the stores and days in the range, not the orders.
 * The median time to confirm reads part_confirmations for the STORE_ROWS stores shown only.
 * Revenue counts the parts that are not cancelled, so a half-cancelled order contributes only what
 * will still be delivered. With a store chosen, its orders are its parts (one per order).
 */
export async function stats(sql: Db, filters: Omit<StatsFilters, 'store'>, store: Store | null): Promise<Stats> {
  const from = sql`${filters.from}::date`;
  const to = sql`${filters.to}::date`;
  const [row] = await sql<(Omit<Stats, 'from' | 'to' | 'store' | 'statuses'> & { statuses: Record<Status, number> })[]>`
    with sums as (
      -- One pass over the range: sums by store and sums by day at once (grouping sets).
      select seller_id, day, grouping(seller_id) = 1 as by_day,
        sum(${store ? sql`parts` : sql`orders`})::int as orders, sum(parts)::int as parts, sum(revenue)::float8 as revenue,
        sum(confirmations)::int as confirmations, ${sql.unsafe(SELLER_ORDER_STATUSES.map((s) => `sum(${s})::int as ${s}`).join(', '))}
      from store_day_figures
      where day between ${from} and ${to} ${store ? sql`and seller_id = ${store.id}` : sql``}
      group by grouping sets ((seller_id), (day))
    ), per_store as materialized (
      select seller_id, parts as orders, revenue, confirmations from sums where not by_day and parts > 0
    ), per_day as materialized (
      -- Every total is summed from the days (at most STATS_MAX_DAYS rows).
      select * from sums where by_day
    ), top as (
      -- The first STORE_ROWS by a top-N sort, not a rank of every store (10,000 stores: 60 ms).
      select seller_id, orders, revenue from per_store order by revenue desc, orders desc, seller_id limit ${STORE_ROWS}
    ), confirm as (
      select seller_id, confirmations from per_store where confirmations > 0 order by confirmations desc, seller_id limit ${STORE_ROWS}
    )
    select
      (select coalesce(sum(orders), 0)::int from per_day) as orders,
      (select coalesce(sum(parts), 0)::int from per_day) as "storeOrders",
      (select coalesce(sum(revenue), 0)::float8 from per_day) as revenue,
      (select json_agg(json_build_object('day', to_char(d.day, 'YYYY-MM-DD'), 'orders', coalesce(p.orders, 0), 'revenue', coalesce(p.revenue, 0)) order by d.day)
        from generate_series(${from}, ${to}, interval '1 day') d(day) left join per_day p on p.day = d.day) as days,
      (select ${sql.unsafe(statusSumsJson)} from per_day) as statuses,
      coalesce((select json_agg(json_build_object('storeId', t.seller_id, 'storeName', ${sql.unsafe(storeNameOf('t.seller_id'))}, 'orders', t.orders, 'revenue', t.revenue)
          order by t.revenue desc, t.orders desc, t.seller_id)
        from top t), '[]') as stores,
      (select json_build_object('stores', count(*)::int, 'orders', sum(orders)::int, 'revenue', sum(revenue))
        from per_store where seller_id not in (select seller_id from top) having count(*) > 0) as "otherStores",
      coalesce((select json_agg(json_build_object('storeId', c.seller_id, 'storeName', c.name, 'medianSeconds', m.median, 'confirmed', c.confirmations)
          order by c.confirmations desc, c.name)
        from (select seller_id, confirmations, ${sql.unsafe(storeNameOf('seller_id'))} as name from confirm) c
        cross join lateral (
          select percentile_cont(0.5) within group (order by p.seconds)::float8 as median
          from part_confirmations p
          where p.seller_id = c.seller_id and p.placed_at >= ${from}::timestamp at time zone 'UTC' and p.placed_at < (${to} + 1)::timestamp at time zone 'UTC'
        ) m), '[]') as "confirmTimes"`;
  return { ...row!, from: filters.from, to: filters.to, store };
}
