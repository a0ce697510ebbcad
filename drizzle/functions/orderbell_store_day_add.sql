-- Adds changes to the stats' daily rollup (store_day_figures, decision 018), summed per day and
-- store. Rows are locked in (day, store) order, so two transactions touching the same stores wait
-- for each other instead of deadlocking; a change that nets to nothing (a part updated without a
-- new status or subtotal) touches no row at all.
CREATE OR REPLACE FUNCTION orderbell_store_day_add(changes store_day_figures[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO store_day_figures AS f
  SELECT day, seller_id, sum(parts), sum(orders), sum(revenue), sum(pending), sum(confirmed), sum(shipped),
    sum(delivered), sum(cancelled), sum(confirmations)
  FROM unnest(changes)
  GROUP BY day, seller_id
  HAVING sum(parts) <> 0 OR sum(orders) <> 0 OR sum(revenue) <> 0 OR sum(pending) <> 0 OR sum(confirmed) <> 0
    OR sum(shipped) <> 0 OR sum(delivered) <> 0 OR sum(cancelled) <> 0 OR sum(confirmations) <> 0
  ORDER BY day, seller_id
  ON CONFLICT (day, seller_id) DO UPDATE SET
    parts = f.parts + excluded.parts, orders = f.orders + excluded.orders, revenue = f.revenue + excluded.revenue,
    pending = f.pending + excluded.pending, confirmed = f.confirmed + excluded.confirmed, shipped = f.shipped + excluded.shipped,
    delivered = f.delivered + excluded.delivered, cancelled = f.cancelled + excluded.cancelled,
    confirmations = f.confirmations + excluded.confirmations
$$;
