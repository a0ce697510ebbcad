-- What one store part adds to the stats' daily rollup (store_day_figures, decision 018): the row of
-- its order's UTC day and its store, with `sign` 1 to add the part and -1 to take it back out.
-- The triggers take a part out as it was and add it as it is, so every change is one rule.
-- `orders` counts the order once, on its first part (lowest id): a later part of the same order
-- always has a higher id, so that choice never moves. `confirmations` is 1 once the part has a
-- row in part_confirmations (orderbell_part_confirmed adds that 1 when the row appears).
CREATE OR REPLACE FUNCTION orderbell_store_day_part(part_id bigint, order_id bigint, seller_id integer, status text, subtotal integer, placed_at timestamptz, sign integer)
RETURNS store_day_figures LANGUAGE sql STABLE AS $$
  SELECT ROW(
    (placed_at AT TIME ZONE 'UTC')::date,
    seller_id,
    sign,
    sign * (NOT EXISTS (SELECT 1 FROM seller_orders s WHERE s.order_id = orderbell_store_day_part.order_id AND s.id < part_id))::int,
    (sign * CASE WHEN status <> 'cancelled' THEN subtotal ELSE 0 END)::bigint,
    sign * (status = 'pending')::int,
    sign * (status = 'confirmed')::int,
    sign * (status = 'shipped')::int,
    sign * (status = 'delivered')::int,
    sign * (status = 'cancelled')::int,
    sign * (EXISTS (SELECT 1 FROM part_confirmations c WHERE c.seller_order_id = part_id))::int
  )::store_day_figures
$$;
