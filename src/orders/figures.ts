import type { Db } from '../db/client.ts';
import { unacknowledgedOf } from '../notifications/alerts.ts';
import type { Viewer } from './queries.ts';

/**
 * Seconds from an order's placement to its store's first confirmation of its part, for the part
 * `so` (seller_orders) of the order `o` in the surrounding query; null while unconfirmed. The
 * 'placed' event is written in the order's own transaction, at the order's created_at. Read by
 * order (order_events_order_idx), never by scanning every event.
 */
export const secondsToConfirm = (sql: Db) =>
  sql.unsafe(`extract(epoch from (select min(e.created_at) from order_events e
    where e.order_id = so.order_id and e.seller_order_id = so.id and e.to_status = 'confirmed') - o.created_at)::float8`);

/** How many of a store's newest orders its median time to confirm looks at, so a big store's dashboard stays fast. */
export const CONFIRM_SAMPLE = 1000;

/** A store's own figures, shown on its dashboard. */
export interface SellerFigures {
  /** Parts of orders placed today (UTC). */
  ordersToday: number;
  /** New-order notifications the store has not opened or marked read. */
  unacknowledged: number;
  /** Median seconds from placement to confirmation, over the newest CONFIRM_SAMPLE orders of the last 30 days; null with none confirmed. */
  medianConfirmSeconds: number | null;
  confirmed: number;
}

/** The median changes slowly and costs the most (up to CONFIRM_SAMPLE lookups): kept per store this long. */
const MEDIAN_TTL_MS = 60_000;
const MEDIAN_CACHE_MAX = 10_000;
const medians = new Map<string, { at: number; value: Pick<SellerFigures, 'medianConfirmSeconds' | 'confirmed'> }>();

export async function medianToConfirm(sql: Db, viewer: Viewer) {
  const cached = medians.get(viewer.id);
  if (cached && Date.now() - cached.at < MEDIAN_TTL_MS) return cached.value;
  const [value] = await sql<Pick<SellerFigures, 'medianConfirmSeconds' | 'confirmed'>[]>`
    with newest as (
      -- The newest parts first, by index alone; only then their orders, the 30 days and the confirmations.
      select so.id, so.order_id from seller_orders so
      where so.seller_id = (select id from sellers where user_id = ${viewer.id}) order by so.order_id desc limit ${CONFIRM_SAMPLE}
    ), recent as (
      select ${secondsToConfirm(sql)} as seconds
      from newest so join orders o on o.id = so.order_id
      where o.created_at >= now() - interval '30 days'
    )
    select (percentile_cont(0.5) within group (order by seconds))::float8 as "medianConfirmSeconds", count(seconds)::int as confirmed from recent`;
  if (medians.size >= MEDIAN_CACHE_MAX) medians.delete(medians.keys().next().value!);
  medians.set(viewer.id, { at: Date.now(), value: value! });
  return value!;
}

/**
 * Today's parts and the unacknowledged new orders of the viewer's store, as columns of a select
 * (the dashboard reads them in one statement with its other figures). Today's parts are the
 * rollup's row of today (store_day_figures: parts by their order's UTC day of placement, decision
 * 018), one row by its key; the unacknowledged are counted from their own partial index.
 */
export const figureCountsOf = (sql: Db, viewer: Viewer) => sql`
  coalesce((select parts from store_day_figures
    where day = (now() at time zone 'UTC')::date and seller_id = (select id from sellers where user_id = ${viewer.id})), 0) as "ordersToday",
  ${unacknowledgedOf(sql, viewer.id)} as unacknowledged`;

/** A store's figures: the counts, and the median, which looks at the newest CONFIRM_SAMPLE parts and is kept a minute per store. */
export async function sellerFigures(sql: Db, viewer: Viewer): Promise<SellerFigures> {
  const [[counts], median] = await Promise.all([
    sql<Pick<SellerFigures, 'ordersToday' | 'unacknowledged'>[]>`select ${figureCountsOf(sql, viewer)}`,
    medianToConfirm(sql, viewer),
  ]);
  return { ...counts!, ...median };
}
