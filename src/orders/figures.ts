import type { Sql } from '../db/client.ts';
import type { Viewer } from './queries.ts';

/**
 * Seconds from an order's placement to its store's first confirmation of its part, for the part
 * `so` (seller_orders) of the order `o` in the surrounding query; null while unconfirmed. The
 * 'placed' event is written in the order's own transaction, at the order's created_at. Read by
 * order (order_events_order_idx), never by scanning every event.
 */
export const secondsToConfirm = (sql: Sql) =>
  sql.unsafe(`extract(epoch from (select min(e.created_at) from order_events e
    where e.order_id = so.order_id and e.seller_order_id = so.id and e.to_status = 'confirmed') - o.created_at)::float8`);

/** The start of today, a UTC calendar day as everywhere in the app. */
export const todayStart = (sql: Sql) => sql.unsafe(`((now() at time zone 'UTC')::date::timestamp at time zone 'UTC')`);

/** A store's own figures, shown on its dashboard. */
export interface SellerFigures {
  /** Parts of orders placed today (UTC). */
  ordersToday: number;
  /** New-order notifications the store has not opened or marked read. */
  unacknowledged: number;
  /** Median seconds from placement to confirmation over the last 30 days; null with none confirmed. */
  medianConfirmSeconds: number | null;
  confirmed: number;
}

export async function sellerFigures(sql: Sql, viewer: Viewer): Promise<SellerFigures> {
  const [row] = await sql<SellerFigures[]>`
    with recent as (
      select o.created_at >= ${todayStart(sql)} as today, ${secondsToConfirm(sql)} as seconds
      from seller_orders so join orders o on o.id = so.order_id
      where so.seller_id = (select id from sellers where user_id = ${viewer.id}) and o.created_at >= now() - interval '30 days'
    )
    select count(*) filter (where today)::int as "ordersToday",
      (select count(*)::int from notifications
        where recipient_id = ${viewer.id} and read_at is null and type = 'order_notification') as unacknowledged,
      (percentile_cont(0.5) within group (order by seconds))::float8 as "medianConfirmSeconds",
      count(seconds)::int as confirmed
    from recent`;
  return row!;
}
