-- The row trigger orders_store_day_moved: an order whose created_at changes (fixtures and data
-- fixes do that; the app does not) moves its parts to the rollup row of their new day and its
-- confirmations to their new placement time, so the stats still equal a recount (decision 018).
CREATE OR REPLACE FUNCTION orderbell_store_day_order_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM orderbell_store_day_add(ARRAY(
    SELECT orderbell_store_day_part(s.id, s.order_id, s.seller_id, s.status, s.subtotal, OLD.created_at, -1)
    FROM seller_orders s WHERE s.order_id = NEW.id
    UNION ALL
    SELECT orderbell_store_day_part(s.id, s.order_id, s.seller_id, s.status, s.subtotal, NEW.created_at, 1)
    FROM seller_orders s WHERE s.order_id = NEW.id));
  UPDATE part_confirmations c SET placed_at = NEW.created_at
  FROM seller_orders s WHERE s.order_id = NEW.id AND c.seller_order_id = s.id;
  RETURN NULL;
END $$;
