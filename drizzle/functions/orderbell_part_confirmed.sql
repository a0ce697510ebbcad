-- The row trigger order_events_part_confirmed: a 'confirmed' event of a part records the part's
-- first confirmation in part_confirmations (the earliest, as the stats' median has always read
-- it: min(created_at) of the part's 'confirmed' events) and, the first time, counts it in the
-- rollup row of its day and store (decision 018). Events are never updated or deleted.
CREATE OR REPLACE FUNCTION orderbell_part_confirmed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  part seller_orders%ROWTYPE;
  placed timestamptz;
  first boolean;
BEGIN
  SELECT * INTO part FROM seller_orders WHERE id = NEW.seller_order_id AND order_id = NEW.order_id;
  IF NOT FOUND THEN RETURN NULL; END IF;
  SELECT created_at INTO placed FROM orders WHERE id = NEW.order_id;
  INSERT INTO part_confirmations (seller_order_id, seller_id, placed_at, confirmed_at)
  VALUES (part.id, part.seller_id, placed, NEW.created_at)
  ON CONFLICT (seller_order_id) DO NOTHING
  RETURNING true INTO first;
  IF first THEN
    PERFORM orderbell_store_day_add(ARRAY[ROW((placed AT TIME ZONE 'UTC')::date, part.seller_id, 0, 0, 0, 0, 0, 0, 0, 0, 1)::store_day_figures]);
  ELSE
    UPDATE part_confirmations SET confirmed_at = NEW.created_at WHERE seller_order_id = part.id AND confirmed_at > NEW.created_at;
  END IF;
  RETURN NULL;
END $$;
