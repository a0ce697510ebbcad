ALTER TABLE "notifications" DROP CONSTRAINT "notifications_type_check";--> statement-breakpoint
CREATE INDEX "notifications_created_brin_idx" ON "notifications" USING brin ("created_at");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_type_check" CHECK (type in ('order_notification', 'order_status_update', 'order_confirmed', 'order_seen'));--> statement-breakpoint
-- "Seen by the store" reaches the customer live: when a store first opens an order (a 'seen'
-- order event), the customer gets an order_seen notification. Like the status triggers (0002),
-- it is a constraint trigger deferred to commit time that takes the order's recipient locks
-- first, so per recipient, notification ids still commit in id order.
CREATE FUNCTION orderbell_order_seen_notify() RETURNS trigger LANGUAGE plpgsql AS $$
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
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER order_events_seen_notify
AFTER INSERT ON order_events
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW WHEN (NEW.type = 'seen' AND NEW.seller_order_id IS NOT NULL)
EXECUTE FUNCTION orderbell_order_seen_notify();
