-- Streams resume "after id N" (Last-Event-ID, ?after=, the hub's catch-up), which is only safe
-- if, for each recipient, notification ids become visible in id order. With the row trigger of
-- 0001, two checkouts for the same seller could take ids 9 and 10 and commit 10 first: a stream
-- that had sent 10 would then skip 9 forever. So:
--  * the trigger is now a constraint trigger deferred to commit time, so the notification rows
--    are written as the very last work of the transaction, after every other lock is held; and
--  * before writing, it takes a transaction-level advisory lock per recipient of the order (the
--    customer and every store owner in it), in one sorted order so that two transactions can
--    never deadlock on them. A second transaction for the same recipient waits until the first
--    commits, then takes its ids: per recipient, id order = commit order = NOTIFY order.
-- The locks are held only between the deferred trigger and the commit that follows it.
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
--> statement-breakpoint
CREATE OR REPLACE FUNCTION orderbell_seller_order_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  o orders%ROWTYPE;
  store sellers%ROWTYPE;
  body jsonb;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status THEN
    RETURN NULL;
  END IF;
  PERFORM orderbell_lock_recipients(NEW.order_id);
  SELECT * INTO o FROM orders WHERE id = NEW.order_id;
  SELECT * INTO store FROM sellers WHERE id = NEW.seller_id;
  body := jsonb_build_object(
    'orderId', o.id, 'orderNumber', o.order_number, 'sellerOrderId', NEW.id, 'sellerId', store.id,
    'storeName', store.name, 'status', NEW.status, 'subtotal', NEW.subtotal, 'customerName', o.customer_name);
  IF TG_OP = 'INSERT' THEN
    PERFORM orderbell_notify(store.user_id, 'order_notification', o.id, NEW.id, body);
  ELSE
    body := body || jsonb_build_object('from', OLD.status, 'to', NEW.status);
    PERFORM orderbell_notify(o.customer_id, 'order_status_update', o.id, NEW.id, body);
    IF NEW.status = 'confirmed' THEN
      PERFORM orderbell_notify(o.customer_id, 'order_confirmed', o.id, NEW.id, body);
    END IF;
    IF NEW.changed_by IS DISTINCT FROM store.user_id THEN
      PERFORM orderbell_notify(store.user_id, 'order_status_update', o.id, NEW.id, body);
    END IF;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER seller_orders_notify ON seller_orders;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER seller_orders_notify
AFTER INSERT OR UPDATE OF status ON seller_orders
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION orderbell_seller_order_notify();
