-- The statement triggers on seller_orders (store_day_figures_parts_insert, _update, _delete) keep
-- the stats' daily rollup current in the transaction that places an order or changes a status
-- (decision 018): once per statement, over the transition tables, so an order of three stores is
-- one upsert of three rows. Parts are never deleted (their events and notifications refer to
-- them); a delete is refused rather than left to make the rollup drift.
CREATE OR REPLACE FUNCTION orderbell_store_day_parts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM orderbell_store_day_add(ARRAY(
      SELECT orderbell_store_day_part(n.id, n.order_id, n.seller_id, n.status, n.subtotal, o.created_at, 1)
      FROM new_parts n JOIN orders o ON o.id = n.order_id));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM orderbell_store_day_add(ARRAY(
      SELECT orderbell_store_day_part(d.id, d.order_id, d.seller_id, d.status, d.subtotal, o.created_at, -1)
      FROM old_parts d JOIN orders o ON o.id = d.order_id
      UNION ALL
      SELECT orderbell_store_day_part(n.id, n.order_id, n.seller_id, n.status, n.subtotal, o.created_at, 1)
      FROM new_parts n JOIN orders o ON o.id = n.order_id));
  ELSE
    RAISE EXCEPTION 'seller_orders rows are not deleted: the stats rollup (store_day_figures) counts them'
      USING HINT = 'docs/decisions/018';
  END IF;
  RETURN NULL;
END $$;
