-- "Seen by the store" reaches the customer live: when a store first opens an order (a 'seen'
-- order event), the constraint trigger order_events_seen_notify (deferred to commit time) runs
-- this, which gives the customer an order_seen notification. Like the status trigger, it takes
-- the order's recipient locks first, so per recipient, notification ids still commit in id order.
CREATE OR REPLACE FUNCTION orderbell_order_seen_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  o orders%ROWTYPE;
  store sellers%ROWTYPE;
  part seller_orders%ROWTYPE;
BEGIN
  PERFORM orderbell_lock_recipients(NEW.order_id);
  SELECT * INTO o FROM orders WHERE id = NEW.order_id;
  SELECT * INTO part FROM seller_orders WHERE id = NEW.seller_order_id;
  SELECT * INTO store FROM sellers WHERE id = part.seller_id;
  PERFORM orderbell_notify(o.customer_id, 'order_seen', o.id, part.id, jsonb_build_object(
    'orderId', o.id, 'orderNumber', o.order_number, 'sellerOrderId', part.id, 'sellerId', store.id,
    'storeName', store.name, 'status', part.status));
  RETURN NULL;
END $$;
