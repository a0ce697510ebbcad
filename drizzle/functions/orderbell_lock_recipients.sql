-- Streams resume "after id N" (Last-Event-ID, ?after=, the hub's catch-up), which is only safe
-- if, for each recipient, notification ids become visible in id order. The notifying triggers are
-- constraint triggers deferred to commit time, and before writing they call this: a
-- transaction-level advisory lock per recipient of the order (the customer and every store owner
-- in it), taken in one sorted order so that two transactions never deadlock on them. A second
-- transaction for the same recipient waits until the first commits, then takes its ids: per
-- recipient, id order = commit order = NOTIFY order. The locks are held only between the
-- deferred trigger and the commit that follows it.
CREATE OR REPLACE FUNCTION orderbell_lock_recipients(p_order_id bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  k int;
BEGIN
  FOR k IN
    SELECT DISTINCT hashtext(r) FROM (
      SELECT customer_id AS r FROM orders WHERE id = p_order_id
      UNION SELECT s.user_id FROM seller_orders so JOIN sellers s ON s.id = so.seller_id WHERE so.order_id = p_order_id
    ) recipients ORDER BY 1
  LOOP
    PERFORM pg_advisory_xact_lock(1869, k);
  END LOOP;
END $$;
