import type { Db } from '../db/client.ts';
import { unacknowledgedOf } from '../notifications/alerts.ts';
import { storeIdOf, type Viewer } from './queries.ts';

/** How many of a store's newest confirmed parts its median time to confirm looks at, so a big store's dashboard stays fast. */
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

/**
 * The store's figures as columns of a select (the dashboard reads them in one statement with its
 * other facts; read the row with `figuresFrom`):
 * - today's parts: the rollup's row of today (store_day_figures: parts by their order's UTC day of
 *   placement, decision 018), one row by its key;
 * - the unacknowledged new orders, counted from their own partial index;
 * - the median time to confirm over the newest CONFIRM_SAMPLE confirmed parts of orders placed in
 *   the last 30 days, from part_confirmations (each part's first confirmation and its order's
 *   placement, kept by the trigger on order events): one index range. Computed from the events
 *   part by part it took ~70 ms for the bench's big store and was kept a minute per store in
 *   process memory; now it is read fresh with the rest.
 */
export const figuresOf = (sql: Db, viewer: Viewer) => sql`
  coalesce((select parts from store_day_figures
    where day = (now() at time zone 'UTC')::date and seller_id = ${storeIdOf(sql, viewer)}), 0) as "ordersToday",
  ${unacknowledgedOf(sql, viewer.id)} as unacknowledged,
  (select json_build_object('medianConfirmSeconds', (percentile_cont(0.5) within group (order by seconds))::float8, 'confirmed', count(*)::int)
    from (select seconds from part_confirmations
      where seller_id = ${storeIdOf(sql, viewer)} and placed_at >= now() - interval '30 days'
      order by placed_at desc limit ${CONFIRM_SAMPLE}) recent) as "confirmTime"`;

/** The columns of `figuresOf`, as read. */
export interface FigureColumns {
  ordersToday: number;
  unacknowledged: number;
  confirmTime: Pick<SellerFigures, 'medianConfirmSeconds' | 'confirmed'>;
}

export const figuresFrom = ({ ordersToday, unacknowledged, confirmTime }: FigureColumns): SellerFigures => ({ ordersToday, unacknowledged, ...confirmTime });
